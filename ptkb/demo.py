"""The demo: the source article's two case studies, consulted and written out as reports."""
from __future__ import annotations

from pathlib import Path

from engine import consult, load_case, rule_by_id
from ptkb.report import consultation_text

__all__ = ["run_demo"]


def run_demo(case_files, out: Path):
    """Consult each case file, write its text and JSON report into `out`; yield what was done."""
    out.mkdir(parents=True, exist_ok=True)
    rules = rule_by_id()
    for path in case_files:
        result = consult(load_case(path))
        text = consultation_text(result, rules)
        (out / f"{result.case_id}.txt").write_text(text, encoding="utf-8")
        (out / f"{result.case_id}.json").write_text(result.to_json() + "\n", encoding="utf-8")
        yield text
    yield f"Reports written to {out.resolve()}"
