"""Management: activity modification, exercise, precautions and referrals, by hypothesis.

Reference c3, e1-e7. Every rule here is guarded by "no red flag" (reference e0: a red flag suppresses
the loading plan). In a mixed case both plans apply and the more restrictive precaution wins: that is
why tensioners also require that no strain, no tendinopathy and no protection stage is present.
"""
from kb.conditions import Has, Is, Lacks, Layer, NoneOfKind
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

__all__ = ["TreatmentRules"]

NO_RED_FLAG = NoneOfKind("red_flag")
NERVE = Has("clue_nerve_problem")
STRAIN = Has("hyp_hamstring_strain")


class TreatmentRules(KnowledgeEngine):
    """Treatment principles, precautions and referrals."""

    @rule("TX-001", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010", "silbernagel2007", "hickey2020"),
          level=E.TRIAL, when=[STRAIN, NO_RED_FLAG], then=["prec_no_stretching", "tx_pain_monitoring_model"])
    def protect_strain_and_monitor_pain(self):
        """Any hamstring strain: no early stretching; dose loading by the pain-monitoring model."""

    @rule("TX-002", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("grade_3"), NO_RED_FLAG], then=["tx_crutches_protected_gait", "tx_submax_isometrics"])
    def protect_gait_and_isometrics_for_grade3(self):
        """Grade III: crutches until the stride is normal; submaximal multi-angle isometrics."""

    @rule("TX-003", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("grade_2"), NO_RED_FLAG], then=["tx_sport_break_2_4_weeks", "tx_submax_isometrics"])
    def break_and_isometrics_for_grade2(self):
        """Grade II: a 2-4 week break from running and sport; submaximal isometrics first."""

    @rule("TX-004", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("grade_2"), Is("gait", "antalgic_limp"), NO_RED_FLAG], then=["tx_shorten_stride"])
    def shorten_stride_while_limping(self):
        """Grade II with a limp: walk with shorter strides."""

    @rule("TX-005", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("grade_1"), NO_RED_FLAG], then=["tx_sport_break_2_4_weeks", "tx_low_load_isotonic"])
    def break_and_isotonics_for_grade1(self):
        """Grade I: a short break from sport; immediate low-load concentric and eccentric work."""

    @rule("TX-006", Layer.MANAGEMENT, cites=("askling2013", "askling2014"), level=E.TRIAL,
          when=[STRAIN, Has("stage_subacute_loading"), NO_RED_FLAG], then=["tx_askling_lengthening"])
    def prescribe_lengthening_exercises(self):
        """Subacute strain: the Extender, Diver and Glider lengthening programme (faster return)."""

    @rule("TX-007", Layer.MANAGEMENT, cites=("heiderscheit2010", "sapiens2022"), level=E.EXPERT,
          when=[STRAIN, Has("stage_return_to_run_and_sport"), NO_RED_FLAG], then=["tx_eccentric_long_length"])
    def prescribe_long_length_eccentrics(self):
        """Returning to running: heavy eccentrics at long length and a high-speed running progression."""

    @rule("TX-010", Layer.MANAGEMENT, cites=("goom2016", "silbernagel2007"), level=E.EXPERT,
          when=[Has("hyp_proximal_hamstring_tendinopathy"), NO_RED_FLAG],
          then=["tx_progressive_tendon_loading", "prec_avoid_tendon_compression", "prec_no_stretching",
                "tx_pain_monitoring_model"])
    def load_tendon_progressively(self):
        """Tendinopathy: progressive tendon loading from low hip flexion, avoiding compression."""

    @rule("TX-020", Layer.CLASSIFICATION, cites=("sapiens2022", "park2020"), level=E.EXPERT,
          when=[Has("hyp_deep_gluteal_syndrome")], then=["clue_nerve_problem"])
    def treat_deep_gluteal_as_nerve(self):
        """Deep gluteal syndrome is managed as a nerve problem."""

    @rule("TX-021", Layer.CLASSIFICATION, cites=("sapiens2022", "martin2016"), level=E.EXPERT,
          when=[Has("hyp_hamstring_syndrome_scar")], then=["clue_nerve_problem"])
    def treat_scar_as_nerve(self):
        """Scar entrapment after a hamstring injury is managed as a nerve problem."""

    @rule("TX-022", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_lumbar_radiculopathy")], then=["clue_nerve_problem"])
    def treat_radiculopathy_as_nerve(self):
        """Lumbar radicular pain is managed as a nerve problem (plus lumbar-directed care)."""

    @rule("TX-023", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_neural_involvement")], then=["clue_nerve_problem"])
    def treat_neural_involvement_as_nerve(self):
        """Neural involvement in a mixed case is managed as a nerve problem too."""

    @rule("TX-024", Layer.MANAGEMENT, cites=("sapiens2022",), level=E.EXPERT,
          when=[NERVE, NO_RED_FLAG],
          then=["prec_avoid_prolonged_sitting", "prec_avoid_leg_crossing_hip_ir", "tx_aerobic_low_intensity"])
    def give_nerve_space_and_blood(self):
        """Nerve problem: space (no long sitting, no crossed legs) and blood (non-provoking aerobic base)."""

    @rule("TX-025", Layer.MANAGEMENT, cites=("sapiens2022", "park2020"), level=E.EXPERT,
          when=[NERVE, Has("irritability_high"), NO_RED_FLAG],
          then=["prec_no_stretching", "prec_avoid_neural_tension_positions", "ref_prescriber_medication"])
    def unload_highly_irritable_nerve(self):
        """Highly irritable nerve: unload, no tension positions, discuss medication with a prescriber."""

    @rule("TX-026", Layer.MANAGEMENT, cites=("sapiens2022", "coppieters2008"), level=E.EXPERT,
          when=[NERVE, Has("irritability_moderate"), NO_RED_FLAG],
          then=["tx_neural_sliders", "prec_no_stretching", "prec_avoid_neural_tension_positions"])
    def slide_moderately_irritable_nerve(self):
        """Moderately irritable nerve: sliders within the symptom-free range, still no tensioning."""

    @rule("TX-027", Layer.MANAGEMENT, cites=("sapiens2022", "coppieters2008"), level=E.EXPERT,
          when=[NERVE, Has("irritability_low"), NO_RED_FLAG], then=["tx_neural_sliders"])
    def slide_low_irritability_nerve(self):
        """Low-irritability nerve: sliders as the base of neural mobilisation."""

    @rule("TX-028", Layer.MANAGEMENT, cites=("sapiens2022", "coppieters2008"), level=E.EXPERT,
          when=[NERVE, Has("irritability_low"), Lacks("hyp_hamstring_strain"),
                Lacks("hyp_proximal_hamstring_tendinopathy"), Lacks("stage_acute_protection"), NO_RED_FLAG],
          then=["tx_neural_tensioners"])
    def add_tensioners_at_low_irritability(self):
        """Low irritability, no healing muscle or tendon to protect: tensioners may be introduced."""

    @rule("TX-029", Layer.MANAGEMENT, cites=("sapiens2022", "deridder2019"), level=E.EXPERT,
          when=[Has("hyp_neural_involvement"), STRAIN, Lacks("irritability_high"), NO_RED_FLAG],
          then=["tx_neural_sliders", "prec_no_stretching"])
    def replace_stretching_with_sliders(self):
        """Strain with neural involvement: replace hamstring stretching entirely with sliders."""

    @rule("TX-030", Layer.MANAGEMENT, cites=("sapiens2022", "vanderwindt2010"), level=E.EXPERT,
          when=[Has("hyp_lumbar_radiculopathy"), NO_RED_FLAG], then=["tx_lumbar_directed_care", "test_neuro_screen"])
    def treat_lumbar_root_and_recheck(self):
        """Lumbar radicular pain: lumbar-directed care and a neuro re-check every visit."""

    @rule("TX-031", Layer.MANAGEMENT, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[Has("hyp_lumbar_referred_somatic"), NO_RED_FLAG], then=["tx_lumbar_directed_care"])
    def treat_lumbar_referred_pain(self):
        """Lumbar somatic referred pain: lumbar-directed care, no nerve-specific treatment."""

    @rule("TX-032", Layer.MANAGEMENT, cites=("sapiens2022",), level=E.EXPERT,
          when=[Is("lumbar_movement_reproduces_symptoms", True), NO_RED_FLAG], then=["tx_lumbar_directed_care"])
    def add_lumbar_care_for_lumbar_contribution(self):
        """Lumbar movement changes the thigh symptoms: add lumbar-directed care."""

    @rule("TX-040", Layer.MANAGEMENT, cites=("laslett2005",), level=E.EXPERT,
          when=[Has("hyp_sij_pain"), NO_RED_FLAG], then=["tx_lumbopelvic_hip_strengthening"])
    def strengthen_for_sij_pain(self):
        """SIJ pain: progressive hip and trunk strengthening with load management."""

    @rule("TX-041", Layer.MANAGEMENT, cites=("gomezhoyos2016", "martin2016"), level=E.EXPERT,
          when=[Has("hyp_ischiofemoral_impingement"), NO_RED_FLAG],
          then=["tx_shorten_stride", "prec_avoid_hip_ext_adduction", "tx_lumbopelvic_hip_strengthening"])
    def offload_ischiofemoral_space(self):
        """IFI: shorter strides, avoid hip extension with adduction, strengthen the hip abductors."""
