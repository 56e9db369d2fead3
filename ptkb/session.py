"""An interactive consultation: ask the next most useful question, answer WHY and HOW at every step.

The session holds no terminal code: the CLI (`ptkb ask`), a notebook or a web page drive it.

>>> s = Session()
>>> s.next_questions()[0].finding            # the red-flag screen comes first, as one question
'red_flag_screen'
>>> s.answer_group("red_flag_screen", False)   # not all negative: then question by question
>>> s.next_questions()[0].finding
'bladder_or_bowel_change'
>>> s.answer("bladder_or_bowel_change", False)
>>> s.why("saddle_numbness").rules[0].rule_id
'RF-003'

How the next question is chosen (deterministic):
1. The red-flag screen first, always, as one question: all negative? The answer is yes, or the
   exceptions in one line (`saddle_numbness`, `systemic_signs=skip`: the rest were no), or no, and
   then each question is asked in the order the screen declares.
2. Then every finding not yet asked that a *live* rule still tests, ranked by score. A rule is live
   when none of its conditions has already failed for good: a finding condition fails once the
   finding is answered (or skipped) with another value; a "has X" condition fails once no live rule
   can conclude X any more (a greatest fixpoint); a "no X" condition fails once X is settled,
   concluded by a firing that no further answer can undo (so under a red flag found for good, no
   question is asked for the staging and treatment rules it blocks). A finding no live rule tests
   cannot change any conclusion, so it is never asked; nor is one whose live rules have not fired
   and could only conclude again what is already concluded (a rule that has fired still counts: an
   answer could stop it, through a condition that holds while the finding is not examined). A live
   rule adds to the score of each finding it tests: 3 for a red-flag or hypothesis rule (they
   separate the competing problems), 2 for a clue rule (clues feed them), 1 otherwise.
3. Ties follow the clinical order of the vocabulary (history before examination before imaging).
4. A finding that belongs to a block of the examination (`FINDING_GROUPS`: imaging, the SIJ tests,
   the rehabilitation criteria...) is first asked as its block -- "was it examined at all?" -- so a
   block that was not done costs one question; its score is the best of its findings. When several
   blocks wait, one question asks which of them were examined (`EXAM_BLOCKS`: names, "all", or
   none), at the rank of the best of them.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

from engine.case import Case, case_from_mapping
from engine.errors import UsageError
from kb.conditions import AboutRule, Layer, RuleMeta
from kb.vocabulary import CONCLUSIONS, FINDING_GROUPS, FINDINGS, RED_FLAG_SCREEN, FindingType

__all__ = ["Session", "Question", "WaitingRule", "WhyAsk", "SKIP", "SCREEN_BLOCK", "EXAM_BLOCKS", "parse_answer"]

SKIP = "skip"  # the answer "not examined"
SCREEN_BLOCK = "red_flag_screen"  # the whole screen at once: every question answered no
# Its answers: yes (all no), no (ask them one by one), or the exceptions in one line, the rest no.
SCREEN_ALLOWED = "yes / no / the exceptions: NAME (yes) or NAME=skip, the rest no"
EXAM_BLOCKS = "examinations"  # which of several blocks were examined at all, in one answer
_WEIGHT = {Layer.RED_FLAG: 3, Layer.HYPOTHESIS: 3, Layer.CLUE: 2}
_ORDER = {fid: i for i, fid in enumerate(FINDINGS)}
_GROUP_OF = {fid: name for name, (_, members) in FINDING_GROUPS.items() for fid in members}


@dataclass(frozen=True)
class Question:
    """A finding worth asking now, with its score (0 for the red-flag screen's fixed order); or, when
    `group` is set, a block of findings: "was it examined at all?" (answer with `answer_group`), or,
    for `EXAM_BLOCKS`, which of the `blocks` were examined (answer with `answer_blocks`)."""

    finding: str
    meaning: str
    allowed: str
    score: int
    red_flag_screen: bool = False
    group: str = ""
    finding_order: int = 0  # position in the vocabulary (clinical order), the tie-breaker
    blocks: tuple[str, ...] = ()  # the examinations question: the blocks it asks about


@dataclass(frozen=True)
class WaitingRule(AboutRule):
    """A live rule that tests the finding: what it would conclude and what it still needs."""

    rule: RuleMeta
    still_needs: tuple[str, ...]

    @property
    def would_conclude(self) -> tuple[str, ...]:
        return self.rule.then

    def __repr__(self) -> str:
        return f"WaitingRule({self.rule_id}, still_needs={self.still_needs!r})"


@dataclass(frozen=True)
class WhyAsk:
    finding: str
    rules: tuple[WaitingRule, ...]

    def text(self, limit: int = 5) -> str:
        if not self.rules:
            return f"{self.finding}: no rule is waiting on it any more; its answer cannot change the plan.\n"
        lines = [f"I am asking about {self.finding} because:"]
        closest = sorted(self.rules, key=lambda r: (len(r.still_needs), r.rule_id))
        for r in closest[:limit]:
            lines.append(f"  {r.rule_id} ({r.title}) would conclude {', '.join(r.would_conclude)}")
            if r.still_needs:
                lines.append(f"      it still needs: {'; '.join(r.still_needs)}")
        if len(closest) > limit:
            lines.append(f"  ... and {len(closest) - limit} more rules (closest to firing shown first)")
        return "\n".join(lines) + "\n"


def _screen():
    return tuple(finding for finding, _ in RED_FLAG_SCREEN)


class _RuleReads(NamedTuple):
    """What one rule reads and concludes: the conclusions and clue groups its conditions read, the
    findings they read (in order), whether it concludes anything shown to clinicians, and the
    conclusions and clue groups it concludes."""

    conclusions: tuple
    groups: frozenset
    findings: tuple
    shown: bool
    concludes: frozenset
    concluded_groups: frozenset
    on_findings: tuple  # its conditions on findings alone
    on_conclusions: tuple  # its conditions on conclusions


class _Readers(NamedTuple):
    """Which rules read what, by their position in the rule list: per conclusion, the rules with a
    condition on it; per finding, (position, condition) for each condition on that finding alone;
    and every conclusion of the vocabulary or of a rule."""

    by_conclusion: dict
    by_finding: dict
    everything: frozenset


@lru_cache(maxsize=8)
def _reads_of(rules: tuple) -> dict[str, _RuleReads]:
    """Per rule id, what the rule reads and concludes (found once per rule set, for every session:
    nothing here is ever changed)."""
    return {m.id: _RuleReads(m.reads_conclusions(), frozenset(g for cond in m.when for g in cond.groups()),
                             tuple(dict.fromkeys(f for cond in m.when for f in cond.findings())),
                             any(CONCLUSIONS[c].shown for c in m.then), frozenset(m.then),
                             frozenset(CONCLUSIONS[c].group for c in m.then) - {""},
                             tuple(c for c in m.when if not c.conclusions()),
                             tuple(c for c in m.when if c.conclusions()))
            for m in rules}


@lru_cache(maxsize=8)
def _readers_of(rules: tuple) -> _Readers:
    """Who reads what, by position in `rules` (found once per rule set, as `_reads_of`)."""
    by_conclusion: dict[str, dict[int, None]] = {}
    by_finding: dict[str, list] = {}
    reads = _reads_of(rules)
    for i, m in enumerate(rules):
        for c in reads[m.id].conclusions:
            by_conclusion.setdefault(c, {})[i] = None
        for cond in reads[m.id].on_findings:
            by_finding.setdefault(cond.findings()[0], []).append((i, cond))
    return _Readers({c: tuple(positions) for c, positions in by_conclusion.items()},
                    by_finding, frozenset(CONCLUSIONS).union(*(m.then for m in rules)))


@dataclass
class Session:
    """A consultation built one answer at a time. `answers` maps finding -> value or SKIP."""

    case_id: str = "captured-case"
    title: str = ""
    answers: dict = field(default_factory=dict)
    opened: set = field(default_factory=set)  # blocks answered "examined"
    _history: list = field(default_factory=list, repr=False)
    _result: object = field(default=None, repr=False)
    _state: object = field(default=None, repr=False)
    _live_rules: object = field(default=None, repr=False)
    _rule_reads: object = field(default=None, repr=False)
    _rule_readers: object = field(default=None, repr=False)
    _failed: dict = field(default_factory=dict, repr=False)  # see _failed_by

    @classmethod
    def from_case(cls, case: Case) -> Session:
        """Start from a case file's findings (they count as answered)."""
        return cls(case_id=case.id, title=case.title, answers=dict(case.findings))

    # -- state ------------------------------------------------------------------------------------
    def findings(self) -> dict:
        return {f: v for f, v in self.answers.items() if v is not SKIP}

    def case(self) -> Case:
        return case_from_mapping({"id": self.case_id, "title": self.title, "findings": self.findings()})

    def result(self):
        """The consultation on the answers so far (cached until the next answer)."""
        if self._result is None:
            from engine import consult
            self._result = consult(self.case())
        return self._result

    def state(self):
        """The conclusions (`ids()`) and fired rules (`fired_rules()`) of the answers so far, from the
        compiled evaluator: the same as the engine's (differential-tested), in microseconds, for the
        bookkeeping that chooses each question. `result()` is the traced consultation."""
        if self._state is None:
            self._state = _evaluator()(self.findings())
        return self._state

    def _changed(self) -> None:
        self._result = self._state = self._live_rules = None

    def answer(self, finding: str, value) -> None:
        """Record an answer, validated as in case files; SKIP (or None) means "not examined"."""
        from engine.case import suggest
        if finding not in FINDINGS:
            raise UsageError(f"unknown finding {finding!r}{suggest(finding, FINDINGS)}")
        if value is None or value == SKIP:
            value = SKIP
        else:
            problem = FINDINGS[finding].problem_with(value)
            if problem:
                raise UsageError(f"{finding}: {problem}")
        self._history.append((finding, {finding: self.answers.get(finding, _UNSET)}, set(self.opened)))
        self.answers[finding] = value
        self._changed()

    def answer_group(self, group: str, examined: bool) -> None:
        """Answer a block question: not examined skips every finding of the block not yet answered.
        For the red-flag screen block, "yes" (examined, all negative) records each question as false;
        "no" asks them one by one."""
        screen = group == SCREEN_BLOCK
        if screen and examined:
            return self.answer_screen({})
        if not screen and group not in FINDING_GROUPS:
            from engine.case import suggest
            raise UsageError(f"unknown block {group!r}{suggest(group, FINDING_GROUPS)}")
        members = self.block_members(group)
        self._history.append((group, {f: _UNSET for f in members}, set(self.opened)))
        if screen or examined:  # the screen's findings are then asked one by one; a block's, each
            self.opened.add(group)
        else:  # a block not examined: skip each of its findings
            self.answers.update({f: SKIP for f in members})
            self._changed()

    def answer_screen(self, exceptions: dict) -> None:
        """Answer the whole red-flag screen at once: every question not yet answered is recorded no,
        except those in `exceptions` (finding -> its answer: yes, no, or SKIP for not asked)."""
        members = self.block_members(SCREEN_BLOCK)
        wrong = sorted(set(exceptions) - set(members))
        if wrong:
            from engine.case import suggest
            raise UsageError(f"{SCREEN_BLOCK}: {wrong[0]!r} is not a screen question still open"
                             f"{suggest(wrong[0], members)}; name some of: {', '.join(members)}")
        values = {f: exceptions.get(f, False) for f in members}
        for finding, value in values.items():
            problem = value is not SKIP and FINDINGS[finding].problem_with(value)
            if problem:
                raise UsageError(f"{finding}: {problem}")
        self._history.append((SCREEN_BLOCK, {f: _UNSET for f in members}, set(self.opened)))
        self.opened.add(SCREEN_BLOCK)
        self.answers.update(values)
        self._changed()

    @staticmethod
    def _screen_exceptions(text: str) -> dict:
        """`NAME` (yes), `NAME=yes|no|skip`, separated by commas or spaces -> finding -> answer."""
        exceptions = {}
        for item in text.replace(",", " ").split():
            name, sep, value = item.partition("=")
            value = value.strip().lower()
            exceptions[name] = (True if not sep else SKIP if value in ("skip", "", "not_asked")
                                else parse_answer(name, value) if name in FINDINGS else value)
        return exceptions

    def answer_blocks(self, examined) -> None:
        """Answer the examinations question: the blocks named were examined (their findings are asked
        next), every other block it asks about was not (its findings are skipped)."""
        offered = self._checklist()
        examined = set(examined)
        wrong = sorted(examined - set(offered))
        if wrong:
            from engine.case import suggest
            raise UsageError(f"{EXAM_BLOCKS}: {wrong[0]!r} is not asked about here{suggest(wrong[0], offered)}; "
                             f"name some of: {', '.join(offered)}")
        skipped = [f for name in offered if name not in examined for f in self.block_members(name)]
        self._history.append((EXAM_BLOCKS, {f: _UNSET for f in skipped}, set(self.opened)))
        self.opened |= examined
        self.answers.update({f: SKIP for f in skipped})
        self._changed()

    def answer_text(self, name: str, text: str) -> None:
        """Answer a question as typed or chosen: a block (yes/examined, or no/skip) or a finding (its
        value as text; empty or "skip" for not examined)."""
        text = text.strip()
        if name == EXAM_BLOCKS:
            words = text.replace(",", " ").split()
            lowered = [w.lower() for w in words]
            none = lowered in ([], ["none"], ["no"], ["skip"])
            self.answer_blocks(() if none else self._checklist() if lowered == ["all"] else words)
        elif name == SCREEN_BLOCK and text.lower() not in ("yes", "y", "no", "n", ""):
            self.answer_screen(self._screen_exceptions(text))
        elif name == SCREEN_BLOCK or name in FINDING_GROUPS:
            if text.lower() not in ("examined", "yes", "y", "skip", "no", "n", ""):
                raise UsageError(f"{name}: answer yes (examined) or no (skip), not {text!r}")
            self.answer_group(name, text.lower() in ("examined", "yes", "y"))
        else:
            self.answer(name, SKIP if text in ("", SKIP) else parse_answer(name, text) if name in FINDINGS else text)

    def block_members(self, group: str) -> tuple[str, ...]:
        """The findings a block question stands for (the red-flag screen, a FINDING_GROUPS block, or
        every block the examinations question asks about), those not yet answered."""
        if group == EXAM_BLOCKS:
            return tuple(f for name in self._checklist() for f in self.block_members(name))
        members = _screen() if group == SCREEN_BLOCK else FINDING_GROUPS[group][1]
        return tuple(f for f in members if f not in self.answers)

    def undo(self) -> str | None:
        """Take back the last answer; returns its finding or block (None when there is nothing to undo)."""
        if not self._history:
            return None
        name, previous, self.opened = self._history.pop()
        for finding, value in previous.items():
            if value is _UNSET:
                self.answers.pop(finding, None)
            else:
                self.answers[finding] = value
        self._changed()
        return name

    # -- which rules are still live -----------------------------------------------------------------
    def _rules(self):
        from engine import catalogue
        return catalogue()

    def _reads(self) -> dict[str, _RuleReads]:
        """Per rule id, what the rule reads and concludes, which no answer changes (`_reads_of`)."""
        if self._rule_reads is None:
            self._rule_reads = _reads_of(self._rules())
        return self._rule_reads

    def _readers(self) -> _Readers:
        """Who reads what, by position in `_rules()` (`_readers_of`)."""
        if self._rule_readers is None:
            self._rule_readers = _readers_of(self._rules())
        return self._rule_readers

    def _failed_by(self, finding: str, value) -> frozenset:
        """The positions (in `_rules()`) of the rules a condition of which fails for good on this
        answer to the finding (kept for the session: answers repeat across undo and re-answer)."""
        key = (finding, None, None) if value is SKIP else (finding, type(value), value)
        try:
            failed = self._failed.get(key)
        except TypeError:  # a value that cannot be a key: found again each time
            key, failed = None, None
        if failed is None:
            examined = {} if value is SKIP else {finding: value}
            failed = frozenset(i for i, cond in self._readers().by_finding.get(finding, ())
                               if cond.impossible(examined, {finding}, set()))
            if key is not None:
                self._failed[key] = failed
        return failed

    def _live(self) -> tuple[list, set]:
        """`_find_live` of the answers so far (kept until the next answer or undo)."""
        if self._live_rules is None:
            self._live_rules = self._find_live()
        return self._live_rules

    def _find_live(self) -> tuple[list, set]:
        """The live rules that can still matter, and the conclusions still possible (greatest
        fixpoints: a rule is dropped when a condition failed for good, or when all it concludes are
        clues that no remaining rule reads). A condition fails for good on a finding answered with
        another value, on a conclusion no live rule can reach any more, or on a conclusion it must
        not have that is settled: concluded by a firing that no further answer can undo."""
        concluded = self.state().ids()
        rules = self._rules()
        asked = set(self.answers)
        examined = {f: v for f, v in self.answers.items() if v is not SKIP}
        reads, readers = self._reads(), self._readers()
        # From the top (everything is possible, nothing settled) the fixpoint only shrinks what is
        # possible and grows what is settled, so a rule once dropped stays dropped.
        possible, settled = readers.everything | concluded, set()
        # A condition on findings alone reads only the answer to its finding, which the fixpoint does
        # not change: it is tested once per answer. A condition on conclusions is tested again only
        # when one it reads changed.
        on_conclusions = [reads[m.id].on_conclusions for m in rules]
        alive = set(range(len(rules))).difference(*(self._failed_by(f, v) for f, v in self.answers.items()))
        check = sorted(alive)
        while True:
            alive.difference_update([i for i in check if any(c.impossible(examined, asked, possible, settled)
                                                             for c in on_conclusions[i])])
            live = [rules[i] for i in sorted(alive)]
            now = concluded | {c for m in live for c in m.then}
            settled_now = self._settled(rules, asked, now)
            if now == possible and settled_now == settled:
                break
            changed = (possible ^ now) | (settled ^ settled_now)
            possible, settled = now, settled_now
            check = {i for c in changed for i in readers.by_conclusion.get(c, ()) if i in alive}
        return self._mattering(live), possible

    def _mattering(self, live: list) -> list:
        """The live rules that can still matter: drop, until none is left to drop, each rule whose
        conclusions are all clues that no remaining rule reads (a greatest fixpoint)."""
        reads = self._reads()
        while True:
            read = {c for m in live for c in reads[m.id].conclusions}
            groups = set().union(*(reads[m.id].groups for m in live))
            kept = [m for m in live if reads[m.id].shown or not (read.isdisjoint(reads[m.id].concludes)
                                                                 and groups.isdisjoint(reads[m.id].concluded_groups))]
            if len(kept) == len(live):
                return live
            live = kept

    def _settled(self, rules, asked: set, possible: set) -> set:
        """The conclusions of fired rules whose every condition holds for good (a least fixpoint)."""
        fired = set(self.state().fired_rules())
        firings = [m for m in rules if m.id in fired]
        settled: set = set()
        while True:
            more = {c for m in firings if all(cond.holds_for_good(asked, possible, settled) for cond in m.when)
                    for c in m.then}
            if more <= settled:
                return settled
            settled |= more

    def _still_needs(self, meta) -> tuple[str, ...]:
        concluded, asked = self.state().ids(), set(self.answers)
        return tuple(cond.text() for cond in meta.when if cond.still_needs(asked, concluded))

    # -- questions ------------------------------------------------------------------------------------
    def next_questions(self, limit: int | None = None) -> list[Question]:
        """The findings worth asking now, best first (see the module docstring)."""
        screen = [f for f in _screen() if f not in self.answers]
        if len(screen) > 1 and SCREEN_BLOCK not in self.opened:
            questions = [Question(SCREEN_BLOCK, "Were all red-flag screen questions answered no (" + ", ".join(screen)
                                  + ")?", SCREEN_ALLOWED, 0, True, group=SCREEN_BLOCK)]
        else:
            questions = [_question(f, 0, True) for f in screen]
        scores = self._scores(screen)
        blocks = self._blocks(scores)
        ranked = [_question(f, scores[f]) for f in scores if _GROUP_OF.get(f) not in blocks]
        if len(blocks) > 1:  # which of the blocks were examined: one question for them all
            waiting = [f for members in blocks.values() for f in members]
            ranked.append(Question(EXAM_BLOCKS, "Which of these were examined?", " / ".join(blocks),
                                   max(scores[f] for f in waiting), group=EXAM_BLOCKS,
                                   finding_order=min(_ORDER[f] for f in waiting), blocks=tuple(blocks)))
        else:
            ranked += [Question(name, FINDING_GROUPS[name][0], "examined / skip", max(scores[f] for f in members),
                                group=name, finding_order=min(_ORDER[f] for f in members))
                       for name, members in blocks.items()]
        ranked.sort(key=lambda q: (-q.score, q.finding_order))
        questions += ranked
        return questions[:limit] if limit else questions

    def _scores(self, screen) -> dict[str, int]:
        """Each finding worth asking (not yet answered, not on the screen) -> its score."""
        live, _ = self._live()
        reads = self._reads()
        readers: dict[str, int] = {}
        for meta in live:
            for c in reads[meta.id].conclusions:
                readers[c] = readers.get(c, 0) + 1
        concluded, fired = self.state().ids(), set(self.state().fired_rules())
        scores: dict[str, int] = {}
        for meta in live:
            if meta.id not in fired and set(meta.then) <= concluded:
                continue  # it could only conclude again what is already concluded
            weight = _WEIGHT.get(meta.layer, 1) + sum(readers.get(c, 0) for c in meta.then)
            for fid in reads[meta.id].findings:
                if fid not in self.answers and fid not in screen:
                    scores[fid] = scores.get(fid, 0) + weight
        return scores

    def _blocks(self, scores) -> dict[str, list[str]]:
        """The blocks not yet opened that hold a finding worth asking -> those findings, in the clinical
        order of the vocabulary."""
        blocks: dict[str, list[str]] = {}
        for fid in sorted(scores, key=_ORDER.__getitem__):
            group = _GROUP_OF.get(fid)
            if group and group not in self.opened:
                blocks.setdefault(group, []).append(fid)
        return blocks

    def _waiting_blocks(self) -> dict[str, list[str]]:
        """`_blocks` of the findings worth asking now."""
        return self._blocks(self._scores([f for f in _screen() if f not in self.answers]))

    def _checklist(self) -> tuple[str, ...]:
        """The blocks the examinations question asks about now."""
        return tuple(self._waiting_blocks())

    def why(self, finding: str) -> WhyAsk:
        """The live rules waiting on this finding, what each would conclude, what each still needs."""
        if finding not in FINDINGS:
            from engine.case import suggest
            raise UsageError(f"unknown finding {finding!r}{suggest(finding, FINDINGS)}")
        live, _ = self._live()
        waiting = [WaitingRule(m, self._still_needs(m)) for m in live
                   if finding in {f for c in m.when for f in c.findings()}]
        return WhyAsk(finding, tuple(waiting))

    def why_question(self, question: Question, limit: int = 3) -> tuple[WhyAsk, ...]:
        """WHY at a question: the waiting rules of its finding; for a block, of its first findings worth
        asking; for the examinations question, of the first such finding of each of its first blocks."""
        if question.blocks:
            waiting = self._waiting_blocks()
            findings = [waiting[name][0] for name in question.blocks[:limit] if name in waiting]
        elif question.group and question.group != SCREEN_BLOCK:
            findings = self._waiting_blocks().get(question.group, [])[:limit]
        elif question.group:
            findings = list(self.block_members(question.group)[:limit])
        else:
            findings = [question.finding]
        return tuple(self.why(f) for f in findings)

    def how(self, conclusion: str) -> str:
        """How a conclusion was reached (or, when it was not, why not)."""
        from engine import rule_by_id
        from explain import why, why_not
        if conclusion not in CONCLUSIONS:
            from engine.case import suggest
            raise UsageError(f"unknown conclusion {conclusion!r}{suggest(conclusion, CONCLUSIONS)}")
        result = self.result()
        answer = why(result, conclusion, rule_by_id()) if conclusion in result.ids() else \
            why_not(result, conclusion, rule_by_id())
        return answer.text()

    def plan(self) -> str:
        from ptkb.report import consultation_text
        return consultation_text(self.result())

    # -- saving -----------------------------------------------------------------------------------------
    def to_yaml(self, how: str = "ptkb ask") -> str:
        """A scenario file of the answers so far, with the current conclusions as its expectation."""
        import yaml
        ids = self.result().ids()
        include = sorted(c for c in ids if CONCLUSIONS[c].shown)
        exclude = [c for c in ("conflict_findings", "rf_*") if not any(i == c or (c.endswith("*") and
                                                                                    i.startswith(c[:-1])) for i in ids)]
        skipped = sorted(f for f, v in self.answers.items() if v is SKIP)
        document = {"id": self.case_id, "title": self.title or f"Case captured with {how}",
                    "source": how, "findings": self.findings(), "expect": {"include": include, "exclude": exclude}}
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        header = [f"# Captured with {how} on {stamp}: one answer per question; a finding that is absent was",
                  "# not examined. The expectation is what ptkb concluded at the time; review it before committing."]
        if skipped:
            header.append(f"# Skipped (not examined): {', '.join(skipped)}")
        return "\n".join(header) + "\n" + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


_UNSET = object()


@cache
def _evaluator():
    """The compiled evaluator of the knowledge base, built on first use."""
    from engine import catalogue
    from engine.evaluator import compile_rules
    return compile_rules(catalogue())


def parse_answer(finding: str, text: str):
    """The typed text as the finding's value: true/false (yes/no), numbers, enum names; text that is none
    of these is returned as it is, for the validator to name what was expected.

    >>> parse_answer("pain_worst_nrs", "7"), parse_answer("night_pain", "no"), parse_answer("gait", "normal")
    (7, False, 'normal')
    """
    definition = FINDINGS[finding]
    if definition.type is FindingType.BOOL:
        return {"true": True, "false": False, "yes": True, "no": False}.get(text.lower(), text)
    if definition.type is FindingType.NUMBER:
        try:
            return int(text) if text.lstrip("-").isdigit() else float(text)
        except ValueError:
            return text
    return text


def _question(fid: str, score: int, screen: bool = False) -> Question:
    definition = FINDINGS[fid]
    return Question(fid, definition.meaning, definition.describe_type(), score, screen, finding_order=_ORDER[fid])
