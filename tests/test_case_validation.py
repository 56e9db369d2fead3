"""Bad case files: exit status 2, a message naming the problem and where, never a traceback."""
import re

import pytest

from engine import CaseError, case_from_mapping, load_case
from ptkb.cli import main
from tests.helpers import ROOT, run_main

BAD = sorted((ROOT / "tests" / "bad_cases").glob("*.yaml"))


def expectations(path):
    return re.findall(r"^# expect: (.+)$", path.read_text(encoding="utf-8", errors="replace"), re.M)


def test_corpus_is_large_enough():
    assert len(BAD) >= 15
    assert all(expectations(p) for p in BAD if p.stat().st_size)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_case_file(path, capsys, monkeypatch):
    """Through the CLI's own entry point in this process (an exception it did not turn into a message
    would fail the test); `test_too_large_file` below starts a fresh interpreter, as a user does."""
    monkeypatch.chdir(ROOT)
    status = main(["consult", str(path.relative_to(ROOT))])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert path.name in err
    for expected in expectations(path):
        assert expected in err


def test_too_large_file(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("id: big\nfindings: {}\nsource: '" + "x" * (1100 * 1024) + "'\n")
    result = run_main("consult", str(big))
    assert result.returncode == 2 and "larger than 1024 KiB" in result.stderr


def test_binary_file(tmp_path):
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\x00\x01\x02\xff binary")
    result = run_main("consult", str(binary))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_missing_file():
    result = run_main("consult", "no/such/case.yaml")
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_all_problems_reported_at_once():
    with pytest.raises(CaseError) as info:
        case_from_mapping({"findings": {"gait": "x", "nope": 1, "felt_pop": 3}})
    paths = {p.path for p in info.value.problems}
    assert paths == {"id", "findings.gait", "findings.nope", "findings.felt_pop"}


def test_case_error_is_a_value_error():
    with pytest.raises(ValueError):
        case_from_mapping([])


def test_globs_in_expect_are_accepted():
    case = case_from_mapping({"id": "g", "findings": {}, "expect": {"exclude": ["tx_*"]}})
    assert case.expect.exclude == ("tx_*",)


def test_good_case_loads():
    case = load_case(ROOT / "scenarios" / "hamstring" / "case-study-hamstring-strain.yaml")
    assert dict(case.findings)["mechanism"] == "sprinting"


def test_generated_json_schema_accepts_every_scenario_and_rejects_bad_values():
    import jsonschema
    import yaml

    from engine.case import case_json_schema
    from tests.helpers import scenario_files
    schema = case_json_schema()
    validator = jsonschema.Draft202012Validator(schema)
    for path in scenario_files():
        validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert not validator.is_valid({"id": "x", "findings": {"gait": "hopping"}})
    assert not validator.is_valid({"id": "x", "findings": {"pain_worst_nrs": 11}})
    assert not validator.is_valid({"id": "x", "findings": {"resisted_knee_flexon": "painful_weak"}})
