"""Lumbar spine: radicular pain / radiculopathy and somatic referred pain.

Reference a4, b5-b6: radicular pain radiates (below the knee, dermatomal) with positive neurodynamic
tests and differentiation; somatic referred pain is a deep ache, not below the knee, no deficit,
changed by lumbar movement and not by nerve tests.

Its rules are data, in `kb/rules/lumbar.yaml`; this module declares the area.
"""
from kb.rulebook import KnowledgeEngine, install_rules

__all__ = ["LumbarRules"]


class LumbarRules(KnowledgeEngine):
    """Lumbar radiculopathy and lumbar somatic referred pain."""


install_rules(LumbarRules)
