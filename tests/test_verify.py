"""`ptkb verify`: the invariants are proved on the real knowledge base; planted defects are found;
the experta engine confirms every witness and counterexample, and catches a mutated model."""
import json

import yaml

from engine import load_case
from kb import PosteriorThighKB
from kb.conditions import Has, Layer
from kb.evidence import EvidenceLevel as E
from kb.rulebook import rule
from kb.safety import INVARIANTS
from ptkb.cli import main
from ptkb.verification import report_sarif, verify, write_cases
from tests.planted_kb import PlantedVerifyKB


def _verdicts(report):
    return [(o.kind, o.subject, o.status) for o in report.outcomes]


def test_the_real_kb_is_proved_witnessed_and_the_same_from_run_to_run():
    """One report of the real knowledge base read for everything it shows (proving it takes seconds,
    and a module fixture would be proved again in each test process): every invariant proved, every
    conclusion witnessed by a case the engine confirms, only the known redundant rules named; on
    two processes, with the same cases from one run to the next."""
    real = verify(jobs=2)
    assert [o.subject for o in real.invariants if o.status != "proved"] == []
    assert len(real.invariants) == len(INVARIANTS)
    assert real.conclusions and all(o.status == "witness" and o.engine_agrees for o in real.conclusions)
    assert {o.subject for o in real.rules if o.status == "redundant"} <= {"PRG-002", "TX-031"}
    assert verify(jobs=2).outcomes == real.outcomes


def test_two_processes_give_the_verdicts_of_one():
    """Striping the questions over processes and putting the answers back in order: the planted KB
    has every kind of verdict (violated, unreachable, redundant as well as proved and witnessed);
    minimal cases may differ among equally small ones."""
    one, two = verify(PlantedVerifyKB, jobs=1), verify(PlantedVerifyKB, jobs=2)
    assert _verdicts(two) == _verdicts(one)
    assert {o.status for o in one.outcomes} >= {"violated", "unreachable", "redundant", "proved", "witness"}


class UnguardedStageKB(PosteriorThighKB):
    """The knowledge base as it was before the clinical-edges fix: the protection stage had no
    red-flag guard."""

    @rule("STG-040", Layer.STAGE, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("cand_stage_acute_protection")], then=["stage_acute_protection"])
    def choose_stage_acute_protection(self):
        """Exactly one stage: acute protection unless an earlier stage is proposed."""


def test_stage_under_a_red_flag_is_found_on_the_unguarded_kb(tmp_path):
    invariants = [i for i in INVARIANTS if i.id.startswith("red-flag-no-stage")]
    report = verify(UnguardedStageKB, invariants=invariants, include_rules=False, include_conclusions=False)
    violated = [o for o in report.invariants if o.status == "violated"]
    assert violated and all(o.engine_agrees for o in violated)
    smallest = min(violated, key=lambda o: len(o.case))
    assert len(smallest.case) <= 5, smallest.case
    path = write_cases([smallest], tmp_path, "counterexample")[0]
    case = load_case(path)  # a ready scenario file
    from engine import consult_with
    ids = consult_with(UnguardedStageKB, case).ids()
    assert "stage_acute_protection" in ids and any(c.startswith("rf_") for c in ids)


def test_planted_defects_are_found():
    report = verify(PlantedVerifyKB)
    chain = next(o for o in report.invariants if o.subject == "red-flag-no-stage-rf_cauda_equina")
    assert chain.status == "violated" and chain.engine_agrees
    assert chain.case == {"saddle_numbness": True, "gait": "normal", "onset_type": "sudden_during_activity"}
    assert {o.subject for o in report.conclusions if o.status == "unreachable"} == {"grade_2"}
    assert {o.subject for o in report.rules if o.status == "redundant"} == {"PV-020", "PV-030"}
    band = next(o for o in report.conclusions if o.subject == "irritability_moderate")
    assert band.status == "witness" and band.engine_agrees and 4 <= band.case["pain_worst_nrs"] <= 6


def test_a_mutated_model_is_caught_by_the_engine():
    import z3

    def flip(meta, when):  # the model only: the engine keeps the real rule
        return [z3.Not(when[0]), *when[1:]] if meta.id == "PV-001" else when
    report = verify(PlantedVerifyKB, mutate=flip, include_rules=False)
    mismatches = [o for o in report.outcomes if o.status == "mismatch"]
    assert mismatches and not report.ok


def test_cli_formats_and_exit_codes(tmp_path, capsys, monkeypatch):
    from ptkb import api
    proved = []
    monkeypatch.setattr(api, "verify", lambda **options: proved.append(verify(**options)) or proved[-1])
    assert main(["verify", "--no-rules", "--witnesses", str(tmp_path / "w")]) == 0
    out = capsys.readouterr().out
    assert "invariants: " in out and " 0 violated" in out
    witnesses = sorted((tmp_path / "w").glob("*.yaml"))
    assert len(witnesses) == len(proved[0].conclusions) > 0
    assert yaml.safe_load(witnesses[0].read_text())["source"] == "ptkb verify"
    # the other formats render the report just proved (proving it again would take a second each)
    monkeypatch.setattr(api, "verify", lambda **options: proved[0])
    assert main(["verify", "--no-rules", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    sarif = json.loads(report_sarif(verify(PlantedVerifyKB)))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    import jsonschema
    from tests.helpers import ROOT
    jsonschema.validate(sarif, json.loads((ROOT / "tests/schemas/sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8")))
    assert main(["verify", "--jobs", "0"]) == 2
