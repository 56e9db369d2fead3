"""The demo: the source article's two case studies, consulted, explained and drawn."""
from __future__ import annotations

from pathlib import Path

from engine import consult, load_case, rule_by_id
from explain import dot_available, plan, render
from ptkb.explaining import case_report_html
from ptkb.report import consultation_text

__all__ = ["run_demo"]


def run_demo(case_files, out: Path):
    """Consult each case file and write its text, JSON, DOT and (with Graphviz) SVG and HTML report
    into `out`; yield what was done."""
    out.mkdir(parents=True, exist_ok=True)
    rules = rule_by_id()
    for path in case_files:
        result = consult(load_case(path))
        text = consultation_text(result)
        stem = out / result.case_id
        stem.with_suffix(".txt").write_text(text, encoding="utf-8")
        stem.with_suffix(".json").write_text(result.to_json() + "\n", encoding="utf-8")
        dot = plan(result, rules).to_dot()  # the whole plan, numbered, clues folded (as `ptkb explain`)
        stem.with_suffix(".dot").write_text(dot, encoding="utf-8")
        yield text
        if dot_available():
            stem.with_suffix(".svg").write_bytes(render(dot, "svg"))
            stem.with_suffix(".png").write_bytes(render(dot, "png"))
            stem.with_suffix(".html").write_text(case_report_html(result, rules), encoding="utf-8")
            yield f"  -> {stem}.html (open in a browser; click a conclusion to see its proof)\n"
        else:
            yield "  (Graphviz 'dot' not found: SVG and HTML skipped; install graphviz)\n"
    yield f"Reports written to {out.resolve()}"
