"""Rule conditions and rule metadata as plain data (no experta here).

A rule's left-hand side is written as a list of these conditions; `kb.rulebook` compiles them
to experta patterns, and lint, explanations and the knowledge-base graph read them directly.

>>> Is("gait", "normal").text()
'gait = normal'
>>> Lacks("grade_3").is_absence
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from enum import IntEnum
from functools import cache
from typing import ClassVar

from kb.evidence import EvidenceLevel
from kb.vocabulary import CONCLUSIONS, FINDINGS, FindingType, Kind

__all__ = [
    "Layer", "Condition", "Is", "OneOf", "AtLeast", "AtMost", "Above", "Below", "Known",
    "Unknown", "Has", "Lacks", "NoneOfKind", "TwoOf", "RuleEntry", "RuleMeta", "AboutRule", "describe",
    "finding_text", "condition_from_data",
]


class Layer(IntEnum):
    """Salience of each layer: a layer runs after every layer above it has finished."""

    CLUE = 90            # observations -> clues (thresholds, clusters)
    RED_FLAG = 80
    REFERRAL = 75
    HYPOTHESIS = 70      # clues -> hypotheses (the differential)
    CLASSIFICATION = 60  # tissue, grade, irritability
    STAGE_CANDIDATE = 55
    STAGE = 50
    MANAGEMENT = 40      # hypotheses -> principles
    TESTS = 30           # what to examine next


def value_text(value) -> str:
    """A finding's value as a case file writes it: true / false, normal, 4 (None: not examined).

    >>> value_text(True), value_text("sharp_local"), value_text(None)
    ('true', 'sharp_local', 'not examined')
    """
    if value is None:
        return "not examined"
    return str(value).lower() if isinstance(value, bool) else str(value)


def finding_text(fid, value) -> str:
    """'gait = normal', 'night_pain = true': how a finding and its value are written everywhere."""
    return f"{fid} = {value_text(value)}"


@dataclass(frozen=True)
class Condition:
    """Base class: one condition of a rule's left-hand side."""

    is_absence = False  # a NOT condition (true when no matching fact exists)
    is_threshold = False
    tests_value = True  # constrains its finding's value (Known only asks that it was examined)

    def to_data(self):
        """The condition as rule files write it: `{tag: argument}` or `{tag: {finding: argument}}`.

        >>> Is("gait", "normal").to_data(), OneOf("bamic_grade", (3, 4)).to_data(), Has("grade_2").to_data()
        ({'is': {'gait': 'normal'}}, {'one_of': {'bamic_grade': [3, 4]}}, {'has': 'grade_2'})
        """
        values = [list(v) if isinstance(v, tuple) else v for v in (getattr(self, f.name) for f in fields(self))]
        return {self.tag(): values[0] if len(values) == 1 else {values[0]: values[1]}}

    @classmethod
    def tag(cls) -> str:
        """The condition's name in rule files: its class name in snake case (OneOf -> one_of)."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()

    @classmethod
    def from_data(cls, argument) -> Condition:
        """The condition of `argument`, as `to_data` writes it (ValueError naming what was expected)."""
        if len(cls.__dataclass_fields__) == 1:
            if not isinstance(argument, str):
                raise ValueError(f"{cls.tag()} takes one id, got {argument!r}")
            return cls(argument)
        if not (isinstance(argument, dict) and len(argument) == 1):
            raise ValueError(f"{cls.tag()} takes {{finding: value}}, got {argument!r}")
        ((finding, value),) = argument.items()
        if list(cls.__dataclass_fields__.values())[1].type == "tuple" and not isinstance(value, list):
            raise ValueError(f"{cls.tag()} takes {{finding: [values]}}, got {argument!r}")
        return cls(finding, tuple(value) if isinstance(value, list) else value)

    def compile(self, builder) -> None:
        """Hand the condition to a pattern builder (kb.rulebook's, for experta): the one call that says
        what kind of pattern it is -- on_finding, absence, has, lacks_kind or two_of."""
        raise TypeError(f"unknown condition {self!r}")

    def exact_value(self) -> tuple:
        """(value,) when the condition asks for exactly one value of its finding, else ()."""
        return ()

    def named_values(self) -> tuple:
        """The values of its finding the condition names (checked against the vocabulary by lint)."""
        return ()

    def needs(self) -> tuple[str, ...]:
        """The conclusions that must hold (what a proof of it expands)."""
        return ()

    def negates(self) -> tuple[str, ...]:
        """The conclusions that must not hold."""
        return ()

    def unknown_references(self) -> tuple[tuple[str, str], ...]:
        """Names the vocabulary does not know, as (what, name): a conclusion, a kind, or a clue group
        with fewer than two members."""
        return ()

    def unreachable(self, produced: set) -> str:
        """Why it can never hold when only the `produced` conclusions are ever concluded ('' if it can)."""
        return ""

    def findings(self) -> tuple[str, ...]:
        return ()

    def conclusions(self) -> tuple[str, ...]:
        return ()

    def holds(self, findings: dict, concluded: set) -> bool:
        """Evaluate against plain data (used by why-not; the engine uses experta)."""
        raise NotImplementedError

    def to_logic(self, model):
        """The same meaning as a formula of `model` (ptkb.verification's logical model of the KB): the
        model supplies `present(f)`, `value(f)`, `literal(f, v)`, `concluded(c)`, `at_least_two`."""
        raise NotImplementedError

    def to_python(self, name) -> str:
        """The same meaning as a Python expression for the compiled evaluator (engine.evaluator):
        the findings are the dict `f`; `name(conclusion_id)` is the local boolean of a conclusion."""
        raise NotImplementedError

    def trace(self, findings: dict, bindings: dict) -> tuple[tuple, ...]:
        """What a firing relied on, for its trace: ("premise" | "absence", fact kind, id, value) entries
        (`bindings` holds what the rule's pattern bound, e.g. TwoOf's `first` and `second`)."""
        return tuple(("premise", "finding", f, findings[f]) for f in self.findings())

    def diagnose(self, findings: dict, concluded: set) -> tuple[str, str]:
        """Why it fails, for why-not: (status, detail) with status "missing" (not examined),
        "contradicted", "blocked" or "not concluded"."""
        finding = self.findings()[0]
        if finding not in findings:
            return "missing", f"{finding} not examined"
        return "contradicted", finding_text(finding, findings[finding])

    def flipped(self) -> Condition | None:
        """The opposite condition the mutation check substitutes, or None when there is none."""
        return None

    def impossible(self, examined: dict, asked: set, possible: set, settled: set = frozenset()) -> bool:
        """Can no longer hold during a consultation in progress (`ptkb ask`): `asked` findings are
        answered for good (`examined` holds those with a value; the rest were skipped), `possible`
        holds the conclusions that can still be reached, `settled` those no answer can take back."""
        finding = self.findings()[0]
        return finding in asked and not self.holds({finding: examined[finding]} if finding in examined else {}, set())

    def holds_for_good(self, asked: set, possible: set, settled: set) -> bool:
        """Holding now, can no further answer make it fail? (A finding condition: once its finding is
        answered; see `impossible` for the arguments.)"""
        return self.findings()[0] in asked

    def still_needs(self, asked: set, concluded: set) -> bool:
        """Waits on something not yet known: a finding not yet asked, a conclusion not yet reached."""
        return self.findings()[0] not in asked

    def groups(self) -> tuple[str, ...]:
        """The clue groups the condition reads (TwoOf)."""
        return ()


@dataclass(frozen=True)
class _FindingCondition(Condition):
    finding: str

    def findings(self):
        return (self.finding,)

    def compile(self, builder):
        builder.on_finding(self)


@dataclass(frozen=True)
class Is(_FindingCondition):
    """The finding was examined and has exactly this value (false is a value, absent is not)."""

    value: object = True

    def text(self):
        return finding_text(self.finding, self.value)

    def exact_value(self):
        return (self.value,)

    def named_values(self):
        return (self.value,)

    def holds(self, findings, concluded):
        return self.finding in findings and findings[self.finding] == self.value \
            and isinstance(findings[self.finding], bool) == isinstance(self.value, bool)

    def to_logic(self, model):
        return model.And(model.present(self.finding), model.value(self.finding) == model.literal(self.finding, self.value))

    def flipped(self):
        if isinstance(self.value, bool):
            return Is(self.finding, not self.value)
        finding = FINDINGS.get(self.finding)
        if finding is not None and finding.type is FindingType.ENUM:
            return Is(self.finding, next(v for v in finding.values if v != self.value))
        return None

    def to_python(self, name):
        if isinstance(self.value, bool):
            return f"f.get({self.finding!r}) is {self.value!r}"
        return f"({self.finding!r} in f and f[{self.finding!r}] == {self.value!r} and f[{self.finding!r}] is not True " \
               f"and f[{self.finding!r}] is not False)"


@dataclass(frozen=True)
class OneOf(_FindingCondition):
    values: tuple = ()

    def text(self):
        return f"{self.finding} is one of {', '.join(map(str, self.values))}"

    def named_values(self):
        return tuple(self.values)

    def holds(self, findings, concluded):
        return findings.get(self.finding, _MISSING) in self.values

    def to_logic(self, model):
        value = model.value(self.finding)
        return model.And(model.present(self.finding),
                         model.Or(*(value == model.literal(self.finding, v) for v in self.values)))

    def to_python(self, name):
        return f"f.get({self.finding!r}, _MISSING) in {tuple(self.values)!r}"


_MISSING = object()


@dataclass(frozen=True)
class _Threshold(_FindingCondition):
    limit: float = 0
    symbol = "?"
    is_threshold = True

    def text(self):
        return f"{self.finding} {self.symbol} {self.limit:g}"

    def holds(self, findings, concluded):
        value = findings.get(self.finding)
        return value is not None and not isinstance(value, bool) and self.compare(value)

    def to_logic(self, model):
        return model.And(model.present(self.finding), self.compare(model.value(self.finding)))

    def flipped(self):
        return type(self)(self.finding, self.limit + 1)

    def to_python(self, name):
        value = f"f.get({self.finding!r})"
        return f"({value} is not None and {value} is not True and {value} is not False and " \
               f"{value} {self.operator} {self.limit!r})"


class AtLeast(_Threshold):
    operator = ">="
    symbol = "≥"

    def compare(self, value):
        return value >= self.limit


class AtMost(_Threshold):
    operator = "<="
    symbol = "≤"

    def compare(self, value):
        return value <= self.limit


class Above(_Threshold):
    operator = ">"
    symbol = ">"

    def compare(self, value):
        return value > self.limit


class Below(_Threshold):
    operator = "<"
    symbol = "<"

    def compare(self, value):
        return value < self.limit


@dataclass(frozen=True)
class Known(_FindingCondition):
    tests_value = False

    def text(self):
        return f"{self.finding} was examined"

    def holds(self, findings, concluded):
        return self.finding in findings

    def to_logic(self, model):
        return model.present(self.finding)

    def to_python(self, name):
        return f"{self.finding!r} in f"


class _Absence:
    """A NOT condition that is the negation of a positive one (Unknown of Known, Lacks of Has), which
    it names as `positive_type` and builds from its own fields: it holds, reads as logic and compiles
    (to an experta pattern and to Python) as the opposite of `positive()`, and a firing records it as
    an absence."""

    is_absence = True
    positive_type: ClassVar[type]

    def positive(self) -> Condition:
        return self.positive_type(**{f.name: getattr(self, f.name) for f in fields(self)})

    def compile(self, builder):
        builder.absence(self.positive())

    def holds(self, findings, concluded):
        return not self.positive().holds(findings, concluded)

    def to_logic(self, model):
        return model.Not(self.positive().to_logic(model))

    def to_python(self, name):
        return f"not ({self.positive().to_python(name)})"

    def trace(self, findings, bindings):
        """A firing relied on the absence of each finding and conclusion it names."""
        return (tuple(("absence", "finding", f, None) for f in self.findings())
                + tuple(("absence", "conclusion", c, None) for c in self.conclusions()))


@dataclass(frozen=True)
class Unknown(_Absence, _FindingCondition):
    positive_type = Known

    def text(self):
        return f"{self.finding} not examined"

    def still_needs(self, asked, concluded):
        return False

    def diagnose(self, findings, concluded):
        return "contradicted", f"{self.finding} was examined ({value_text(findings[self.finding])})"


@dataclass(frozen=True)
class _OnConclusion(Condition):
    """A condition on one conclusion: reached (Has) or not (Lacks)."""

    conclusion: str

    def conclusions(self):
        return (self.conclusion,)

    def unknown_references(self):
        return () if self.conclusion in CONCLUSIONS else (("conclusion", self.conclusion),)


@dataclass(frozen=True)
class Has(_OnConclusion):
    def text(self):
        return self.conclusion

    def compile(self, builder):
        builder.has(self.conclusion)

    def needs(self):
        return (self.conclusion,)

    def unreachable(self, produced):
        return "" if self.conclusion in produced else f"needs {self.conclusion}, which no rule concludes"

    def holds(self, findings, concluded):
        return self.conclusion in concluded

    def trace(self, findings, bindings):
        return (("premise", "conclusion", self.conclusion, None),)

    def impossible(self, examined, asked, possible, settled=frozenset()):
        return self.conclusion not in possible

    def holds_for_good(self, asked, possible, settled):
        return self.conclusion in settled

    def still_needs(self, asked, concluded):
        return self.conclusion not in concluded

    def diagnose(self, findings, concluded):
        return "not concluded", "the intermediate conclusion was not reached"

    def flipped(self):
        return Lacks(self.conclusion)

    def to_logic(self, model):
        return model.concluded(self.conclusion)

    def to_python(self, name):
        return name(self.conclusion)


def _blocked(condition, concluded) -> tuple[str, str]:
    blockers = sorted(c for c in condition.conclusions() if c in concluded)
    return "blocked", f"{', '.join(blockers)} was concluded"


@dataclass(frozen=True)
class _Negation(Condition):
    """A NOT condition on conclusions: it holds while none of them is concluded, never waits on
    anything, fails for good during a consultation in progress once a conclusion that blocks it is
    settled, and fails only because a conclusion blocks it."""

    is_absence = True

    def holds(self, findings, concluded):
        return not any(c in concluded for c in self.conclusions())

    def to_logic(self, model):
        return model.Not(model.Or(*(model.concluded(c) for c in self.conclusions())))

    def to_python(self, name):
        return "not (" + " or ".join(name(c) for c in self.conclusions()) + ")" if self.conclusions() else "True"

    def impossible(self, examined, asked, possible, settled=frozenset()):
        return not settled.isdisjoint(self.conclusions())

    def holds_for_good(self, asked, possible, settled):
        return possible.isdisjoint(self.conclusions())

    def still_needs(self, asked, concluded):
        return False

    def diagnose(self, findings, concluded):
        return _blocked(self, concluded)

    def negates(self):
        return self.conclusions()


@dataclass(frozen=True)
class Lacks(_Absence, _Negation, _OnConclusion):
    positive_type = Has

    def text(self):
        return f"no {self.conclusion}"

    def flipped(self):
        return self.positive()


@cache
def _conclusions_of_kind(kind: str) -> tuple:
    return tuple(c.id for c in CONCLUSIONS.values() if c.kind.value == kind)


@dataclass(frozen=True)
class NoneOfKind(_Negation):
    """No conclusion of a kind (e.g. no hypothesis) is concluded: a negation on every conclusion of
    that kind, which a firing records as the absence of the kind."""

    kind: str

    def conclusions(self):
        return _conclusions_of_kind(self.kind)

    def unknown_references(self):
        return () if self.kind in {k.value for k in Kind} else (("kind", self.kind),)

    def trace(self, findings, bindings):
        return (("absence", "kind", self.kind, None),)

    def text(self):
        return f"no {self.kind} concluded"

    def compile(self, builder):
        builder.lacks_kind(self.kind)


@dataclass(frozen=True)
class TwoOf(Condition):
    """At least two different conclusions of one clue group hold (binds them as `first`, `second`)."""

    group: str

    def conclusions(self):
        return tuple(c.id for c in CONCLUSIONS.values() if c.group == self.group)

    def text(self):
        return f"any two of: {', '.join(self.conclusions())}"

    def compile(self, builder):
        builder.two_of(self.group)

    def unknown_references(self):
        return () if len(self.conclusions()) >= 2 else (("group", self.group),)

    def unreachable(self, produced):
        return "" if len(set(self.conclusions()) & produced) >= 2 else \
            f"needs two of group {self.group}, fewer are concluded"

    def holds(self, findings, concluded):
        return len(concluded.intersection(self.conclusions())) >= 2

    def trace(self, findings, bindings):
        return (("premise", "conclusion", bindings["first"], None), ("premise", "conclusion", bindings["second"], None))

    def impossible(self, examined, asked, possible, settled=frozenset()):
        return len(possible.intersection(self.conclusions())) < 2

    def holds_for_good(self, asked, possible, settled):
        return len(settled.intersection(self.conclusions())) >= 2

    def still_needs(self, asked, concluded):
        return False

    def groups(self):
        return (self.group,)

    def diagnose(self, findings, concluded):
        return "not concluded", "the intermediate conclusion was not reached"

    def to_logic(self, model):
        return model.at_least_two([model.concluded(c) for c in self.conclusions()])

    def to_python(self, name):
        return f"({' + '.join(name(c) for c in self.conclusions()) or '0'}) >= 2"


@cache
def _kinds(base=Condition) -> dict[str, type]:
    out = {}
    for klass in base.__subclasses__():
        if not klass.__name__.startswith("_"):
            out[klass.tag()] = klass
        out.update(_kinds(klass))
    return out


def condition_from_data(item) -> Condition:
    """A condition written in a rule file (`{tag: argument}`, see `Condition.to_data`); ValueError
    naming the tags there are, for anything else.

    >>> condition_from_data({"at_least": {"age_years": 50}})
    AtLeast(finding='age_years', limit=50)
    """
    kinds = _kinds()
    if not (isinstance(item, dict) and len(item) == 1) or next(iter(item)) not in kinds:
        raise ValueError(f"a condition is one of {', '.join(sorted(kinds))} with its argument, got {item!r}")
    ((tag, argument),) = item.items()
    return kinds[tag].from_data(argument)


def describe(condition: Condition) -> str:
    """Plain English for a condition, with vocabulary meanings.

    >>> describe(Is("night_pain", True))
    'night pain (pain waking the patient or constant rest pain)'
    """
    finding = FINDINGS.get(getattr(condition, "finding", None))
    conclusion = CONCLUSIONS.get(getattr(condition, "conclusion", None))
    if isinstance(condition, Is) and condition.value is True and finding and finding.type is FindingType.BOOL:
        return f"{condition.finding.replace('_', ' ')} ({finding.meaning})"
    if isinstance(condition, Has) and conclusion:
        return conclusion.meaning
    if isinstance(condition, Lacks) and conclusion:
        return f"not: {conclusion.meaning}"
    return condition.text()


@dataclass(frozen=True)
class RuleEntry:
    """A rule as its author writes it, apart from what it reads and concludes: its id and method name,
    the sources it cites and their level, its statement (the first line is its title, the rest its
    rationale), the KB heuristic and the reference section it encodes, and where it is written.
    A declared rule, an entry of a rule file and a row of a table each give one (kb.rulebook)."""

    id: str
    method: str
    cites: tuple[str, ...]
    level: EvidenceLevel
    statement: str = ""
    heuristic: str = ""
    reference: str = ""
    location: str = field(default="", compare=False)  # "file:line", for lint and definition errors


@dataclass(frozen=True)
class RuleMeta:
    """Everything ptkb knows about one rule, read back by introspection."""

    id: str
    method: str
    area: str
    layer: Layer
    title: str
    doc: str
    citations: tuple[str, ...]
    level: EvidenceLevel
    when: tuple[Condition, ...]
    then: tuple[str, ...]
    heuristic: str = ""  # names the KB heuristic a threshold rule encodes
    rationale: str = ""  # the docstring after its first line: why, and the passage it encodes
    reference: str = ""  # the section of the clinical reference the rule encodes (e.g. "b1, e1")
    location: str = ""   # "file:line" of the rule's declaration (lint points there)
    table: str = ""      # the name of the table the rule is a row of (kb.tables), if any
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def reads_findings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for c in self.when for f in c.findings()))

    def reads_conclusions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c2 for c in self.when for c2 in c.conclusions()))


class AboutRule:
    """A record about one rule, which it holds as `rule` (a RuleMeta): the rule's id and title."""

    rule: RuleMeta

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def title(self) -> str:
        return self.rule.title
