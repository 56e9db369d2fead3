"""How a ptkb rule is written: metadata and conditions as data, compiled to an experta Rule.

    class HamstringRules(KnowledgeEngine):
        @rule("HAM-001", Layer.HYPOTHESIS, cites=("martin2022",), level=EvidenceLevel.GUIDELINE,
              when=[Is("onset_type", "sudden_during_activity"), Has("clue_contractile_sign")],
              then=["hyp_hamstring_strain"])
        def suspect_hamstring_strain(self):
            '''Sudden pain during activity with a contractile sign suggests a hamstring strain.'''

The docstring's first line is the clinical statement; `When:` and `Then:` lines are rendered from
the conditions so that they can never drift from what the rule does. The right-hand side only
declares the `then` conclusions.
"""
from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterator

_ROOT_HANDLERS = list(logging.getLogger().handlers)
from experta import MATCH, NOT, TEST, Fact, Field, KnowledgeEngine, P, Rule, W  # noqa: E402

# Importing experta runs logging.basicConfig(), adding a handler to the root logger of whatever
# program imports ptkb; take it back out.
for _handler in [h for h in logging.getLogger().handlers if h not in _ROOT_HANDLERS]:
    logging.getLogger().removeHandler(_handler)

from kb.conditions import Condition, Layer, RuleMeta, describe
from kb.evidence import EvidenceLevel
from kb.vocabulary import CONCLUSIONS

__all__ = ["KnowledgeEngine", "Findings", "Concluded", "rule", "rule_meta", "rules_of", "compile_conditions", "compile_rule"]


class Findings(Fact):
    """The case: one fact whose fields are the examined findings (absent field = not examined)."""


class Concluded(Fact):
    """A conclusion reached by a rule."""

    id = Field(str, mandatory=True)
    kind = Field(str, mandatory=True)
    group = Field(str, default="")


class _Named:
    """A predicate over one finding's value: every condition on that finding must hold (a readable
    repr, because experta shows it and lint and docs read the conditions)."""

    def __init__(self, conditions: list[Condition]):
        self.conditions = tuple(conditions)
        self.finding = self.conditions[0].finding

    def __call__(self, value) -> bool:
        return all(c.holds({self.finding: value}, set()) for c in self.conditions)

    def __repr__(self):
        return " and ".join(c.text() for c in self.conditions)


def _field_pattern(conditions: list[Condition]):
    """One constraint for every condition on one finding (several conditions form a conjunction:
    a band such as pain 4-6 must not compile to its last bound alone)."""
    tests = [c for c in conditions if c.tests_value]
    if not tests:
        return W()
    if len(tests) == 1 and tests[0].exact_value():
        return tests[0].exact_value()[0]
    return P(_Named(tests))


class _PatternBuilder:
    """The experta patterns of one rule: each condition calls the one method that says what it is
    (`Condition.compile`), so no condition type is switched on here."""

    def __init__(self):
        self.on_findings: dict[str, list[Condition]] = {}
        self.patterns: list = []
        self.positive = False  # needs a conclusion: the rule starts from it, not from the case fact

    def on_finding(self, cond) -> None:
        self.on_findings.setdefault(cond.finding, []).append(cond)

    def absent(self, finding: str) -> None:
        self.patterns.append(NOT(Findings(**{finding: W()})))

    def has(self, conclusion: str) -> None:
        self.patterns.append(Concluded(id=conclusion))
        self.positive = True

    def lacks(self, conclusion: str) -> None:
        self.patterns.append(NOT(Concluded(id=conclusion)))

    def lacks_kind(self, kind: str) -> None:
        self.patterns.append(NOT(Concluded(kind=kind)))

    def two_of(self, group: str) -> None:
        self.patterns += [Concluded(group=group, id=MATCH.first), Concluded(group=group, id=MATCH.second),
                          TEST(lambda first, second: first < second)]
        self.positive = True


def compile_conditions(when: tuple[Condition, ...]) -> list:
    """experta patterns for a list of conditions."""
    builder = _PatternBuilder()
    for cond in when:
        cond.compile(builder)
    fields = {finding: _field_pattern(conds) for finding, conds in builder.on_findings.items()}
    # A rule that tests no finding starts from the conclusions it needs, so the case fact is not
    # routed through it; a rule with only NOT conditions is anchored on the case fact.
    return ([Findings(**fields)] if fields or not builder.positive else []) + builder.patterns


def _render_doc(statement: str, when, then) -> str:
    when_text = "; ".join(describe(c) for c in when)
    then_text = "; ".join(f"{c} ({CONCLUSIONS[c].meaning if c in CONCLUSIONS else 'unknown id'})" for c in then)
    return f"{statement}\n\nWhen: {when_text}.\nThen: {then_text}."


def compile_rule(meta: RuleMeta) -> Rule:
    """The experta Rule for a rule's metadata: its conditions, its salience, and a right-hand side
    that only declares the `then` conclusions."""
    facts = tuple((c, CONCLUSIONS[c].kind.value if c in CONCLUSIONS else "unknown",
                   CONCLUSIONS[c].group if c in CONCLUSIONS else "") for c in meta.then)

    def declare_conclusions(self):
        for cid, kind, group in facts:
            self.declare(Concluded(id=cid, kind=kind, group=group))

    declare_conclusions.__name__ = declare_conclusions.__qualname__ = meta.method
    declare_conclusions.__module__ = f"kb.{meta.area}"
    declare_conclusions.__doc__ = meta.doc
    # On the function, so that experta's copies of the rule (update_wrapper) carry it too.
    declare_conclusions.ptkb_meta = meta
    return Rule(*compile_conditions(meta.when), salience=int(meta.layer))(declare_conclusions)


_REQUIRED = object()


def rule(rule_id: str, layer: Layer = _REQUIRED, *, cites: tuple[str, ...] = _REQUIRED,
         level: EvidenceLevel = _REQUIRED, when: list[Condition] = _REQUIRED, then: list[str] = _REQUIRED,
         heuristic: str = "", reference: str = "") -> Callable[[Callable], Rule]:
    """Declare a rule: metadata, conditions and conclusions (see the module docstring).

    Missing or mistyped metadata raises RuleDefinitionError naming the rule and the field, at import.
    Unknown ids are not rejected here: `ptkb lint` reports them with the rule id and where it is.
    """
    def decorate(stub: Callable) -> Rule:
        _check_definition(rule_id, f"{stub.__code__.co_filename}:{stub.__code__.co_firstlineno}",
                          layer, cites, level, when, then)
        return _compile_declared(stub, rule_id, layer, cites, level, tuple(when), tuple(then), heuristic, reference)

    return decorate


def _check_definition(rule_id, where, layer, cites, level, when, then) -> None:
    """RuleDefinitionError, naming the rule, the field and the file:line, for missing or wrong metadata."""
    from kb.errors import RuleDefinitionError
    given = {"layer": layer, "cites": cites, "level": level, "when": when, "then": then}
    missing = [name for name, value in given.items() if value is _REQUIRED]
    problem = (f"missing {', '.join(missing)} (every rule needs a layer, cites=, level=, when= and then=)" if missing
               else f"layer must be a Layer (e.g. Layer.HYPOTHESIS), got {layer!r}" if not isinstance(layer, Layer)
               else f"cites= must be a non-empty tuple of citation keys, got {cites!r}"
               if isinstance(cites, str) or not cites or not all(isinstance(c, str) for c in cites)
               else f"level= must be an EvidenceLevel, got {level!r}" if not isinstance(level, EvidenceLevel)
               else f"when= must hold conditions (Is, Has, ...), got {list(when)!r:.200}"
               if not all(isinstance(c, Condition) for c in when) else "")
    if problem:
        raise RuleDefinitionError(f"{where}: rule {rule_id}: {problem}")


def _compile_declared(stub, rule_id, layer, cites, level, when, then, heuristic, reference) -> Rule:
    statement = inspect.getdoc(stub) or ""
    title, _, rationale = statement.partition("\n")
    meta = RuleMeta(id=rule_id, method=stub.__name__, area=stub.__module__.rsplit(".", 1)[-1],
                    layer=layer, title=title, doc=_render_doc(title, when, then) if statement else "",
                    citations=tuple(cites), level=level, when=when,
                    then=then, heuristic=heuristic, rationale=rationale.strip(), reference=reference,
                    location=f"{stub.__code__.co_filename}:{stub.__code__.co_firstlineno}")
    return compile_rule(meta)


def rule_meta(obj) -> RuleMeta | None:
    """The metadata of a compiled rule, or None for anything else."""
    return getattr(obj, "ptkb_meta", None)


def rules_of(engine_class: type) -> Iterator[RuleMeta]:
    """Every ptkb rule an engine class defines or inherits, sorted by id.

    >>> from kb import PosteriorThighKB
    >>> next(rules_of(PosteriorThighKB)).id
    'CON-001'
    """
    found = {}
    for klass in reversed(engine_class.__mro__):
        for value in vars(klass).values():
            meta = rule_meta(value)
            if meta is not None:
                found[meta.method] = meta
    return iter(sorted(found.values(), key=lambda m: m.id))
