"""Small helpers shared by tests."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `ptkb` in a fresh interpreter, as a user would."""
    return subprocess.run([sys.executable, "-m", "ptkb.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.rglob("*.yaml"))
