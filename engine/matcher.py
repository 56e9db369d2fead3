"""A faster Rete matcher for experta 1.9.4 (pinned: it relies on the internals of that release).

Stock experta, after every change, polls every conflict-set node of the network, resets the memory
of every node by walking the network recursively (visiting shared nodes many times), and offers
every fact to every alpha test below a type test. This matcher, with identical matching semantics:

- records which conflict-set nodes received a token and polls only those;
- keeps that bookkeeping per instance (stock caches its node list process-wide with
  lru_cache(maxsize=1), so two engines in one process evict each other);
- resets only the nodes with memory that received a token since the last reset (it notes them on
  the way in), so a reset costs what the last case touched, not what the knowledge base holds;
- routes a fact below a type test only to the alpha tests whose literal it equals, through a
  dispatch table keyed by field and value (tests with predicates, wildcards or bindings are still
  offered every fact);
- copies a token only where it is changed. Stock copies the token at the entry of every node (about
  400 copies per consultation, each re-validating its facts), although only a feature test that
  binds a variable ever writes to one: every other node either reads it, stores its immutable
  summary (`to_info`) or builds a new token. Here the nodes are wired to each other's activation
  routines directly, and a binding feature test builds a new token with the extended context.

`tests/test_matcher.py` checks that the fired rules and conclusions equal stock experta's on every
scenario.
"""
from __future__ import annotations

import kb.rulebook  # noqa: F401  (first: it imports experta without experta's root-logger handler)
from collections.abc import Mapping

from experta.matchers.rete import ReteMatcher
from experta.matchers.rete.abstract import OneInputNode, TwoInputNode
from experta.matchers.rete.check import FeatureCheck
from experta.matchers.rete.mixins import ChildNode, NoMemory
from experta.matchers.rete.nodes import ConflictSetNode, FeatureTesterNode
from experta.matchers.rete.token import Token

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

    def __init__(self, table: dict, children: list):
        self.table = table  # field -> value -> [callbacks]
        self.children = children  # the literal-test children it stands for (keeps the network walkable)

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


# The entry points that copy the token before calling the node's own routine, and that routine.
_COPYING = {OneInputNode.activate: "_activate", TwoInputNode.activate_left: "_activate_left",
            TwoInputNode.activate_right: "_activate_right"}


def _uncopied(child):
    """The child's own activation routine where its entry point would only copy the token first."""
    callback = child.callback
    name = _COPYING.get(getattr(callback, "__func__", None))
    if name is None or getattr(callback, "__self__", None) is not child.node:
        return callback
    return getattr(child.node, name)


def _feature_test(node):
    """FeatureTesterNode._activate on an uncopied token: the same test, and where the test binds
    variables, a new token with the extended context instead of an update of the received one."""
    matcher = node.matcher

    def activate(token):
        data = token.data
        (fact,) = data  # a feature test takes a token of one fact (ValueError otherwise, as stock)
        match = matcher(fact)
        if not match:
            return
        if isinstance(match, Mapping):
            context = token.context
            for key, value in match.items():
                if isinstance(key, tuple):  # a negated binding
                    if key[1] in context and context[key[1]] == value:
                        return
                elif context.get(key, value) != value or (
                        (False, key) in context and context[(False, key)] == value):
                    return
            token = Token(token.tag, data, {**context, **match})
        for child in node.children:
            child.callback(token)
    return activate


class FastReteMatcher(ReteMatcher):
    """ReteMatcher with dirty-node polling, one-pass reset and literal dispatch (see module doc)."""

    def __init__(self, engine):
        super().__init__(engine)
        nodes = self._walk()
        self._dirty: dict = {}   # conflict-set nodes that received a token since the last poll
        self._filled: dict = {}  # nodes with memory that received a token since the last reset
        for node in nodes:
            if not isinstance(node, NoMemory):
                for name in ("_activate", "_activate_left", "_activate_right"):
                    if hasattr(node, name):
                        self._track(node, name)
        for node in nodes:
            if type(node) is FeatureTesterNode:
                node._activate = _feature_test(node)
        for node in nodes:
            node.children = [ChildNode(child.node, _uncopied(child)) for child in node.children]
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

    def _track(self, node, name):
        """Wrap one activation port of a node with memory so that it notes the node on the way in."""
        activate, filled = getattr(node, name), self._filled
        if isinstance(node, ConflictSetNode):
            dirty = self._dirty

            def tracked(token):
                dirty[node] = filled[node] = None
                activate(token)
        else:
            def tracked(token):
                filled[node] = None
                activate(token)
        setattr(node, name, tracked)

    @staticmethod
    def _install_dispatch(node):
        table, literal, rest = {}, [], []
        for child in node.children:
            key = _literal_key(child)
            if key is None:
                rest.append(child)
            else:
                table.setdefault(key[0], {}).setdefault(key[1], []).append(child.callback)
                literal.append(child)
        if len(literal) > 1:
            dispatch = _Dispatch(table, literal)
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
        # Only the nodes the last consultation reached need new memory: the cost of a reset follows
        # what the case touched, not the size of the knowledge base.
        for node in self._filled:
            node._reset()
        self._filled.clear()
        self._dirty.clear()
