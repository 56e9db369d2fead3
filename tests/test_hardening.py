"""Hardening: nothing lost, nothing hidden, no traceback -- whatever the files, flags and disks do.

Each test names the defect it pins (the numbers of the hardening issue)."""
from __future__ import annotations

import errno
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from engine import CaseError, case_from_text
from engine.case import MAX_PROBLEMS
from ptkb import output, regression as regress
from ptkb.cli import main
from tests.helpers import ROOT, SCENARIOS, run_cli, run_main

SNAPSHOT = """\
# a hand-written case
id: snap
title: Sprinter
findings:
  onset_type: sudden_during_activity
  mechanism: sprinting
  resisted_knee_flexion: painful_strong
  gait: normal
"""


def _snapshot_dir(tmp_path, text=SNAPSHOT, name="snap.yaml") -> Path:
    folder = tmp_path / "cases"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(text.encode("utf-8"))
    return folder


# 1. --update-expect writes only over the bytes it consulted

def test_update_expect_keeps_an_edit_made_during_the_run(tmp_path):
    folder = _snapshot_dir(tmp_path)
    path = folder / "snap.yaml"
    report = regress.run_suite([folder])
    edited = SNAPSHOT + "expect:\n  exclude: [rf_*]   # written by hand while the run was going\n"
    path.write_text(edited)
    written, skipped = regress.update_expectations(report)
    assert written == [] and len(skipped) == 1 and "changed since it was consulted" in skipped[0]
    assert path.read_text() == edited


def test_update_expect_keeps_an_edit_made_while_preparing(tmp_path, monkeypatch):
    """A concurrent editor saves between the check and the write: the edit survives."""
    folder = _snapshot_dir(tmp_path)
    path = folder / "snap.yaml"
    report = regress.run_suite([folder])
    prepare = regress._with_expectation

    def editor_saves_meanwhile(text, result):
        new = prepare(text, result)
        path.write_text(SNAPSHOT.replace("gait: normal", "gait: antalgic_limp"))
        return new
    monkeypatch.setattr(regress, "_with_expectation", editor_saves_meanwhile)
    written, skipped = regress.update_expectations(report)
    assert written == [] and "changed while" in skipped[0]
    assert "antalgic_limp" in path.read_text() and "expect" not in path.read_text()


def test_update_expect_cli_says_what_it_skipped(tmp_path, monkeypatch):
    folder = _snapshot_dir(tmp_path)
    run_suite = regress.run_suite

    def run_then_edit(*args, **kwargs):
        report = run_suite(*args, **kwargs)
        (folder / "snap.yaml").write_text(SNAPSHOT + "# edited\n")
        return report
    monkeypatch.setattr(regress, "run_suite", run_then_edit)
    assert main(["regress", str(folder), "--update-expect", "-o", str(tmp_path / "report.txt")]) == 0
    assert (folder / "snap.yaml").read_text() == SNAPSHOT + "# edited\n"


# 2. --update-expect keeps mode, links, line endings, long lines and per-file directives

def _update(folder) -> None:
    assert main(["regress", str(folder), "--update-expect", "-o", os.devnull]) == 0


def test_update_expect_keeps_mode_and_crlf_and_long_lines(tmp_path):
    long_title = "A " + "very " * 40 + "long title"
    text = SNAPSHOT.replace("title: Sprinter", f"title: {long_title}").replace("\n", "\r\n")
    folder = _snapshot_dir(tmp_path, text)
    path = folder / "snap.yaml"
    path.chmod(0o644)
    _update(folder)
    new = path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert b"expect:" in new and new.count(b"\r\n") == new.count(b"\n")
    assert f"title: {long_title}\r\n".encode() in new
    assert not any(line.endswith(b" ") for line in new.split(b"\r\n"))


def test_update_expect_writes_through_symlinks_and_keeps_hard_links(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    target = store / "real.yaml"
    target.write_text(SNAPSHOT)
    hard_target = store / "hard.yaml"
    hard_target.write_text(SNAPSHOT.replace("id: snap", "id: hard"))
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "link.yaml").symlink_to(target)
    os.link(hard_target, folder / "hard.yaml")
    _update(folder)
    assert (folder / "link.yaml").is_symlink() and "expect:" in target.read_text()
    assert os.path.samefile(folder / "hard.yaml", hard_target) and "expect:" in hard_target.read_text()


def test_update_expect_keeps_each_files_own_directive(tmp_path):
    folder = _snapshot_dir(tmp_path, "%YAML 1.2\n---\n" + SNAPSHOT, "a.yaml")
    _snapshot_dir(tmp_path, SNAPSHOT.replace("id: snap", "id: snap-b"), "b.yaml")
    _update(folder)
    assert (folder / "a.yaml").read_text().startswith("%YAML 1.2\n---\n")
    b = (folder / "b.yaml").read_text()
    assert "%YAML" not in b and b.startswith("# a hand-written case") and "expect:" in b


# 2 (interruptions). SIGINT or SIGKILL at random moments: never a partial or stray file

def _strip_expect(text: str) -> str:
    return text.split("\nexpect:")[0] + "\n"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_update_expect_interrupted_never_leaves_partial_or_stray_files(tmp_path, sig):
    """The signal lands while the files are being written: the run shows each file's diff just before
    writing it, so the test waits for the first diff and then a random few milliseconds."""
    originals = {}
    folder = tmp_path / "cases"
    folder.mkdir()
    for path in sorted(SCENARIOS.rglob("*.yaml"))[:40]:
        originals[path.name] = _strip_expect(path.read_text())
        (folder / path.name).write_text(originals[path.name])
    rng = random.Random(sig)
    interrupted = 0
    for _ in range(3):
        process = subprocess.Popen([sys.executable, "-m", "ptkb.cli", "regress", str(folder), "--update-expect",
                                    "--force", "-o", os.devnull], cwd=ROOT, stderr=subprocess.PIPE)
        first = process.stderr.readline()
        time.sleep(rng.uniform(0.0, 0.03))
        process.send_signal(sig)
        rest = process.communicate(timeout=60)[1]
        assert first.startswith(b"--- ") and b"Traceback" not in rest
        interrupted += process.returncode != 0
        stray = {}
        for path in folder.iterdir():
            text = path.read_text()
            case = case_from_text(text, str(path))  # whole: every file still a valid case
            if path.name in originals:
                assert text == originals[path.name] or not case.expect.is_empty()
                path.write_text(originals[path.name])  # the next run starts from no expectations again
            else:
                stray[path.name] = text
        # SIGINT: nothing stray. SIGKILL in the instant between naming a new file and renaming it over
        # its target can leave that whole file under a hidden name naming the killed process, which
        # the next write of the target removes (`output._sweep_leftovers`)
        assert sig == signal.SIGKILL or not stray, stray
        for name in stray:
            named = re.fullmatch(r"\.(.+)\.ptkb-(\d+)-[0-9a-f]{8}\.tmp", name)
            assert named and named[1] in originals and not output._alive(int(named[2])), name
    assert interrupted, "every run finished before the signal: nothing was tested"
    assert main(["regress", str(folder), "--update-expect", "--force", "-o", os.devnull]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(originals)  # nothing stray after a whole run


def test_a_file_left_by_a_killed_write_is_removed_by_the_next_write(tmp_path):
    target = tmp_path / "case.yaml"
    target.write_text("old\n")
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    dead = int(finished.stdout)  # a process that has exited
    left = tmp_path / f".case.yaml.ptkb-{dead}-0123abcd.tmp"
    running = tmp_path / f".case.yaml.ptkb-{os.getppid()}-4567cdef.tmp"  # a live process may be writing
    other = tmp_path / f".other.yaml.ptkb-{dead}-89abcdef.tmp"  # another target's: not this write's
    for path in (left, running, other):
        path.write_text("whole copy\n")
    output.write_file(target, "new\n")
    assert target.read_text() == "new\n"
    assert not left.exists() and running.exists() and other.exists()


# 3. -o never destroys an input, is atomic, names the path

@pytest.mark.parametrize("argv", [["consult", "{case}"], ["explain", "{case}", "--format", "html"],
                                  ["diff", "{other}", "{case}"], ["regress", "{folder}"]])
def test_output_that_is_an_input_is_refused(tmp_path, argv):
    folder = _snapshot_dir(tmp_path)
    case = folder / "snap.yaml"
    other = tmp_path / "other.yaml"
    other.write_text(SNAPSHOT)
    args = [a.format(case=case, other=other, folder=folder) for a in argv] + ["-o", str(case)]
    assert main(args) == 2
    assert case.read_text() == SNAPSHOT


def test_output_through_a_symlink_to_the_input_is_refused(tmp_path):
    folder = _snapshot_dir(tmp_path)
    (tmp_path / "alias.yaml").symlink_to(folder / "snap.yaml")
    assert main(["consult", str(folder / "snap.yaml"), "-o", str(tmp_path / "alias.yaml")]) == 2
    assert (folder / "snap.yaml").read_text() == SNAPSHOT


def test_full_disk_keeps_the_old_output_and_names_the_path(tmp_path, monkeypatch, capsys):
    folder = _snapshot_dir(tmp_path)
    report = tmp_path / "report.txt"
    report.write_text("the previous report\n")
    real_write = os.write

    def disk_fills_up(fd, data):
        real_write(fd, bytes(data)[:10])
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(output.os, "write", disk_fills_up)
    assert main(["consult", str(folder / "snap.yaml"), "-o", str(report)]) == 2
    monkeypatch.undo()
    assert report.read_text() == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases", "report.txt"]
    err = capsys.readouterr().err
    assert str(report) in err and "disk is full" in err and "Traceback" not in err


def test_crash_while_rendering_leaves_no_file(tmp_path, monkeypatch):
    import importlib
    folder = _snapshot_dir(tmp_path)
    out = tmp_path / "out.svg"

    def crash(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(importlib.import_module("explain.render").subprocess, "run", crash)
    assert main(["explain", str(folder / "snap.yaml"), "--format", "svg", "-o", str(out)]) == 130
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["cases"]


def test_output_keeps_the_mode_of_an_existing_file(tmp_path):
    folder = _snapshot_dir(tmp_path)
    out = tmp_path / "report.txt"
    out.write_text("old")
    out.chmod(0o640)
    assert main(["consult", str(folder / "snap.yaml"), "-o", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and "Sprinter" in out.read_text()


# 4. one hostile file among many: every file gets its verdict, the run exits 2

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hostile_files_among_good_ones(tmp_path, jobs):
    folder = tmp_path / "mixed"
    shutil.copytree(ROOT / "tests" / "bad_cases", folder / "bad")
    for path in sorted(SCENARIOS.glob("nerve/*.yaml"))[:5]:
        shutil.copy(path, folder / path.name)
    result = run_cli("regress", str(folder), "--jobs", jobs)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "5 passed, 0 failed" in result.stdout
    bad = sorted((folder / "bad").glob("*.yaml"))
    assert f"{len(bad)} bad input files" in result.stdout
    for path in bad:
        assert path.name in result.stderr


def test_an_unexpected_failure_is_one_files_verdict(tmp_path, monkeypatch):
    folder = _snapshot_dir(tmp_path)
    _snapshot_dir(tmp_path, SNAPSHOT.replace("id: snap", "id: boom"), "boom.yaml")
    real = regress.consult_with

    def explode(kb_class, case, **kwargs):
        if case.id == "boom":
            raise OverflowError("planted")
        return real(kb_class, case, **kwargs)
    monkeypatch.setattr(regress, "consult_with", explode)
    report = regress.run_suite([folder])
    assert report.passed == 1 and len(report.errors) == 1
    assert "boom.yaml" in report.errors[0] and "OverflowError: planted" in report.errors[0]


# 5. what a clinician sees is what the file says

def test_escape_sequences_are_shown_not_obeyed(tmp_path):
    folder = _snapshot_dir(tmp_path, SNAPSHOT.replace("title: Sprinter", 'title: "Sprinter\\e[8m\\rhidden"')
                           + "  saddle_numbness: true\n")
    result = run_main("consult", str(folder / "snap.yaml"))
    assert result.returncode == 0 and "\x1b" not in result.stdout and "\r" not in result.stdout
    assert "Sprinter\\x1b[8m\\rhidden" in result.stdout and "rf_cauda_equina" in result.stdout


def test_junit_is_well_formed_for_hostile_files():
    result = run_main("regress", "tests/bad_cases", "--format", "junit")
    assert result.returncode == 2
    suite = ET.fromstring(result.stdout.encode("utf-8"))
    assert int(suite.get("errors")) == len(list((ROOT / "tests" / "bad_cases").glob("*.yaml")))
    assert "\\x1b[8m" in result.stdout  # the escape-in-key file, written visibly


def test_error_messages_show_control_characters():
    result = run_main("consult", "tests/bad_cases/escape-in-key.yaml")
    assert result.returncode == 2 and "\x1b" not in result.stderr and "gait\\x1b[8m" in result.stderr


# 7. folders: odd entries are reported, an empty folder is an error

def test_odd_entries_in_a_scenario_folder_are_reported(tmp_path):
    folder = _snapshot_dir(tmp_path)
    (folder / "UPPER.YAML").write_text(SNAPSHOT.replace("id: snap", "id: upper"))
    (folder / "dangling.yaml").symlink_to(tmp_path / "gone.yaml")
    (folder / "device.yaml").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.yaml")
    result = run_cli("regress", str(folder))
    assert result.returncode == 2, result.stderr
    assert "2 passed" in result.stdout and "3 bad input files" in result.stdout
    for name in ("dangling.yaml", "device.yaml", "pipe.yaml"):
        assert name in result.stderr


def test_an_empty_folder_is_an_error(tmp_path):
    result = run_main("regress", str(tmp_path))
    assert result.returncode == 2 and "no case files" in result.stderr


# 8. no traceback

def test_graphviz_entities_in_a_title_stay_text(tmp_path):
    folder = _snapshot_dir(tmp_path, SNAPSHOT.replace("title: Sprinter", 'title: "&#xD800; & <b>"'))
    for fmt in ("svg", "html"):
        out = tmp_path / f"out.{fmt}"
        assert main(["explain", str(folder / "snap.yaml"), "--format", fmt, "-o", str(out)]) == 0
        text = out.read_bytes().decode("utf-8")  # valid UTF-8
        assert "&amp;#xD800;" in text
    ET.parse(tmp_path / "out.svg")  # well-formed XML


def test_c_locale_without_utf8_coercion(tmp_path):
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0",
           "PYTHONIOENCODING": ""}
    result = subprocess.run([sys.executable, "-m", "ptkb.cli", "consult",
                             "scenarios/hamstring/case-study-hamstring-strain.yaml"], cwd=ROOT, env=env,
                            capture_output=True, timeout=60)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert b"\\u2013" in result.stdout  # the en dash, written as an escape


@pytest.mark.parametrize("argv", [["lint", "--mutate", "-5"], ["lint", "--min-kill", "nan"],
                                  ["regress", "--min-coverage", "nan"], ["regress", "--min-coverage", "inf"],
                                  ["regress", "--shuffle", "100000"], ["regress", "--jobs", "0"]])
def test_bad_numbers_in_options_exit_2(argv):
    assert main(argv) == 2


def test_shuffle_in_scientific_notation_is_a_usage_error():
    result = run_main("regress", "--shuffle", "1e9")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_ctrl_c_exits_130_with_one_line():
    process = subprocess.Popen([sys.executable, "-m", "ptkb.cli", "regress", "scenarios", "--jobs", "2",
                                "--shuffle", "50"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    import psutil
    parent, end = psutil.Process(process.pid), time.monotonic() + 60
    while len(parent.children()) < 2 and time.monotonic() < end:  # until both workers run
        time.sleep(0.05)
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the parent and every worker
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.decode().strip() == "ptkb regress: interrupted"


# 9. FIFOs, devices and bombs as inputs

def test_fifo_as_a_case_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    result = run_cli("consult", str(tmp_path / "pipe.yaml"))
    assert result.returncode == 2 and "not a regular file" in result.stderr


@pytest.mark.parametrize("make", ["fifo", "zero", "bomb"])
def test_hostile_acknowledgement_files(tmp_path, make):
    ack = tmp_path / "ack.yaml"
    if make == "fifo":
        os.mkfifo(ack)
    elif make == "zero":
        ack = Path("/dev/zero")
    else:
        ack.write_text('a: &a ["x", "x"]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n')
    result = run_cli("lint", "--ack", str(ack))
    assert result.returncode == 2 and "Traceback" not in result.stderr and str(ack) in result.stderr


# 10. work that could grow without bound

def test_thousands_of_unknown_ids_are_capped():
    text = "id: many\nfindings: {}\nexpect:\n  include:\n" + "".join(f"    - nope_{i}\n" for i in range(40_000))
    with pytest.raises(CaseError) as caught:
        case_from_text(text, "many.yaml")
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS + 1 and "39900 more problems" in problems[-1].message


def test_jobs_are_capped_and_the_cap_is_said(tmp_path):
    folder = _snapshot_dir(tmp_path)
    result = run_main("regress", str(folder), "--jobs", "1000")
    assert result.returncode == 0 and "--jobs 1000 capped at 1" in result.stderr
