"""Hamstring strain injury: the hypothesis, where in the muscle-tendon unit, which muscle, grade.

Reference b1-b2 and c1-c2: a sprint or stretch mechanism AND a contractile sign (or stretch pain with
negative neural differentiation) before the hypothesis; BAMIC decides the grade when present.
"""
from kb.conditions import Below, Has, Is, Lacks, Layer, NoneOfKind, OneOf, Unknown
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule
from kb.tables import RuleTable, row

NO_RED_FLAG = NoneOfKind("red_flag")  # under a red flag: refer first, no other tests
__all__ = ["HamstringRules"]

SUDDEN = Is("onset_type", "sudden_during_activity")
# forced hip flexion with the knee straight is the extreme stretch (reference a1, b1: slipping, splits)
STRAIN_MECHANISM = OneOf("mechanism", ("sprinting", "stretching", "forced_hip_flexion_knee_extended"))
STRETCH_TYPE = Has("clue_stretch_type_mechanism")
STRAIN = Has("hyp_hamstring_strain")
NO_BAMIC = Unknown("bamic_grade")


class HamstringRules(KnowledgeEngine):
    """Hamstring strain hypothesis, tissue, muscle, grade and prognosis."""

    @rule("HAM-001", Layer.HYPOTHESIS, cites=("martin2022", "heiderscheit2010"), level=E.GUIDELINE,
          when=[SUDDEN, STRAIN_MECHANISM,
                OneOf("resisted_knee_flexion", ("painful_strong", "painful_weak", "unable"))],
          then=["hyp_hamstring_strain"])
    def suspect_hamstring_strain(self):
        """Sudden posterior-thigh pain in a sprint or stretch with painful knee flexion suggests a strain."""

    @rule("HAM-002", Layer.HYPOTHESIS, cites=("martin2022", "mcdaniel2021"), level=E.GUIDELINE,
          when=[SUDDEN, STRAIN_MECHANISM, Is("hamstring_stretch_pain", True),
                Is("neural_differentiation_positive", False)],
          then=["hyp_hamstring_strain"])
    def suspect_hamstring_strain_from_stretch_pain(self):
        """Stretch pain that neural differentiation does not change points to the muscle, not the nerve."""

    @rule("HAM-004", Layer.HYPOTHESIS, cites=("heiderscheit2010", "martin2022"), level=E.EXPERT,
          when=[SUDDEN, STRAIN_MECHANISM, Has("clue_phase1_criteria_met")], then=["hyp_hamstring_strain"])
    def carry_strain_through_rehabilitation(self):
        """A strain from a sprint or stretch injury, now meeting the phase-I criteria, is still that strain."""

    @rule("HAM-005", Layer.HYPOTHESIS, cites=("heiderscheit2010", "martin2022"), level=E.EXPERT,
          when=[SUDDEN, STRAIN_MECHANISM, Has("clue_phase2_criteria_met")], then=["hyp_hamstring_strain"])
    def carry_strain_to_return_to_sport(self):
        """A strain from a sprint or stretch injury, now with full pain-free strength, is still that strain."""

    @rule("HAM-006", Layer.HYPOTHESIS, cites=("pollock2014", "martin2022"), level=E.GUIDELINE,
          when=[SUDDEN, STRAIN_MECHANISM, Has("clue_strain_confirmed_by_imaging")], then=["hyp_hamstring_strain"])
    def confirm_strain_by_imaging(self):
        """A sprint or stretch injury with a muscle injury on MRI (BAMIC 1-4) is a hamstring strain."""

    @rule("HAM-007", Layer.CLUE, cites=("pollock2014",), level=E.GUIDELINE,
          when=[OneOf("bamic_grade", (1, 2, 3, 4))], then=["clue_strain_confirmed_by_imaging"])
    def note_muscle_injury_on_imaging(self):
        """BAMIC grade 1 or more is a muscle injury on MRI (grade 0 is pain with a normal MRI)."""

    @rule("HAM-008", Layer.CLUE, cites=("askling2006", "askling2007"), level=E.DIAGNOSTIC,
          when=[Is("mechanism", "stretching")], then=["clue_stretch_type_mechanism"])
    def note_stretch_type_mechanism(self):
        """A slow, extreme stretch with the knee straight is the stretch-type (type II) mechanism."""

    @rule("HAM-009", Layer.CLUE, cites=("bertiche2021", "askling2007"), level=E.EXPERT,
          when=[Is("mechanism", "forced_hip_flexion_knee_extended")], then=["clue_stretch_type_mechanism"])
    def note_forced_flexion_as_stretch_type(self):
        """Forced hip flexion with the knee straight (slip, splits) is an extreme stretch-type mechanism."""

    @rule("HAM-003", Layer.TESTS, cites=("mcdaniel2021", "martin2014"), level=E.EXPERT,
          when=[SUDDEN, STRAIN_MECHANISM, Is("hamstring_stretch_pain", True),
                Unknown("neural_differentiation_positive"), NO_RED_FLAG],
          then=["test_slump_with_differentiation"])
    def ask_for_neural_differentiation(self):
        """Stretch pain alone may be neural: differentiate with neck flexion or ankle dorsiflexion."""

    @rule("TIS-012", Layer.CLUE, cites=("askling2007",), level=E.EXPERT,
          when=[Is("primary_pain_site", "ischial_tuberosity")], then=["clue_lesion_proximal"])
    def note_lesion_at_sitting_bone(self):
        """Pain worst at the sitting bone places the lesion proximally."""

    @rule("TIS-013", Layer.CLUE, cites=("askling2007",), level=E.HEURISTIC,
          when=[Has("clue_pain_near_ischium")], then=["clue_lesion_proximal"])
    def note_lesion_near_sitting_bone(self):
        """Maximal pain within 10 cm of the sitting bone places the lesion proximally (KB heuristic)."""

    @rule("TIS-002", Layer.CLASSIFICATION, cites=("askling2007", "askling2006"), level=E.DIAGNOSTIC,
          when=[STRAIN, STRETCH_TYPE, Is("primary_pain_site", "ischial_tuberosity")],
          then=["tissue_proximal_tendon"])
    def place_stretch_injury_in_proximal_tendon(self):
        """A stretch-type strain with pain at the sitting bone involves the proximal free tendon."""

    @rule("TIS-004", Layer.CLASSIFICATION, cites=("askling2007", "heiderscheit2010"), level=E.DIAGNOSTIC,
          when=[STRAIN, Is("mechanism", "sprinting"), Unknown("bamic_site")], then=["tissue_mtj"])
    def place_sprint_injury_at_mtj(self):
        """Sprint strains most often involve the musculotendinous junction (no imaging to say otherwise)."""

    @rule("TIS-006", Layer.CLASSIFICATION, cites=("pollock2014",), level=E.GUIDELINE,
          when=[Is("imaging_injured_muscle", "biceps_femoris_long_head")], then=["tissue_bflh"])
    def name_biceps_femoris_by_imaging(self):
        """Imaging names the biceps femoris long head."""

    @rule("TIS-007", Layer.CLASSIFICATION, cites=("askling2007", "askling2006"), level=E.DIAGNOSTIC,
          when=[STRAIN, Is("mechanism", "sprinting"), OneOf("pain_side_of_thigh", ("lateral", "central", "unknown"))],
          then=["tissue_bflh"])
    def suspect_biceps_femoris_in_sprint(self):
        """Sprint strains that are not medial are typically in the biceps femoris long head."""

    @rule("TIS-008", Layer.CLASSIFICATION, cites=("askling2007", "askling2006"), level=E.DIAGNOSTIC,
          when=[STRAIN, Is("mechanism", "sprinting"), Unknown("pain_side_of_thigh")], then=["tissue_bflh"])
    def suspect_biceps_femoris_in_sprint_side_unrecorded(self):
        """Sprint strains are typically in the biceps femoris long head when the side is unrecorded."""

    @rule("TIS-009", Layer.CLASSIFICATION, cites=("pollock2014",), level=E.GUIDELINE,
          when=[Is("imaging_injured_muscle", "semimembranosus")], then=["tissue_semimembranosus"])
    def name_semimembranosus_by_imaging(self):
        """Imaging names the semimembranosus."""

    @rule("TIS-010", Layer.CLASSIFICATION, cites=("askling2007", "askling2006"), level=E.DIAGNOSTIC,
          when=[STRAIN, STRETCH_TYPE], then=["tissue_semimembranosus"])
    def suspect_semimembranosus_in_stretch_injury(self):
        """Stretch-type strains typically involve the proximal semimembranosus."""

    @rule("TIS-011", Layer.CLASSIFICATION, cites=("pollock2014",), level=E.GUIDELINE,
          when=[Is("imaging_injured_muscle", "semitendinosus")], then=["tissue_semitendinosus"])
    def name_semitendinosus_by_imaging(self):
        """Imaging names the semitendinosus (no bedside clue singles it out)."""

    @rule("PRG-001", Layer.CLUE, cites=("askling2007",), level=E.HEURISTIC,
          when=[Below("max_pain_distance_from_ischium_cm", 10)], then=["clue_pain_near_ischium"],
          heuristic="no validated cut-off exists; 10 cm only sets a prognosis flag")
    def note_pain_near_ischium(self):
        """Maximal pain close to the ischial tuberosity predicts a longer recovery (KB heuristic <10 cm)."""

    @rule("PRG-002", Layer.CLASSIFICATION, cites=("askling2013", "pollock2022"), level=E.TRIAL,
          when=[Has("tissue_proximal_tendon")], then=["prec_prolonged_recovery_expected"])
    def expect_long_recovery_for_tendon(self):
        """Injuries extending into the tendon take longer to recover."""

    @rule("PRG-003", Layer.CLASSIFICATION, cites=("askling2006", "askling2013"), level=E.TRIAL,
          when=[STRETCH_TYPE], then=["prec_prolonged_recovery_expected"])
    def expect_long_recovery_for_stretch_type(self):
        """Stretch-type injuries take much longer to recover than sprint-type ones."""

    @rule("PRG-005", Layer.CLASSIFICATION, cites=("askling2007",), level=E.HEURISTIC,
          when=[Has("clue_pain_near_ischium")], then=["prec_prolonged_recovery_expected"])
    def expect_long_recovery_near_ischium(self):
        """The closer the maximal pain to the sitting bone, the longer the recovery."""

    @rule("GRD-010", Layer.CLUE, cites=("heiderscheit2010", "ekstrand2012"), level=E.EXPERT,
          when=[Is("resisted_knee_flexion", "unable")], then=["clue_grade3_signs"])
    def note_unable_to_contract(self):
        """Being unable to flex the knee against resistance is a sign of a severe strain."""

    @rule("GRD-011", Layer.CLUE, cites=("heiderscheit2010", "ekstrand2012"), level=E.EXPERT,
          when=[Is("gait", "unable_without_aid")], then=["clue_grade3_signs"])
    def note_unable_to_walk(self):
        """Being unable to walk without aid is a sign of a severe strain."""

    @rule("GRD-012", Layer.CLUE, cites=("heiderscheit2010", "ekstrand2012"), level=E.EXPERT,
          when=[Is("palpable_defect", True)], then=["clue_grade3_signs"])
    def note_palpable_defect(self):
        """A palpable gap is a sign of a complete (grade III) tear."""

    @rule("GRD-013", Layer.CLUE, cites=("heiderscheit2010", "ekstrand2012"), level=E.EXPERT,
          when=[Is("resisted_knee_flexion", "painful_weak")], then=["clue_grade2_signs"])
    def note_painful_weakness(self):
        """Painful weakness on resisted knee flexion is a sign of a moderate strain."""

    @rule("GRD-014", Layer.CLUE, cites=("heiderscheit2010", "ekstrand2012"), level=E.EXPERT,
          when=[Is("gait", "antalgic_limp")], then=["clue_grade2_signs"])
    def note_limp(self):
        """A limp is a sign of a moderate strain."""

    @rule("GRD-020", Layer.CLASSIFICATION, cites=("heiderscheit2010", "sapiens2022"), level=E.EXPERT,
          when=[STRAIN, NO_BAMIC, Has("clue_grade3_signs")], then=["grade_3"])
    def grade_severe_clinically(self):
        """Without imaging, signs of a complete tear grade the strain as severe."""

    @rule("GRD-021", Layer.CLASSIFICATION, cites=("heiderscheit2010", "sapiens2022"), level=E.EXPERT,
          when=[STRAIN, NO_BAMIC, Has("clue_grade2_signs"), Lacks("clue_grade3_signs")], then=["grade_2"])
    def grade_moderate_clinically(self):
        """Without imaging, weakness or a limp (and no severe sign) grade the strain as moderate."""

    @rule("GRD-022", Layer.CLASSIFICATION, cites=("heiderscheit2010", "sapiens2022"), level=E.EXPERT,
          when=[STRAIN, NO_BAMIC, Is("gait", "normal"), Is("resisted_knee_flexion", "painful_strong"),
                Lacks("clue_grade3_signs")],
          then=["grade_1"])
    def grade_mild_clinically(self):
        """Without imaging, a normal gait and strong but painful knee flexion grade the strain as mild."""

    @rule("GRD-030", Layer.TESTS, cites=("heiderscheit2010", "sapiens2022"), level=E.EXPERT,
          when=[STRAIN, NO_BAMIC, NoneOfKind("grade"), Has("stage_acute_protection")],
          then=["test_grade_signs"])
    def ask_for_grading_signs(self):
        """A strain that cannot be graded yet: observe gait and test resisted knee flexion (grade drives the plan)."""


# On MRI the BAMIC grade decides the grade of a strain (reference a3).
BAMIC_GRADES = RuleTable(
    "BAMIC grade -> strain grade", Layer.CLASSIFICATION, columns=("BAMIC grade", "grade"),
    build=lambda grades, grade: ([STRAIN, Is("bamic_grade", grades[0]) if len(grades) == 1 else OneOf("bamic_grade", grades)], [grade]),
    rows=[
        row("GRD-001", "grade_severe_by_imaging", (3, 4), "grade_3",
            cites=("pollock2014",), level=E.GUIDELINE,
            statement="BAMIC grade 3-4 (extensive or complete) is a severe strain."),
        row("GRD-002", "grade_moderate_by_imaging", (2,), "grade_2",
            cites=("pollock2014",), level=E.GUIDELINE,
            statement="BAMIC grade 2 is a moderate strain."),
        row("GRD-003", "grade_mild_by_imaging", (0, 1), "grade_1",
            cites=("pollock2014",), level=E.GUIDELINE,
            statement="BAMIC grade 0-1 is a mild strain."),
    ])
BAMIC_GRADES.install(HamstringRules)


# On MRI the BAMIC site places the lesion and sets the prognosis (reference a3, a4).
BAMIC_SITES = RuleTable(
    "BAMIC site -> tissue and prognosis", Layer.CLASSIFICATION, columns=("BAMIC site", "and", "conclusion"),
    build=lambda site, also, conclusion: ([Is("bamic_site", site), *also], [conclusion]),
    rows=[
        row("TIS-001", "place_lesion_in_tendon_by_imaging", "c", [Has("clue_lesion_proximal")], "tissue_proximal_tendon",
            cites=("pollock2014",), level=E.GUIDELINE,
            statement="BAMIC site c (intratendinous) at a proximal site places the lesion in the proximal tendon."),
        row("TIS-003", "place_lesion_at_mtj_by_imaging", "b", [], "tissue_mtj",
            cites=("pollock2014",), level=E.GUIDELINE,
            statement="BAMIC site b on MRI places the lesion at the musculotendinous junction."),
        row("TIS-005", "place_lesion_in_muscle_belly_by_imaging", "a", [], "tissue_muscle_belly",
            cites=("pollock2014",), level=E.GUIDELINE,
            statement="BAMIC site a on MRI places the lesion at the myofascial periphery of the muscle."),
        row("PRG-004", "expect_long_recovery_for_intratendinous", "c", [], "prec_prolonged_recovery_expected",
            cites=("pollock2022",), level=E.DIAGNOSTIC,
            statement="BAMIC 'c' (intratendinous) injuries take longer to return to full training."),
    ])
BAMIC_SITES.install(HamstringRules)
