"""ptkb's explanations: reasoning graphs, why / how / why-not / diff, drawings and HTML reports.

Consumes the engine's plain records only; never imports experta (a test enforces it).
"""
from explain.graph import derivation_graph, kb_graph, node_id
from explain.questions import Diff, Explanation, WhyNot, diff, how, why, why_not
from explain.render import dot_available, html_report, render, to_dot

__all__ = ["derivation_graph", "kb_graph", "node_id", "Diff", "Explanation", "WhyNot", "diff", "how",
           "why", "why_not", "dot_available", "html_report", "render", "to_dot"]
