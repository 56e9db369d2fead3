"""ptkb's public Python API: load a case, consult, ask why / why-not / how / what-if, draw.

Everything here is re-exported by `ptkb`; a notebook needs nothing else:

>>> import ptkb
>>> c = ptkb.load({"id": "demo", "findings": {"saddle_numbness": True}})
>>> c
<Consultation demo: 3 conclusions shown (rf_cauda_equina, ref_emergency_same_day, ...)>
>>> c.why("ref_emergency_same_day").steps[-1].rule_id
'RF-030'
>>> c.what_if(saddle_numbness=False).lost
('rf_cauda_equina', 'ref_emergency_same_day', 'prec_withhold_loading_program')
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["load", "Consultation", "knowledge_base", "KnowledgeBase"]


def _rules():
    from engine import rule_by_id
    return rule_by_id()


def _case(source):
    """A validated case from a path, a mapping or YAML text (validation errors raise CaseError)."""
    from engine import case_from_mapping, case_from_text, load_case
    if isinstance(source, os.PathLike):
        return load_case(source)
    if isinstance(source, dict):
        return case_from_mapping(source)
    if isinstance(source, str):
        if "\n" not in source and source.strip().lower().endswith((".yaml", ".yml")):
            return load_case(Path(source))
        return case_from_text(source)
    raise TypeError(f"ptkb.load() takes a path, a mapping or YAML text, not {type(source).__name__}")


def load(source) -> Consultation:
    """Validate a case (a path, a mapping or YAML text) and consult the knowledge base on it."""
    from engine import consult
    case = _case(source)
    return Consultation(case, consult(case))


@dataclass(frozen=True, repr=False)
class Consultation:
    """One consulted case: the plan, and every question about it, without passing rules around.

    In a notebook it displays as the plan beside its drawing (`_repr_html_`)."""

    case: object
    result: object = field(compare=False)

    @property
    def conclusions(self) -> tuple[str, ...]:
        """The ids a clinician sees, in clinical order of the plan."""
        from kb.vocabulary import CONCLUSIONS
        return tuple(c.id for c in self.result.conclusions if CONCLUSIONS[c.id].shown)

    def plan_text(self) -> str:
        from ptkb.report import consultation_text
        return consultation_text(self.result)

    def plan(self, detail: str = "clinical"):
        """The whole reasoning as one numbered proof (an Explanation)."""
        from explain import plan
        return plan(self.result, _rules(), detail)

    def why(self, conclusion: str):
        from explain import why
        return why(self.result, conclusion, _rules())

    def why_not(self, conclusion: str):
        from explain import why_not
        return why_not(self.result, conclusion, _rules())

    def how(self, finding: str):
        from explain import how
        return how(self.result, finding, _rules())

    def diff(self, other: Consultation):
        from explain import diff
        return diff(self.result, other.result, _rules())

    def what_if(self, **changes) -> object:
        """The Diff from this case to the same case with some findings changed (None: not examined)."""
        findings = dict(self.case.findings)
        for fid, value in changes.items():
            if value is None:
                findings.pop(fid, None)
            else:
                findings[fid] = value
        other = load({"id": f"{self.case.id}-what-if", "title": self.case.title, "findings": findings})
        return self.diff(other)

    def draw(self, fmt: str = "svg", detail: str = "clinical", **options):
        """The whole plan's drawing as DOT text or SVG / PNG bytes (options: legend, size, dpi, rankdir)."""
        from ptkb.explaining import answer_output
        return answer_output(self.plan(detail), fmt, detail, **options)

    def report_html(self, detail: str = "clinical") -> str:
        """The self-contained HTML report (pan/zoom, click a conclusion for its proof)."""
        from ptkb.explaining import case_report_html
        return case_report_html(self.result, _rules(), detail)

    def _repr_html_(self) -> str:
        import html
        svg = self.draw("svg").decode("utf-8")
        return (f'<div style="display:flex;gap:16px;align-items:flex-start"><pre style="font-size:12px;'
                f'max-width:45%;white-space:pre-wrap">{html.escape(self.plan_text())}</pre>'
                f'<div style="overflow:auto;max-width:55%">{svg[svg.find("<svg"):]}</div></div>')

    def __repr__(self) -> str:
        shown = self.conclusions
        head = ", ".join(shown[:2]) + (", ..." if len(shown) > 2 else "")
        return f"<Consultation {self.case.id}: {len(shown)} conclusions shown ({head})>"


def knowledge_base(area: str | None = None) -> KnowledgeBase:
    """The rule network, or one clinical area of it."""
    return KnowledgeBase(area)


@dataclass(frozen=True, repr=False)
class KnowledgeBase:
    """The static rule network (clustered by area and layer); displays as SVG in a notebook."""

    area: str | None = None

    def rules(self) -> list:
        from engine import catalogue
        return [m for m in catalogue() if not self.area or m.area == self.area]

    def draw(self, fmt: str = "svg", **options):
        from ptkb.explaining import kb_drawing
        return kb_drawing(fmt, area=self.area, **options)

    def _repr_svg_(self) -> str:
        return self.draw("svg").decode("utf-8")

    def __repr__(self) -> str:
        return f"<KnowledgeBase {self.area or 'all areas'}: {len(self.rules())} rules>"
