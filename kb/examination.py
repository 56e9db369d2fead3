"""Examination clues shared by several areas (neurodynamic tests, radiating pain, sitting).

Reference b4-b5: a neurodynamic test counts only when it reproduces the familiar LEG symptoms; the
nerve is implicated when structural differentiation changes them.

Its rules are data, in `kb/rules/examination.yaml`; this module declares the area.
"""
from kb.rulebook import KnowledgeEngine, install_rules

__all__ = ["ExaminationRules"]


class ExaminationRules(KnowledgeEngine):
    """Abstractions of examination findings that several areas read."""


install_rules(ExaminationRules)
