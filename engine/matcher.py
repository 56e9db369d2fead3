"""A faster Rete matcher for experta 1.9.4 (pinned: it relies on the internals of that release).

Stock experta, after every change, polls every conflict-set node of the network, resets the memory
of every node by walking the network recursively (visiting shared nodes many times), and offers
every fact to every alpha test below a type test. This matcher, with identical matching semantics:

- records which conflict-set nodes received a token and polls only those;
- keeps that bookkeeping per instance (stock caches its node list process-wide with
  lru_cache(maxsize=1), so two engines in one process evict each other);
- resets only the nodes with memory that received a token since the last reset (it notes them on
  the way in), so a reset costs what the last case touched, not what the knowledge base holds;
- offers a fact only to the type test of its own type (stock offers it to every type test), and
  below a type test only to the alpha tests whose literal it equals, through a dispatch table keyed
  by field and value (tests with predicates, wildcards or bindings are still offered every fact);
- binds a pattern's fact to its name (the FactCapture at the end of every pattern) directly, where
  stock builds a one-entry mapping and compares the fact with itself to find no clash;
- tests a plain field with the check's own test and value, without stock's re-parsing of the field
  name (a split on `__` for nested access) at every fact it is offered;
- prepares each rule definition for the network once per process (`_prepared`), not once per
  engine class that holds it;
- hashes an activation once, with its rule's hash computed once per rule (stock hashes the rule's
  whole pattern tree each time an activation is looked up in a set);
- builds tokens and their immutable summaries without re-validating them: stock's Token checks
  on every construction that its data are facts and its context a mapping (about 300 checks per
  consultation), although inside the network they are always facts and dicts that the network
  made itself. The join, negation and conflict-set nodes here are stock's routines with that
  construction only (`_join`, `_negation`, `_conflict_set`), and so is the token the root makes
  for each declared fact (`changes`);
- summarises a token once (`_info`), and reads a summary's context as a dict once (`_context`):
  stock summarises a token again at every memory it enters (a conclusion enters the memory of
  every join that needs it: about ten summaries per token) and rebuilds the dict at every join test;
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
import logging
from collections.abc import Mapping
from contextlib import suppress

from experta.activation import Activation
from experta.matchers.rete import ReteMatcher
from experta.matchers.rete.abstract import OneInputNode, TwoInputNode
from experta.matchers.rete.check import FactCapture, FeatureCheck, TypeCheck
from experta.matchers.rete.mixins import ChildNode, NoMemory
from experta.matchers.rete.nodes import ConflictSetNode, FeatureTesterNode, NotNode, OrdinaryMatchNode
from experta.matchers.rete.token import Token, TokenInfo
from experta.matchers.rete.utils import prepare_rule
from experta.watchers import MATCH, MATCHER

from engine.seam import EngineVersionError

__all__ = ["FastReteMatcher"]

_MISSING = object()
_VALID, _INVALID = Token.TagType.VALID, Token.TagType.INVALID
_new = tuple.__new__


def _token(tag, data: set, context: dict) -> Token:
    """Token(tag, data, context) for data and context the network made: without stock's checks."""
    return _new(Token, (tag, data, context))


def _info(token) -> TokenInfo:
    """token.to_info() without stock's checks, made once per token: a token is never changed inside
    this network, and one token reaches the memories of many nodes (a conclusion, every join that
    needs it), each of which stock summarises anew."""
    try:
        return token._ptkb_info
    except AttributeError:
        info = token._ptkb_info = _new(TokenInfo, (frozenset(token.data), frozenset(token.context.items())))
        return info


def _context(info) -> dict:
    """dict(info.context), made once per summary (the joins and negations read it for every token
    that meets it; none of them changes it)."""
    try:
        return info._ptkb_context
    except AttributeError:
        context = info._ptkb_context = dict(info.context)
        return context


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


class _TypeDispatch:
    """Stands in for the network's type tests (its root's children): offers a fact only to the test
    of its own type, which tests and logs it as before. With the MATCH watcher at DEBUG, which logs
    every failed test too, every test is offered every fact, as stock does."""

    def __init__(self, children: list):
        self.children = children  # the type-test children it stands for (keeps the network walkable)
        self.table: dict = {}
        for child in children:
            self.table.setdefault(child.node.matcher.fact_type, []).append(child.callback)

    def callback(self, token):
        if MATCH.isEnabledFor(logging.DEBUG):
            for child in self.children:
                child.callback(token)
            return
        (fact,) = token.data
        for target in self.table.get(type(fact), ()):
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


def _field_check(check):
    """FeatureCheck.__call__ for a check on one plain field (what most of them are): stock's lookup
    and test without re-parsing the field name on every fact; any other check as it is."""
    if type(check) is not FeatureCheck:
        return check
    what = check.what
    if not isinstance(what, str) or "__" in what or what.isnumeric():
        return check
    test, expected = check.check, check.expected

    def call(fact):
        try:
            record = fact[what]
        except (IndexError, KeyError, TypeError):
            return False
        result = test(record, expected)
        if MATCH.isEnabledFor(logging.INFO if result else logging.DEBUG):
            (MATCH.info if result else MATCH.debug)("what=%r, how=%r, fact=%s = %r", what, check.how, fact, result)
        return result
    return call


def _feature_test(node):
    """FeatureTesterNode._activate on an uncopied token: the same test, and where the test binds
    variables, a new token with the extended context instead of an update of the received one."""
    matcher = _field_check(node.matcher)

    def activate(token):
        data = token.data
        (fact,) = data  # a feature test takes a token of one fact (ValueError otherwise, as stock)
        match = matcher(fact)
        if not match:
            return
        if match is not True and isinstance(match, Mapping):
            context = token.context
            for key, value in match.items():
                if isinstance(key, tuple):  # a negated binding
                    if key[1] in context and context[key[1]] == value:
                        return
                elif context.get(key, value) != value or (
                        (False, key) in context and context[(False, key)] == value):
                    return
            token = _token(token.tag, data, {**context, **match})
        for child in node.children:
            child.callback(token)
    return activate


def _capture(node):
    """`_feature_test` of a node that binds the token's fact to a name (experta's FactCapture, one
    at the end of every pattern): the same binding, checked against the context as there, without
    building the one-entry mapping and comparing the fact with itself to find no clash."""
    name = node.matcher.bind

    def activate(token):
        data = token.data
        (fact,) = data
        if MATCH.isEnabledFor(logging.INFO):
            MATCH.info("%r <= %s", name, fact)
        context = token.context
        if (name in context and context[name] != fact) or ((False, name) in context and context[(False, name)] == fact):
            return
        token = _token(token.tag, data, {**context, name: fact})
        for child in node.children:
            child.callback(token)
    return activate


def _join(node, filled: dict):
    """OrdinaryMatchNode's left and right activation (stock's `__activation`), unchecked tokens; each
    notes the node in `filled` (see `FastReteMatcher.reset`)."""
    matcher = node.matcher

    def activation(token, branch_memory, matching_memory, is_left):
        filled[node] = None
        if token.tag is _VALID:
            branch_memory.append(_info(token))
        else:
            with suppress(ValueError):
                branch_memory.remove(_info(token))
        for other in matching_memory:
            other_data, other_context = other.data, _context(other)
            left, right = (token.context, other_context) if is_left else (other_context, token.context)
            if not matcher(left, right):
                if MATCH.isEnabledFor(logging.DEBUG):
                    MATCH.debug("%s (%s | %s) = False", type(node).__name__, left, right)
                continue
            if MATCH.isEnabledFor(logging.INFO):
                MATCH.info("%s (%s | %s) = True", type(node).__name__, left, right)
            context = {k: v for k, v in token.context.items() if isinstance(k, str)}
            for k, v in other_context.items():
                if not isinstance(k, tuple):  # negated values are not needed any further
                    context[k] = v
            joined = _token(token.tag, token.data | other_data, context)
            for child in node.children:
                child.callback(joined)

    def activate_left(token):
        activation(token, node.left_memory, node.right_memory, True)

    def activate_right(token):
        activation(token, node.right_memory, node.left_memory, False)
    return activate_left, activate_right


def _negation(node, filled: dict):
    """NotNode's left and right activation, as stock's, with unchecked tokens; each notes the node in
    `filled`."""
    matcher = node.matcher

    def activate_left(token):
        filled[node] = None
        right_memory, left_memory = node.right_memory, node.left_memory
        valid = token.tag is _VALID
        if not right_memory:
            if valid:
                left_memory[_info(token)] = 0
            else:
                del left_memory[_info(token)]
            for child in node.children:
                child.callback(token)
            return
        count = 0
        for right in right_memory:
            if matcher(token.context, _context(right)):
                count += 1
                if not valid:
                    break
        if count == 0:
            for child in node.children:
                child.callback(token)
        if valid:
            left_memory[_info(token)] = count
        else:
            del left_memory[_info(token)]

    def activate_right(token):
        filled[node] = None
        if token.tag is _VALID:
            node.right_memory.append(_info(token))
            inc = 1
        else:
            inc = -1
            node.right_memory.remove(_info(token))
        left_memory = node.left_memory
        for left in left_memory:
            if matcher(_context(left), token.context):
                left_memory[left] += inc
                count = left_memory[left]
                if (count == 0 and inc == -1) or (count == 1 and inc == 1):
                    flipped = _token(_VALID if inc == -1 else _INVALID, set(left.data), dict(left.context))
                    for child in node.children:
                        child.callback(flipped)
    return activate_left, activate_right


class _Activation(Activation):
    """experta's Activation, equal to it, whose hash is computed once: from the rule's hash, which its
    conflict-set node computes once (stock hashes the rule's whole pattern tree at every set lookup
    of an activation), and the activation's facts and context, as stock's."""

    def __init__(self, rule, facts, context, rule_hash: int):
        super().__init__(rule, facts, context)
        self._hash = hash((rule_hash, frozenset(self.facts), frozenset(self.context.items())))

    def __hash__(self):
        return self._hash


def _conflict_set(node, filled: dict, dirty: dict):
    """ConflictSetNode's activation, as stock's, with an unchecked token summary; it notes the node in
    `filled` and in `dirty` (see `FastReteMatcher.changes`)."""
    rule = node.rule
    rule_hash = hash(rule)

    def activate(token):
        dirty[node] = filled[node] = None
        info = _info(token)
        activation = _Activation(rule, info.data, {k: v for k, v in info.context if isinstance(k, str)}, rule_hash)
        if token.tag is _VALID:
            if info not in node.memory:
                node.memory.add(info)
                if activation in node.removed:
                    node.removed.remove(activation)
                else:
                    node.added.add(activation)
        else:
            try:
                node.memory.remove(info)
            except ValueError:  # as stock (a set raises KeyError, which stock lets through)
                pass
            else:
                if activation in node.added:
                    node.added.remove(activation)
                else:
                    node.removed.add(activation)
    return activate


_PREPARED: dict = {}  # a ptkb rule's metadata -> the rule as experta prepares it for the network
_PREPARED_MAX = 4096


def _prepared(rule):
    """experta's `prepare_rule` (the rule in disjunctive normal form, an InitialFact where a NOT would
    come first), once per rule definition. A ptkb rule is all metadata: `compile_rule` makes the same
    conditions and the same right-hand side from equal metadata, so a network built for another
    engine class -- each mutant of the mutation check is one -- reuses what was prepared for an
    earlier one. The prepared rule is a new, unbound copy (experta calls it with the engine), so
    sharing it between engines is safe. Other rules are prepared every time, as stock does."""
    meta = getattr(rule, "ptkb_meta", None)
    try:
        prepared = _PREPARED.get(meta)
    except TypeError:  # metadata that cannot be a key (not ptkb's own frozen records)
        meta = None
    if meta is None:
        return prepare_rule(rule)
    if prepared is None:
        if len(_PREPARED) >= _PREPARED_MAX:
            _PREPARED.clear()
        prepared = _PREPARED[meta] = prepare_rule(rule)
    return prepared


class FastReteMatcher(ReteMatcher):
    """ReteMatcher with dirty-node polling, one-pass reset and literal dispatch (see module doc)."""

    def __init__(self, engine):
        super().__init__(engine)
        nodes = self._walk()
        self._dirty: dict = {}   # conflict-set nodes that received a token since the last poll
        self._filled: dict = {}  # nodes with memory that received a token since the last reset
        for node in nodes:
            if type(node) is OrdinaryMatchNode:
                node._activate_left, node._activate_right = _join(node, self._filled)
            elif type(node) is NotNode:
                node._activate_left, node._activate_right = _negation(node, self._filled)
            elif type(node) is ConflictSetNode:
                node._activate = _conflict_set(node, self._filled, self._dirty)
            elif not isinstance(node, NoMemory):  # its memory would never be noted, so never reset
                raise EngineVersionError(f"ptkb's matcher does not know experta's {type(node).__name__}, "
                                         "a node with memory (see engine/seam.py)")
        for node in nodes:
            if type(node) is FeatureTesterNode:
                capture = type(node.matcher) is FactCapture and isinstance(node.matcher.bind, str)
                node._activate = _capture(node) if capture else _feature_test(node)
        for node in nodes:
            node.children = [ChildNode(child.node, _uncopied(child)) for child in node.children]
        for node in nodes:
            self._install_dispatch(node)
        typed = [c for c in self.root_node.children
                 if type(c.node) is FeatureTesterNode and type(c.node.matcher) is TypeCheck]
        if len(typed) > 1:
            dispatch = _TypeDispatch(typed)
            self.root_node.children = [c for c in self.root_node.children if all(c is not t for t in typed)] + [
                ChildNode(dispatch, dispatch.callback)]

    @staticmethod
    def prepare_ruleset(engine):
        return {_prepared(rule) for rule in engine.get_rules()}

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
        root = self.root_node
        for fact in adding or ():
            # BusNode.add without Token's checks: a declared fact is a Fact (FactList.declare checks it)
            token = _token(_VALID, {fact}, {})
            if MATCHER.isEnabledFor(logging.DEBUG):
                MATCHER.debug("<BusNode> added %r", token)
            for child in root.children:
                child.callback(token)
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
