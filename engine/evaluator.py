"""A compiled evaluator: the knowledge base as one straight-line Python function, for bulk work.

experta stays the engine of record (consultations, traces, explanations). The evaluator is compiled
from the same rule metadata -- each condition writes its own Python (`Condition.to_python`, beside
`holds` and `to_logic`) -- and returns the same conclusions and fired rules; the differential tests
check that on every scenario and on thousands of generated cases. It serves the mutation check,
property tests and large regressions.

Rules are placed in dependency order: every rule that concludes X comes before every rule that reads
X (as "has X", "no X", "no conclusion of kind K" or "two of group G"). One pass then computes the
result, because a stratified rule set has one. A rule set that is not stratified -- a cycle through
its conclusions, or a negation that looks at its own layer or a later one (lint's `cycle` and
`order-dependent-negation`) -- is refused with `UsageError`.

>>> from engine import catalogue
>>> evaluate = compile_rules(catalogue())
>>> ids, fired = evaluate({"saddle_numbness": True})
>>> "rf_cauda_equina" in ids, "RF-003" in fired
(True, True)
"""
from __future__ import annotations

import re

import networkx as nx

from engine.errors import UsageError
from engine.records import Evaluation

__all__ = ["compile_rules", "Evaluation", "OpenRule"]

_MISSING = object()


def _order(metas) -> list:
    """Rules in an order where producers precede readers; UsageError when there is none."""
    graph = nx.DiGraph()
    producers: dict[str, list] = {}
    for meta in metas:
        graph.add_node(meta.id)
        for cid in meta.then:
            producers.setdefault(cid, []).append(meta)
    for meta in metas:
        for cond in meta.when:
            for cid in cond.conclusions():
                for producer in producers.get(cid, ()):
                    if producer.id == meta.id and not cond.is_absence:
                        continue  # a rule re-reading its own conclusion changes nothing
                    if cond.is_absence and producer.layer <= meta.layer:
                        raise UsageError(f"{meta.id} negates {cid}, which {producer.id} concludes in the same or a "
                                         "later layer: the result would depend on firing order; the evaluator "
                                         "needs a stratified rule set (see ptkb lint)")
                    graph.add_edge(producer.id, meta.id)
    layer = {m.id: int(m.layer) for m in metas}
    try:
        order = list(nx.lexicographical_topological_sort(graph, key=lambda rid: (-layer[rid], rid)))
    except nx.NetworkXUnfeasible:
        cycle = nx.find_cycle(graph)
        raise UsageError("the rules form a cycle through their conclusions ("
                         + " -> ".join(a for a, _ in cycle) + "): the evaluator needs an acyclic rule set") from None
    by_id = {m.id: m for m in metas}
    return [by_id[rid] for rid in order]


def compile_rules(metas):
    """Compile rule metadata to a function findings-dict -> (conclusion ids, fired rule ids)."""
    namespace = {"_MISSING": _MISSING, "Evaluation": Evaluation}
    exec(_code(list(metas), False)[0], namespace)  # noqa: S102 -- our own rules
    return namespace["evaluate"]


def _code(metas: list, open_rule: bool):
    """The evaluator's compiled code, the local name of each conclusion and the rules in evaluation
    order (compiling costs far more than evaluating a case). With `open_rule`, any one rule's test
    can be left open: the rule at position `_which` of that order (a name in the namespace) calls
    `_open` instead of its own test."""
    ordered = _order(metas)
    conclusions = sorted({c for m in metas for c in m.then} | {c for m in metas for cond in m.when
                                                               for c in cond.conclusions()})
    names = {c: f"k_{re.sub(r'[^0-9a-zA-Z_]', '_', c)}" for c in conclusions}
    lines = ["def evaluate(f):", "    fired = []"]
    lines += [f"    {names[c]} = False" for c in conclusions]
    for position, meta in enumerate(ordered):
        test = _test(meta.when, names.__getitem__)
        if open_rule:
            test = f"(_open(f, locals()) if _which == {position} else ({test}))"
        lines.append(f"    if {test}:")
        lines.append(f"        fired.append({meta.id!r})")
        lines += [f"        {names[c]} = True" for c in meta.then]
    produced = sorted({c for m in metas for c in m.then})
    pairs = "".join(f"({c!r}, {names[c]}), " for c in produced)
    lines.append(f"    return Evaluation(frozenset(c for c, on in ({pairs}) if on), tuple(fired))")
    return compile("\n".join(lines), "<ptkb compiled rules>", "exec"), names, ordered


_OPEN_CODE: dict[int, tuple] = {}  # id(rule tuple) -> (the tuple, its open code)


def _open_code(metas) -> tuple:
    """`_code(metas, open_rule=True)`, compiled once for a tuple of rules (the mutation check opens
    every rule of one tuple in turn)."""
    if not isinstance(metas, tuple):
        return _code(list(metas), True)
    cached = _OPEN_CODE.get(id(metas))
    if cached is None or cached[0] is not metas:
        if len(_OPEN_CODE) >= 4:
            _OPEN_CODE.clear()
        cached = _OPEN_CODE[id(metas)] = (metas, _code(list(metas), True))
    return cached[1]


def _test(when, name) -> str:
    return " and ".join(f"({cond.to_python(name)})" for cond in when) or "True"


class OpenRule:
    """The evaluator of a rule set with one rule's conditions left open, filled in (and filled in
    again) by `fill`: the mutation check compiles the knowledge base once for all the rules it
    changes, not once per mutant (each open rule runs that code in a namespace of its own). The
    rules keep the order of the unchanged set; conditions that order cannot run -- a negation of a
    conclusion drawn in the same or a later layer, a conclusion drawn only after the rule, an
    unknown one -- raise UsageError, as `compile_rules` would for the changed set (or it would order
    the rules anew). Filling is not thread-safe (one filling at a time).

    >>> from engine import catalogue
    >>> rules = catalogue()
    >>> rf003 = next(m for m in rules if m.id == "RF-003")
    >>> open_rule = OpenRule(rules, "RF-003")
    >>> "RF-003" in open_rule.fill(rf003.when)({"saddle_numbness": True}).fired_rules()
    True
    >>> "RF-003" in open_rule.fill(None)({"saddle_numbness": True}).fired_rules()   # removed
    False
    """

    def __init__(self, metas, rule_id: str):
        code, self._names, ordered = _open_code(metas)
        self.rule = next(m for m in ordered if m.id == rule_id)
        self._namespace = {"_MISSING": _MISSING, "Evaluation": Evaluation, "_which": ordered.index(self.rule)}
        exec(code, self._namespace)  # noqa: S102 -- our own rules
        self.evaluate = self._namespace["evaluate"]
        self._before = {m.id for m in ordered[:ordered.index(self.rule)]}
        self._producers = {}
        for meta in metas:
            for cid in meta.then:
                self._producers.setdefault(cid, []).append(meta)

    def fill(self, when):
        """The evaluator with the open rule's conditions `when` (None: the rule is removed)."""
        if when is None:
            self._namespace["_open"] = lambda f, local: False
            return self.evaluate
        for cond in when:
            for cid in cond.conclusions():
                self._check_order(cond, cid)
        namespace = {"_MISSING": _MISSING}
        expression = _test(when, lambda c: f"local[{self._names[c]!r}]")
        source = f"def test(f, local):\n    return {expression}"
        exec(compile(source, "<ptkb open rule>", "exec"), namespace)  # noqa: S102 -- our own rules
        self._namespace["_open"] = namespace["test"]
        return self.evaluate

    def _check_order(self, cond, cid) -> None:
        rule = self.rule
        if cid not in self._names:
            raise UsageError(f"{rule.id} reads {cid}, which no rule of the set concludes or reads")
        for producer in self._producers.get(cid, ()):
            if cond.is_absence and producer.layer <= rule.layer:
                raise UsageError(f"{rule.id} negates {cid}, which {producer.id} concludes in the same or a later "
                                 "layer: the evaluator needs a stratified rule set (see ptkb lint)")
            if producer.id != rule.id and producer.id not in self._before:
                raise UsageError(f"{rule.id} reads {cid}, which {producer.id} concludes after it in this order: "
                                 "compile the changed rule set instead")
