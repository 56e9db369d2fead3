"""Reasoning graphs built from plain records: the derivation of one consultation, and the static
rule network of the knowledge base.

Node ids are colon-free (`f_<finding>`, `c_<conclusion>`, `r<order>_<rule>`, `n_<absence>`,
`k_<rule>`) so that Graphviz never reads a port.

>>> from engine import case_from_mapping, consult
>>> g = derivation_graph(consult(case_from_mapping({"id": "x", "findings": {"saddle_numbness": True}})))
>>> g.nodes["c_rf_cauda_equina"]["kind"]
'red_flag'
"""
from __future__ import annotations

import re

import networkx as nx

from kb.conditions import finding_text
from kb.vocabulary import CONCLUSIONS, FINDINGS, KIND_INFO, Kind

__all__ = ["derivation_graph", "kb_graph", "node_id", "COLUMN"]

# Left-to-right columns: findings -> abstractions -> red flags -> hypotheses -> ... -> tests.
COLUMN = {"finding": 0, "absence": 0, **{kind.value: info.column for kind, info in KIND_INFO.items()}}


def node_id(prefix: str, name: str) -> str:
    """A Graphviz-safe node id: letters, digits and underscores only."""
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', name)}"


def _add_conclusion(graph, cid):
    node = node_id("c", cid)
    if node not in graph:
        definition = CONCLUSIONS[cid]
        graph.add_node(node, type="conclusion", id=cid, kind=definition.kind.value, label=definition.label,
                       column=COLUMN[definition.kind.value])
    return node


def derivation_graph(result, rules: dict | None = None) -> nx.DiGraph:
    """Findings, firings, absences and conclusions of one consultation, premise -> firing -> conclusion.

    Input findings that no firing read are left out (`how` reports them as contributing nothing).

    `rules` (id -> RuleMeta) adds titles and citations to the firing nodes. The graph is acyclic:
    a re-declaration that would close a cycle is left out (the first derivation is kept).
    """
    graph = nx.DiGraph(case_id=result.case_id, title=result.title)
    used = {p.id for f in result.firings for p in f.premises if p.kind == "finding"}
    for fid, value in result.findings:
        if fid in used:  # a finding no rule read would only clutter the drawing
            graph.add_node(node_id("f", fid), type="finding", id=fid, value=value, kind="finding",
                           label=finding_text(fid, value), column=0)
    for firing in result.firings:
        meta = (rules or {}).get(firing.rule_id)
        rnode = node_id(f"r{firing.order}", firing.rule_id)
        column = max([COLUMN[CONCLUSIONS[c].kind.value] for c in firing.declared] or [1]) - 1
        graph.add_node(rnode, type="rule", id=firing.rule_id, order=firing.order, kind="rule",
                       title=meta.title if meta else "", citations=meta.citations if meta else (),
                       bindings=firing.bindings, label=firing.rule_id, column=column)
        for premise in firing.premises:
            source = node_id("f", premise.id) if premise.kind == "finding" else _add_conclusion(graph, premise.id)
            graph.add_edge(source, rnode, role="premise")
        for absence in firing.absences:
            anode = node_id("n", f"{absence.kind}_{absence.id}")
            graph.add_node(anode, type="absence", id=absence.id, kind="absence", label=absence.text(),
                           column=0 if absence.kind == "finding" else 1)
            graph.add_edge(anode, rnode, role="absence")
        for cid in firing.declared:
            cnode = _add_conclusion(graph, cid)
            if cid in firing.new or not nx.has_path(graph, cnode, rnode):
                graph.add_edge(rnode, cnode, role="concludes", first=cid in firing.new)
    return graph


def kb_graph(rules, fired_counts: dict | None = None) -> nx.DiGraph:
    """The static rule network: finding/conclusion -> rule (reads) and rule -> conclusion (writes).

    `fired_counts` (rule id -> number of scenarios it fired in) marks what no scenario covers.
    """
    graph = nx.DiGraph(title="ptkb knowledge base")
    for meta in rules:
        rnode = node_id("k", meta.id)
        column = max(COLUMN[CONCLUSIONS[c].kind.value] for c in meta.then) - 1
        graph.add_node(rnode, type="rule", id=meta.id, kind="rule", label=meta.id, title=meta.title,
                       citations=meta.citations, column=column,
                       fired=None if fired_counts is None else fired_counts.get(meta.id, 0))
        for fid in meta.reads_findings():
            graph.add_node(node_id("f", fid), type="finding", id=fid, kind="finding", label=fid, column=0)
            graph.add_edge(node_id("f", fid), rnode, role="reads")
        for cond in meta.when:
            for cid in cond.conclusions():
                graph.add_edge(_add_conclusion(graph, cid), rnode,
                               role="absence" if cond.is_absence else "reads")
        for cid in meta.then:
            graph.add_edge(rnode, _add_conclusion(graph, cid), role="writes")
    for fid in FINDINGS:
        graph.add_node(node_id("f", fid), type="finding", id=fid, kind="finding", label=fid, column=0)
    return graph
