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
    """Whichever module of ptkb a program imports first (each first in turn: ptkb's and experta's
    modules forgotten in between), and after a consultation, the root logger has no handler."""
    import subprocess
    import sys
    modules = ["engine.runner", "engine.matcher", "engine.strategy", "engine.stock", "engine.seam",
               "engine.evaluator", "engine", "kb", "kb.rulebook", "ptkb", "ptkb.cli", "ptkb.api", "explain"]
    code = ("import importlib, logging, sys\n"
            f"for name in {modules!r}:\n"
            "    for loaded in [m for m in sys.modules if m.split('.')[0] in ('experta', 'engine', 'kb', 'ptkb', 'explain')]:\n"
            "        del sys.modules[loaded]\n"
            "    importlib.import_module(name)\n"
            "    print(name, len(logging.getLogger().handlers))\n"
            "from engine import consult, case_from_mapping; consult(case_from_mapping({'id': 'x', 'findings': {}}))\n"
            "print('consulted', len(logging.getLogger().handlers))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    lines = done.stdout.split("\n")[:-1]
    assert len(lines) == len(modules) + 1 and all(line.endswith(" 0") for line in lines), done.stdout + done.stderr
