"""`ptkb ask`: the terminal side of an interactive consultation (the logic is `ptkb.session`).

One question at a time with its allowed values; Enter skips (not examined). Commands at any prompt:
`why` (why this question), `how ID`, `plan`, `undo`, `save FILE`, `help`, `quit`. Ctrl-C or end of
input ends the session and writes nothing unless `save` was asked. On a terminal the prompt is
prompt_toolkit's (history, completion of values and commands); otherwise plain `input()`, so that
`ptkb ask < answers.txt` is scriptable.
"""
from __future__ import annotations

import sys

from engine.errors import PtkbError, UsageError
from kb.vocabulary import FINDING_GROUPS, FINDINGS
from ptkb.session import SCREEN_BLOCK, Session

__all__ = ["run_session"]

HELP = ("answer with one of the allowed values, or press Enter to skip (not examined); commands: why, "
        "how ID, plan, undo, save FILE, help, quit")
COMMANDS = ("why", "how", "plan", "undo", "save", "help", "quit")


def _reader():
    """A function prompt -> line (EOFError at the end of input)."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from prompt_toolkit import PromptSession
        from prompt_toolkit.completion import WordCompleter
        session = PromptSession()

        def read(prompt: str, words=()) -> str:
            return session.prompt(prompt, completer=WordCompleter([*words, *COMMANDS]))
        return read
    def read_echoed(prompt: str, words=()) -> str:
        line = input(prompt)
        print(line, flush=True)  # a transcript of a scripted session shows what was answered
        return line
    return read_echoed


def _values(session, question) -> tuple[str, ...]:
    if question.blocks:
        return (*question.blocks, "all", "none")
    if question.group == SCREEN_BLOCK:
        return ("yes", "no", *session.block_members(SCREEN_BLOCK))
    if question.group:
        return tuple(question.allowed.split(" / "))
    definition = FINDINGS[question.finding]
    return {"bool": ("true", "false"), "enum": tuple(definition.values)}.get(definition.type, ())


def run_session(session: Session, out=None, save=None) -> int:
    """Drive `session` from the terminal until the questions run out, `quit`, Ctrl-C or end of input."""
    out = out or sys.stdout
    read = _reader()
    say = lambda text="": print(text, file=out, flush=True)  # noqa: E731
    say(f"ptkb ask: one question at a time. {HELP}.")
    finished = False
    while True:
        questions = session.next_questions(1)
        if not questions and not finished:
            say("No more questions change the plan.\n")
            say(session.plan())
            finished = True
        question = questions[0] if questions else None
        if question is None:
            prompt = "ptkb> "
        elif question.blocks:
            say(f"{question.meaning} Name them separated by commas, 'all', or Enter for none:")
            for name in question.blocks:
                say(f"  {name:<26} {FINDING_GROUPS[name][0]}")
            prompt = "examined [names/all/none] > "
        elif question.group == SCREEN_BLOCK:
            say(f"{question.meaning}\n  Answer yes if all were no; no to answer them one by one; or name the "
                "exceptions (NAME for a yes, NAME=skip for one not asked; the rest were no).")
            prompt = "red-flag screen [yes/no/exceptions] > "
        elif question.group:
            prompt = f"{question.meaning} [{question.allowed.replace(' / ', '/')}] > "
        else:
            prompt = f"{question.finding} ({question.meaning}; {question.allowed}) [skip] > "
        try:
            line = read(prompt, _values(session, question) if question else ()).strip()
        except (EOFError, KeyboardInterrupt):
            say("\nptkb ask: ended; nothing was saved." if not save else "\nptkb ask: ended.")
            return 0
        word, _, rest = line.partition(" ")
        try:
            if word == "quit":
                say("ptkb ask: ended." if save else "ptkb ask: ended; nothing was saved.")
                return 0
            if word == "help":
                say(HELP)
            elif word == "why":
                if rest.strip():
                    say(session.why(rest.strip()).text())
                elif question:
                    for answer in session.why_question(question):
                        say(answer.text())
                else:
                    say("why: nothing is being asked; use 'how ID' for a conclusion")
            elif word == "how":
                if not rest.strip():
                    raise UsageError("how needs a conclusion id, e.g. how grade_2")
                say(session.how(rest.strip()))
            elif word == "plan":
                say(session.plan())
            elif word == "undo":
                undone = session.undo()
                finished = False
                say(f"undone: {undone}" if undone else "nothing to undo")
            elif word == "save":
                if not rest.strip():
                    raise UsageError("save needs a file name, e.g. save case.yaml")
                from ptkb.output import write_file
                write_file(rest.strip(), session.to_yaml())
                save = rest.strip()
                say(f"saved {rest.strip()}")
            elif question is None:
                say(f"unknown command {line!r}; {HELP}")
            else:
                session.answer_text(question.group or question.finding, line)
        except PtkbError as exc:
            say(f"  {exc}")

