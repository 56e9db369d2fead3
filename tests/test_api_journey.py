"""A notebook-style journey through the public API: this file imports `ptkb` and nothing below it."""
import ast

import ptkb
from tests.helpers import ROOT


def test_the_whole_journey_needs_only_import_ptkb(tmp_path):
    case = ptkb.load(ROOT / "scenarios/hamstring/case-study-hamstring-strain.yaml")
    assert "grade_2" in case.conclusions and "Grade" in case.plan_text()
    assert case.why("grade_2").steps[-1].rule_id == "GRD-021"
    assert case.why_not("hyp_sciatic_nerve_irritation").candidates
    assert case.how("mechanism").conclusions
    change = case.what_if(slump_reproduces_symptoms=True, neural_differentiation_positive=True)
    assert "hyp_neural_involvement" in change.gained
    other = ptkb.load({"id": "other", "findings": dict(case.case.findings) | {"gait": "normal"}})
    assert case.diff(other).findings_changed == (("gait", "antalgic_limp", "normal"),)
    assert case.draw("dot").startswith("digraph")
    report = ptkb.regress([ROOT / "scenarios/nerve"])
    assert report.failed == 0 and report.passed >= 10
    issues = ptkb.lint(ack=str(ROOT / "lint-acknowledged.yaml"), scenarios=str(ROOT / "scenarios"))
    assert not [i for i in issues if i.severity == "error"]
    assert [m.id for m in ptkb.rules("sacroiliac")][0].startswith("SIJ-")
    assert "nerve" in ptkb.areas()
    try:
        ptkb.load({"id": "x", "findings": {"gait": "limping"}})
    except ptkb.CaseError as exc:
        assert "gait" in str(exc)
    else:
        raise AssertionError("a bad value must raise CaseError")
    # this file imports nothing from the layers below the API
    imported = {n.module if isinstance(n, ast.ImportFrom) else a.name
                for n in ast.walk(ast.parse(open(__file__, encoding="utf-8").read()))
                if isinstance(n, (ast.Import, ast.ImportFrom)) for a in getattr(n, "names", [])}
    assert not {m for m in imported if m and m.split(".")[0] in ("kb", "engine", "explain")}
