"""Every scenario file is a regression test: its partial expectation must hold."""
import pytest

from engine import consult, load_case
from engine.case import matches_pattern
from tests.helpers import scenario_files

FILES = scenario_files()


def check(case, result):
    ids = result.ids()
    fired = set(result.fired_rules())
    missing = [p for p in case.expect.include if not any(matches_pattern(p, c) for c in ids)]
    unexpected = sorted(c for p in case.expect.exclude for c in ids if matches_pattern(p, c))
    not_fired = [r for r in case.expect.fired if r not in fired]
    wrongly_fired = [r for r in case.expect.not_fired if r in fired]
    return missing, unexpected, not_fired, wrongly_fired


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_scenario(path):
    case = load_case(path)
    result = consult(case)
    missing, unexpected, not_fired, wrongly_fired = check(case, result)
    assert not (missing or unexpected or not_fired or wrongly_fired), (
        f"missing {missing}, unexpected {unexpected}, rules not fired {not_fired}, "
        f"rules wrongly fired {wrongly_fired}; fired: {', '.join(result.fired_rules())}")
