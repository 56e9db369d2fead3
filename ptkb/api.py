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

from engine.errors import CaseError, PtkbError, RenderError, UsageError

__all__ = ["load", "read_case", "Consultation", "knowledge_base", "KnowledgeBase", "rules", "areas", "tables", "regress",
           "lint", "verify", "mutation_check", "case_schema", "answer_output", "quiet", "PtkbError", "CaseError", "UsageError",
           "RenderError", "CASE_STUDIES"]

# The source article's two case studies (the demo consults them).
CASE_STUDIES = ("scenarios/hamstring/case-study-hamstring-strain.yaml",
                "scenarios/nerve/case-study-sciatic-nerve.yaml")


def _rules():
    from engine import rule_by_id
    return rule_by_id()


def read_case(source):
    """A validated case from a path, a mapping, YAML text or "-" (standard input); a bad case raises
    CaseError naming the file, the key path and the line.

    >>> read_case({"id": "x", "findings": {"gait": "normal"}}).findings
    (('gait', 'normal'),)
    """
    import sys

    from engine import case_from_bytes, case_from_mapping, case_from_text, load_case
    if source == "-":
        from engine.errors import Problem
        from engine.yamlio import MAX_BYTES
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise CaseError([Problem("<stdin>", "", f"the input is larger than {MAX_BYTES // 1024} KiB")])
        return case_from_bytes(raw, "<stdin>")
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
    case = read_case(source)
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

    def to_json(self) -> str:
        """The consultation record as JSON (findings, conclusions with reasons, the firing trace)."""
        return self.result.to_json() + "\n"

    def explain(self, fmt: str = "text", why: str | None = None, why_not: str | None = None, how: str | None = None,
                detail: str = "clinical", **options):
        """The whole plan or one question's answer as text, JSON, DOT, SVG, PNG or HTML."""
        from ptkb.explaining import explain_case
        return explain_case(self.result, _rules(), fmt, why_id=why, why_not_id=why_not, how_id=how, detail=detail,
                            **options)

    def plan_text(self) -> str:
        from ptkb.report import consultation_text
        return consultation_text(self.result)

    def plan(self, detail: str = "clinical"):
        """The whole reasoning as one numbered proof (a WhyAnswer)."""
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
        """The DiffAnswer from this case to the same case with some findings changed (None: not examined)."""
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
    if area:
        from ptkb.explaining import check_area
        check_area(area)
    return KnowledgeBase(area)


def areas() -> list[str]:
    """The clinical areas the rules are grouped in."""
    from engine import catalogue
    return sorted({m.area for m in catalogue()})


def rules(area: str | None = None) -> list:
    """The rule catalogue (RuleMeta records: id, area, layer, title, when, then, citations, ...).

    >>> [m.id for m in rules("lumbar")][:2]
    ['LUM-001', 'LUM-002']
    """
    from engine import catalogue
    if area:
        from ptkb.explaining import check_area
        check_area(area)
    return [m for m in catalogue() if not area or m.area == area]


def tables(area: str | None = None) -> list:
    """The rule tables: (area, kb.tables.RuleTable) pairs, each row a rule."""
    from engine.rule_catalogue import tables as all_tables
    return [(a, t) for a, t in all_tables() if not area or a == area]


def regress(paths=("scenarios",), jobs: int = 1, shuffle: int = 0, seed: int | None = None):
    """Run every scenario under `paths` and check its expectations (a SuiteReport: passed, failed,
    results, errors, coverage()).

    >>> report = regress(["scenarios/nerve/case-study-sciatic-nerve.yaml"])
    >>> report.passed, report.failed
    (1, 0)
    """
    from ptkb.regression import run_suite
    return run_suite(list(paths), jobs=jobs, shuffle=shuffle, seed=seed)


def lint(ack: str | None = "lint-acknowledged.yaml", scenarios: str | None = "scenarios") -> list:
    """Static checks of the rules (and of the scenarios under `scenarios`, when it exists): Issue
    records, warnings acknowledged by the reviewed reasons in `ack`."""
    from ptkb.linting import lint as lint_rules
    from ptkb.linting import load_acknowledgements, scenario_issues
    issues = lint_rules(acknowledged=load_acknowledgements(ack) if ack else {})
    if scenarios and Path(scenarios).exists():
        issues += scenario_issues([scenarios])
    return issues


def mutation_check(paths=("scenarios",), n: int = 100, seed: int = 0, jobs: int = 1):
    """Mutate the rules `n` times and count the mutants the scenarios kill (a MutationReport)."""
    from ptkb.mutate import run_mutations
    return run_mutations(list(paths), n, seed=seed, jobs=jobs)


def verify(jobs: int = 1, include_rules: bool = True):
    """Prove the safety invariants over every possible case (a VerifyReport; see docs/verification.md)."""
    from ptkb.verification import verify as run_verify
    return run_verify(jobs=jobs, include_rules=include_rules)


def answer_output(answer, fmt: str, detail: str = "clinical", **options):
    """Any answer (why, why-not, how, diff, plan) as text, JSON, DOT, SVG, PNG or HTML."""
    from ptkb.explaining import answer_output as output
    return output(answer, fmt, detail, **options)


def case_schema(scenario: bool = False) -> dict:
    """The JSON Schema of case files (`scenario`: the stricter one of files under scenarios/)."""
    from engine.case import case_json_schema
    return case_json_schema(scenario)


def quiet():
    """A context in which many consultations run without the garbage collector's pauses."""
    from engine.runner import quiet_collector
    return quiet_collector()


@dataclass(frozen=True, repr=False)
class KnowledgeBase:
    """The static rule network (clustered by area and layer); displays as SVG in a notebook."""

    area: str | None = None

    def rules(self) -> list:
        return rules(self.area)

    def draw(self, fmt: str = "svg", coverage_from: str | None = None, **options):
        """DOT, SVG, PNG, JSON or a searchable HTML page; `coverage_from` marks rules no scenario fires."""
        from ptkb.explaining import kb_drawing
        return kb_drawing(fmt, coverage_from=coverage_from, area=self.area, **options)

    def _repr_svg_(self) -> str:
        return self.draw("svg").decode("utf-8")

    def __repr__(self) -> str:
        return f"<KnowledgeBase {self.area or 'all areas'}: {len(self.rules())} rules>"
