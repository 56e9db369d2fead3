"""Every scenario file is its own regression test (test id = scenario id), with the runner's report."""
import pytest

from ptkb.regression import failure_text, run_suite
from tests.helpers import scenario_cases, scenario_files

FILES = scenario_files()


@pytest.mark.parametrize("path", FILES, ids=[case.id for case in scenario_cases()])
def test_scenario(path):
    report = run_suite([path])
    assert not report.errors, report.errors
    result = report.results[0]
    assert result.passed, failure_text(result)
