"""What to examine next when no hypothesis could be formed (reference f3, missing-data rules).

Absent is not false: when a discriminating finding was not examined, ptkb asks for the test instead
of guessing.

Its rules are data, in `kb/rules/screening.yaml`; this module declares the area.
"""
from kb.rulebook import KnowledgeEngine, install_rules

__all__ = ["ScreeningRules"]


class ScreeningRules(KnowledgeEngine):
    """Tests to perform for an undifferentiated case."""


install_rules(ScreeningRules)
