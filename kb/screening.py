"""What to examine next when no hypothesis could be formed (reference f3, missing-data rules).

Absent is not false: when a discriminating finding was not examined, ptkb asks for the test instead
of guessing.
"""
from kb.conditions import Is, Lacks, Layer, NoneOfKind, Unknown
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

__all__ = ["ScreeningRules"]

NOTHING_YET = [NoneOfKind("hypothesis"), NoneOfKind("red_flag")]


class ScreeningRules(KnowledgeEngine):
    """Tests to perform for an undifferentiated case."""

    @rule("Q-001", Layer.TESTS, cites=("mcdaniel2021", "vanderwindt2010"), level=E.EXPERT,
          when=[*NOTHING_YET, Unknown("neuro_deficit_present")], then=["test_neuro_screen"])
    def ask_for_neuro_screen(self):
        """No hypothesis yet and no neuro screen: test dermatomes, myotomes and reflexes."""

    @rule("Q-002", Layer.TESTS, cites=("mcdaniel2021", "majlesi2008"), level=E.EXPERT,
          when=[*NOTHING_YET, Unknown("slump_reproduces_symptoms")], then=["test_slump_with_differentiation"])
    def ask_for_slump(self):
        """No hypothesis yet and no slump test: slump with structural differentiation."""

    @rule("Q-003", Layer.TESTS, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[*NOTHING_YET, Unknown("neural_differentiation_positive")], then=["test_slump_with_differentiation"])
    def ask_for_differentiation_in_undifferentiated_case(self):
        """No hypothesis yet and no structural differentiation: add neck or ankle differentiation."""

    @rule("Q-004", Layer.TESTS, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[*NOTHING_YET, Unknown("lumbar_movement_reproduces_symptoms")],
          then=["test_lumbar_repeated_movements"])
    def ask_for_lumbar_movements(self):
        """No hypothesis yet and the lumbar spine not tested: lumbar range and repeated movements."""

    @rule("Q-005", Layer.TESTS, cites=("cacchio2012",), level=E.DIAGNOSTIC,
          when=[*NOTHING_YET, Is("primary_pain_site", "ischial_tuberosity"),
                Unknown("modified_bent_knee_stretch_positive"), Unknown("bent_knee_stretch_positive"),
                Unknown("puranen_orava_positive"), Lacks("clue_stretch_test_unsafe")],
          then=["test_tendinopathy_provocation"])
    def ask_for_tendon_tests_at_ischium(self):
        """No hypothesis yet, pain at the sitting bone: the tendinopathy provocation tests."""

    @rule("Q-006", Layer.TESTS, cites=("martin2014",), level=E.DIAGNOSTIC,
          when=[*NOTHING_YET, Is("primary_pain_site", "deep_buttock_lateral_to_ischium"),
                Unknown("seated_piriformis_stretch_positive"), Unknown("active_piriformis_positive")],
          then=["test_piriformis_tests"])
    def ask_for_piriformis_tests_in_deep_buttock(self):
        """No hypothesis yet, deep buttock pain: the seated and active piriformis tests."""
