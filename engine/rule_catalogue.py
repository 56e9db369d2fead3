"""The rule catalogue: every rule's metadata, read from the knowledge base by introspection.

>>> any(meta.id == "HAM-001" for meta in catalogue())
True
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kb.conditions import RuleMeta

__all__ = ["catalogue", "rule_by_id", "tables", "introspect", "RuleDefinition", "Pattern"]


@lru_cache(maxsize=None)
def catalogue(kb_class=None) -> tuple[RuleMeta, ...]:
    """All rules of `kb_class` (default: the whole knowledge base), sorted by id."""
    from kb import PosteriorThighKB
    from kb.rulebook import rules_of
    return tuple(rules_of(kb_class or PosteriorThighKB))


def rule_by_id(kb_class=None) -> dict[str, RuleMeta]:
    return {meta.id: meta for meta in catalogue(kb_class)}


def tables(kb_class=None) -> tuple:
    """The rule tables (kb.tables.RuleTable) the knowledge base is partly written as, by area."""
    from kb import PosteriorThighKB
    found = {}
    for klass in reversed((kb_class or PosteriorThighKB).__mro__):
        for table in vars(klass).get("ptkb_tables", ()):
            found[table.name] = (klass.__module__.rsplit(".", 1)[-1], table)
    return tuple(found.values())


@dataclass(frozen=True)
class Pattern:
    """One fact pattern of a compiled rule, in plain terms: the fact class and each field it tests,
    with the literal it compares to (`is_literal` false for a variable, a predicate or a binding)."""

    fact: str                                         # "Findings", "Concluded", "InitialFact", ...
    fields: tuple[tuple[str, object, bool], ...]      # (field, literal, is_literal)


@dataclass(frozen=True)
class RuleDefinition:
    """A rule method as Python resolves it in a knowledge-base class (the MRO's first definition
    wins): its class, its ptkb metadata (None: a bare experta rule) and its compiled patterns."""

    method: str
    owner: str
    meta: RuleMeta | None
    patterns: tuple[Pattern, ...]


def _patterns(ce):
    from experta import Fact
    if isinstance(ce, Fact):
        yield ce
    elif isinstance(ce, tuple):
        for item in ce:
            yield from _patterns(item)


def _plain(pattern) -> Pattern:
    from experta import L
    fields = []
    for key, value in pattern.items():
        if isinstance(key, str) and key.startswith("__"):
            continue
        literal = value.value if isinstance(value, L) else value
        fields.append((key, literal, type(literal) in (str, bool, int, float)))
    return Pattern(type(pattern).__name__, tuple(fields))


def introspect(kb_class) -> tuple[list[RuleDefinition], dict[str, list[str]]]:
    """(the surviving rule definitions, every class defining each method name) of a KB class: what
    lint checks for shadowed methods, missing metadata and patterns naming unknown facts."""
    from experta import Rule
    winners, owners = {}, {}
    for klass in kb_class.__mro__:
        for name, value in vars(klass).items():
            if isinstance(value, Rule):
                winners.setdefault(name, (klass.__name__, value))
                owners.setdefault(name, []).append(klass.__name__)
    definitions = [RuleDefinition(name, owner, getattr(value, "ptkb_meta", None),
                                  tuple(_plain(p) for p in _patterns(tuple(value))))
                   for name, (owner, value) in winners.items()]
    return definitions, owners
