"""A faster Rete matcher for experta 1.9.4 (pinned: it relies on the internals of that release).

Stock experta, after every change, polls every conflict-set node of the network, resets the memory
of every node by walking the network recursively (visiting shared nodes many times), and offers
every fact to every alpha test below a type test. This matcher, with identical matching semantics:

- records which conflict-set nodes received a token and polls only those;
- keeps its node lists per instance (stock caches them process-wide with lru_cache(maxsize=1), so
  two engines in one process evict each other);
- resets each node with memory once, from a list built with the network, and only if it holds tokens;
- routes a fact below a type test only to the alpha tests whose literal it equals, through a
  dispatch table keyed by field and value (tests with predicates, wildcards or bindings are still
  offered every fact).

`tests/test_matcher.py` checks that the fired rules and conclusions equal stock experta's on every
scenario.
"""
from __future__ import annotations

import kb.rulebook  # noqa: F401  (first: it imports experta without experta's root-logger handler)
from experta.matchers.rete import ReteMatcher
from experta.matchers.rete.check import FeatureCheck
from experta.matchers.rete.mixins import ChildNode, NoMemory
from experta.matchers.rete.nodes import ConflictSetNode, FeatureTesterNode

__all__ = ["FastReteMatcher"]

_MISSING = object()


def _literal_key(child):
    """(field, value) when a child only tests `field == literal` without binding, else None."""
    node = child.node
    if type(node) is not FeatureTesterNode or not isinstance(node.matcher, FeatureCheck):
        return None
    check = node.matcher
    if (check.check.__name__ != "equal_literal" or getattr(check.expected, "__bind__", None) is not None
            or not isinstance(check.what, str) or "__" in check.what):
        return None
    try:
        hash(check.expected.value)
    except TypeError:
        return None
    return check.what, check.expected.value


class _Dispatch:
    """Stands in for a node's literal-test children: offers a token only to the matching ones."""

    def __init__(self, table: dict):
        self.table = table  # field -> value -> [callbacks]

    def callback(self, token):
        fact = next(iter(token.data))
        table = self.table
        # Walk whichever is smaller: the fact's fields or the fields the tests look at.
        pairs = fact.items() if len(fact) < len(table) else ((f, fact.get(f, _MISSING)) for f in table)
        for field, value in pairs:
            by_value = table.get(field)
            if by_value is None:
                continue
            try:
                targets = by_value.get(value, ())
            except TypeError:  # an unhashable value can equal no literal
                continue
            for target in targets:
                target(token)


class FastReteMatcher(ReteMatcher):
    """ReteMatcher with dirty-node polling, one-pass reset and literal dispatch (see module doc)."""

    def __init__(self, engine):
        super().__init__(engine)
        nodes = self._walk()
        self._memory_nodes = [(n, tuple(a for a in ("memory", "left_memory", "right_memory") if hasattr(n, a)))
                              for n in nodes if not isinstance(n, NoMemory)]
        self._conflict_nodes = [n for n in nodes if isinstance(n, ConflictSetNode)]
        self._dirty: dict = {}
        for csn in self._conflict_nodes:
            self._track(csn)
        for node in nodes:
            self._install_dispatch(node)

    def _walk(self):
        seen, order, pending = set(), [], [self.root_node]
        while pending:
            node = pending.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            order.append(node)
            pending += [child.node for child in node.children]
        return order

    def _track(self, csn):
        activate, dirty = csn._activate, self._dirty

        def tracked(token):
            dirty[csn] = None
            activate(token)
        csn._activate = tracked

    @staticmethod
    def _install_dispatch(node):
        table, rest = {}, []
        for child in node.children:
            key = _literal_key(child)
            if key is None:
                rest.append(child)
            else:
                table.setdefault(key[0], {}).setdefault(key[1], []).append(child.callback)
        if sum(len(callbacks) for by_value in table.values() for callbacks in by_value.values()) > 1:
            dispatch = _Dispatch(table)
            node.children = rest + [ChildNode(dispatch, dispatch.callback)]

    def changes(self, adding=None, deleting=None):
        for fact in deleting or ():
            self.root_node.remove(fact)
        for fact in adding or ():
            self.root_node.add(fact)
        added, removed = [], []
        dirty = list(self._dirty)  # the tracking closures write into this same dict: clear, never replace
        self._dirty.clear()
        for csn in dirty:
            csn_added, csn_removed = csn.get_activations()
            added.extend(csn_added)
            removed.extend(csn_removed)
        return added, removed

    def reset(self):
        # Only nodes the last consultation filled need new memory (most of the network stays empty).
        for node, memories in self._memory_nodes:
            if any(getattr(node, name) for name in memories):
                node._reset()
        self._dirty.clear()
