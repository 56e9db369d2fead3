"""The engine: deterministic, order independent, JSON round trip, safe tie handling, no experta leak."""
import dataclasses
import gc
import json
import random
import subprocess
import sys

import pytest
from experta import Fact, Rule
from experta.activation import Activation
from experta.agenda import Agenda
from experta.strategies import DepthStrategy

from engine import Consultation, case_from_mapping, consult
from engine.strategy import TieSafeStrategy
from tests.helpers import ROOT, scenario_cases, scenario_results

CASES = list(scenario_cases())


def _consulted(case):
    """The process's consultation of a scenario (`scenario_results`, shared by the test modules)."""
    return scenario_results()[next(i for i, c in enumerate(CASES) if c is case)]


def shuffled(case, seed):
    findings = list(case.findings)
    random.Random(seed).shuffle(findings)
    return case_from_mapping({"id": case.id, "findings": dict(findings)})


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_shuffled_findings_give_identical_json(case):
    expected = consult(case_from_mapping({"id": case.id, "findings": dict(case.findings)})).to_json()
    for seed in range(3):
        assert consult(shuffled(case, seed)).to_json() == expected


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_same_case_twice_is_identical(case):
    assert consult(case) == _consulted(case)  # the process's first consultation of it, and another


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_json_round_trip(case):
    result = _consulted(case)
    again = Consultation.from_json(json.dumps(json.loads(result.to_json())))
    assert again == result
    assert again.to_json() == result.to_json()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_tie_order_does_not_change_conclusions(case):
    base = _consulted(case).ids()
    for seed in range(3):
        assert consult(case, tie_seed=seed).ids() == base


def _walk(value):
    yield value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name))
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(k)
            yield from _walk(v)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_no_experta_object_leaves_engine(case):
    for obj in _walk(_consulted(case)):
        assert not type(obj).__module__.startswith("experta"), type(obj)
    assert dataclasses.fields(Consultation)  # the result is a plain dataclass


def test_records_are_frozen():
    result = consult(CASES[0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.case_id = "other"


# -- experta issue #3: a removed activation inside a run of three or more ties must not survive --

def _fact(factid):
    fact = Fact(n=factid)
    fact.__factid__ = factid
    return fact


def _tie_agenda(strategy):
    """Agenda [x, a, b, c, y] where a, b, c tie under the stock key; then c is removed."""
    rule_x, rule_abc, rule_y = (Rule(Fact())(lambda self: None) for _ in range(3))
    rule_x.salience = rule_abc.salience = rule_y.salience = 0
    x = Activation(rule_x, [_fact(0)])
    tied = [Activation(rule_abc, [_fact(1)], {"n": n}) for n in (1, 2, 3)]
    y = Activation(rule_y, [_fact(2)])
    agenda = Agenda()
    strategy.update_agenda(agenda, [x, *tied, y], [])
    removed = Activation(rule_abc, [_fact(1)], {"n": 3})
    strategy.update_agenda(agenda, [], [removed])
    return agenda, removed


def test_tie_safe_strategy_removes_stale_activation_in_tie_range():
    agenda, removed = _tie_agenda(TieSafeStrategy())
    assert removed not in agenda.activations
    assert len(agenda.activations) == 4


def test_stock_strategy_keeps_the_stale_activation():
    """Documents experta issue #3: the test above fails with the stock strategy."""
    agenda, removed = _tie_agenda(DepthStrategy())
    assert removed in agenda.activations


def test_red_flag_example():
    result = consult(case_from_mapping({"id": "ces", "findings": {"saddle_numbness": True}}))
    assert {"rf_cauda_equina", "ref_emergency_same_day", "prec_withhold_loading_program"} <= result.ids()
    assert result.get("rf_cauda_equina").rule_id == "RF-003"


def test_consultations_make_no_reference_cycles():
    # quiet_collector() (the CLI, the benchmark) pauses the cycle collector; that is only safe while
    # a consultation leaves nothing for the collector to find.
    consult(CASES[0])  # the engine is built (its construction may leave garbage of its own)
    gc.collect()
    gc.disable()
    try:
        for seed in (None, 1):
            for case in CASES:
                consult(case, tie_seed=seed)
        assert gc.collect() == 0
    finally:
        gc.enable()


_COLLECTOR_CHECK = """
import gc
import pytest
from engine import consult, case_from_mapping, quiet_collector
case = case_from_mapping({"id": "x", "findings": {"gait": "normal"}})
consult(case)
assert gc.isenabled() and gc.get_freeze_count() == 0
with pytest.raises(RuntimeError):
    with quiet_collector():
        assert not gc.isenabled() and gc.get_freeze_count() > 0
        raise RuntimeError("rule failed")
assert gc.isenabled() and gc.get_freeze_count() == 0
gc.freeze()  # the caller's own freeze survives a quiet run (unfreezing would empty it)
with quiet_collector():
    consult(case)
assert gc.isenabled() and gc.get_freeze_count() > 0
print("ok")
"""


def test_the_library_leaves_the_collector_alone():
    """A notebook that imports ptkb keeps its collector: building an engine or consulting neither
    freezes nor pauses it; only quiet_collector() (used by the CLI and the benchmark) does, and it
    restores both, also when a consultation raises, and never undoes the caller's own freeze. In a
    fresh interpreter: the test process freezes what its collection built (tests/conftest.py)."""
    done = subprocess.run([sys.executable, "-c", _COLLECTOR_CHECK], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr




def test_to_dict_is_what_asdict_makes():
    """`Consultation.to_dict` walks the records itself (faster): the same dict, tuples and all, as
    `dataclasses.asdict`, on every scenario."""
    for result in scenario_results():
        assert repr(result.to_dict()) == repr(dataclasses.asdict(result)), result.case_id
