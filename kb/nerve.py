"""Sciatic nerve outside the spine: deep gluteal syndrome, scar after an old hamstring injury,
neural involvement beside a hamstring problem (the mixed case), and the article's general nerve
"irritation" when no compression source, scar or lumbar cause is found.

Reference a3, b4 and e7: lumbar causes are excluded first (explicitly, not by omission); a nerve is
implicated when neural differentiation changes the reproduced symptoms.
"""
from kb.conditions import Has, Is, Lacks, Layer, NoneOfKind, Unknown
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

NO_RED_FLAG = NoneOfKind("red_flag")  # under a red flag: refer first, no other tests
__all__ = ["NerveRules"]

DEEP_GLUTEAL_PICTURE = [Has("clue_sitting_provokes"), Is("tender_deep_gluteal", True)]
NEURAL_SIGNS = [Has("clue_neurodynamic_positive"), Is("neural_differentiation_positive", True)]
# A nerve sign these hypotheses already explain (a compression source, the spine, or a strain or
# tendinopathy beside which it is "neural involvement"); NRV-030 runs after the hypothesis layer.
EXPLAINED_BY_ANOTHER_PROBLEM = ("hyp_deep_gluteal_syndrome", "hyp_hamstring_syndrome_scar", "hyp_lumbar_radiculopathy",
                                "hyp_ischiofemoral_impingement", "hyp_hamstring_strain",
                                "hyp_proximal_hamstring_tendinopathy")


class NerveRules(KnowledgeEngine):
    """Deep gluteal syndrome, post-injury scar, neural involvement."""

    @rule("NRV-001", Layer.CLUE, cites=("martin2014",), level=E.DIAGNOSTIC,
          when=[Is("seated_piriformis_stretch_positive", True)], then=["clue_piriformis_test_positive"])
    def note_positive_seated_piriformis(self):
        """The seated piriformis stretch test (LR+ 5.2) reproduces the deep buttock pain."""

    @rule("NRV-002", Layer.CLUE, cites=("martin2014",), level=E.DIAGNOSTIC,
          when=[Is("active_piriformis_positive", True)], then=["clue_piriformis_test_positive"])
    def note_positive_active_piriformis(self):
        """The active piriformis test (LR+ 3.9) reproduces the deep buttock pain."""

    @rule("NRV-003", Layer.HYPOTHESIS, cites=("martin2014", "park2020"), level=E.DIAGNOSTIC,
          when=[*DEEP_GLUTEAL_PICTURE, Has("clue_piriformis_test_positive"), Has("clue_neural_symptoms"),
                Is("lumbar_movement_reproduces_symptoms", False), Is("neuro_deficit_present", False)],
          then=["hyp_deep_gluteal_syndrome"])
    def suspect_deep_gluteal_syndrome(self):
        """Sitting pain, deep gluteal tenderness, a positive piriformis test and a neural sign, spine excluded, suggest DGS."""

    @rule("NRV-004", Layer.TESTS, cites=("park2020",), level=E.EXPERT,
          when=[*DEEP_GLUTEAL_PICTURE, Has("clue_piriformis_test_positive"),
                Unknown("lumbar_movement_reproduces_symptoms"), NO_RED_FLAG],
          then=["test_lumbar_repeated_movements"])
    def ask_lumbar_exclusion_for_deep_gluteal(self):
        """Deep gluteal syndrome is diagnosed only after spinal causes are excluded: test the lumbar spine."""

    @rule("NRV-005", Layer.TESTS, cites=("park2020",), level=E.EXPERT,
          when=[*DEEP_GLUTEAL_PICTURE, Has("clue_piriformis_test_positive"), Unknown("neuro_deficit_present"),
                NO_RED_FLAG],
          then=["test_neuro_screen"])
    def ask_neuro_screen_for_deep_gluteal(self):
        """Deep gluteal syndrome needs a neurological screen to exclude a root lesion."""

    @rule("NRV-006", Layer.TESTS, cites=("martin2014",), level=E.DIAGNOSTIC,
          when=[*DEEP_GLUTEAL_PICTURE, Unknown("seated_piriformis_stretch_positive"),
                Unknown("active_piriformis_positive"), NO_RED_FLAG],
          then=["test_piriformis_tests"])
    def ask_for_piriformis_tests(self):
        """Sitting pain with deep gluteal tenderness calls for the two piriformis tests (combined LR- 0.11)."""

    @rule("NRV-010", Layer.CLUE, cites=("martin2018", "martin2016"), level=E.EXPERT,
          when=[Is("tender_ischial_tuberosity", True)], then=["clue_ischial_pain_on_loading"])
    def note_tender_ischium(self):
        """Tenderness at the ischial tuberosity marks the hamstring origin beside the nerve."""

    @rule("NRV-011", Layer.CLUE, cites=("martin2018",), level=E.EXPERT,
          when=[Is("active_hamstring_test_positive", True)], then=["clue_ischial_pain_on_loading"])
    def note_positive_active_hamstring_test(self):
        """Ischial pain on the active hamstring test (A-30/A-90) marks the hamstring origin."""

    @rule("NRV-012", Layer.HYPOTHESIS, cites=("martin2016", "martin2018", "sapiens2022"), level=E.EXPERT,
          when=[Is("prior_hamstring_injury", True), Is("onset_type", "gradual"),
                Is("slump_reproduces_symptoms", True), Is("neural_differentiation_positive", True),
                Has("clue_ischial_pain_on_loading"), Is("sitting_aggravates", True),
                Is("lumbar_movement_reproduces_symptoms", False)],
          then=["hyp_hamstring_syndrome_scar"])
    def suspect_scar_after_hamstring_injury(self):
        """Gradual sitting and neural pain at the ischium after an old hamstring injury suggests scar."""

    @rule("NRV-020", Layer.HYPOTHESIS, cites=("sapiens2022", "coppieters2008"), level=E.EXPERT,
          when=[*NEURAL_SIGNS, Has("hyp_hamstring_strain")], then=["hyp_neural_involvement"])
    def suspect_neural_involvement_with_strain(self):
        """Positive neurodynamic tests with differentiation beside a strain: the nerve is involved too."""

    @rule("NRV-021", Layer.HYPOTHESIS, cites=("sapiens2022", "martin2018"), level=E.EXPERT,
          when=[*NEURAL_SIGNS, Has("hyp_proximal_hamstring_tendinopathy")], then=["hyp_neural_involvement"])
    def suspect_neural_involvement_with_tendinopathy(self):
        """Positive neurodynamic tests with differentiation beside tendinopathy: the nerve is involved too."""

    @rule("NRV-030", Layer.CLASSIFICATION, cites=("sapiens2022", "mcdaniel2021"), level=E.EXPERT,
          when=[*NEURAL_SIGNS, Is("lumbar_movement_reproduces_symptoms", False),
                *(Lacks(h) for h in EXPLAINED_BY_ANOTHER_PROBLEM)],
          then=["hyp_sciatic_nerve_irritation"])
    def suspect_general_nerve_irritation(self):
        """Neural signs with the spine negative and no compression source or other problem: general nerve irritation."""
