"""The authoring walk-through of docs/authoring.md, performed on a copy of the project: add a finding,
a rule and a scenario; regenerate the documents; lint, regress and the relevant tests pass."""
import re
import shutil
import subprocess
import sys

import pytest

from tests.helpers import ROOT

DOC = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8").split("## Walk-through")[1]


def _block(language: str, index: int) -> str:
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.S)[index]


def _run(copy, *args):
    done = subprocess.run([sys.executable, *args], cwd=copy, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done.stdout


@pytest.mark.slow
def test_walkthrough_on_a_copy_of_the_project(tmp_path):
    copy = tmp_path / "ptkb"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "out", "__pycache__",
                                                              ".pytest_cache", ".hypothesis"))
    vocabulary = copy / "kb" / "vocabulary.yaml"
    text = vocabulary.read_text()
    anchor = next(line for line in text.splitlines() if "{id: exercise_pain_nrs," in line)
    vocabulary.write_text(text.replace(anchor, anchor + "\n" + _block("yaml", 0).rstrip("\n"), 1))
    area = copy / "kb" / "rules" / "ischiofemoral.yaml"
    area.write_text(area.read_text().rstrip("\n") + "\n\n" + _block("yaml", 1))
    (copy / "scenarios" / "ischiofemoral" / "ifi-weak-abductors.yaml").write_text(_block("yaml", 2))
    _run(copy, "-m", "ptkb.cli", "vocab", "-o", "docs/vocabulary.md")  # make docs
    _run(copy, "-m", "ptkb.cli", "rules", "--format", "md", "-o", "docs/rules.md")
    assert "0 errors" in _run(copy, "-m", "ptkb.cli", "lint")
    assert " 0 failed, 0 bad input files" in _run(copy, "-m", "ptkb.cli", "regress")
    _run(copy, "-m", "pytest", "-p", "no:cacheprovider", "-m", "not slow", "tests/test_vocabulary.py",
         "tests/test_docs.py", "tests/test_kb.py", "tests/test_scenarios.py", "-k", "not doctest")
    assert "IFI-010" in (copy / "docs" / "rules.md").read_text()
