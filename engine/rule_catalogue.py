"""The rule catalogue: every rule's metadata, read from the knowledge base by introspection.

>>> any(meta.id == "HAM-001" for meta in catalogue())
True
"""
from __future__ import annotations

from functools import lru_cache

from kb.conditions import RuleMeta

__all__ = ["catalogue", "rule_by_id"]


@lru_cache(maxsize=None)
def catalogue(kb_class=None) -> tuple[RuleMeta, ...]:
    """All rules of `kb_class` (default: the whole knowledge base), sorted by id."""
    from kb import PosteriorThighKB
    from kb.rulebook import rules_of
    return tuple(rules_of(kb_class or PosteriorThighKB))


def rule_by_id(kb_class=None) -> dict[str, RuleMeta]:
    return {meta.id: meta for meta in catalogue(kb_class)}
