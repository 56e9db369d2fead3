"""Irritability: how little provokes the symptoms, how bad they get, how long they take to settle.

Reference d3 -- explicit thresholds that are a KB design choice, not a validated instrument: NRS bands
after Kelley 2013 and Kareha 2021, settling minutes after Maitland teaching. Explanations say
"heuristic". High: any two of five markers; low: all four low markers; moderate otherwise.

Its rules are data, in `kb/rules/irritability.yaml`; this module declares the area and the columns of its tables.
"""
from kb.conditions import Layer
from kb.rulebook import KnowledgeEngine, install_rules
from kb.tables import RuleTable

__all__ = ["IrritabilityRules"]


class IrritabilityRules(KnowledgeEngine):
    """Irritability markers and classification."""


# One marker of high or low irritability per finding (reference c1, c3).
MARKERS = RuleTable(
    "Irritability markers", Layer.CLUE, columns=("finding", "marker"),
    build=lambda finding, marker: ([finding], [marker]))


install_rules(IrritabilityRules, MARKERS)
