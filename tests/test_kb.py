"""The knowledge base: metadata complete, citations resolve, every rule and conclusion exercised."""
from collections import Counter

import pytest

from engine import catalogue, load_case
from kb import AREAS
from kb.conditions import Layer
from kb.evidence import CITATIONS, EvidenceLevel
from kb.rulebook import rules_of
from kb.vocabulary import CONCLUSIONS, FINDINGS, Kind
from tests.helpers import scenario_files, scenario_results

RULES = catalogue()
RESULTS = list(scenario_results())


def test_rule_ids_unique_and_well_formed():
    ids = Counter(m.id for m in RULES)
    assert all(count == 1 for count in ids.values())
    assert all(m.id.split("-")[0].isupper() for m in RULES)


def test_rule_statements_are_distinct():
    """Two rules with the same statement read as one rule to a reviewer (docs/rules.md)."""
    titles = [m.title for m in RULES]
    assert sorted(t for t in set(titles) if titles.count(t) > 1) == []


@pytest.mark.parametrize("meta", RULES, ids=lambda m: m.id)
def test_rule_metadata(meta):
    assert meta.title and meta.title[0].isupper()
    assert meta.title.endswith(".") and len(meta.title.split()) >= 4  # a clinical statement, not a label
    assert meta.citations and all(key in CITATIONS for key in meta.citations)
    assert EvidenceLevel(meta.level)
    assert meta.then and all(c in CONCLUSIONS for c in meta.then)
    assert all(f in FINDINGS for f in meta.reads_findings())
    assert all(c in CONCLUSIONS for c in meta.reads_conclusions())


@pytest.mark.parametrize("meta", RULES, ids=lambda m: m.id)
def test_thresholds_only_in_the_clue_layer(meta):
    if any(c.is_threshold for c in meta.when):
        assert meta.layer is Layer.CLUE and meta.heuristic


def test_each_area_runs_alone():
    from engine import case_from_mapping, consult_with
    from kb.red_flags import RedFlagRules
    result = consult_with(RedFlagRules, case_from_mapping({"id": "a", "findings": {"saddle_numbness": True}}))
    assert "ref_emergency_same_day" in result.ids()
    assert sum(len(list(rules_of(area))) for area in AREAS) == len(RULES)


def test_every_rule_fires_in_some_scenario():
    fired = set().union(*(r.fired_rules() for r in RESULTS))
    assert sorted(m.id for m in RULES if m.id not in fired) == []


def test_every_conclusion_is_produced_by_a_rule_and_a_scenario():
    produced_by_rules = {c for m in RULES for c in m.then}
    produced_in_scenarios = set().union(*(r.ids() for r in RESULTS))
    assert set(CONCLUSIONS) - produced_by_rules == set()
    assert set(CONCLUSIONS) - produced_in_scenarios == set()


def test_scenario_suite_size_and_expectations():
    cases = [load_case(p) for p in scenario_files()]
    assert len(cases) >= 40
    from engine.case import expectation_policy_problem
    problems = [f"{c.path}: {expectation_policy_problem(c)}" for c in cases if expectation_policy_problem(c)]
    assert problems == []


@pytest.mark.parametrize("result", RESULTS, ids=lambda r: r.case_id)
def test_red_flag_gives_referral_and_withholds_loading(result):
    kinds = {c.kind for c in result.conclusions}
    if Kind.RED_FLAG.value in kinds:
        assert "prec_withhold_loading_program" in result.ids()
        assert Kind.REFERRAL.value in kinds
        assert not any(c.startswith("tx_") and c != "tx_crutches_protected_gait" for c in result.ids())
