"""Proximal hamstring tendinopathy: gradual ischial pain confirmed by provocation tests.

Reference a2, b3: the three provocation tests of Cacchio 2012; the modified bent-knee stretch is the
most accurate (LR+ 10.2).
"""
from kb.conditions import Is, Lacks, Layer, NoneOfKind, Unknown
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

__all__ = ["TendinopathyRules"]

GRADUAL_ISCHIAL = [Is("onset_type", "gradual"), Is("primary_pain_site", "ischial_tuberosity")]
PROVOCATION_TESTS = ("modified_bent_knee_stretch_positive", "bent_knee_stretch_positive",
                     "puranen_orava_positive")


class TendinopathyRules(KnowledgeEngine):
    """Proximal hamstring tendinopathy."""

    @rule("PHT-001", Layer.HYPOTHESIS, cites=("cacchio2012", "goom2016"), level=E.DIAGNOSTIC,
          when=[*GRADUAL_ISCHIAL, Is("tender_ischial_tuberosity", True),
                Is("modified_bent_knee_stretch_positive", True)],
          then=["hyp_proximal_hamstring_tendinopathy"])
    def suspect_tendinopathy_modified_bent_knee(self):
        """Gradual ischial pain with a positive modified bent-knee stretch suggests tendinopathy."""

    @rule("PHT-002", Layer.HYPOTHESIS, cites=("cacchio2012", "goom2016"), level=E.DIAGNOSTIC,
          when=[*GRADUAL_ISCHIAL, Is("tender_ischial_tuberosity", True), Is("bent_knee_stretch_positive", True)],
          then=["hyp_proximal_hamstring_tendinopathy"])
    def suspect_tendinopathy_bent_knee(self):
        """Gradual ischial pain with a positive bent-knee stretch suggests tendinopathy."""

    @rule("PHT-003", Layer.HYPOTHESIS, cites=("cacchio2012", "goom2016"), level=E.DIAGNOSTIC,
          when=[*GRADUAL_ISCHIAL, Is("tender_ischial_tuberosity", True), Is("puranen_orava_positive", True)],
          then=["hyp_proximal_hamstring_tendinopathy"])
    def suspect_tendinopathy_puranen_orava(self):
        """Gradual ischial pain with a positive Puranen-Orava test suggests tendinopathy."""

    @rule("PHT-004", Layer.TESTS, cites=("cacchio2012",), level=E.DIAGNOSTIC,
          when=[*GRADUAL_ISCHIAL, *(Unknown(t) for t in PROVOCATION_TESTS), NoneOfKind("red_flag"),
                Lacks("clue_stretch_test_unsafe")],
          then=["test_tendinopathy_provocation"])
    def ask_for_tendinopathy_provocation(self):
        """Gradual ischial pain needs the tendinopathy provocation tests before a hypothesis."""
