"""The regression runner: reports, exit codes, coverage, JUnit, parallel runs, shuffling, snapshots."""
import json
import xml.etree.ElementTree as ET

import pytest

from engine import load_case
from ptkb import regression as regress
from tests.helpers import ROOT, run_cli, run_main, scenario_files
from tests.planted_kb import OrderDependentKB, OrderSafeKB

WRONG = """id: wrong-expectation
title: a sprint injury without a contractile sign
findings:
  onset_type: sudden_during_activity
  mechanism: sprinting
expect:
  include: [hyp_hamstring_strain]
"""


def test_repo_suite_passes_with_full_rule_coverage():
    result = run_main("regress", "--min-coverage", "100")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 failed" in result.stdout and "rule coverage: 100.0%" in result.stdout


def test_wrong_expectation_names_missing_conclusion_and_rule(tmp_path):
    (tmp_path / "wrong.yaml").write_text(WRONG)
    result = run_main("regress", str(tmp_path))
    assert result.returncode == 1
    assert "FAIL wrong-expectation" in result.stdout
    assert "missing: hyp_hamstring_strain" in result.stdout
    assert "why not hyp_hamstring_strain: HAM-001 failed on resisted_knee_flexion" in result.stdout
    assert "not examined" in result.stdout and "rules fired:" in result.stdout


def test_bad_input_files_exit_2_and_are_reported(tmp_path):
    (tmp_path / "good.yaml").write_text("id: good\nfindings: {}\n")
    (tmp_path / "bad.yaml").write_text("id: bad\nfindings: {gait: hopping}\n")
    result = run_main("regress", str(tmp_path))
    assert result.returncode == 2
    assert "bad.yaml" in result.stderr and "findings.gait" in result.stderr
    assert "1 passed, 0 failed, 1 bad input files" in result.stdout


def test_junit_is_valid_xml_with_matching_counts(tmp_path):
    (tmp_path / "wrong.yaml").write_text(WRONG)
    (tmp_path / "ok.yaml").write_text("id: ok\nfindings: {saddle_numbness: true}\nexpect: {include: [rf_cauda_equina]}\n")
    result = run_main("regress", str(tmp_path), "--format", "junit")
    suite = ET.fromstring(result.stdout.split("\n", 1)[1] if result.stdout.startswith("<?xml") else result.stdout)
    assert suite.get("tests") == "2" and suite.get("failures") == "1" and suite.get("errors") == "0"
    cases = suite.findall("testcase")
    assert len(cases) == 2 and sum(len(c.findall("failure")) for c in cases) == 1


def test_jobs_2_gives_the_same_json_as_jobs_1():
    one = run_main("regress", "--format", "json", "--coverage", "--jobs", "1")  # in this process
    two = run_cli("regress", "--format", "json", "--coverage", "--jobs", "2")
    assert one.returncode == two.returncode == 0
    assert json.loads(one.stdout) == json.loads(two.stdout)


def test_shuffle_catches_a_planted_order_dependent_rule(tmp_path):
    (tmp_path / "case.yaml").write_text("id: planted\nfindings: {gait: normal}\n")
    report = regress.run_suite([tmp_path], shuffle=8, seed=3, kb_class=OrderDependentKB)
    assert report.results[0].order_dependent and not report.results[0].passed
    assert "seed 3" in regress.report_text(report)
    safe = regress.run_suite([tmp_path], shuffle=8, seed=3, kb_class=OrderSafeKB)
    assert safe.results[0].passed and not safe.results[0].order_dependent


def test_repo_scenarios_are_order_independent():
    report = regress.run_suite([ROOT / "scenarios"], shuffle=2, seed=11)
    assert report.failed == 0


SNAPSHOT = """# a teaching case without expectations yet
id: snapshot-me   # keep this comment
title: Sudden sprint injury
findings:
  # the history
  onset_type: sudden_during_activity
  mechanism: sprinting
  resisted_knee_flexion: painful_strong
  gait: normal
"""


def test_update_expect_writes_expectations_keeping_comments_and_order(tmp_path):
    path = tmp_path / "snap.yaml"
    path.write_text(SNAPSHOT)
    result = run_main("regress", str(tmp_path), "--update-expect")
    assert result.returncode == 0 and "wrote expect" in result.stderr
    text = path.read_text()
    assert text.startswith(SNAPSHOT) and "# keep this comment" in text and "# the history" in text
    assert "expect:" in text and "hyp_hamstring_strain" in text and "clue_" not in text
    assert run_main("regress", str(tmp_path)).returncode == 0
    before = path.read_text()
    run_main("regress", str(tmp_path), "--update-expect")
    assert path.read_text() == before  # files with expectations are left alone without --force


def test_update_expect_force_overwrites(tmp_path):
    path = tmp_path / "snap.yaml"
    path.write_text(SNAPSHOT + "expect:\n  include: [grade_1]\n")
    run_main("regress", str(tmp_path), "--update-expect", "--force")
    assert "hyp_hamstring_strain" in path.read_text()


def test_interrupted_update_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "snap.yaml"
    path.write_text(SNAPSHOT)
    report = regress.run_suite([tmp_path])

    def interrupted(fd):
        raise KeyboardInterrupt
    monkeypatch.setattr(regress.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        regress.update_expectations(report)
    assert path.read_text() == SNAPSHOT
    assert [p.name for p in tmp_path.iterdir()] == ["snap.yaml"]


def _stderr_on_a_terminal(*args: str) -> tuple[int, str]:
    """Run `ptkb` with stderr on a pseudo-terminal (as in an interactive shell); return (exit, stderr)."""
    import os
    import pty
    import select
    import subprocess
    import sys
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "ptkb.cli", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed: the process has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_progress_bar_on_a_terminal_only(jobs):
    code, stderr = _stderr_on_a_terminal("regress", "scenarios", "--jobs", jobs)
    assert code == 0
    total = len(list((ROOT / "scenarios").rglob("*.yaml")))
    frames = stderr.replace("\r\n", "\n").split("\r")[1:]  # the terminal turns "\n" into "\r\n"
    assert len(frames) == total  # one redraw per scenario
    assert frames[0].startswith("[") and frames[0].endswith(f"] 1/{total}")
    assert frames[-1] == f"[{'#' * 30}] {total}/{total}\n"
    piped = run_cli("regress", "scenarios", "--jobs", jobs)
    assert piped.returncode == 0 and "\r" not in piped.stderr and "/" + str(total) not in piped.stderr


def test_expectation_policy_under_scenarios(tmp_path):
    folder = tmp_path / "scenarios" / "area"
    folder.mkdir(parents=True)
    (folder / "snap.yaml").write_text(SNAPSHOT + "expect:\n  include: [hyp_hamstring_strain]\n")
    result = run_main("regress", str(tmp_path / "scenarios"))
    assert result.returncode == 1 and "snap.yaml" in result.stdout and "missing: exclude" in result.stdout
    elsewhere = tmp_path / "mine"
    elsewhere.mkdir()
    (elsewhere / "snap.yaml").write_text(SNAPSHOT)
    assert run_main("regress", str(elsewhere)).returncode == 0  # optional outside scenarios/


def test_update_expect_writes_what_the_policy_requires_and_shows_a_diff(tmp_path):
    folder = tmp_path / "scenarios" / "area"
    folder.mkdir(parents=True)
    path = folder / "snap.yaml"
    path.write_text(SNAPSHOT)
    result = run_main("regress", str(tmp_path / "scenarios"), "--update-expect")
    assert result.returncode == 0 and "+expect:" in result.stderr and f"--- {path}" in result.stderr
    written = load_case(path)
    assert written.expect.include and written.expect.exclude
    assert run_main("regress", str(tmp_path / "scenarios")).returncode == 0  # its own output passes the policy
    import jsonschema
    import yaml
    from engine.case import case_json_schema
    jsonschema.validate(yaml.safe_load(path.read_text()), case_json_schema(scenario=True))


def test_forced_update_keeps_hand_written_entries_and_says_what_it_drops(tmp_path):
    path = tmp_path / "snap.yaml"
    path.write_text(SNAPSHOT + "expect:\n  include: [hyp_hamstring_strain, grade_3]\n"
                    "  exclude: [rf_*, tissue_*]   # hand-written\n")
    result = run_main("regress", str(tmp_path), "--update-expect", "--force")
    assert result.returncode == 0
    assert "drops include 'grade_3': no longer concluded" in result.stderr
    assert "drops exclude 'tissue_*': now concluded" in result.stderr
    expect = load_case(path).expect
    assert "rf_*" in expect.exclude and "hyp_hamstring_strain" in expect.include and "grade_3" not in expect.include


def test_scenario_schema_accepts_every_scenario_and_refuses_a_missing_exclude():
    import jsonschema
    import yaml
    from engine.case import case_json_schema
    schema = case_json_schema(scenario=True)
    validator = jsonschema.validators.validator_for(schema)(schema)  # the schema checked once, not per file
    validator.check_schema(schema)
    for path in scenario_files():
        validator.validate(yaml.safe_load(path.read_text()))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"id": "x", "findings": {}, "expect": {"include": ["grade_1"]}})
