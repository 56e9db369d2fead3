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
