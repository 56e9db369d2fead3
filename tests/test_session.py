"""The interactive consultation: scripted sessions reach what `ptkb consult` reaches, the red-flag
screen comes first, WHY and HOW answer at any question, undo, save; and a real terminal (tmux)."""
import shutil
import statistics
import subprocess
import sys
import time
import uuid

import pytest
import yaml

from engine import consult, load_case
from engine.case import case_json_schema
from engine.errors import UsageError
from kb.red_flags import RF_SCREEN
from kb.vocabulary import CONCLUSIONS, FINDING_GROUPS, Kind
from ptkb.session import EXAM_BLOCKS, SCREEN_BLOCK, SKIP, Session
from tests.helpers import ROOT, run_cli, run_main, scenario_files

SCREEN = [finding for finding, _, _ in RF_SCREEN]
FINDING_GROUPS_OF = {f: name for name, (_, members) in FINDING_GROUPS.items() for f in members}
SCENARIOS = scenario_files()


def _shown(ids) -> set:
    return {c for c in ids if CONCLUSIONS[c].kind is not Kind.CLUE}


def script(case, check_why: bool = False) -> tuple[Session, list]:
    """Answer every question from the case's own findings; skip what the case did not examine."""
    findings, session, asked = dict(case.findings), Session(case_id=case.id), []
    while True:
        questions = session.next_questions(1)
        if not questions:
            return session, asked
        question = questions[0]
        asked.append(question)
        if check_why and len(asked) <= 12:  # WHY at any question, a block or the screen included
            answers = session.why_question(question)
            assert any(why.rules and why.rules[0].would_conclude for why in answers), question.finding
        if question.group == SCREEN_BLOCK:  # the whole screen in one answer: the exceptions, the rest no
            session.answer_screen({f: findings.get(f, SKIP) for f in SCREEN if findings.get(f) is not False})
        elif question.group == EXAM_BLOCKS:
            session.answer_blocks([b for b in question.blocks if any(f in findings for f in FINDING_GROUPS[b][1])])
        elif question.group:
            session.answer_group(question.group, any(f in findings for f in FINDING_GROUPS[question.group][1]))
        else:
            session.answer(question.finding, findings.get(question.finding, SKIP))


def _check(path, check_why=False) -> float:
    case = load_case(path)
    session, asked = script(case, check_why)
    assert _shown(session.result().ids()) == _shown(consult(case).ids()), path.name
    # the red-flag screen before anything else, as one question that every screen question is part of
    assert asked[0].group == SCREEN_BLOCK and asked[0].red_flag_screen
    assert all(f in asked[0].meaning for f in SCREEN)
    assert not any(q.red_flag_screen for q in asked[1:])
    return len(asked) / max(1, len(case.findings))


@pytest.mark.parametrize("path", SCENARIOS[::16], ids=lambda p: p.stem)
def test_scripted_session_reaches_the_consultation(path):
    _check(path, check_why=True)


@pytest.mark.slow
def test_scripted_sessions_on_every_scenario():
    ratios = [_check(path) for path in SCENARIOS]
    findings = [max(1, len(load_case(path).findings)) for path in SCENARIOS]
    pooled = sum(r * n for r, n in zip(ratios, findings)) / sum(findings)
    print(f"mean questions per scenario finding: {statistics.mean(ratios):.2f}; "
          f"questions per finding over all scenarios: {pooled:.2f}")
    assert statistics.mean(ratios) < 1  # on average fewer questions than the scenario has findings


def _live_from_scratch(session):
    """The live rules and possible conclusions as the greatest fixpoint's definition reads: every
    condition of every rule tested again at each round, until nothing changes."""
    from kb.vocabulary import CONCLUSIONS as ALL
    rules, concluded, asked = session._rules(), session.state().ids(), set(session.answers)
    examined = {f: v for f, v in session.answers.items() if v is not SKIP}
    possible, settled = set(ALL).union(concluded, *(m.then for m in rules)), set()
    while True:
        live = [m for m in rules if not any(c.impossible(examined, asked, possible, settled) for c in m.when)]
        now = concluded | {c for m in live for c in m.then}
        settled_now = session._settled(rules, asked, now)
        if (now, settled_now) == (possible, settled):
            break
        possible, settled = now, settled_now
    return session._mattering(live), possible  # then the rules that conclude only unread clues dropped


@pytest.mark.parametrize("path", SCENARIOS[5::16], ids=lambda p: p.stem)
def test_the_incremental_fixpoint_is_the_fixpoint(path, monkeypatch):
    """Ask re-tests a rule only when an answer or a conclusion it reads changed: at every question of
    a scripted session it finds what testing every rule at every round finds."""
    incremental, checked = Session._find_live, []

    def compared(self):
        (live, possible), (expected, expected_possible) = incremental(self), _live_from_scratch(self)
        assert ([m.id for m in live], possible) == ([m.id for m in expected], expected_possible), self.answers
        checked.append(self.answers.copy())
        return live, possible
    monkeypatch.setattr(Session, "_find_live", compared)
    script(load_case(path))
    assert len(checked) > 3


def test_an_all_negative_screen_is_one_question():
    session = Session()
    assert session.next_questions()[0].group == SCREEN_BLOCK
    session.answer_group(SCREEN_BLOCK, True)
    assert all(session.answers[f] is False for f in SCREEN) and "test_red_flag_screen" not in session.result().ids()
    session.undo()
    session.answer_group(SCREEN_BLOCK, False)
    assert session.next_questions()[0].finding == SCREEN[0]


def test_the_screen_answered_in_one_line_with_its_exceptions():
    session = Session()
    session.answer_text(SCREEN_BLOCK, "saddle_numbness, calf_or_thigh_swelling_warmth=skip systemic_signs=no")
    answers = {f: session.answers[f] for f in SCREEN}
    assert answers.pop("saddle_numbness") is True and answers.pop("calf_or_thigh_swelling_warmth") is SKIP
    assert set(answers.values()) == {False} and "rf_cauda_equina" in session.result().ids()
    assert not any(q.red_flag_screen for q in session.next_questions())
    assert session.undo() == SCREEN_BLOCK and not set(session.answers) & set(SCREEN)
    with pytest.raises(UsageError, match="did you mean saddle_numbness"):
        session.answer_text(SCREEN_BLOCK, "saddle_numbnes")
    with pytest.raises(UsageError, match="saddle_numbness: expected true or false"):
        session.answer_text(SCREEN_BLOCK, "saddle_numbness=perhaps")
    assert not session.answers  # a bad line records nothing
    session.answer("saddle_numbness", False)
    with pytest.raises(UsageError, match="not a screen question still open"):
        session.answer_text(SCREEN_BLOCK, "saddle_numbness")  # already answered: named no more


def test_answers_are_validated_and_undone():
    session = Session()
    with pytest.raises(UsageError, match="expected true or false"):
        session.answer("saddle_numbness", "perhaps")
    with pytest.raises(UsageError, match="did you mean saddle_numbness"):
        session.answer("saddle_numbnes", True)
    session.answer("saddle_numbness", True)
    assert "rf_cauda_equina" in session.result().ids()
    assert session.undo() == "saddle_numbness" and "rf_cauda_equina" not in session.result().ids()
    assert session.undo() is None


def test_a_block_not_examined_costs_one_question():
    session = Session()
    session.answer_group("imaging", False)
    assert all(session.answers[f] is SKIP for f in FINDING_GROUPS["imaging"][1])
    assert not {q.finding for q in session.next_questions()} & set(FINDING_GROUPS["imaging"][1])
    session.undo()
    assert not set(session.answers) & set(FINDING_GROUPS["imaging"][1])


def test_how_and_plan_at_any_time():
    session = Session.from_case(load_case(SCENARIOS[0]))
    some = next(c for c in sorted(session.result().ids()) if not c.startswith("clue_"))
    assert some in session.how(some) and "Red flags" in session.plan()
    assert "grade_3" in session.how("grade_3")  # why not, when it was not reached


def test_saved_case_is_a_valid_scenario(tmp_path):
    case = load_case(ROOT / "scenarios/hamstring/case-study-hamstring-strain.yaml")
    session, _ = script(case)
    path = tmp_path / "captured.yaml"
    path.write_text(session.to_yaml())
    data = yaml.safe_load(path.read_text())
    import jsonschema
    jsonschema.validate(data, case_json_schema())
    assert load_case(path).expect.include and run_main("regress", str(path)).returncode == 0
    assert path.read_text().startswith("# Captured with ptkb ask")


def test_scripted_cli_session(tmp_path):
    answers = "\n".join(["why", "no"] + ["false"] * 7 + ["why", "sudden_during_activity", "sprinting", "imaging, palpation",
                                        "how hyp_hamstring_strain", f"save {tmp_path / 'case.yaml'}", "quit"]) + "\n"
    done = subprocess.run([sys.executable, "-m", "ptkb.cli", "ask"], input=answers, capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "I am asking about onset_type because" in done.stdout and "would conclude" in done.stdout
    assert "I am asking about bladder_or_bowel_change because" in done.stdout  # why at the screen question
    assert "examined [names/all/none] > imaging, palpation\nbamic_grade (" in done.stdout  # the blocks in one answer
    assert load_case(tmp_path / "case.yaml").findings


def test_end_of_input_saves_nothing(tmp_path):
    done = subprocess.run([sys.executable, "-m", "ptkb.cli", "ask"], input="no\nfalse\n", capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0 and "nothing was saved" in done.stdout and list(tmp_path.iterdir()) == []


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed ('make test' installs it)")
def test_real_terminal_session_through_tmux(tmp_path):
    name = f"ptkb-{uuid.uuid4().hex[:8]}"
    saved = tmp_path / "tmux-case.yaml"

    def screen() -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", name, "-S", "-200"], capture_output=True,
                              text=True).stdout

    def wait_for(text: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = screen()
            if text in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared:\n{screen()}")

    def send(*keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", name, *keys], check=True)

    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "200", "-y", "50",
                    f"cd {ROOT} && {sys.executable} -m ptkb.cli ask; sleep 60"], check=True)
    try:
        wait_for("red-flag screen [yes/no/exceptions] >")
        send("no", "Enter")
        wait_for("bladder_or_bowel_change (")
        send("false", "Enter")
        wait_for("saddle_numbness (")
        send("undo", "Enter")
        wait_for("undone: bladder_or_bowel_change")
        send("undo", "Enter")
        wait_for("undone: red_flag_screen")
        send("calf_o")  # prompt_toolkit offers a screen question's name; Tab takes it
        wait_for("> calf_o\n")
        time.sleep(1)
        send("Tab")
        wait_for("> calf_or_thigh_swelling_warmth")
        send("=skip", "Enter")
        wait_for("onset_type (")
        send("why", "Enter")
        assert "would conclude" in wait_for("I am asking about onset_type because")
        send(f"save {saved}", "Enter")
        wait_for(f"saved {saved}")
        send("quit", "Enter")
        wait_for("ptkb ask: ended")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
    findings = load_case(saved).findings_dict()
    assert findings["saddle_numbness"] is False and "calf_or_thigh_swelling_warmth" not in findings


def test_a_settled_red_flag_stops_the_questions_it_blocks():
    """Cauda equina from an answered finding cannot be undone by any later answer: the rules it
    blocks ("no red flag") are dead, so what only they wait on is not asked."""
    def session(saddle_numbness):
        s = Session()
        s.answer_group(SCREEN_BLOCK, False)
        s.answer("saddle_numbness", saddle_numbness)
        return s
    flagged, clear = session(True), session(False)
    asked = {q.finding for q in flagged.next_questions()}
    assert "no_improvement_with_conservative_care" in {q.finding for q in clear.next_questions()}
    assert "no_improvement_with_conservative_care" not in asked
    assert not flagged.why("no_improvement_with_conservative_care").rules
    assert clear.why("no_improvement_with_conservative_care").rules
    assert "bladder_or_bowel_change" in asked  # the rest of the screen is still asked


def test_one_question_asks_which_blocks_were_examined():
    session = Session()
    session.answer_group(SCREEN_BLOCK, True)
    session.answer("onset_type", "sudden_during_activity")
    question = next(q for q in session.next_questions() if q.group == EXAM_BLOCKS)
    assert {"imaging", "palpation", "sij_tests"} <= set(question.blocks)
    assert not [q for q in session.next_questions() if q.group in FINDING_GROUPS]  # no block asked on its own
    whys = session.why_question(question)  # WHY here: a waiting finding of each of the first blocks
    assert len(whys) == 3 and all(w.rules and w.rules[0].would_conclude for w in whys)
    assert [FINDING_GROUPS_OF[w.finding] for w in whys] == list(question.blocks[:3])
    with pytest.raises(UsageError, match="did you mean palpation"):
        session.answer_text(EXAM_BLOCKS, "imaging, palpatoin")
    session.answer_text(EXAM_BLOCKS, "imaging, palpation")
    assert {"imaging", "palpation"} <= session.opened
    assert all(session.answers[f] is SKIP for f in FINDING_GROUPS["sij_tests"][1])
    assert "bamic_grade" not in session.answers and "bamic_grade" in {q.finding for q in session.next_questions()}
    assert session.undo() == EXAM_BLOCKS
    assert not {"imaging", "palpation"} & session.opened and not set(FINDING_GROUPS["sij_tests"][1]) & set(session.answers)
    session.answer_text(EXAM_BLOCKS, "")  # none of them
    assert all(session.answers[f] is SKIP for b in question.blocks for f in FINDING_GROUPS[b][1])
    session.undo()
    session.answer_text(EXAM_BLOCKS, "all")
    assert set(question.blocks) <= session.opened
