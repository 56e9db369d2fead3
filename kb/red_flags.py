"""Red flags: findings that stop the loading plan and send the patient to a doctor.

Reference a7 and e0: any red flag gives its referral and withholds the loading programme; a single
new cauda-equina sign is enough.
"""
from kb.conditions import AtLeast, Has, Is, Known, Lacks, Layer, OneOf
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

__all__ = ["RedFlagRules"]

RF_SCREEN = ("bladder_or_bowel_change", "saddle_numbness", "bilateral_leg_neuro_symptoms",
             "progressive_weakness", "systemic_signs")


class RedFlagRules(KnowledgeEngine):
    """Red-flag screen, red flags and their referrals."""

    @rule("RF-000", Layer.CLUE, cites=("bmj_ces", "mcdaniel2021"), level=E.GUIDELINE,
          when=[Known(f) for f in RF_SCREEN], then=["clue_red_flag_screen_complete"])
    def note_red_flag_screen_complete(self):
        """The red-flag questions (cauda equina, progression, systemic) have all been answered."""

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

    @rule("RF-013", Layer.CLASSIFICATION, cites=("heiderscheit2010", "pollock2014"), level=E.EXPERT,
          when=[Has("grade_3"), Has("tissue_proximal_tendon")], then=["rf_suspected_avulsion"])
    def flag_grade3_proximal_tendon(self):
        """A grade III strain involving the proximal tendon needs imaging and a surgical opinion."""

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

    @rule("RF-030", Layer.REFERRAL, cites=("bmj_ces", "sapiens2022"), level=E.GUIDELINE,
          when=[Has("rf_cauda_equina")], then=["ref_emergency_same_day", "prec_withhold_loading_program"])
    def refer_cauda_equina_same_day(self):
        """Possible cauda equina syndrome goes to hospital the same day; no loading programme."""

    @rule("RF-031", Layer.REFERRAL, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[Has("rf_progressive_neuro_deficit")], then=["ref_urgent_medical", "prec_withhold_loading_program"])
    def refer_progressive_deficit(self):
        """A progressive or multi-level deficit needs prompt medical review; no loading programme."""

    @rule("RF-032", Layer.REFERRAL, cites=("bertiche2021", "heiderscheit2010"), level=E.EXPERT,
          when=[Has("rf_suspected_avulsion")],
          then=["ref_imaging_orthopaedic", "prec_withhold_loading_program", "tx_crutches_protected_gait",
                "prec_no_stretching"])
    def refer_suspected_avulsion(self):
        """A suspected avulsion needs imaging and an orthopaedic opinion within days; protect meanwhile."""

    @rule("RF-033", Layer.REFERRAL, cites=("dvt_general",), level=E.EXPERT,
          when=[Has("rf_dvt")], then=["ref_emergency_same_day", "prec_withhold_loading_program"])
    def refer_dvt_same_day(self):
        """A possible DVT needs same-day medical assessment; no loading programme."""

    @rule("RF-034", Layer.REFERRAL, cites=("jyms2023",), level=E.EXPERT,
          when=[Has("rf_vascular_claudication")], then=["ref_urgent_medical", "prec_withhold_loading_program"])
    def refer_vascular_claudication(self):
        """Possible arterial claudication needs medical referral; no loading programme."""

    @rule("RF-035", Layer.REFERRAL, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[Has("rf_infection_or_malignancy")], then=["ref_urgent_medical", "prec_withhold_loading_program"])
    def refer_infection_or_malignancy(self):
        """Features of infection or tumour need urgent medical referral; no loading programme."""

    @rule("RF-040", Layer.TESTS, cites=("bmj_ces", "sapiens2022"), level=E.GUIDELINE,
          when=[Lacks("clue_red_flag_screen_complete")], then=["test_red_flag_screen"])
    def ask_red_flag_questions(self):
        """Unanswered red-flag questions must be asked before anything else is planned."""
