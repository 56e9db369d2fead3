"""The seam to experta: the version guard, the contract of private names, the stock-matcher switch,
and the rule that nothing outside the seam's modules reaches into experta's internals."""
import importlib
import os
import re
import subprocess
import sys

from engine.runner import engine_for
from engine.seam import EXPERTA_CONTRACT, EXPERTA_INSTANCE_CONTRACT, EXPERTA_NODE_CONTRACT, SUPPORTED_EXPERTA
from kb import PosteriorThighKB
from tests.helpers import ROOT

BEHIND_THE_SEAM = {"engine/seam.py", "engine/matcher.py", "engine/strategy.py", "engine/stock.py",
                   "engine/runner.py", "kb/rulebook.py"}


def test_every_private_name_ptkb_uses_exists_in_the_installed_experta():
    import experta
    assert experta.__version__ == SUPPORTED_EXPERTA
    for dotted, attributes in EXPERTA_CONTRACT.items():
        module, _, cls = dotted.rpartition(".")
        for attribute in attributes:
            assert hasattr(getattr(importlib.import_module(module), cls), attribute), (dotted, attribute)
    engine = engine_for(PosteriorThighKB)
    for path in EXPERTA_INSTANCE_CONTRACT:
        target = engine
        for name in path.split("."):
            assert hasattr(target, name), path
            target = getattr(target, name)
    nodes = {}
    for node in engine.matcher._walk():
        nodes.setdefault(type(node).__name__, node)
    for cls, attributes in EXPERTA_NODE_CONTRACT.items():
        assert all(hasattr(nodes[cls], attribute) for attribute in attributes), cls


def test_another_experta_version_fails_clearly():
    probe = ("import experta; experta.__version__ = '2.0.0'\n"
             "try:\n    import engine.seam\nexcept Exception as exc:\n    print(type(exc).__name__, exc)\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "EngineVersionError" in done.stdout and "supports experta 1.9.4 only" in done.stdout


def test_stock_matcher_switch_gives_the_same_conclusions():
    probe = ("from engine import consult, load_case\nfrom engine.runner import engine_for\n"
             "from kb import PosteriorThighKB\n"
             "print(type(engine_for(PosteriorThighKB).matcher).__name__)\n"
             "print(sorted(consult(load_case('scenarios/nerve/case-study-sciatic-nerve.yaml')).ids()))\n")
    outputs = {}
    for choice in ("ptkb", "stock"):
        done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PTKB_MATCHER": choice}, check=True)
        outputs[choice] = done.stdout.splitlines()
    assert outputs["ptkb"][0] == "FastReteMatcher" and outputs["stock"][0] == "ReteMatcher"
    assert outputs["ptkb"][1] == outputs["stock"][1]


def test_no_module_outside_the_seam_imports_experta_internals():
    offenders = []
    for path in [*ROOT.glob("engine/*.py"), *ROOT.glob("explain/*.py"), *ROOT.glob("ptkb/*.py"), *ROOT.glob("kb/*.py")]:
        relative = path.relative_to(ROOT).as_posix()
        if relative in BEHIND_THE_SEAM:
            continue
        if re.search(r"^\s*(from|import) experta\.(matchers|strategies|agenda|activation|engine)", path.read_text(), re.M):
            offenders.append(relative)
    assert offenders == []


def _same_fact(direct, built):
    assert list(direct.items()) == list(built.items()) and hash(direct) == hash(built)
    assert type(direct) is type(built) and direct.__dict__ == built.__dict__


def test_a_conclusion_fact_built_directly_is_experta_s_and_is_validated_alike():
    """The rules' right-hand side builds Concluded facts without experta's constructor and checks them
    without its schema library: the same fact (items, hash, attributes), the same refusals."""
    import pytest
    from kb.rulebook import Concluded, _concluded
    direct = _concluded("hyp_x", "hypothesis", "g")
    _same_fact(direct, Concluded(id="hyp_x", kind="hypothesis", group="g"))
    direct.validate()
    for bad, message in (({"id": 3, "kind": "k"}, "Invalid value on field 'id'"),
                         ({"kind": "k"}, "Mandatory field 'id'"),
                         ({"id": "x", "kind": "k", "group": None}, "Invalid value on field 'group'")):
        with pytest.raises(ValueError, match=message):
            Concluded(**bad).validate()


def test_a_case_fact_built_directly_is_experta_s():
    """The case's Findings fact is built without experta's per-value freezing where freezing would
    leave every value as it is (every scenario's); a value it would change (a list) still goes
    through experta's constructor."""
    from engine import load_case
    from kb.rulebook import Findings, findings_fact
    from tests.helpers import scenario_files
    for path in scenario_files()[::10]:
        findings = dict(load_case(path).findings)
        _same_fact(findings_fact(findings), Findings(**findings))
    odd = {"gait": ["normal"], "night_pain": None}
    _same_fact(findings_fact(odd), Findings(**odd))
    assert type(findings_fact(odd)["gait"]) is type(Findings(**odd)["gait"]) is not list


def test_a_conclusion_is_declared_as_experta_declares_it(monkeypatch):
    """During a run a rule's conclusion is declared without experta's checks: the fact list ends in
    the same state as experta's declaration leaves it (ids, duplicates refused, pending additions);
    any other fact, or a Concluded fact not built as a rule builds it, takes experta's own way."""
    from engine import runner
    from kb.rulebook import Concluded, _concluded
    plain = runner._plain_conclusion

    def declared():
        engine = runner._traced(PosteriorThighKB)()
        engine.reset()
        engine.running = True
        results = [engine.declare(fact) for fact in (
            _concluded("hyp_x", "hypothesis", "g"), _concluded("hyp_y", "hypothesis", ""),
            _concluded("hyp_x", "hypothesis", "g"), Concluded(id="hyp_z", kind="clue"))]
        facts = engine.facts
        return ([r is not None for r in results], [dict(f) for f in facts.values()], dict(facts.reference_counter),
                facts.last_index, [dict(f) for f in facts.added])
    fast = declared()
    monkeypatch.setattr(runner, "_plain_conclusion", lambda fact: False)  # every fact experta's way
    assert fast == declared() and fast[0] == [True, True, False, True]
    assert not plain(Concluded(id="hyp_z", kind="clue"))  # no group field: experta's way
