"""Proximal hamstring tendinopathy: gradual ischial pain confirmed by provocation tests.

Reference a2, b3: the three provocation tests of Cacchio 2012; the modified bent-knee stretch is the
most accurate (LR+ 10.2).

Its rules are data, in `kb/rules/tendinopathy.yaml`; this module declares the area.
"""
from kb.rulebook import KnowledgeEngine, install_rules

__all__ = ["TendinopathyRules"]


class TendinopathyRules(KnowledgeEngine):
    """Proximal hamstring tendinopathy."""


install_rules(TendinopathyRules)
