"""Every citation the rules use, declared once (in kb/citations.yaml); a rule names these keys in its
metadata.

Sources are as listed in ptkb's clinical reference (section g). `note` says how firmly the
reference itself stands behind the source ("not read", "unverified") so explanations can say so.

>>> CITATIONS["askling2013"].short
'Askling 2013'
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Citation", "CITATIONS", "EvidenceLevel"]


class EvidenceLevel(StrEnum):
    """How strongly a rule is supported (a rule states the level of its best source)."""

    TRIAL = "trial"            # randomised controlled trial or systematic review
    DIAGNOSTIC = "diagnostic"  # diagnostic-accuracy or cohort study with reported figures
    GUIDELINE = "guideline"    # clinical practice guideline, consensus or classification system
    EXPERT = "expert"          # narrative review, teaching or the source article's clinical reasoning
    HEURISTIC = "heuristic"    # a KB design choice (threshold or combination) not validated as such


@dataclass(frozen=True)
class Citation:
    key: str
    authors: str
    year: str
    title: str
    source: str
    note: str = ""

    @property
    def short(self) -> str:
        """First author's surname (particles kept: 'van der Windt') and year.

        >>> CITATIONS["vanderwindt2010"].short, CITATIONS["sapiens2022"].short
        ('van der Windt 2010', 'Sapiens Moves 2022')
        """
        words = self.authors.split(",")[0].split()
        if len(words) > 1 and words[-1].isupper() and len(words[-1]) <= 3:  # drop the initials
            words = words[:-1]
        return f"{' '.join(words)} {self.year}"


def _load() -> dict[str, Citation]:
    """The citations of kb/citations.yaml, by key (a data file: one entry per source)."""
    from kb.datafile import load_data, path_of
    entries = load_data(path_of("citations.yaml"))
    return {e["key"]: Citation(**{k: str(v) for k, v in e.items()}) for e in entries}


CITATIONS = _load()
