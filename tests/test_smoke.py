"""The packages import and the console script answers."""
import importlib

import pytest

from tests.helpers import run_cli


@pytest.mark.parametrize("name", ["kb", "engine", "explain", "ptkb", "ptkb.cli", "experta", "networkx", "pydot"])
def test_imports(name):
    assert importlib.import_module(name) is not None


def test_frozendict_override_is_in_force():
    import frozendict
    assert int(frozendict.__version__.split(".")[0]) >= 2


def test_version_command():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("ptkb ")


def test_bad_usage_exits_2():
    result = run_cli("consult")
    assert result.returncode == 2
    assert "usage" in result.stderr


def test_importing_ptkb_leaves_the_root_logger_alone():
    import subprocess
    import sys
    code = ("import logging; import engine.stock, engine.strategy, engine.matcher, kb.rulebook; "
            "from engine import consult, case_from_mapping; consult(case_from_mapping({'id': 'x', 'findings': {}})); "
            "print(len(logging.getLogger().handlers))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "0", done.stderr
