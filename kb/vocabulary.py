"""The controlled vocabulary: every finding and conclusion ptkb knows, declared once, as data in
`kb/vocabulary.yaml`; this module gives them their types (and the kinds their presentation).

Case files, validation, the JSON output and the docs all use these ids; nothing else defines them.
Absent findings mean "not examined": a rule that needs a negative finding matches an explicit false.

>>> FINDINGS["gait"].values
('normal', 'antalgic_limp', 'unable_without_aid')
>>> CONCLUSIONS["rf_cauda_equina"].kind is Kind.RED_FLAG
True
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum, StrEnum

from kb.datafile import load_data, path_of
from kb.errors import PtkbError

__all__ = ["RED_FLAG_SCREEN", "FINDING_GROUPS", "Kind", "KindInfo", "KIND_INFO", "NODE_INFO", "FindingType", "FindingDef", "ConclusionDef", "FINDINGS", "CONCLUSIONS", "CLINICAL_ORDER", "DEFINED_AT"]


class Kind(str, Enum):
    """Kinds of conclusion, in the order a clinician reads them."""

    FINDING_CONFLICT = "finding_conflict"  # ptkb's own: recorded findings contradict each other
    RED_FLAG = "red_flag"
    REFERRAL = "referral"
    HYPOTHESIS = "hypothesis"
    TISSUE = "tissue"
    GRADE = "grade"
    IRRITABILITY = "irritability"
    STAGE = "stage"
    TREATMENT_PRINCIPLE = "treatment_principle"
    PRECAUTION = "precaution"
    TEST_TO_PERFORM = "test_to_perform"
    CLUE = "clue"  # ptkb's own: an abstraction of findings (a threshold crossed, a cluster met)


CLINICAL_ORDER = tuple(Kind)


@dataclass(frozen=True)
class KindInfo:
    """What every output needs to know about a kind of node, declared once: the plan's heading, whether
    a clinician sees it (clues are internal), the drawing's column, its look (fill, border, font colour,
    shape; Okabe-Ito hues with shape as the second cue, so no two kinds look alike even without colour)
    and its line in a drawing's legend."""

    heading: str
    shown: bool
    column: int
    fill: str
    border: str
    font: str
    shape: str
    legend: str


# Okabe-Ito: orange #E69F00, sky blue #56B4E9, bluish green #009E73, yellow #F0E442, blue #0072B2,
# vermillion #D55E00, reddish purple #CC79A7 (fills are light tints of them, borders the full hue).
KIND_INFO = {
    Kind.FINDING_CONFLICT: KindInfo("Findings that contradict each other (re-examine first)", True, 4,
                                    "#F0E442", "#000000", "#000000", "diamond", "contradicting findings"),
    Kind.RED_FLAG: KindInfo("Red flags", True, 4, "#D55E00", "#5C1F00", "#FFFFFF", "octagon",
                            "RED FLAG"),
    Kind.REFERRAL: KindInfo("Referrals", True, 6, "#F7D0B8", "#D55E00", "#5C1F00", "doubleoctagon",
                            "referral"),
    Kind.HYPOTHESIS: KindInfo("Hypotheses", True, 4, "#FBE3B0", "#B07A00", "#4D3500", "ellipse",
                              "hypothesis"),
    Kind.TISSUE: KindInfo("Tissue", True, 6, "#F2D4E5", "#CC79A7", "#5A1F40", "box", "tissue"),
    Kind.GRADE: KindInfo("Grade", True, 6, "#CCE2F2", "#0072B2", "#00324F", "hexagon", "grade"),
    Kind.IRRITABILITY: KindInfo("Irritability", True, 6, "#F8F3C4", "#9A8F00", "#3D3900", "parallelogram",
                                "irritability"),
    Kind.STAGE: KindInfo("Stage", True, 8, "#E4D7EE", "#7B4F9E", "#2E1A40", "cds", "stage"),
    Kind.TREATMENT_PRINCIPLE: KindInfo("Do (treatment principles)", True, 10, "#C9EDE0", "#009E73", "#003D2C",
                                       "box", "do"),
    Kind.PRECAUTION: KindInfo("Avoid (precautions)", True, 10, "#FFFFFF", "#D55E00", "#5C1F00", "invhouse",
                              "avoid"),
    Kind.TEST_TO_PERFORM: KindInfo("Tests to perform", True, 10, "#FFFFFF", "#0072B2", "#00324F", "folder",
                                   "test to do"),
    Kind.CLUE: KindInfo("Clues (internal)", False, 2, "#EFEFEF", "#777777", "#333333", "component",
                        "clue"),
}

# The other nodes a drawing shows, in the same language: what was recorded, what a rule needed absent,
# the rules themselves, and why-not's conditions and a conclusion that was not reached.
NODE_INFO = {
    "finding": KindInfo("Findings", True, 0, "#DDEFFB", "#56B4E9", "#00324F", "box",
                        "finding"),
    "absence": KindInfo("Absences", True, 0, "#F4F4F4", "#777777", "#333333", "note",
                        "needed absent, dashed edge"),
    "rule": KindInfo("Rules", True, 1, "#FFFFFF", "#444444", "#111111", "box",
                     "rule: step \u00b7 id, title, [source]"),
    "not_reached": KindInfo("Not reached", True, 4, "#FAFAFA", "#777777", "#333333", "box",
                            "not reached"),
    # why-not's conditions of a candidate rule, by what happened to them
    "cond_holds": KindInfo("Holds", True, 0, "#C9EDE0", "#009E73", "#003D2C", "tab", "holds"),
    "cond_missing": KindInfo("Missing", True, 0, "#F4F4F4", "#777777", "#333333", "tab",
                             "fails: not examined"),
    "cond_contradicted": KindInfo("Contradicted", True, 0, "#F7D0B8", "#D55E00", "#5C1F00", "tab",
                                  "fails: contradicted"),
    "cond_blocked": KindInfo("Blocked", True, 0, "#FBE3B0", "#B07A00", "#4D3500", "tab",
                             "fails: blocked"),
    "cond_not_concluded": KindInfo("Not concluded", True, 0, "#FAFAFA", "#777777", "#333333", "tab",
                                   "fails: not reached"),
    **{kind.value: info for kind, info in KIND_INFO.items()},
}


class FindingType(StrEnum):
    """What a finding's value is: true / false, one of named values, or a number in a range."""

    BOOL = "bool"
    ENUM = "enum"
    NUMBER = "number"


@dataclass(frozen=True)
class FindingDef:
    """One input finding: its id, type and what it means."""

    id: str
    type: FindingType
    meaning: str
    values: tuple = ()
    unit: str = ""
    low: float | None = None
    high: float | None = None

    def problem_with(self, value) -> str | None:
        """Why `value` is not allowed for this finding, or None when it is.

        >>> FINDINGS["pain_worst_nrs"].problem_with(11)
        'expected a number from 0 to 10 (NRS), got 11'
        """
        if self.type is FindingType.BOOL:
            return None if isinstance(value, bool) else f"expected true or false, got {_shown(value)}"
        if self.type is FindingType.ENUM:
            if isinstance(value, str) and value in self.values:
                return None
            return f"expected one of {', '.join(self.values)}; got {_shown(value)}"
        expected = f"expected a number from {self.low:g} to {self.high:g} ({self.unit})"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{expected}, got {type(value).__name__} {_shown(value)}{_number_hint(value)}"
        if not math.isfinite(value) or not self.low <= value <= self.high:
            return f"{expected}, got {_shown(value)}"
        return None

    def describe_type(self) -> str:
        """The type as the docs show it."""
        if self.type is FindingType.ENUM:
            return "one of: " + ", ".join(self.values)
        if self.type is FindingType.NUMBER:
            return f"number, {self.unit}, {self.low:g}-{self.high:g}"
        return "true / false"


def _shown(value, limit: int = 60) -> str:
    """The value as written (repr), shortened in the middle when long."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit - 20]}...{text[-15:]} ({len(text)} characters)"


def _number_hint(value) -> str:
    """Why a number-looking text was not read as a number (YAML 1.1 would have read it differently)."""
    if not isinstance(value, str):
        return ""
    if re.fullmatch(r"[-+]?\d+(:[0-5]?\d)+", value):
        return " (a time such as 1:30 is not read as a number: write it as one number in the unit)"
    if re.fullmatch(r"[-+]?0\d+", value):
        return " (a leading zero is ambiguous -- YAML 1.1 reads 012 as octal 10: write the number without it)"
    if re.fullmatch(r"[-+]?\d{19,}", value):
        return " (too many digits)"
    return ""


@dataclass(frozen=True)
class ConclusionDef:
    """One conclusion: id, kind, what it means and the label shown to a clinician."""

    id: str
    kind: Kind
    meaning: str
    group: str = ""
    with_management: bool = False  # a referral shown with the management, not with the urgent referrals
    loading: bool = False          # a loading or exercise principle: withheld under any red flag
    stretch_like: bool = False     # lengthens the hamstring or tensions the nerve: not in the protection stage

    @property
    def shown(self) -> bool:
        """Shown to a clinician (clues are internal abstractions)."""
        return KIND_INFO[self.kind].shown

    @property
    def label(self) -> str:
        return _LABELS.get(self.id) or self.meaning[:1].upper() + self.meaning[1:]


def _entries(data: dict, section: str, known: tuple[str, ...], required: int = 0) -> list[tuple[str, dict]]:
    """(file:line, fields) of each entry of one section of kb/vocabulary.yaml, each with only the
    fields it may have and its first `required` ones (all, when 0), its first field unique; a wrong
    entry is an error naming the file, line and section."""
    out, seen = [], set()
    for entry in data.get(section) or []:
        where = f"{_PATH}:{entry['__line__']}" if isinstance(entry, dict) and "__line__" in entry else _PATH
        fields = {k: v for k, v in entry.items() if k != "__line__"} if isinstance(entry, dict) else entry
        if not isinstance(fields, dict) or set(fields) - set(known) or not set(known[:required or None]) <= set(fields):
            raise PtkbError(f"{where}: {section}: {fields!r:.100}: the fields are {', '.join(known)}"
                            f" (the first {required or len(known)} required)")
        if fields[known[0]] in seen:
            raise PtkbError(f"{where}: {section}: {fields[known[0]]!r} is declared twice")
        seen.add(fields[known[0]])
        out.append((where, fields))
    return out


def _member(enum, value, where: str, what: str):
    try:
        return enum(value)
    except ValueError:
        raise PtkbError(f"{where}: {what} must be one of {', '.join(m.value for m in enum)}, got {value!r}") from None


def _finding(where: str, entry: dict) -> FindingDef:
    kind = _member(FindingType, entry["type"], where, f"finding {entry['id']}: type")
    needs = {FindingType.ENUM: ("values",), FindingType.NUMBER: ("unit", "low", "high")}.get(kind, ())
    if not set(needs) <= set(entry):
        raise PtkbError(f"{where}: finding {entry['id']}: type {kind.value} needs {', '.join(needs)}")
    return FindingDef(entry["id"], kind, entry["meaning"], tuple(entry.get("values", ())),
                      entry.get("unit", ""), entry.get("low"), entry.get("high"))


def _conclusion(where: str, entry: dict) -> ConclusionDef:
    return ConclusionDef(entry["id"], _member(Kind, entry["kind"], where, f"conclusion {entry['id']}: kind"),
                         entry["meaning"], entry.get("group", ""), entry.get("with_management", False),
                         entry.get("loading", False), entry.get("stretch_like", False))


_PATH = path_of("vocabulary.yaml")
_DATA = load_data(_PATH, mark_lines=True)
_CONCLUSION_FIELDS = ("id", "kind", "meaning", "group", "with_management", "loading", "stretch_like", "label")

_FINDING_ENTRIES = _entries(_DATA, "findings", ("id", "type", "meaning", "values", "unit", "low", "high"), 3)
_CONCLUSION_ENTRIES = _entries(_DATA, "conclusions", _CONCLUSION_FIELDS, 3)
FINDINGS = {f.id: f for f in (_finding(*e) for e in _FINDING_ENTRIES)}
CONCLUSIONS = {c.id: c for c in (_conclusion(*e) for e in _CONCLUSION_ENTRIES)}
# "file:line" of each finding and conclusion in kb/vocabulary.yaml (lint points there)
DEFINED_AT = {e["id"]: where for where, e in (*_FINDING_ENTRIES, *_CONCLUSION_ENTRIES)}
# Where the meaning alone reads badly as a heading line.
_LABELS = {e["id"]: e["label"] for _, e in _CONCLUSION_ENTRIES if "label" in e}

# The red-flag screen: the questions test_red_flag_screen asks ("CES, DVT, vascular, systemic"),
# each with what it screens for. A case file may record them all as negative at once with
# `red_flag_screen: negative`.
RED_FLAG_SCREEN = tuple((e["finding"], e["screens_for"])
                        for _, e in _entries(_DATA, "red_flag_screen", ("finding", "screens_for")))

# Findings examined together (a block of the examination, or imaging): an interactive consultation
# first asks whether the block was examined at all, so that a block not done costs one question.
FINDING_GROUPS = {e["name"]: (e["question"], tuple(e["findings"]))
                  for _, e in _entries(_DATA, "finding_groups", ("name", "question", "findings"))}
