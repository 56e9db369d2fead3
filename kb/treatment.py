"""Management: activity modification, exercise, precautions and referrals, by hypothesis.

Reference c3, e1-e7. Every rule here is guarded by "no red flag" (reference e0: a red flag suppresses
the loading plan). The grade-driven principles belong to the protection stage: later stages follow
the stage's own principles (staged progression by severity and stage of healing, the article). In a mixed case both plans apply and the more restrictive precaution wins: that is
why tensioners also require that no strain, no tendinopathy and no protection stage is present.
"""
from kb.conditions import Has, Is, Lacks, Layer, NoneOfKind
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

__all__ = ["TreatmentRules"]

NO_RED_FLAG = NoneOfKind("red_flag")
NERVE = Has("clue_nerve_problem")
STRAIN = Has("hyp_hamstring_strain")
ACUTE = Has("stage_acute_protection")   # grade drives activity and loading in the protection stage (c3, e1)
NOT_PROLONGED = Lacks("prec_prolonged_recovery_expected")


class TreatmentRules(KnowledgeEngine):
    """Treatment principles, precautions and referrals."""

    @rule("TX-001", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010", "silbernagel2007", "hickey2020"),
          level=E.TRIAL, when=[STRAIN, NO_RED_FLAG], then=["tx_pain_monitoring_model"])
    def protect_strain_and_monitor_pain(self):
        """Any hamstring strain: dose loading by pain, at most 4/10 during exercise (Hickey 2020), settled next morning."""

    @rule("TX-008", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010"), level=E.EXPERT,
          when=[STRAIN, ACUTE, NO_RED_FLAG], then=["prec_no_stretching"])
    def avoid_stretching_while_healing(self):
        """Strain in the protection stage: no stretching or end-range lengthening (it can exacerbate symptoms)."""

    @rule("TX-009", Layer.MANAGEMENT, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[STRAIN, Has("stage_subacute_loading"), NO_RED_FLAG], then=["prec_no_stretching"])
    def avoid_end_range_while_weak(self):
        """Strain in the loading stage: still no end-range lengthening while clear weakness persists."""

    @rule("TX-002", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("grade_3"), ACUTE, NO_RED_FLAG], then=["tx_crutches_protected_gait", "tx_submax_isometrics"])
    def protect_gait_and_isometrics_for_grade3(self):
        """Grade III: crutches until the stride is normal; submaximal multi-angle isometrics."""

    @rule("TX-003", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("grade_2"), ACUTE, NO_RED_FLAG], then=["tx_submax_isometrics"])
    def isometrics_for_grade2(self):
        """Grade II in the protection stage: submaximal isometrics first, then isotonics."""

    @rule("TX-011", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("grade_2"), ACUTE, NOT_PROLONGED, NO_RED_FLAG], then=["tx_sport_break_2_4_weeks"])
    def break_from_sport_for_grade2(self):
        """Grade II: a 2-4 week break from running and sport (a stretch-type or tendon injury takes longer: criteria decide)."""

    @rule("TX-004", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("grade_2"), Is("gait", "antalgic_limp"), ACUTE, NO_RED_FLAG], then=["tx_shorten_stride"])
    def shorten_stride_while_limping(self):
        """Grade II with a limp: walk with shorter strides."""

    @rule("TX-005", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("grade_1"), ACUTE, NO_RED_FLAG], then=["tx_low_load_isotonic"])
    def isotonics_for_grade1(self):
        """Grade I in the protection stage: immediate low-load concentric and eccentric work if tolerated."""

    @rule("TX-012", Layer.MANAGEMENT, cites=("sapiens2022", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("grade_1"), ACUTE, NOT_PROLONGED, NO_RED_FLAG], then=["tx_sport_break_2_4_weeks"])
    def break_from_sport_for_grade1(self):
        """Grade I: a short (2-4 week) break from sport (a stretch-type or tendon injury takes longer: criteria decide)."""

    @rule("TX-013", Layer.MANAGEMENT, cites=("bertiche2021", "sapiens2022"), level=E.EXPERT,
          when=[Has("clue_stretch_test_unsafe"), Has("clue_avulsion_mechanism")], then=["prec_no_stretching"])
    def no_stretching_until_avulsion_excluded(self):
        """An avulsion mechanism, not yet imaged: no stretching and no provocative stretch test until avulsion is excluded."""

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
        """Tendinopathy: progressive loading from low hip flexion, avoiding compression; exercise pain up to 5/10, settled by next morning."""

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
        """Highly irritable nerve: unload, no tension positions, pain-free dosing, discuss medication with a prescriber."""

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
                Lacks("hyp_proximal_hamstring_tendinopathy"), Lacks("stage_acute_protection"),
                Lacks("clue_stretch_test_unsafe"), NO_RED_FLAG],
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

    @rule("TX-040", Layer.MANAGEMENT, cites=("general_principle",), level=E.EXPERT,
          when=[Has("hyp_sij_pain"), NO_RED_FLAG], then=["tx_lumbopelvic_hip_strengthening"])
    def strengthen_for_sij_pain(self):
        """SIJ pain: progressive hip and trunk strengthening with load management."""

    @rule("TX-041", Layer.MANAGEMENT, cites=("gomezhoyos2016", "martin2016"), level=E.EXPERT,
          when=[Has("hyp_ischiofemoral_impingement"), NO_RED_FLAG],
          then=["tx_shorten_stride", "prec_avoid_hip_ext_adduction", "tx_lumbopelvic_hip_strengthening"])
    def offload_ischiofemoral_space(self):
        """IFI: shorter strides, avoid hip extension with adduction, strengthen the hip abductors."""

    @rule("TX-042", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_sciatic_nerve_irritation")], then=["clue_nerve_problem"])
    def treat_general_irritation_as_nerve(self):
        """General sciatic nerve irritation is managed as a nerve problem: space, movement, blood."""

    @rule("TX-043", Layer.MANAGEMENT, cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
          when=[NERVE, NoneOfKind("irritability"), NO_RED_FLAG],
          then=["prec_no_stretching", "prec_avoid_neural_tension_positions", "prec_reduce_running_sport_fast_walking"])
    def protect_nerve_until_irritability_known(self):
        """Nerve problem, irritability not yet known: protect as if irritable until the history is taken."""

    @rule("TX-044", Layer.MANAGEMENT, cites=("sapiens2022",), level=E.EXPERT,
          when=[NERVE, Has("irritability_high"), NO_RED_FLAG], then=["prec_reduce_running_sport_fast_walking"])
    def reduce_aggravating_activity_for_irritable_nerve(self):
        """Highly irritable nerve: reduce running, sport and fast walking while symptoms calm down."""

    @rule("TX-045", Layer.MANAGEMENT, cites=("sapiens2022",), level=E.EXPERT,
          when=[NERVE, NO_RED_FLAG], then=["tx_manual_therapy_matched"])
    def match_manual_therapy_to_mechanism(self):
        """Nerve problem: exercise or manual therapy matched to the proposed cause (compression, tension, hypoxia)."""

    @rule("TX-046", Layer.MANAGEMENT, cites=("park2020",), level=E.EXPERT,
          when=[Has("hyp_deep_gluteal_syndrome"), Is("no_improvement_with_conservative_care", True), NO_RED_FLAG],
          then=["ref_imaging_orthopaedic"])
    def refer_persistent_deep_gluteal_syndrome(self):
        """Persistent deep gluteal syndrome: specialist review (injection, endoscopic decompression)."""

    @rule("TX-047", Layer.MANAGEMENT, cites=("gomezhoyos2016", "martin2016"), level=E.EXPERT,
          when=[Has("hyp_ischiofemoral_impingement"), Is("no_improvement_with_conservative_care", True),
                NO_RED_FLAG],
          then=["ref_imaging_orthopaedic"])
    def refer_persistent_ischiofemoral_impingement(self):
        """Persistent ischiofemoral impingement: MRI and image-guided injection via a specialist."""

    @rule("TX-049", Layer.MANAGEMENT, cites=("sapiens2022", "vanderwindt2010"), level=E.EXPERT,
          when=[Is("neuro_deficit_present", True), NO_RED_FLAG], then=["test_neuro_screen"])
    def recheck_deficit_each_visit(self):
        """An objective neurological deficit: re-check it every visit and refer if it progresses."""
