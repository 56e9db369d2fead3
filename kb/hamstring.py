"""Hamstring strain injury: the hypothesis, where in the muscle-tendon unit, which muscle, grade.

Reference b1-b2 and c1-c2: a sprint or stretch mechanism AND a contractile sign (or stretch pain with
negative neural differentiation) before the hypothesis; BAMIC decides the grade when present.

Its rules are data, in `kb/rules/hamstring.yaml`; this module declares the area and the columns of its tables.
"""
from kb.conditions import Has, Is, Layer, OneOf
from kb.rulebook import KnowledgeEngine, install_rules
from kb.tables import RuleTable

__all__ = ["HamstringRules"]

STRAIN = Has("hyp_hamstring_strain")


class HamstringRules(KnowledgeEngine):
    """Hamstring strain hypothesis, tissue, muscle, grade and prognosis."""


# On MRI the BAMIC grade decides the grade of a strain (reference a3).
BAMIC_GRADES = RuleTable(
    "BAMIC grade -> strain grade", Layer.CLASSIFICATION, columns=("BAMIC grade", "grade"),
    build=lambda grades, grade: ([STRAIN, Is("bamic_grade", grades[0]) if len(grades) == 1 else OneOf("bamic_grade", grades)], [grade]))


# On MRI the BAMIC site places the lesion and sets the prognosis (reference a3, a4).
BAMIC_SITES = RuleTable(
    "BAMIC site -> tissue and prognosis", Layer.CLASSIFICATION, columns=("BAMIC site", "and", "conclusion"),
    build=lambda site, also, conclusion: ([Is("bamic_site", site), *also], [conclusion]))


install_rules(HamstringRules, BAMIC_GRADES, BAMIC_SITES)
