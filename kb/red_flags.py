"""Red flags: findings that stop the loading plan and send the patient to a doctor.

Reference a7 and e0: any red flag gives its referral and withholds the loading programme; a single
new cauda-equina sign is enough. The screen asks every question it still needs -- cauda equina,
progression, DVT, vascular and systemic -- one rule per unanswered question, so the plan lists them.
"""
from kb.conditions import AtLeast, Has, Is, Layer, NoneOfKind, OneOf, Unknown
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule
from kb.tables import RuleTable, row
from kb.vocabulary import RED_FLAG_SCREEN

__all__ = ["RedFlagRules", "RF_SCREEN"]

# (finding, rule id, what the question screens for); test_red_flag_screen: "ask CES, DVT, vascular,
# systemic questions" (reference f2, a7)
RF_SCREEN = tuple((finding, f"RF-{40 + i:03d}", question) for i, (finding, question) in enumerate(RED_FLAG_SCREEN))


def _ask(finding: str, rule_id: str, screens_for: str):
    """A red-flag question not yet answered: the screen asks it -- unless a red flag is already
    concluded, when the plan is the referral (reference e0: refer first)."""
    def ask(self):
        pass
    ask.__name__ = f"ask_red_flag_question_{finding}"
    ask.__doc__ = f"Red-flag screen: ask about {screens_for} ({finding.replace('_', ' ')} not recorded)."
    ask.__module__ = __name__
    return rule(rule_id, Layer.TESTS, cites=("bmj_ces", "sapiens2022"), level=E.GUIDELINE,
                when=[Unknown(finding), NoneOfKind("red_flag")], then=["test_red_flag_screen"])(ask)


class RedFlagRules(KnowledgeEngine):
    """Red-flag screen, red flags and their referrals."""

    @rule("RF-001", Layer.CLUE, cites=("jyms2023", "bmj_ces"), level=E.HEURISTIC,
          when=[AtLeast("age_years", 50)], then=["clue_age_50_or_over"],
          heuristic="age 50 or over raises suspicion of vascular and serious pathology")
    def note_age_50_or_over(self):
        """Age 50 or over raises the suspicion of vascular and serious pathology (KB heuristic)."""

    @rule("RF-002", Layer.RED_FLAG, cites=("bmj_ces", "greenhalgh_ces"), level=E.GUIDELINE,
          when=[Is("bladder_or_bowel_change", True)], then=["rf_cauda_equina"])
    def flag_cauda_equina_from_bladder_bowel(self):
        """A new bladder or bowel change with back or leg pain may be cauda equina syndrome."""

    @rule("RF-003", Layer.RED_FLAG, cites=("bmj_ces", "greenhalgh_ces"), level=E.GUIDELINE,
          when=[Is("saddle_numbness", True)], then=["rf_cauda_equina"])
    def flag_cauda_equina_from_saddle_numbness(self):
        """Saddle, perineal or genital numbness may be cauda equina syndrome."""

    @rule("RF-004", Layer.RED_FLAG, cites=("bmj_ces", "greenhalgh_ces"), level=E.GUIDELINE,
          when=[Is("bilateral_leg_neuro_symptoms", True)], then=["rf_cauda_equina"])
    def flag_cauda_equina_from_bilateral_symptoms(self):
        """Sciatica, numbness or weakness in both legs may be cauda equina syndrome."""

    @rule("RF-005", Layer.RED_FLAG, cites=("vanderwindt2010", "mcdaniel2021"), level=E.EXPERT,
          when=[Is("progressive_weakness", True)], then=["rf_progressive_neuro_deficit"])
    def flag_progressive_weakness(self):
        """Weakness that worsens over days or weeks needs urgent medical review."""

    @rule("RF-006", Layer.RED_FLAG, cites=("vanderwindt2010", "mcdaniel2021"), level=E.EXPERT,
          when=[Is("neuro_deficit_present", True), Is("bilateral_leg_neuro_symptoms", True)],
          then=["rf_progressive_neuro_deficit"])
    def flag_bilateral_neuro_deficit(self):
        """An objective deficit with symptoms in both legs is a multi-level neurological loss."""

    @rule("RF-007", Layer.CLUE, cites=("bertiche2021",), level=E.EXPERT,
          when=[Is("mechanism", "forced_hip_flexion_knee_extended")], then=["clue_avulsion_mechanism"])
    def note_avulsion_mechanism(self):
        """Forced hip flexion with the knee straight is the mechanism of proximal avulsion."""

    @rule("RF-008", Layer.CLUE, cites=("bertiche2021",), level=E.EXPERT,
          when=[Is("felt_pop", True)], then=["clue_avulsion_mechanism"])
    def note_pop_at_onset(self):
        """A felt or audible pop at onset is part of the avulsion picture."""

    @rule("RF-009", Layer.CLUE, cites=("bertiche2021",), level=E.EXPERT,
          when=[Is("palpable_defect", True)], then=["clue_avulsion_local_signs"])
    def note_palpable_gap(self):
        """A gap felt at the hamstring origin is a local sign of avulsion."""

    @rule("RF-010", Layer.CLUE, cites=("bertiche2021",), level=E.EXPERT,
          when=[Is("extensive_bruising", True), OneOf("resisted_knee_flexion", ("painful_weak", "unable"))],
          then=["clue_avulsion_local_signs"])
    def note_bruising_with_weakness(self):
        """Large bruising down the thigh with weak or impossible knee flexion is a local avulsion sign."""

    @rule("RF-011", Layer.RED_FLAG, cites=("bertiche2021", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("clue_avulsion_mechanism"), Has("clue_avulsion_local_signs")],
          then=["rf_suspected_avulsion"])
    def flag_suspected_avulsion(self):
        """An avulsion mechanism with local signs of a complete tear suggests proximal avulsion."""

    @rule("RF-012", Layer.RED_FLAG, cites=("bertiche2021",), level=E.EXPERT,
          when=[Is("onset_type", "after_trauma_fall"), Is("gait", "unable_without_aid")],
          then=["rf_suspected_avulsion"])
    def flag_fall_unable_to_walk(self):
        """A fall after which the patient cannot walk unaided needs imaging for avulsion or fracture."""

    @rule("RF-023", Layer.RED_FLAG, cites=("bertiche2021", "jyms2023"), level=E.HEURISTIC,
          when=[Is("onset_type", "after_trauma_fall"), Has("clue_age_50_or_over")],
          then=["rf_suspected_avulsion"])
    def flag_fall_in_older_person(self):
        """A fall in an older person with buttock or hip pain: rule out a fracture (age 50+ is a KB heuristic)."""

    @rule("RF-013", Layer.CLASSIFICATION, cites=("heiderscheit2010", "pollock2014"), level=E.EXPERT,
          when=[Has("grade_3"), Has("tissue_proximal_tendon"), Unknown("bamic_grade")],
          then=["rf_suspected_avulsion"])
    def flag_grade3_proximal_tendon(self):
        """A clinically graded grade III strain of the proximal tendon, not yet imaged: rule out avulsion."""

    @rule("RF-024", Layer.CLASSIFICATION, cites=("pollock2014", "bertiche2021"), level=E.GUIDELINE,
          when=[Has("clue_complete_tear_on_imaging"), Has("tissue_proximal_tendon")],
          then=["rf_suspected_avulsion"])
    def flag_complete_tendon_tear_on_imaging(self):
        """A complete proximal tendon tear on imaging (BAMIC 4c) needs an orthopaedic opinion within days."""

    @rule("RF-014", Layer.RED_FLAG, cites=("dvt_general",), level=E.EXPERT,
          when=[Is("calf_or_thigh_swelling_warmth", True), Is("dvt_risk_factor", True)],
          then=["rf_dvt"])
    def flag_dvt_with_risk_factor(self):
        """Unexplained calf or thigh swelling and warmth with a clot risk factor may be a DVT."""

    @rule("RF-015", Layer.RED_FLAG, cites=("dvt_general",), level=E.EXPERT,
          when=[Is("calf_or_thigh_swelling_warmth", True), OneOf("mechanism", ("none", "unknown"))],
          then=["rf_dvt"])
    def flag_dvt_without_mechanism(self):
        """A posterior-thigh 'strain' with swelling but no clear mechanism must raise a DVT."""

    @rule("RF-022", Layer.RED_FLAG, cites=("dvt_general",), level=E.EXPERT,
          when=[Is("calf_or_thigh_swelling_warmth", True), Unknown("mechanism")], then=["rf_dvt"])
    def flag_dvt_mechanism_not_recorded(self):
        """Calf or thigh swelling and warmth with no mechanism on record must raise a DVT."""

    @rule("RF-016", Layer.RED_FLAG, cites=("jyms2023",), level=E.EXPERT,
          when=[Is("claudication_relieved_by_standing", True), Is("diminished_foot_pulses", True)],
          then=["rf_vascular_claudication"])
    def flag_claudication_with_weak_pulses(self):
        """Walking-distance cramp eased by standing still, with weak foot pulses, is vascular."""

    @rule("RF-017", Layer.RED_FLAG, cites=("jyms2023",), level=E.HEURISTIC,
          when=[Is("claudication_relieved_by_standing", True), Has("clue_age_50_or_over")],
          then=["rf_vascular_claudication"])
    def flag_claudication_over_50(self):
        """Walking-distance cramp eased by standing still in a patient over 50 may be vascular."""

    @rule("RF-018", Layer.RED_FLAG, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[Is("systemic_signs", True)], then=["rf_infection_or_malignancy"])
    def flag_systemic_signs(self):
        """Weight loss, fever, night sweats, immunosuppression or IV drug use suggest infection or tumour."""

    @rule("RF-019", Layer.RED_FLAG, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[Is("cancer_history", True), Is("night_pain", True)], then=["rf_infection_or_malignancy"])
    def flag_cancer_history_with_night_pain(self):
        """A history of cancer with night pain needs medical review for metastasis."""

    @rule("RF-020", Layer.RED_FLAG, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[Is("cancer_history", True), Is("constant_unremitting_pain", True)],
          then=["rf_infection_or_malignancy"])
    def flag_cancer_history_with_constant_pain(self):
        """A history of cancer with constant pain unchanged by position needs medical review."""

    @rule("RF-021", Layer.RED_FLAG, cites=("mcdaniel2021",), level=E.HEURISTIC,
          when=[Is("constant_unremitting_pain", True), Is("night_pain", True), Has("clue_age_50_or_over")],
          then=["rf_infection_or_malignancy"])
    def flag_constant_night_pain_over_50(self):
        """Constant, unremitting night pain in a patient over 50 needs medical review."""

    @rule("RF-025", Layer.RED_FLAG, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[Is("constant_unremitting_pain", True), Is("night_pain", True), Has("clue_mechanical_exam_negative")],
          then=["rf_infection_or_malignancy"])
    def flag_constant_night_pain_not_reproduced(self):
        """Constant night pain that no examination reproduces raises suspicion of serious pathology."""

    @rule("RF-050", Layer.CLUE, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[Is("resisted_knee_flexion", "painfree_strong"), Is("hamstring_stretch_pain", False),
                Is("slump_reproduces_symptoms", False), Is("lumbar_movement_reproduces_symptoms", False)],
          then=["clue_mechanical_exam_negative"])
    def note_exam_does_not_reproduce(self):
        """Contraction, stretch, slump and lumbar movement all fail to reproduce the pain."""

    @rule("RF-051", Layer.CLUE, cites=("bertiche2021", "heiderscheit2010"), level=E.EXPERT,
          when=[OneOf("onset_type", ("sudden_during_activity", "after_trauma_fall")), Unknown("bamic_grade")],
          then=["clue_stretch_test_unsafe"])
    def note_stretch_tests_unsafe_after_sudden_injury(self):
        """After a sudden injury, before imaging excludes a complete tear, no provocative stretch test."""

    @rule("RF-053", Layer.CLUE, cites=("bertiche2021",), level=E.EXPERT,
          when=[Has("clue_avulsion_mechanism"), Unknown("bamic_grade")], then=["clue_stretch_test_unsafe"])
    def note_stretch_tests_unsafe_after_avulsion_mechanism(self):
        """An avulsion mechanism not yet imaged: no provocative stretch test."""

    @rule("RF-054", Layer.CLUE, cites=("pollock2014", "bertiche2021"), level=E.GUIDELINE,
          when=[Has("clue_complete_tear_on_imaging")], then=["clue_stretch_test_unsafe"])
    def note_stretch_tests_unsafe_with_complete_tear(self):
        """A complete tear on imaging: no provocative stretch test."""

    @rule("RF-052", Layer.CLUE, cites=("pollock2014",), level=E.GUIDELINE,
          when=[Is("bamic_grade", 4)], then=["clue_complete_tear_on_imaging"])
    def note_complete_tear_on_imaging(self):
        """BAMIC grade 4 on imaging is a complete tear."""

    ask_red_flag_question_bladder_or_bowel_change = _ask(*RF_SCREEN[0])
    ask_red_flag_question_saddle_numbness = _ask(*RF_SCREEN[1])
    ask_red_flag_question_bilateral_leg_neuro_symptoms = _ask(*RF_SCREEN[2])
    ask_red_flag_question_progressive_weakness = _ask(*RF_SCREEN[3])
    ask_red_flag_question_systemic_signs = _ask(*RF_SCREEN[4])
    ask_red_flag_question_calf_or_thigh_swelling_warmth = _ask(*RF_SCREEN[5])
    ask_red_flag_question_claudication_relieved_by_standing = _ask(*RF_SCREEN[6])


# What each red flag sets in motion: the referral, and no loading programme meanwhile (reference e0).
REFERRALS = RuleTable(
    "Red flag -> referral", Layer.REFERRAL, columns=("red flag", "referral and precautions"),
    build=lambda red_flag, actions: ([Has(red_flag)], list(actions)),
    rows=[
        row("RF-030", "refer_cauda_equina_same_day", "rf_cauda_equina",
            ("ref_emergency_same_day", "prec_withhold_loading_program"),
            cites=("bmj_ces", "sapiens2022"), level=E.GUIDELINE,
            statement="Possible cauda equina syndrome goes to hospital the same day; no loading programme."),
        row("RF-031", "refer_progressive_deficit", "rf_progressive_neuro_deficit",
            ("ref_urgent_medical", "prec_withhold_loading_program"),
            cites=("mcdaniel2021",), level=E.EXPERT,
            statement="A progressive or multi-level deficit needs prompt medical review; no loading programme."),
        row("RF-032", "refer_suspected_avulsion", "rf_suspected_avulsion",
            ("ref_imaging_orthopaedic", "ref_urgent_medical", "prec_withhold_loading_program",
             "tx_crutches_protected_gait", "prec_no_stretching"),
            cites=("bertiche2021", "heiderscheit2010"), level=E.EXPERT,
            statement="Suspected avulsion: imaging and an orthopaedic opinion within days (repair does best "
                      "within ~4 weeks)."),
        row("RF-033", "refer_dvt_same_day", "rf_dvt",
            ("ref_emergency_same_day", "prec_withhold_loading_program"),
            cites=("dvt_general",), level=E.EXPERT,
            statement="A possible DVT needs same-day medical assessment; no loading programme."),
        row("RF-034", "refer_vascular_claudication", "rf_vascular_claudication",
            ("ref_urgent_medical", "prec_withhold_loading_program"),
            cites=("jyms2023",), level=E.EXPERT,
            statement="Possible arterial claudication needs medical referral; no loading programme."),
        row("RF-035", "refer_infection_or_malignancy", "rf_infection_or_malignancy",
            ("ref_urgent_medical", "prec_withhold_loading_program"),
            cites=("mcdaniel2021",), level=E.EXPERT,
            statement="Features of infection or tumour need urgent medical referral; no loading programme."),
    ])
REFERRALS.install(RedFlagRules)
