"""Small helpers shared by tests."""
from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `ptkb` in a fresh interpreter, as a user would."""
    return subprocess.run([sys.executable, "-m", "ptkb.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def run_main(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `ptkb` through its entry point in this process (no interpreter start-up, ~1 s saved each):
    the exit status and the text of stdout and stderr, as `run_cli` gives them (a SystemExit, as
    argparse raises on a bad option, gives its status). Any other exception the CLI did not turn into
    a message reaches the test."""
    import io
    import os
    from ptkb.cli import main
    raw, err = io.BytesIO(), io.StringIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    saved, here = (sys.stdout, sys.stderr), os.getcwd()
    sys.stdout, sys.stderr = out, err
    os.chdir(cwd)
    try:
        status = main(list(args))
    except SystemExit as done:  # argparse's refusal ends the process with its status, as here
        status = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    finally:
        out.flush()
        sys.stdout, sys.stderr = saved
        os.chdir(here)
    return subprocess.CompletedProcess(args, status, raw.getvalue().decode("utf-8"), err.getvalue())


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.rglob("*.yaml"))


@cache
def scenario_cases() -> tuple:
    """Every scenario as a validated case, loaded once per test process (the modules share them)."""
    from engine import load_case
    return tuple(load_case(p) for p in scenario_files())


@cache
def scenario_results() -> tuple:
    """The consultation of every scenario (frozen records), once per test process."""
    from engine import consult
    return tuple(consult(case) for case in scenario_cases())


@cache
def _results_by_path() -> dict:
    return dict(zip(scenario_files(), scenario_results()))


def scenario_result(path):
    """The consultation of one scenario file, from `scenario_results` (once per test process)."""
    return _results_by_path()[Path(path)]
