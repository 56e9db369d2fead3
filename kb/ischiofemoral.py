"""Ischiofemoral impingement: deep buttock pain lateral to the ischium with long strides.

Reference a6, b8: the long-stride walking test (Sn about 0.94, Sp about 0.85); the IFI test is less
accurate and only strengthens the picture.

Its rules are data, in `kb/rules/ischiofemoral.yaml`; this module declares the area.
"""
from kb.rulebook import KnowledgeEngine, install_rules

__all__ = ["IschiofemoralRules"]


class IschiofemoralRules(KnowledgeEngine):
    """Ischiofemoral impingement."""


install_rules(IschiofemoralRules)
