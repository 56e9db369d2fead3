"""Findings that contradict each other: a named check per contradiction, concluding `conflict_findings`,
which the plan shows first -- never a silent guess between two recorded results.

Each check pairs two findings that describe the same examination (reference e1, e4: the prone
knee-flexion strength test, the phase criteria; b7: the SIJ count includes thigh thrust and
distraction; f1: differentiation changes a *reproduced* symptom).

Its rules are data, in `kb/rules/consistency.yaml`; this module declares the area.
"""
from kb.rulebook import KnowledgeEngine, install_rules

__all__ = ["ConsistencyRules"]


class ConsistencyRules(KnowledgeEngine):
    """Contradictory findings."""


install_rules(ConsistencyRules)
