"""Drawing reasoning graphs: DOT always (pure pydot), SVG and PNG through Graphviz `dot` when present,
and a self-contained HTML report. pydot is imported inside the functions that need it.

>>> import networkx as nx
>>> g = nx.DiGraph(); g.add_node("f_x", type="finding", kind="finding", label='a "quoted": ≥ ö & co', column=0)
>>> "digraph" in to_dot(g)
True
"""
from __future__ import annotations

import html
import json
import shutil
import subprocess

from engine.errors import RenderError
from engine.textsafe import printable
from kb.conditions import value_text
from kb.evidence import CITATIONS
from kb.vocabulary import CLINICAL_ORDER, CONCLUSIONS, KIND_INFO, Kind

__all__ = ["to_dot", "render", "dot_available", "html_report", "STYLE"]

# fill colour, font colour, shape per node kind: the conclusion kinds come from kb.vocabulary.KIND_INFO
STYLE = {
    "finding": ("#e8f1fb", "#0b3d6b", "box"),
    "absence": ("#f4f4f4", "#555555", "note"),
    "rule": ("#ffffff", "#333333", "ellipse"),
    **{kind.value: (info.fill, info.font, info.shape) for kind, info in KIND_INFO.items()},
}
LEGEND = ("finding", "absence", "rule", *(kind.value for kind in CLINICAL_ORDER if kind is not Kind.GRADE
                                           and kind is not Kind.IRRITABILITY))


def _quote(text: str) -> str:
    """A DOT double-quoted string: control characters made visible, `&` kept literal (Graphviz reads
    `&#xD800;` as an entity), backslashes and quotes escaped, newlines as centred line breaks."""
    text = printable(str(text)).replace("&", "&amp;")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(text: str, width: int = 28) -> str:
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [line])


def _node_label(data: dict) -> str:
    if data["type"] == "rule":
        cites = ", ".join(CITATIONS[k].short for k in data.get("citations", ()) if k in CITATIONS)
        order = f"#{data['order']} " if "order" in data else ""
        return f"{order}{data['id']}\n{_wrap(data.get('title', ''), 30)}\n[{cites}]"
    if data["type"] == "conclusion":
        return f"{data['id']}\n{_wrap(data['label'])}"
    return _wrap(data["label"], 32)


def to_dot(graph, title: str = "") -> str:
    """DOT text for a derivation, proof or knowledge-base graph: left to right by layer, coloured by
    kind, red flags bold, rule nodes with id and citations, and a legend."""
    import pydot

    dot = pydot.Dot("ptkb", graph_type="digraph", rankdir="LR", newrank="true", nodesep="0.25",
                    ranksep="0.6", fontname="Helvetica", label=_quote(title or graph.graph.get("title", "")),
                    labelloc="t")
    dot.set_node_defaults(fontname="Helvetica", fontsize="10", style="filled")
    # Inputs on the left; everything else is placed by its derivation depth, which follows the
    # layers (a fixed column per kind would fight edges between two hypotheses).
    inputs = pydot.Subgraph("inputs", rank="min")
    for node, data in graph.nodes(data=True):
        kind = data.get("kind", data["type"])
        fill, font, shape = STYLE.get(kind, STYLE["rule"])
        attrs = dict(label=_quote(_node_label(data)), fillcolor=_quote(fill), fontcolor=_quote(font),
                     shape=shape, id=_quote(node), tooltip=_quote(data.get("title") or data["label"]))
        if kind == "red_flag":
            attrs.update(penwidth="3", color='"#7a0000"', fontsize="12", style='"filled,bold"')
        if data.get("fired") == 0:
            attrs.update(color='"#d62728"', style='"filled,dashed"', penwidth="2")
        dot.add_node(pydot.Node(node, **attrs))
        if data.get("column", 0) == 0:
            inputs.add_node(pydot.Node(node))
    for source, target, data in graph.edges(data=True):
        role = data.get("role", "")
        attrs = {"id": _quote(f"e_{source}__{target}"), "color": '"#888888"'}
        if role == "absence":
            attrs.update(style="dashed", arrowhead="odot")
        dot.add_edge(pydot.Edge(source, target, **attrs))
    dot.add_subgraph(inputs)
    legend = pydot.Cluster("legend", label='"legend"', fontsize="10", color='"#bbbbbb"')
    for kind in LEGEND:
        fill, font, shape = STYLE[kind]
        legend.add_node(pydot.Node(f"legend_{kind}", label=_quote(kind.replace("_", " ")), shape=shape,
                                   fillcolor=_quote(fill), fontcolor=_quote(font), fontsize="9"))
    dot.add_subgraph(legend)
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


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ptkb: {title}</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 0; display: flex; height: 100vh; }}
#side {{ width: 34%; overflow-y: auto; padding: 12px 16px; box-sizing: border-box; border-right: 1px solid #ddd; }}
#graph {{ flex: 1; overflow: auto; padding: 8px; }}
#graph svg {{ max-width: 100%; height: auto; }}
h1 {{ font-size: 18px; margin: 4px 0 8px; }} h2 {{ font-size: 14px; margin: 14px 0 4px; color: #444; }}
table {{ border-collapse: collapse; font-size: 12px; }} td {{ padding: 1px 6px; border-bottom: 1px solid #eee; }}
.conclusion {{ cursor: pointer; padding: 4px 6px; margin: 2px 0; border-radius: 4px; font-size: 13px; }}
.conclusion:hover, .conclusion.active {{ background: #dbeafe; }}
.conclusion.red_flag {{ color: #b00; font-weight: bold; }}
.steps {{ display: none; font-size: 11px; color: #333; white-space: pre-wrap; margin: 2px 0 6px 8px; }}
.conclusion.active + .steps {{ display: block; }}
svg.dim g.node, svg.dim g.edge {{ opacity: 0.15; }}
svg.dim g.node.hl, svg.dim g.edge.hl {{ opacity: 1; }}
svg g.node.hl polygon, svg g.node.hl ellipse {{ stroke: #1f77b4; stroke-width: 3; }}
</style></head><body>
<div id="side"><h1>{title}</h1><div>case <code>{case_id}</code>. Click a conclusion to highlight its proof.</div>
<h2>Findings</h2><table>{findings}</table>
<h2>Conclusions</h2>{conclusions}</div>
<div id="graph">{svg}</div>
<script>
const proofs = {proofs};
function select(el) {{
  const svg = document.querySelector('#graph svg');
  const wasActive = el.classList.contains('active');
  document.querySelectorAll('.conclusion').forEach(e => e.classList.remove('active'));
  svg.querySelectorAll('.hl').forEach(e => e.classList.remove('hl'));
  svg.classList.remove('dim');
  if (wasActive) return;
  el.classList.add('active');
  svg.classList.add('dim');
  (proofs[el.dataset.id] || []).forEach(function (id) {{
    const node = document.getElementById(id);
    if (node) node.classList.add('hl');
  }});
}}
document.querySelectorAll('.conclusion').forEach(function (el) {{
  el.addEventListener('click', function () {{ select(el); }});
}});
// A link such as report.html#grade_2 opens with that conclusion's proof highlighted.
const chosen = document.querySelector('.conclusion[data-id="' + location.hash.slice(1) + '"]');
if (chosen) select(chosen);
</script></body></html>
"""


def html_report(result, svg: str, explanations: dict) -> str:
    """A self-contained page: findings, conclusions in clinical order with their why-steps, and the
    embedded SVG; clicking a conclusion highlights its proof path (nodes and edges)."""
    findings = "".join(f"<tr><td>{html.escape(f)}</td><td>{html.escape(printable(value_text(v)))}</td></tr>"
                       for f, v in result.findings)
    items, proofs = [], {}
    for c in result.conclusions:
        if not CONCLUSIONS[c.id].shown:
            continue
        explanation = explanations[c.id]
        nodes = set(explanation.graph.nodes)
        edges = [f"e_{s}__{t}" for s, t in explanation.graph.edges]
        proofs[c.id] = sorted(nodes) + edges
        items.append(f'<div class="conclusion {c.kind}" data-id="{html.escape(c.id)}">'
                     f'<b>{html.escape(c.id)}</b> {html.escape(c.label)} '
                     f'<small>[{html.escape(c.kind)}]</small></div>'
                     f'<div class="steps">{html.escape(explanation.text())}</div>')
    svg_body = svg[svg.find("<svg"):] if "<svg" in svg else svg
    return _PAGE.format(title=html.escape(printable(result.title or result.case_id)),
                        case_id=html.escape(result.case_id),
                        findings=findings, conclusions="".join(items), svg=svg_body,
                        proofs=json.dumps(proofs).replace("</", "<\\/"))
