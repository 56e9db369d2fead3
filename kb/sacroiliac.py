"""Sacroiliac joint pain by the Laslett provocation cluster.

Reference b7: three of five provocation tests (Sn 0.94, Sp 0.78); thigh thrust and distraction first,
both negative -> SIJ unlikely; centralisation on repeated lumbar movement excludes the SIJ.

Its rules are data, in `kb/rules/sacroiliac.yaml`; this module declares the area and the columns of its tables.
"""
from kb.conditions import Layer
from kb.rulebook import KnowledgeEngine, install_rules
from kb.tables import RuleTable

__all__ = ["SacroiliacRules"]


class SacroiliacRules(KnowledgeEngine):
    """Sacroiliac joint pain."""


# The Laslett cluster read from the provocation tests (reference b7).
CLUSTER = RuleTable(
    "Sacroiliac provocation cluster (Laslett)", Layer.CLUE, columns=("findings", "clue"),
    build=lambda findings, clue: (list(findings), [clue]))


install_rules(SacroiliacRules, CLUSTER)
