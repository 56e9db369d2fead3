"""`ptkb lint`: the repo's KB lints clean; each planted defect is reported with its check and rule id."""
import json

import pytest

from kb.conditions import Above, AtLeast, AtMost, Below, Has, Is, Known, Lacks, NoneOfKind, OneOf, Unknown
from ptkb.linting import lint, load_acknowledgements
from ptkb.mutate import make_mutants, run_mutations
from tests.helpers import ROOT, run_cli, run_main
from tests.planted_kb import NO_CONFLICT, PLANTED, PLANTED_SUBJECTS

WARNINGS = {"redundant-rule", "unproduced-conclusion", "unread-finding"}


def test_repo_kb_lints_clean():
    result = run_cli("lint")
    assert result.returncode == 0, result.stdout
    assert "0 errors, 0 warnings" in result.stdout


def test_json_output():
    issues = json.loads(run_main("lint", "--format", "json").stdout)
    assert all(i["severity"] == "warning" and i["acknowledged"] for i in issues)


@pytest.mark.parametrize("check", sorted(PLANTED))
def test_planted_defect_is_reported(check):
    kb_class, rule_id = PLANTED[check]
    check = check.split(":")[0]  # several planted variants of one check
    found = [i for i in lint(kb_class) if i.check == check]
    assert found, f"{check} not reported"
    assert any(rule_id in i.rules for i in found), found
    assert all(i.severity == ("warning" if check in WARNINGS else "error") for i in found)


@pytest.mark.parametrize("check", sorted(PLANTED_SUBJECTS))
def test_planted_vocabulary_warning_is_reported(check):
    kb_class, subject = PLANTED_SUBJECTS[check]
    found = [i for i in lint(kb_class) if i.check == check and i.message.startswith(f"{subject}:")]
    assert found and all(i.severity == "warning" for i in found)


def test_conflict_needs_conditions_that_can_hold_together():
    assert not [i for i in lint(NO_CONFLICT) if i.check == "conflict"]


def test_warnings_need_a_reason_to_be_acknowledged(tmp_path):
    from engine.errors import UsageError
    bad = tmp_path / "ack.yaml"
    bad.write_text("- check: unread-finding\n  subject: age_years\n")
    with pytest.raises(UsageError):
        load_acknowledgements(bad)


def test_unacknowledged_warnings_are_counted(tmp_path):
    empty = tmp_path / "none.yaml"
    empty.write_text("[]\n")
    result = run_main("lint", "--ack", str(empty))
    import yaml
    reviewed = len(yaml.safe_load((ROOT / "lint-acknowledged.yaml").read_text()))
    assert result.returncode == 0 and f" {reviewed} warnings" in result.stdout


def test_mutants_are_distinct_and_seeded():
    from engine import catalogue
    one = [m.description for m in make_mutants(catalogue(), 20, seed=5)]
    assert one == [m.description for m in make_mutants(catalogue(), 20, seed=5)]
    assert len(set(one)) == 20


def test_mutation_check_kills_a_removed_rule():
    from engine import catalogue
    metas = [m for m in catalogue() if m.id in ("RF-003", "RF-030")]
    report = run_mutations([ROOT / "scenarios/red_flags/ces-saddle-numbness.yaml"], 50, seed=0, metas=metas)
    assert "remove RF-003" not in report.survivors and report.killed >= 1
    assert f"{100 * report.kill_ratio:.1f}%" in report.text()


def test_prefilter_gives_the_same_verdicts():
    fast = run_mutations([ROOT / "scenarios"], 12, seed=9, jobs=1)
    slow = run_mutations([ROOT / "scenarios"], 12, seed=9, jobs=1, prefilter=False)
    assert (fast.killed, fast.survivors) == (slow.killed, slow.survivors)


def test_evaluator_and_experta_give_the_same_mutant_verdicts():
    on_evaluator = run_mutations([ROOT / "scenarios"], 40, seed=3, jobs=1)
    on_experta = run_mutations([ROOT / "scenarios"], 40, seed=3, jobs=1, engine="experta")
    assert (on_evaluator.killed, on_evaluator.survivors) == (on_experta.killed, on_experta.survivors)
    assert on_experta.fallbacks == 0 and "run on experta" in on_evaluator.text()


@pytest.mark.slow
def test_every_mutant_kill_ratio_is_at_least_90_percent():
    from engine import catalogue
    from ptkb.mutate import _candidates
    report = run_mutations([ROOT / "scenarios"], len(_candidates(catalogue())), seed=0, jobs=2)
    assert report.kill_ratio >= 0.90, report.text()


@pytest.mark.parametrize("kwargs, field", [({"level": "anecdote"}, "level="), ({"cites": ()}, "cites="),
                                           ({"cites": "martin2022"}, "cites="), ({"when": ["gait"]}, "when=")])
def test_wrong_rule_metadata_is_the_projects_error_at_definition(kwargs, field):
    from kb.errors import RuleDefinitionError
    from tests.planted_kb import _r
    with pytest.raises(RuleDefinitionError, match=rf"planted_kb.py:\d+: rule PL-099: {field}"):
        _r("PL-099", kwargs.pop("when", [Is("gait", "normal")]), ["grade_1"], **kwargs)


def test_a_rule_without_citations_is_reported_not_a_traceback(monkeypatch, capsys):
    from kb.errors import RuleDefinitionError
    from ptkb.cli import main

    def broken_kb(*args, **kwargs):
        raise RuleDefinitionError("kb/hamstring.py:12: rule HAM-999: missing cites")
    monkeypatch.setattr("engine.catalogue", broken_kb)
    assert main(["rules"]) == 2
    assert "kb/hamstring.py:12: rule HAM-999: missing cites" in capsys.readouterr().err


def test_misspelt_finding_points_to_the_rule_with_a_suggestion():
    kb_class, _ = PLANTED["unknown-finding"]
    issue = next(i for i in lint(kb_class) if i.check == "unknown-finding")
    assert "did you mean gait?" in issue.message
    assert issue.location.startswith("tests/planted_kb.py:") and issue.location.count(":") == 2
    assert issue.text().startswith(f"{issue.location}: ERROR unknown-finding [PL-001]")


def _sarif_schema():
    import json
    return json.loads((ROOT / "tests/schemas/sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))


def test_lint_sarif_validates_and_locates_every_issue(tmp_path):
    import json

    import jsonschema
    from ptkb.linting import lint_sarif
    issues = [i for check in ("unknown-finding", "bad-value", "unknown-field") for i in lint(PLANTED[check][0])]
    log = json.loads(lint_sarif(issues))
    jsonschema.validate(log, _sarif_schema())
    results = log["runs"][0]["results"]
    assert len(results) == len(issues)
    located = [r for r in results if "locations" in r]
    assert located and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] > 0 for r in located)
    # the real knowledge base through the CLI: its acknowledged warnings are accepted suppressions
    done = run_main("lint", "--format", "sarif", "-o", str(tmp_path / "lint.sarif"))
    assert done.returncode == 0, done.stderr
    log = json.loads((tmp_path / "lint.sarif").read_text())
    jsonschema.validate(log, _sarif_schema())
    assert any(r.get("suppressions") for r in log["runs"][0]["results"])


@pytest.mark.parametrize("atoms, expected", [
    ((Is("pain_worst_nrs", 5), AtLeast("pain_worst_nrs", 4), AtMost("pain_worst_nrs", 6)), True),
    ((AtLeast("pain_worst_nrs", 7), AtMost("pain_worst_nrs", 3)), False),
    ((Above("pain_worst_nrs", 6), Below("pain_worst_nrs", 7)), True),
    ((Above("pain_worst_nrs", 6), AtMost("pain_worst_nrs", 6)), False),
    ((Is("night_pain", True), Is("night_pain", False)), False),
    ((OneOf("gait", ("normal", "antalgic_limp")), Is("gait", "antalgic_limp")), True),
    ((OneOf("gait", ("normal",)), Is("gait", "antalgic_limp")), False),
    ((Unknown("night_pain"), Known("night_pain")), False),
    ((Unknown("night_pain"), Lacks("rf_cauda_equina")), True),
    ((Has("rf_cauda_equina"), Lacks("rf_cauda_equina")), False),
    ((Has("rf_cauda_equina"), NoneOfKind("red_flag")), False),
    ((Has("grade_2"), NoneOfKind("red_flag")), True),
])
def test_conditions_that_can_hold_together(atoms, expected, kb_model):
    """Lint's conflict check asks the model built from the conditions' own logic (`to_logic`)."""
    assert kb_model.possible(*(atom.to_logic(kb_model) for atom in atoms)) is expected


@pytest.fixture(scope="module")
def kb_model():
    """The SMT model of the real rules, built once for the module."""
    from engine import catalogue
    from ptkb.verification import Model
    return Model(catalogue())


def test_no_code_outside_kb_conditions_switches_on_condition_types():
    """Each condition owns its meaning: no isinstance on a condition class anywhere else."""
    import ast

    import kb.conditions as conditions
    names = {name for name, value in vars(conditions).items()
             if isinstance(value, type) and issubclass(value, conditions.Condition)}
    found = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        if ".venv" in path.parts or path == ROOT / "kb" / "conditions.py" or path.parts[len(ROOT.parts)] == "tests":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance" and len(node.args) == 2:
                classes = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
                used = {getattr(c, "id", getattr(c, "attr", "")) for c in classes} & (names - {"Condition"})
                if used:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {sorted(used)}")
    assert names > {"Is", "Has", "TwoOf"} and not found, found
