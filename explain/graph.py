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
from kb.vocabulary import CONCLUSIONS, FINDINGS, KIND_INFO
from engine.records import FactKind

__all__ = ["derivation_graph", "kb_graph", "node_id", "COLUMN", "number_steps", "focus", "downstream", "induced"]

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
    used = {p.id for f in result.firings for p in f.premises if p.kind is FactKind.FINDING}
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
            source = node_id("f", premise.id) if premise.kind is FactKind.FINDING else _add_conclusion(graph, premise.id)
            graph.add_edge(source, rnode, role="premise")
        for absence in firing.absences:
            anode = node_id("n", f"{absence.kind}_{absence.id}")
            graph.add_node(anode, type="absence", id=absence.id, kind="absence", label=absence.text(),
                           column=0 if absence.kind is FactKind.FINDING else 1)
            graph.add_edge(anode, rnode, role="absence")
        for cid in firing.declared:
            cnode = _add_conclusion(graph, cid)
            if cid in firing.new or not nx.has_path(graph, cnode, rnode):
                graph.add_edge(rnode, cnode, role="concludes", first=cid in firing.new)
    return graph


def kb_graph(rules, fired_counts: dict | None = None, area: str | None = None, every_finding: bool = True) -> nx.DiGraph:
    """The static rule network: finding/conclusion -> rule (reads) and rule -> conclusion (writes).

    Rule nodes carry their clinical `area` and `layer` (the drawing clusters by them). `fired_counts`
    (rule id -> number of scenarios it fired in) marks what no scenario covers. `area` keeps one
    area's rules with what they read and write; without it every finding of the vocabulary is drawn
    (unless `every_finding` is false: only those the rules read).
    """
    graph = nx.DiGraph(title=f"ptkb knowledge base: {area}" if area else "ptkb knowledge base")
    for meta in rules:
        if area and meta.area != area:
            continue
        rnode = node_id("k", meta.id)
        column = max(COLUMN[CONCLUSIONS[c].kind.value] for c in meta.then) - 1
        graph.add_node(rnode, type="rule", id=meta.id, kind="rule", label=meta.id, title=meta.title,
                       citations=meta.citations, column=column, area=meta.area,
                       layer=meta.layer.name.lower().replace("_", " "),
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
    if not area and every_finding:
        for fid in FINDINGS:
            graph.add_node(node_id("f", fid), type="finding", id=fid, kind="finding", label=fid, column=0)
    return graph


def number_steps(graph: nx.DiGraph) -> nx.DiGraph:
    """Number the rule nodes 1..n in firing order (attribute `step`): a proof's steps, or the whole
    plan's. The global firing order stays in `order`. Returns the graph."""
    rules = sorted((d["order"], n) for n, d in graph.nodes(data=True) if d["type"] == "rule" and "order" in d)
    for step, (_, node) in enumerate(rules, 1):
        graph.nodes[node]["step"] = step
    return graph


def _is_clue(graph, node) -> bool:
    data = graph.nodes[node]
    return data["type"] == "conclusion" and not CONCLUSIONS[data["id"]].shown


def focus(graph: nx.DiGraph) -> nx.DiGraph:
    """What a clinician reads: intermediate clues collapsed into the rules that use them.

    A clue node goes; a rule that concluded only clues goes too, its premises wired to the rules that
    used its clues, which list it in `absorbed` (step and id) so no step of the proof disappears.
    A clue no drawn rule uses stays (it is the conclusion being explained).
    """
    graph = graph.copy()
    # a clue nothing in the graph uses is what the drawing is about (the proof of a clue): it stays
    clues = [n for n in nx.topological_sort(graph) if _is_clue(graph, n) and graph.out_degree(n)]
    for clue in clues:
        producers = [p for p in graph.predecessors(clue) if graph.nodes[p]["type"] == "rule"]
        consumers = list(graph.successors(clue))
        for producer in producers:
            only_clues = all(_is_clue(graph, s) for s in graph.successors(producer))
            for consumer in consumers:
                data = graph.nodes[consumer]
                if only_clues:
                    for source in graph.predecessors(producer):
                        role = graph.edges[source, producer].get("role", "premise")
                        if not graph.has_edge(source, consumer):
                            graph.add_edge(source, consumer, role=role)
                    absorbed = graph.nodes[producer].get("absorbed", ()) + (
                        (graph.nodes[producer].get("step"), graph.nodes[producer]["id"]),)
                    data["absorbed"] = tuple(sorted(set(data.get("absorbed", ()) + absorbed),
                                                    key=lambda a: (a[0] is None, a[0] or 0, a[1])))
                elif not graph.has_edge(producer, consumer):
                    graph.add_edge(producer, consumer, role="premise")
        graph.remove_node(clue)
        for producer in producers:
            if producer in graph and graph.out_degree(producer) == 0:
                graph.remove_node(producer)
    return graph


def downstream(graph: nx.DiGraph, node: str) -> nx.DiGraph:
    """A node and everything it contributed to (what `how` draws)."""
    return induced(graph, {node} | nx.descendants(graph, node))


def induced(graph: nx.DiGraph, keep) -> nx.DiGraph:
    """The subgraph on `keep`, nodes and edges in the graph's own order (a networkx subgraph view
    follows the set's order, which changes from run to run: the DOT text would too)."""
    keep = set(keep)
    sub = graph.copy()
    sub.remove_nodes_from([n for n in graph if n not in keep])
    return sub
