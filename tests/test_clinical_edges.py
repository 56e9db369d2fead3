"""The clinical edges of the knowledge base: the plan as text, the scenario check, one meaning per
condition (bands), and the stated safety invariants on the scenarios."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import case_from_mapping, consult, consult_with, load_case
from kb.rulebook import rules_of
from kb.safety import violations
from ptkb.linting import scenario_issues
from ptkb.report import consultation_text
from tests.helpers import SCENARIOS, scenario_files
from tests.planted_kb import BandKB


def _text(path: str) -> str:
    return consultation_text(consult(load_case(SCENARIOS / path)))


def test_every_rule_that_reached_a_conclusion_is_shown():
    case = case_from_mapping({"id": "two-ces-triggers", "findings": {"saddle_numbness": True,
                                                                     "bladder_or_bowel_change": True}})
    text = consultation_text(consult(case))
    assert "RF-002" in text and "RF-003" in text  # both cauda equina triggers


def test_the_failed_stage_criterion_is_named():
    text = _text("hamstring/stage-phase1-jog-painful.yaml")
    assert "not yet:" in text and "jog_painfree" in text


def test_a_red_flag_comes_first_instead_of_no_hypothesis():
    text = _text("red_flags/ces-saddle-numbness.yaml")
    assert "A red flag comes first" in text and "No hypothesis could be formed" not in text


def test_medication_referral_sits_with_management():
    text = _text("nerve/dgs-high-irritability.yaml")
    assert "Referrals:" not in text.split("ref_prescriber_medication")[0].split("Hypotheses:")[-1]
    assert text.index("ref_prescriber_medication") > text.index("Do (treatment principles):")


def test_conflicting_findings_are_shown_first():
    text = _text("hamstring/conflict-painful-flexion-full-strength.yaml")
    assert text.index("conflict_findings") < text.index("Red flags:")


def test_scenario_check_reports_unexpected_conflicts(tmp_path):
    source = (SCENARIOS / "hamstring/conflict-painful-flexion-full-strength.yaml").read_text()
    (tmp_path / "a.yaml").write_text(source.replace("  include:\n  - conflict_findings\n",
                                                    "  include:\n  - hyp_hamstring_strain\n"))
    issues = scenario_issues([tmp_path])
    assert [i.check for i in issues] == ["findings-conflict"] and issues[0].rules == ("CON-001",)
    assert scenario_issues([SCENARIOS]) == []


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_scenarios_keep_the_safety_invariants(path):
    case = load_case(path)
    assert violations(dict(case.findings), consult(case).ids()) == []


@given(st.integers(0, 10))
def test_band_conditions_compile_to_one_conjunction(pain):
    """The compiled rule fires exactly when all its conditions hold (a planted band rule)."""
    band = next(m for m in rules_of(BandKB) if m.id == "BD-001")
    case = case_from_mapping({"id": "band", "findings": {"pain_worst_nrs": pain, "gait": "normal"}})
    result = consult_with(BandKB, case)
    findings = dict(case.findings)
    assert ("BD-001" in result.fired_rules()) == all(c.holds(findings, set()) for c in band.when)
    assert "BD-002" in result.fired_rules()
