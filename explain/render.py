"""Drawing reasoning graphs: DOT always (pure pydot), SVG and PNG through Graphviz `dot` when present,
and a self-contained HTML report. pydot is imported inside the functions that need it.

>>> import networkx as nx
>>> g = nx.DiGraph(); g.add_node("f_x", type="finding", kind="finding", label='a "quoted": ≥ ö & co', column=0)
>>> "digraph" in to_dot(g)
True
"""
from __future__ import annotations

import functools
import html
import shutil
import subprocess

from engine.errors import RenderError
from explain.graph import node_id
from engine.textsafe import printable
from kb.conditions import value_text
from kb.evidence import CITATIONS
from kb.vocabulary import CLINICAL_ORDER, CONCLUSIONS, KIND_INFO, NODE_INFO, KindInfo

__all__ = ["to_dot", "render", "dot_available", "html_report", "kb_html", "answer_html", "proof_marks", "RANKDIRS", "node_style", "report_context", "step_rows", "page_asset", "page_template", "PAGE_ASSETS"]

RANKDIRS = ("LR", "TB", "RL", "BT")
FONT = "Helvetica"
LEGEND_BACKGROUND = "#FFFCF2"  # a faint ivory panel; tests find the legend on a PNG by this exact colour
MARKS = {  # diff marks: border colour, prefix, legend text
    "gained": ("#009E73", "+ ", "gained in B (thick green border, +)"),
    "lost": ("#D55E00", "\u2212 ", "lost from A (thick dashed vermillion border, \u2212)"),
    "changed": ("#0072B2", "\u0394 ", "finding changed (thick blue border, \u0394)"),
}
EDGE_LEGEND = {  # edge role -> (style, legend text); roles drawn plainly are not listed
    "absence": ("dashed", "relied on an absence"),
    "blocks": ("bold", "blocks the condition"),
}


class _Dot:
    """A DOT value ptkb has already written in full (quoted, or an HTML-like label). pydot writes a
    value that is not a `str` as it is, so it does not scan every character of it again to decide
    whether it needs quotes (a quarter of `to_dot`'s time, spent on the longest labels)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:  # f"{key}={value}" is how pydot writes it
        return self.text


def _quote(text: str) -> _Dot:
    """A DOT double-quoted string: control characters made visible, `&` kept literal (Graphviz reads
    `&#xD800;` as an entity), backslashes and quotes escaped, newlines as centred line breaks."""
    text = printable(str(text)).replace("&", "&amp;")
    return _Dot('"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"')


def _html(text: str) -> str:
    """Text for a Graphviz HTML-like label."""
    return html.escape(printable(str(text)), quote=True)


def _wrap(text: str, width: int = 26, lines: int = 0) -> str:
    """Word-wrap to `width` columns; with `lines`, at most that many (the last one ends in '...')."""
    words, out, line = [w for w in str(text).split(" ") if w], [], ""  # a no-break space holds
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if lines and len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 3].rstrip() + "..."
    return "\n".join(out)


def cluster_id(path) -> str:
    """The SVG id of a cluster ('cl_nerve', 'cl_nerve__nerve_tests_layer'), for the page to zoom to."""
    return "cl_" + "__".join(node_id("x", p)[2:] for p in path)


def node_style(kind: str) -> KindInfo:
    """The look of a node kind (`kb.vocabulary.NODE_INFO`), a rule's for an unknown one."""
    return NODE_INFO.get(kind, NODE_INFO["rule"])


def _node_label(data: dict) -> str:
    if data["type"] == "rule":
        cites = ", ".join(CITATIONS[k].short for k in data.get("citations", ()) if k in CITATIONS)
        head = f"{data['step']} \u00b7 {data['id']}" if data.get("step") else data["id"]
        lines = [head, _wrap(data.get("title", ""), 26, 2)]
        if cites:
            lines.append(_wrap(f"[{cites}]", 30))
        absorbed = [f"{n}\u00a0{rid}" if n else rid for n, rid in data.get("absorbed", ())]
        if absorbed:
            lines.append(_wrap("with " + ", ".join(absorbed), 30))
        return "\n".join(lines)
    prefix = MARKS[data["mark"]][1] if data.get("mark") else ""
    if data["type"] == "conclusion":
        return f"{prefix}{data['id']}\n{_wrap(data['label'])}"
    return prefix + _wrap(data["label"], 30)


SHAPE_WORDS = {"cds": "arrow", "doubleoctagon": "double octagon", "invhouse": "pentagon"}


def _legend(kinds, roles, marks, coverage: bool, width_pt: float) -> str:
    """A compact HTML-like table of the kinds present, packed into rows as wide as the drawing."""
    cells = []
    for kind in kinds:
        look = node_style(kind)
        style = ' STYLE="rounded"' if kind == "rule" else ""
        cells.append((f'<TD BGCOLOR="{look.fill}" COLOR="{look.border}" BORDER="2" WIDTH="16"{style}> </TD>',
                      f"{look.legend} ({SHAPE_WORDS.get(look.shape, look.shape)})"))
    for role in roles:
        if role == "absence" and "absence" in kinds:
            continue  # the absence node's entry already names its dashed edge
        cells.append(('<TD BORDER="0">- - o</TD>' if role == "absence" else
                      '<TD BORDER="0"><FONT COLOR="#D55E00"><B>\u2014|</B></FONT></TD>', EDGE_LEGEND[role][1]))
    for mark in marks:
        colour, prefix, text = MARKS[mark]
        cells.append((f'<TD BORDER="3" COLOR="{colour}">{_html(prefix.strip())}</TD>', text))
    if coverage:
        cells.append(('<TD BORDER="2" COLOR="#D55E00" STYLE="dashed"> </TD>', "rule no scenario fires (dashed)"))
    if not cells:
        return ""
    rows, row, used = [], [], 0.0
    for swatch, text in cells:  # greedy packing by the estimated width of each entry at 11 pt
        need = 28 + 5.4 * len(text)
        if row and used + need > max(width_pt, 300):
            rows.append(row)
            row, used = [], 0.0
        row.append(f'{swatch}<TD ALIGN="LEFT" BORDER="0">{_html(text)}</TD>')
        used += need
    rows.append(row)
    inner = "".join(f'<TR><TD BORDER="0" ALIGN="LEFT"><TABLE BORDER="0" CELLBORDER="1" CELLSPACING="3" '
                    f'CELLPADDING="1"><TR>{"".join(r)}</TR></TABLE></TD></TR>' for r in rows)
    return (f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0" BGCOLOR="{LEGEND_BACKGROUND}">{inner}</TABLE>')


def _estimated_width(graph, rankdir: str) -> float:
    """The drawing's width in points, estimated before layout from the label lengths: left to right,
    the widest label of each rank plus the gap between ranks; top to bottom, the widest rank."""
    import networkx as nx
    if not len(graph):
        return 400.0
    widths = {n: 20 + 7.6 * max(len(line) for line in _node_label(d).split("\n")) for n, d in graph.nodes(data=True)}
    try:
        order = list(nx.topological_sort(graph))
    except nx.NetworkXUnfeasible:
        return max(400.0, sum(widths.values()) / 3)
    rank = {}
    for node in order:
        rank[node] = max((rank[p] + 1 for p in graph.predecessors(node)), default=0)
    by_rank: dict[int, list[float]] = {}
    for node, r in rank.items():
        by_rank.setdefault(r, []).append(widths[node])
    if rankdir in ("LR", "RL"):
        return sum(max(ws) for ws in by_rank.values()) + 32 * (len(by_rank) - 1)
    return max(sum(ws) + 18 * (len(ws) - 1) for ws in by_rank.values())


def to_dot(graph, title: str = "", legend: bool = True, size: str | None = None, dpi: float | None = None,
           rankdir: str = "LR") -> str:
    """DOT text for any ptkb graph (derivation, proof, why-not, how, diff, knowledge base): one visual
    language from `kb.vocabulary.NODE_INFO`; a title and a compact legend of only the kinds present
    above the drawing; nodes with a `cluster` attribute grouped (diff sides, KB areas and layers).

    `size` is Graphviz's "W,H" in inches (the drawing is scaled down to fit), `dpi` the PNG resolution,
    `rankdir` the direction of reasoning (LR, TB, RL, BT).
    """
    import pydot

    if rankdir not in RANKDIRS:
        raise RenderError(f"unknown rankdir {rankdir!r}: expected one of {', '.join(RANKDIRS)}")
    title = title or graph.graph.get("title", "")
    kinds = [k for k in NODE_INFO if any(d.get("kind") == k for _, d in graph.nodes(data=True))]
    roles = [r for r in EDGE_LEGEND if any(d.get("role") == r for *_, d in graph.edges(data=True))]
    marks = [m for m in MARKS if any(d.get("mark") == m for _, d in graph.nodes(data=True))]
    coverage = any(d.get("fired") == 0 for _, d in graph.nodes(data=True))
    key = _legend(kinds, roles, marks, coverage, _estimated_width(graph, rankdir)) if legend else ""
    label = (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2"><TR><TD><FONT POINT-SIZE="18"><B>{_html(title)}'
             f'</B></FONT></TD></TR>' + (f'<TR><TD><FONT POINT-SIZE="11">{key}</FONT></TD></TR>' if key else "")
             + "</TABLE>>")
    label = _Dot(label)
    attrs = dict(rankdir=rankdir, newrank="true", nodesep="0.3", ranksep="0.45", fontname=FONT, label=label,
                 labelloc="t", labeljust="l", pad="0.03", margin="0")
    if size:
        attrs["size"] = _quote(size)
    if dpi:
        attrs["dpi"] = str(dpi)
    dot = pydot.Dot("ptkb", graph_type="digraph", **attrs)
    dot.set_node_defaults(fontname=FONT, fontsize="14", style="filled", margin="0.12,0.06")
    dot.set_edge_defaults(color='"#666666"', arrowsize="0.8")
    clusters: dict[tuple, pydot.Subgraph] = {}

    def home(data):
        path = data.get("cluster")
        if not path:
            return dot
        path = (path,) if isinstance(path, str) else tuple(path)
        parent = dot
        for depth in range(1, len(path) + 1):
            key_ = path[:depth]
            if key_ not in clusters:
                clusters[key_] = pydot.Cluster(f"c{len(clusters)}", label=_quote(path[depth - 1]),
                                               id=_quote(cluster_id(key_)),
                                               fontsize="16" if depth == 1 else "13", fontname=FONT,
                                               style='"rounded"', color='"#999999"', labeljust="l")
                parent.add_subgraph(clusters[key_])
            parent = clusters[key_]
        return parent

    inputs = pydot.Subgraph("inputs", rank="min")
    for node, data in graph.nodes(data=True):
        kind = data.get("kind", data["type"])
        look = node_style(kind)
        style = ["filled"] + (["rounded"] if kind == "rule" else [])
        attrs = dict(label=_quote(_node_label(data)), fillcolor=_quote(look.fill), color=_quote(look.border),
                     fontcolor=_quote(look.font), shape=look.shape, id=_quote(node), penwidth="1.5",
                     tooltip=_quote(data.get("title") or data.get("label") or data["id"]))
        if kind == "red_flag":
            attrs.update(penwidth="4", fontsize="16")
            style.append("bold")
        if kind in ("not_reached", "cond_missing", "cond_not_concluded") or data.get("fired") == 0:
            style.append("dashed")
        if data.get("fired") == 0:
            attrs.update(color='"#D55E00"', penwidth="2.5")
        if data.get("first"):
            attrs.update(penwidth="3.5")
        if data.get("mark"):
            attrs.update(color=_quote(MARKS[data["mark"]][0]), penwidth="4")
            if data["mark"] == "lost":
                style.append("dashed")
        attrs["style"] = _quote(",".join(dict.fromkeys(style)))
        if kind == "spacer":
            attrs = dict(label='""', style="invis", width="0.3", height="0.1")
        home(data).add_node(pydot.Node(node, **attrs))
        if data.get("column", 0) == 0 and not data.get("cluster"):
            inputs.add_node(pydot.Node(node))
    for source, target, data in graph.edges(data=True):
        role = data.get("role", "")
        attrs = {"id": _quote(f"e_{source}__{target}")}
        if role == "absence":
            attrs.update(style="dashed", arrowhead="odot")
        elif role == "blocks":
            attrs.update(color='"#D55E00"', arrowhead="tee", penwidth="2")
        elif role == "could conclude":
            attrs.update(style="dashed")
        elif role == "layout":
            attrs.update(style="invis")
        dot.add_edge(pydot.Edge(source, target, **attrs))
    if inputs.get_nodes():
        dot.add_subgraph(inputs)
    return dot.to_string()


def dot_available() -> bool:
    return shutil.which("dot") is not None


def render(dot_text: str, fmt: str) -> bytes:
    """SVG or PNG bytes from DOT text, through Graphviz `dot`; RenderError names what is missing."""
    if fmt not in ("svg", "png"):
        raise RenderError(f"cannot render {fmt!r}: expected svg or png")
    exe = shutil.which("dot")
    if exe is None:
        raise RenderError("the Graphviz program 'dot' was not found on PATH: install Graphviz "
                          "(e.g. 'apt-get install graphviz') or use --format dot")
    try:
        done = subprocess.run([exe, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True,
                              timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RenderError(f"Graphviz 'dot' failed: {exc}") from None
    if done.returncode != 0:
        raise RenderError(f"Graphviz 'dot' failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


PAGE_ASSETS = {"page.js": "templates/page.js", "page.css": "templates/page.css",
               "svg-pan-zoom.min.js": "vendor/svg-pan-zoom.min.js"}


@functools.cache
def page_asset(name: str) -> str:
    """The text of one of the view's assets (PAGE_ASSETS): inlined in a report, served by the explorer
    (read once per process: they are part of the installed package)."""
    from importlib.resources import files
    return (files("explain") / PAGE_ASSETS[name]).read_text(encoding="utf-8")


@functools.cache
def page_template(name: str):
    """One of the package's page templates (Jinja2, autoescaped, undefined names an error), compiled
    once per process: compiling costs more than rendering a report."""
    from importlib.resources import files

    import jinja2
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string((files("explain") / "templates" / name).read_text(encoding="utf-8"))


def _page(**context) -> str:
    """The one HTML page (Jinja2, autoescaped): sidebar, pan/zoom graph, the vendored svg-pan-zoom
    and ptkb's script and style inlined, so the file works offline and alone."""
    template = page_template("page.html.j2")
    svg = context.pop("svg")
    svg = svg[svg.find("<svg"):] if "<svg" in svg else svg
    return template.render(svg=svg, pan_zoom_js=page_asset("svg-pan-zoom.min.js"), page_js=page_asset("page.js"),
                           page_css=page_asset("page.css"), **context)


def proof_marks(explanation, detail: str = "clinical", drawing=None) -> dict:
    """What the page highlights for one proof: its node and edge ids in the drawing (`drawing`, when
    the caller has it, is `explanation.drawing(detail)`), and the step number of each rule node (the
    numbers of its text steps)."""
    drawing = drawing if drawing is not None else explanation.drawing(detail)
    steps = {n: [str(step) for step, _ in d.get("absorbed", ())] + [str(d["step"])]
             for n, d in drawing.nodes(data=True) if d.get("step")}
    return {"nodes": sorted(drawing.nodes), "edges": [f"e_{s}__{t}" for s, t in drawing.edges], "steps": steps,
            "target": node_id("c", explanation.conclusion) if explanation.conclusion else ""}


def step_rows(explanation) -> list[dict]:
    """A why-answer's numbered steps as a page lists them: rule, title, citations, what it used and concluded."""
    return [{"rule_id": s.rule_id, "title": s.title, "cites": s.citations_text(), "used": s.from_text(),
             "concluded": ", ".join(s.concluded)} for s in explanation.steps]


def report_context(result, explanations: dict, detail: str = "clinical") -> dict:
    """What a page shows of one case (the report, the explorer): the title, the findings as the case
    file writes them, the shown conclusions grouped in clinical order with their numbered why-steps, and
    each one's proof marks for the drawing."""
    groups = []
    for kind in CLINICAL_ORDER:
        items = []
        for c in result.conclusions:
            if c.kind != kind.value or not CONCLUSIONS[c.id].shown:
                continue
            items.append({"id": c.id, "label": c.label, "kind": c.kind, "fill": KIND_INFO[kind].border,
                          "steps": step_rows(explanations[c.id])})
        if items:
            groups.append((KIND_INFO[kind].heading, items))
    proofs = {cid: proof_marks(e, detail) for cid, e in explanations.items() if CONCLUSIONS[cid].shown}
    return {"title": printable(result.title or result.case_id), "case_id": printable(result.case_id),
            "findings": [(f, printable(value_text(v))) for f, v in result.findings], "groups": groups, "proofs": proofs}


def html_report(result, svg: str, explanations: dict, detail: str = "clinical") -> str:
    """A self-contained page: the findings as the case file writes them, the conclusions in clinical
    order with their numbered why-steps, and the pan/zoomable drawing; choosing a conclusion highlights
    and zooms to its proof, badges its rules with the same step numbers, and sets `#id` in the URL."""
    return _page(svg=svg, searchable=False, intro="", text="", areas=[],
                 **report_context(result, explanations, detail))


def answer_html(title: str, text: str, svg: str) -> str:
    """One answer (why, why-not, how, diff) as a page: its text beside its pan/zoomable drawing."""
    return _page(title=printable(title), case_id="", findings=[], groups=[], proofs={}, svg=svg, searchable=False,
                 intro="", text=printable(text), areas=[])


def kb_html(svg: str, title: str, areas=()) -> str:
    """The knowledge-base graph as a page: pan/zoomable, searchable by rule, finding or conclusion id,
    and each clinical area (`areas`: (name, number of rules)) one click from view."""
    areas = [({"name": name, "cluster": cluster_id((name,))}, count) for name, count in areas]
    return _page(title=printable(title), case_id="", findings=[], groups=[], proofs={}, svg=svg, searchable=True,
                 areas=areas,
                 intro="The rule network: findings and conclusions feed rules, rules write conclusions; rules are "
                       "grouped by clinical area and layer. Type a rule id (e.g. NRV-030) and press Enter to find it.", text="")
