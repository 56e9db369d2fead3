"""What `ptkb explain`, `ptkb diff`, `ptkb graph` and the demo produce, in each format."""
from __future__ import annotations

import json

from engine.errors import UsageError
from explain import derivation_graph, how, html_report, kb_graph, render, to_dot, why, why_not
from explain.questions import plan
from explain.render import answer_html, kb_html
from kb.vocabulary import CONCLUSIONS

__all__ = ["explain_case", "case_view", "case_report_html", "answer_output", "kb_drawing", "check_area", "graph_json"]


def graph_json(graph) -> str:
    from networkx.readwrite import json_graph
    return json.dumps(json_graph.node_link_data(graph, edges="edges"), indent=2, ensure_ascii=False,
                      default=str) + "\n"


def case_view(result, rules, detail: str = "clinical", **options) -> tuple[str, dict]:
    """The whole plan drawn at `detail` (DOT text) and the why-answer of every shown conclusion: what
    the HTML report and the explorer show of a case."""
    graph = derivation_graph(result, rules)
    whole = plan(result, rules, detail, graph)
    dot = to_dot(whole.drawing(detail, numbered=False), title=result.title or result.case_id, **options)
    explanations = {c.id: why(result, c.id, rules, graph) for c in result.conclusions if CONCLUSIONS[c.id].shown}
    return dot, explanations


def case_report_html(result, rules, detail: str = "clinical", **options) -> str:
    """The self-contained HTML report of one case (needs Graphviz for the embedded SVG): the whole plan
    drawn at `detail`, each shown conclusion's proof one click away."""
    dot, explanations = case_view(result, rules, detail, **options)
    return html_report(result, render(dot, "svg").decode("utf-8"), explanations, detail)


def answer_output(answer, fmt: str, detail: str = "clinical", **options):
    """One answer (why, why-not, how, diff or the whole plan) as text, JSON, DOT, SVG, PNG or HTML."""
    if fmt == "text":
        return answer.text()
    if fmt == "json":
        return json.dumps(answer.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
    dot = answer.to_dot(detail, **options)
    if fmt == "dot":
        return dot
    if fmt in ("svg", "png"):
        return render(dot, fmt)
    if fmt == "html":
        return answer_html(answer.title(), answer.text(), render(dot, "svg").decode("utf-8"))
    raise UsageError(f"unknown format {fmt!r}")


def explain_case(result, rules: dict, fmt: str, why_id: str | None = None, why_not_id: str | None = None,
                 how_id: str | None = None, detail: str = "clinical", **options):
    """Text, JSON, DOT, SVG, PNG or HTML for a whole consultation or for one question."""
    if fmt == "html" and not (why_id or why_not_id or how_id):
        return case_report_html(result, rules, detail, **options)
    if why_id:
        answer = why(result, why_id, rules)
    elif why_not_id:
        answer = why_not(result, why_not_id, rules)
    elif how_id:
        answer = how(result, how_id, rules)
    else:
        answer = plan(result, rules, detail)
    return answer_output(answer, fmt, detail, **options)


def check_area(area: str) -> None:
    """UsageError, with the nearest area and the list, for an area no rule belongs to."""
    from engine import catalogue
    from engine.case import suggest
    areas = sorted({m.area for m in catalogue()})
    if area not in areas:
        raise UsageError(f"unknown area {area!r}{suggest(area, areas)}; areas: {', '.join(areas)}")


def kb_drawing(fmt: str, coverage_from: str | None = None, area: str | None = None, **options):
    """The static knowledge-base graph (one area, or all of them clustered by area and layer) in DOT,
    SVG, PNG, JSON or a searchable HTML page."""
    from engine import catalogue
    metas = catalogue()
    if area:
        check_area(area)
    counts = None
    if coverage_from:
        from ptkb.regression import run_suite
        report = run_suite([coverage_from], seed=0)
        if report.errors:
            raise UsageError("--coverage-from: bad scenario files:\n" + "\n".join(report.errors))
        counts = {rule: len(cases) for rule, cases in report.coverage()["rules_fired_in"].items()}
    graph = kb_graph(metas, counts, area)
    if fmt == "json":
        return graph_json(graph)
    for _, data in graph.nodes(data=True):
        if data["type"] == "rule" and not area:
            data["cluster"] = (data["area"], f"{data['area']}: {data['layer']} layer")
        elif data["type"] == "rule":
            data["cluster"] = (f"{data['layer']} layer",)
    dot = to_dot(graph, **options)
    if fmt == "dot":
        return dot
    if fmt == "html":
        from collections import Counter
        areas = sorted(Counter(m.area for m in metas).items()) if not area else []
        return kb_html(render(dot, "svg").decode("utf-8"), graph.graph["title"], areas)
    return render(dot, fmt)
