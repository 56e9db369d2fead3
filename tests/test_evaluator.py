"""The compiled evaluator against the experta engine: identical conclusions and fired rules on every
scenario and on generated cases; a mismatch prints the minimal case; unstratified rules are refused."""
import random

import pytest

from engine import case_from_mapping, catalogue, consult, load_case, outcome_with, quiet_collector
from engine.errors import UsageError
from engine.evaluator import compile_rules
from kb import PosteriorThighKB
from tests.helpers import scenario_cases, scenario_files
from tests.planted_kb import OrderDependentKB, PlantedVerifyKB
from tests.strategies import random_findings

EVALUATE = compile_rules(catalogue())


def disagreement(kb_class, evaluate, findings: dict):
    """None when engine and evaluator agree on the findings, else (conclusions, fired rules) differences."""
    result = outcome_with(kb_class, case_from_mapping({"id": "differential", "findings": findings}))
    ids, fired = evaluate(findings)
    if result.ids() == set(ids) and set(result.fired_rules()) == set(fired):
        return None
    return sorted(result.ids() ^ set(ids)), sorted(set(result.fired_rules()) ^ set(fired))


def minimal_disagreement(kb_class, evaluate, findings: dict) -> dict:
    """Drop findings one by one while the two still disagree: the smallest case that shows it."""
    for fid in sorted(findings):
        smaller = {k: v for k, v in findings.items() if k != fid}
        if disagreement(kb_class, evaluate, smaller):
            return minimal_disagreement(kb_class, evaluate, smaller)
    return findings


def differential(kb_class, evaluate, cases) -> None:
    for findings in cases:
        if disagreement(kb_class, evaluate, findings):
            smallest = minimal_disagreement(kb_class, evaluate, findings)
            pytest.fail(f"engine and evaluator disagree on {smallest}: "
                        f"{disagreement(kb_class, evaluate, smallest)}")


def generated(count: int, seed: int):
    rng = random.Random(seed)
    return (random_findings(rng, rng.choice((0.1, 0.4, 0.9))) for _ in range(count))


def test_every_scenario_agrees():
    differential(PosteriorThighKB, EVALUATE, (dict(load_case(p).findings) for p in scenario_files()))


def test_the_untraced_outcome_is_the_consultations():
    """The differential and the mutation check read the engine without its trace records: the same
    conclusions and the same fired rules, in the same order, as the traced consultation."""
    for case in scenario_cases():
        outcome, result = outcome_with(PosteriorThighKB, case), consult(case)
        assert (outcome.ids(), outcome.fired_rules()) == (result.ids(), result.fired_rules()), case.id


def test_generated_cases_agree():
    """2,000 seeded cases in the fast loop; with the slow chunks below, 20,000 per full run (the
    collector paused as the CLI pauses it for bulk work)."""
    with quiet_collector():
        differential(PosteriorThighKB, EVALUATE, generated(2_000, seed=1))


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(4))
def test_twenty_thousand_generated_cases_agree(chunk):
    """The rest of the 20,000 seeded cases of a full run: four chunks of 4,500 (the test processes
    share them) beside the 2,000 above, each chunk with its own seed."""
    with quiet_collector():
        differential(PosteriorThighKB, EVALUATE, generated(4_500, seed=2 + chunk))


def test_a_planted_disagreement_is_reported_with_its_minimal_case():
    metas = list(catalogue(PlantedVerifyKB))
    wrong = [m if m.id != "PV-040" else m.__class__(**{**m.__dict__, "when": m.when[:1]}) for m in metas]
    evaluate = compile_rules(wrong)  # the band lost its upper bound in the evaluator only
    case = {"pain_worst_nrs": 9, "gait": "normal", "night_pain": True}
    assert disagreement(PlantedVerifyKB, evaluate, case)
    assert minimal_disagreement(PlantedVerifyKB, evaluate, case) == {"pain_worst_nrs": 9}
    with pytest.raises(pytest.fail.Exception, match="pain_worst_nrs"):
        differential(PlantedVerifyKB, evaluate, [case])


def test_an_order_dependent_rule_set_is_refused():
    with pytest.raises(UsageError, match="OD-002 negates grade_1"):
        compile_rules(catalogue(OrderDependentKB))


def test_an_open_rule_evaluates_each_mutant_as_its_own_compilation():
    """The mutation check's shortcut (the unchanged rules compiled once, the changed one filled in)
    gives what compiling the mutant's whole rule set gives, and refuses what that refuses."""
    from ptkb.mutate import _candidates, make_mutants
    from engine.evaluator import OpenRule
    metas = catalogue()
    mutants = make_mutants(metas, len(_candidates(metas)), seed=5)[::19]
    cases = [dict(load_case(p).findings) for p in scenario_files()[::5]] + list(generated(60, seed=9))
    refused = 0
    for mutant in mutants:
        open_rule = OpenRule(metas, mutant.changed)
        try:
            whole = compile_rules(mutant.rules)
        except UsageError:
            with pytest.raises(UsageError):
                open_rule.fill(mutant.mutated.when)
            refused += 1
            continue
        filled = open_rule.fill(mutant.mutated and mutant.mutated.when)
        for findings in cases:
            assert tuple(filled(findings)) == tuple(whole(findings)), (mutant.description, findings)
    assert len(mutants) > 50 and 0 < refused < len(mutants)  # both paths taken (2 refused with this seed)


def test_an_open_rule_refuses_what_its_order_cannot_run():
    from engine.evaluator import OpenRule
    from kb.conditions import Has, Lacks
    open_rule = OpenRule(catalogue(), "RF-003")  # a red flag, evaluated before any stage is chosen
    with pytest.raises(UsageError, match="concludes after it in this order"):
        open_rule.fill((Has("stage_acute_protection"),))
    with pytest.raises(UsageError, match="same or a later layer"):
        open_rule.fill((Lacks("rf_cauda_equina"),))
    with pytest.raises(UsageError, match="no rule of the set"):
        open_rule.fill((Has("no_such_conclusion"),))
