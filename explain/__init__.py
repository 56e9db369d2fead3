"""ptkb's explanations: reasoning graphs, why / how / why-not / diff, drawings and HTML reports.

Consumes the engine's plain records only; never imports experta (a test enforces it).
"""
from explain.graph import derivation_graph, focus, kb_graph, node_id, number_steps
from explain.questions import Candidate, Check, DiffAnswer, WhyAnswer, HowAnswer, WhyNotAnswer, diff, how, plan, why, why_not
from explain.render import answer_html, dot_available, html_report, kb_html, render, to_dot

__all__ = ["derivation_graph", "focus", "kb_graph", "node_id", "number_steps", "Candidate", "Check", "DiffAnswer",
           "WhyAnswer", "HowAnswer", "WhyNotAnswer", "diff", "how", "plan", "why", "why_not", "answer_html",
           "dot_available", "html_report", "kb_html", "render", "to_dot"]
