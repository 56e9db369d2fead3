"""Library first: the whole journey through `import ptkb` alone, a CLI that only parses, calls the
API and formats, and imports that only point down the layers kb <- engine <- explain <- ptkb <- cli."""
import ast
import subprocess
import sys

from tests.helpers import ROOT, run_main

LAYERS = {"kb": 0, "engine": 1, "explain": 2, "ptkb": 3, "ptkb.cli": 4}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _layer(module: str):
    if module == "ptkb.cli":
        return LAYERS["ptkb.cli"]
    return LAYERS.get(module.split(".")[0])


def test_imports_point_down_the_layers():
    wrong = []
    for package in ("kb", "engine", "explain", "ptkb"):
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            here = _layer(module)
            for target in _imports(path):
                there = _layer(target)
                if there is not None and there > here:
                    wrong.append(f"{module} imports {target}")
    assert not wrong, wrong


def test_the_cli_only_parses_calls_the_api_and_formats():
    source = (ROOT / "ptkb/cli.py").read_text(encoding="utf-8")
    assert "experta" not in source
    for target in _imports(ROOT / "ptkb/cli.py"):
        assert target.split(".")[0] not in ("kb", "engine", "explain"), target
    from kb.vocabulary import CONCLUSIONS, FINDINGS
    ids = [*CONCLUSIONS, *FINDINGS]
    assert len(ids) > 100
    named = [i for i in ids if f'"{i}"' in source or f"'{i}'" in source]
    assert not named, f"clinical ids in the CLI: {named}"


def test_a_mistyped_command_option_or_choice_gets_a_suggestion():
    case = str(ROOT / "scenarios/nerve/case-study-sciatic-nerve.yaml")
    for argv, hint in ((["consul", case], "did you mean consult?"),
                       (["explain", case, "--formt", "svg"], "did you mean --format?"),
                       (["explain", case, "--format", "sv"], "did you mean svg?")):
        done = run_main(*argv)
        assert done.returncode == 2 and hint in done.stderr, (argv, done.stderr)


def test_a_case_can_come_from_standard_input():
    text = (ROOT / "scenarios/nerve/case-study-sciatic-nerve.yaml").read_bytes()
    done = subprocess.run([sys.executable, "-m", "ptkb.cli", "consult", "-"], input=text, cwd=ROOT,
                          capture_output=True, timeout=120)
    assert done.returncode == 0 and b"hyp_deep_gluteal_syndrome" in done.stdout
    done = subprocess.run([sys.executable, "-m", "ptkb.cli", "consult", "-"], input=b"id: [", cwd=ROOT,
                          capture_output=True, timeout=120)
    assert done.returncode == 2 and b"<stdin>" in done.stderr and b"Traceback" not in done.stderr


def test_every_public_name_is_exported():
    import ptkb.api
    assert set(ptkb.__all__) - {"__version__"} <= set(ptkb.api.__all__)
    for name in ptkb.__all__:
        assert getattr(ptkb, name) is not None, name


def test_only_the_engine_and_the_rule_book_touch_experta():
    """experta is an implementation detail of `engine` (and `kb`, which declares rules with it)."""
    for package in ("explain", "ptkb"):
        for path in sorted((ROOT / package).rglob("*.py")):
            assert not [t for t in _imports(path) if t.split(".")[0] == "experta"], path
