"""What `ptkb explain`, `ptkb graph` and the demo produce, in each format."""
from __future__ import annotations

import json
from dataclasses import asdict

from engine.errors import UsageError
from explain import derivation_graph, how, html_report, kb_graph, render, to_dot, why, why_not
from kb.vocabulary import CONCLUSIONS

__all__ = ["explain_case", "case_report_html", "kb_drawing", "graph_json"]


def graph_json(graph) -> str:
    from networkx.readwrite import json_graph
    return json.dumps(json_graph.node_link_data(graph, edges="edges"), indent=2, ensure_ascii=False,
                      default=str) + "\n"


def _all_explanations(result, rules, graph):
    return {c.id: why(result, c.id, rules, graph) for c in result.conclusions}


def case_report_html(result, rules) -> str:
    """The self-contained HTML report of one case (needs Graphviz for the embedded SVG)."""
    graph = derivation_graph(result, rules)
    svg = render(to_dot(graph, title=result.title), "svg").decode("utf-8")
    return html_report(result, svg, _all_explanations(result, rules, graph))


def explain_case(result, rules: dict, fmt: str, why_id: str | None = None, why_not_id: str | None = None,
                 how_id: str | None = None):
    """Text, JSON, DOT, SVG, PNG or HTML for a whole consultation or for one question."""
    if fmt == "html":
        if why_id or why_not_id or how_id:
            raise UsageError("--format html shows the whole case; drop --why / --why-not / --how")
        return case_report_html(result, rules)
    answer = _answer(result, rules, why_id, why_not_id, how_id)
    if fmt == "text":
        return answer.text()
    if fmt == "json":
        payload = asdict(answer) if not hasattr(answer, "graph") else {
            "conclusion": answer.conclusion, "steps": [asdict(s) for s in answer.steps],
            "graph": json.loads(graph_json(answer.graph))}
        return json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"
    if why_not_id or how_id:
        raise UsageError(f"--format {fmt} draws a graph: use it with --why or with no question")
    dot = to_dot(answer.graph, title=f"why {why_id}" if why_id else result.title)
    return dot if fmt == "dot" else render(dot, fmt)


class _Whole:
    """The whole consultation as one 'answer': every conclusion with its why-steps."""

    def __init__(self, result, rules):
        self.graph = derivation_graph(result, rules)
        self.explanations = _all_explanations(result, rules, self.graph)
        self.conclusion = "all"
        self.steps = tuple(s for e in self.explanations.values() for s in e.steps)
        self._shown = [c.id for c in result.conclusions if CONCLUSIONS[c.id].shown]

    def text(self):
        return "".join(self.explanations[cid].text() + "\n" for cid in self._shown)


def _answer(result, rules, why_id, why_not_id, how_id):
    if why_id:
        return why(result, why_id, rules)
    if why_not_id:
        return why_not(result, why_not_id, rules)
    if how_id:
        return how(result, how_id, rules)
    return _Whole(result, rules)


def kb_drawing(fmt: str, coverage_from: str | None = None):
    """The static knowledge-base graph in DOT, SVG, PNG or JSON."""
    from engine import catalogue, consult, find_case_files, load_case
    counts = None
    if coverage_from:
        counts = {}
        for path in find_case_files([coverage_from]):
            for rule_id in consult(load_case(path)).fired_rules():
                counts[rule_id] = counts.get(rule_id, 0) + 1
    graph = kb_graph(catalogue(), counts)
    if fmt == "json":
        return graph_json(graph)
    dot = to_dot(graph, title="ptkb knowledge base")
    return dot if fmt == "dot" else render(dot, fmt)

