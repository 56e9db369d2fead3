"""The controlled vocabulary: every finding and conclusion ptkb knows, declared once.

Case files, validation, the JSON output and the docs all use these ids; nothing else defines them.
Absent findings mean "not examined": a rule that needs a negative finding matches an explicit false.

>>> FINDINGS["gait"].values
('normal', 'antalgic_limp', 'unable_without_aid')
>>> CONCLUSIONS["rf_cauda_equina"].kind is Kind.RED_FLAG
True
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum, StrEnum

__all__ = ["RED_FLAG_SCREEN", "FINDING_GROUPS", "Kind", "KindInfo", "KIND_INFO", "NODE_INFO", "FindingType", "FindingDef", "ConclusionDef", "FINDINGS", "CONCLUSIONS", "CLINICAL_ORDER"]


class Kind(str, Enum):
    """Kinds of conclusion, in the order a clinician reads them."""

    FINDING_CONFLICT = "finding_conflict"  # ptkb's own: recorded findings contradict each other
    RED_FLAG = "red_flag"
    REFERRAL = "referral"
    HYPOTHESIS = "hypothesis"
    TISSUE = "tissue"
    GRADE = "grade"
    IRRITABILITY = "irritability"
    STAGE = "stage"
    TREATMENT_PRINCIPLE = "treatment_principle"
    PRECAUTION = "precaution"
    TEST_TO_PERFORM = "test_to_perform"
    CLUE = "clue"  # ptkb's own: an abstraction of findings (a threshold crossed, a cluster met)


CLINICAL_ORDER = tuple(Kind)


@dataclass(frozen=True)
class KindInfo:
    """What every output needs to know about a kind of node, declared once: the plan's heading, whether
    a clinician sees it (clues are internal), the drawing's column, its look (fill, border, font colour,
    shape; Okabe-Ito hues with shape as the second cue, so no two kinds look alike even without colour)
    and its line in a drawing's legend."""

    heading: str
    shown: bool
    column: int
    fill: str
    border: str
    font: str
    shape: str
    legend: str


# Okabe-Ito: orange #E69F00, sky blue #56B4E9, bluish green #009E73, yellow #F0E442, blue #0072B2,
# vermillion #D55E00, reddish purple #CC79A7 (fills are light tints of them, borders the full hue).
KIND_INFO = {
    Kind.FINDING_CONFLICT: KindInfo("Findings that contradict each other (re-examine first)", True, 4,
                                    "#F0E442", "#000000", "#000000", "diamond", "contradicting findings"),
    Kind.RED_FLAG: KindInfo("Red flags", True, 4, "#D55E00", "#5C1F00", "#FFFFFF", "octagon",
                            "RED FLAG"),
    Kind.REFERRAL: KindInfo("Referrals", True, 6, "#F7D0B8", "#D55E00", "#5C1F00", "doubleoctagon",
                            "referral"),
    Kind.HYPOTHESIS: KindInfo("Hypotheses", True, 4, "#FBE3B0", "#B07A00", "#4D3500", "ellipse",
                              "hypothesis"),
    Kind.TISSUE: KindInfo("Tissue", True, 6, "#F2D4E5", "#CC79A7", "#5A1F40", "box", "tissue"),
    Kind.GRADE: KindInfo("Grade", True, 6, "#CCE2F2", "#0072B2", "#00324F", "hexagon", "grade"),
    Kind.IRRITABILITY: KindInfo("Irritability", True, 6, "#F8F3C4", "#9A8F00", "#3D3900", "parallelogram",
                                "irritability"),
    Kind.STAGE: KindInfo("Stage", True, 8, "#E4D7EE", "#7B4F9E", "#2E1A40", "cds", "stage"),
    Kind.TREATMENT_PRINCIPLE: KindInfo("Do (treatment principles)", True, 10, "#C9EDE0", "#009E73", "#003D2C",
                                       "box", "do"),
    Kind.PRECAUTION: KindInfo("Avoid (precautions)", True, 10, "#FFFFFF", "#D55E00", "#5C1F00", "invhouse",
                              "avoid"),
    Kind.TEST_TO_PERFORM: KindInfo("Tests to perform", True, 10, "#FFFFFF", "#0072B2", "#00324F", "folder",
                                   "test to do"),
    Kind.CLUE: KindInfo("Clues (internal)", False, 2, "#EFEFEF", "#777777", "#333333", "component",
                        "clue"),
}

# The other nodes a drawing shows, in the same language: what was recorded, what a rule needed absent,
# the rules themselves, and why-not's conditions and a conclusion that was not reached.
NODE_INFO = {
    "finding": KindInfo("Findings", True, 0, "#DDEFFB", "#56B4E9", "#00324F", "box",
                        "finding"),
    "absence": KindInfo("Absences", True, 0, "#F4F4F4", "#777777", "#333333", "note",
                        "needed absent, dashed edge"),
    "rule": KindInfo("Rules", True, 1, "#FFFFFF", "#444444", "#111111", "box",
                     "rule: step \u00b7 id, title, [source]"),
    "not_reached": KindInfo("Not reached", True, 4, "#FAFAFA", "#777777", "#333333", "box",
                            "not reached"),
    # why-not's conditions of a candidate rule, by what happened to them
    "cond_holds": KindInfo("Holds", True, 0, "#C9EDE0", "#009E73", "#003D2C", "tab", "holds"),
    "cond_missing": KindInfo("Missing", True, 0, "#F4F4F4", "#777777", "#333333", "tab",
                             "fails: not examined"),
    "cond_contradicted": KindInfo("Contradicted", True, 0, "#F7D0B8", "#D55E00", "#5C1F00", "tab",
                                  "fails: contradicted"),
    "cond_blocked": KindInfo("Blocked", True, 0, "#FBE3B0", "#B07A00", "#4D3500", "tab",
                             "fails: blocked"),
    "cond_not_concluded": KindInfo("Not concluded", True, 0, "#FAFAFA", "#777777", "#333333", "tab",
                                   "fails: not reached"),
    **{kind.value: info for kind, info in KIND_INFO.items()},
}


class FindingType(StrEnum):
    """What a finding's value is: true / false, one of named values, or a number in a range."""

    BOOL = "bool"
    ENUM = "enum"
    NUMBER = "number"


@dataclass(frozen=True)
class FindingDef:
    """One input finding: its id, type and what it means."""

    id: str
    type: FindingType
    meaning: str
    values: tuple = ()
    unit: str = ""
    low: float | None = None
    high: float | None = None

    def problem_with(self, value) -> str | None:
        """Why `value` is not allowed for this finding, or None when it is.

        >>> FINDINGS["pain_worst_nrs"].problem_with(11)
        'expected a number from 0 to 10 (NRS), got 11'
        """
        if self.type is FindingType.BOOL:
            return None if isinstance(value, bool) else f"expected true or false, got {_shown(value)}"
        if self.type is FindingType.ENUM:
            if isinstance(value, str) and value in self.values:
                return None
            return f"expected one of {', '.join(self.values)}; got {_shown(value)}"
        expected = f"expected a number from {self.low:g} to {self.high:g} ({self.unit})"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{expected}, got {type(value).__name__} {_shown(value)}{_number_hint(value)}"
        if not math.isfinite(value) or not self.low <= value <= self.high:
            return f"{expected}, got {_shown(value)}"
        return None

    def describe_type(self) -> str:
        """The type as the docs show it."""
        if self.type is FindingType.ENUM:
            return "one of: " + ", ".join(self.values)
        if self.type is FindingType.NUMBER:
            return f"number, {self.unit}, {self.low:g}-{self.high:g}"
        return "true / false"


def _shown(value, limit: int = 60) -> str:
    """The value as written (repr), shortened in the middle when long."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit - 20]}...{text[-15:]} ({len(text)} characters)"


def _number_hint(value) -> str:
    """Why a number-looking text was not read as a number (YAML 1.1 would have read it differently)."""
    if not isinstance(value, str):
        return ""
    if re.fullmatch(r"[-+]?\d+(:[0-5]?\d)+", value):
        return " (a time such as 1:30 is not read as a number: write it as one number in the unit)"
    if re.fullmatch(r"[-+]?0\d+", value):
        return " (a leading zero is ambiguous -- YAML 1.1 reads 012 as octal 10: write the number without it)"
    if re.fullmatch(r"[-+]?\d{19,}", value):
        return " (too many digits)"
    return ""


@dataclass(frozen=True)
class ConclusionDef:
    """One conclusion: id, kind, what it means and the label shown to a clinician."""

    id: str
    kind: Kind
    meaning: str
    group: str = ""
    with_management: bool = False  # a referral shown with the management, not with the urgent referrals
    loading: bool = False          # a loading or exercise principle: withheld under any red flag
    stretch_like: bool = False     # lengthens the hamstring or tensions the nerve: not in the protection stage

    @property
    def shown(self) -> bool:
        """Shown to a clinician (clues are internal abstractions)."""
        return KIND_INFO[self.kind].shown

    @property
    def label(self) -> str:
        return _LABELS.get(self.id) or self.meaning[:1].upper() + self.meaning[1:]


# The red-flag screen: the questions test_red_flag_screen asks ("CES, DVT, vascular, systemic"),
# each with what it screens for. A case file may record them all as negative at once with
# `red_flag_screen: negative`.
RED_FLAG_SCREEN = (("bladder_or_bowel_change", "cauda equina: new bladder or bowel change"),
                   ("saddle_numbness", "cauda equina: saddle numbness"),
                   ("bilateral_leg_neuro_symptoms", "cauda equina: symptoms in both legs"),
                   ("progressive_weakness", "a progressing neurological deficit"),
                   ("systemic_signs", "infection or tumour: weight loss, fever, night sweats"),
                   ("calf_or_thigh_swelling_warmth", "DVT: calf or thigh swelling and warmth"),
                   ("claudication_relieved_by_standing", "vascular claudication"))

# Findings examined together (a block of the examination, or imaging): an interactive consultation
# first asks whether the block was examined at all, so that a block not done costs one question.
FINDING_GROUPS = {
    "irritability_history": ("Was the irritability history taken (what provokes it, worst pain, settling)?",
                             ("provoking_activity_level", "pain_worst_nrs", "settle_time_min", "night_pain",
                              "latent_onset")),
    "neurodynamic_tests": ("Were neurodynamic tests done (slump, SLR, structural differentiation)?",
                           ("slump_reproduces_symptoms", "slr_reproduces_leg_symptoms",
                            "neural_differentiation_positive")),
    "lumbar_exam": ("Was the lumbar spine examined (range and repeated movements)?",
                    ("lumbar_movement_reproduces_symptoms", "lumbar_centralisation")),
    "palpation": ("Was the buttock and thigh palpated?",
                  ("tender_ischial_tuberosity", "tender_deep_gluteal", "max_pain_distance_from_ischium_cm",
                   "palpable_defect", "extensive_bruising")),
    "tendon_tests": ("Were the tendinopathy provocation tests done (Puranen-Orava, bent-knee stretches)?",
                     ("puranen_orava_positive", "bent_knee_stretch_positive", "modified_bent_knee_stretch_positive")),
    "piriformis_tests": ("Were the piriformis tests done (seated stretch, active)?",
                         ("seated_piriformis_stretch_positive", "active_piriformis_positive")),
    "sij_tests": ("Were the SIJ provocation tests done?",
                  ("sij_thigh_thrust_positive", "sij_distraction_positive", "sij_positive_count")),
    "stride_tests": ("Were the stride tests done (long-stride walking, IFI test)?",
                     ("long_stride_walking_positive", "ifi_test_positive")),
    "imaging": ("Is there MRI imaging of the injury?", ("bamic_grade", "bamic_site", "imaging_injured_muscle")),
    "rehabilitation_progress": ("Were rehabilitation progress criteria tested (jog, isometrics, strength, "
                                "range, H-test, sprinting)?",
                                ("jog_painfree", "isometric_submax_painfree", "manual_strength_full_painfree",
                                 "strength_lsi_pct", "full_painfree_rom", "askling_h_test_insecurity",
                                 "sprint_painfree_near_max", "next_morning_settled", "exercise_pain_nrs")),
    "serious_pathology_history": ("Was a history of serious pathology taken (cancer, constant pain, clot risk, "
                                  "pulses)?",
                                  ("cancer_history", "constant_unremitting_pain", "dvt_risk_factor",
                                   "diminished_foot_pulses")),
}


def boolean(fid, meaning):
    return FindingDef(fid, FindingType.BOOL, meaning)


def one_of(fid, values, meaning):
    return FindingDef(fid, FindingType.ENUM, meaning, values=values)


def number(fid, unit, low, high, meaning):
    return FindingDef(fid, FindingType.NUMBER, meaning, unit=unit, low=low, high=high)


def conclusion(cid, kind, meaning, group="", with_management=False, loading=False, stretch_like=False):
    return ConclusionDef(cid, kind, meaning, group, with_management, loading, stretch_like)


_FINDINGS = (
    number("age_years", "years", 10, 95, "patient age"),
    boolean("sport_high_speed_running", "plays a sprint/kick sport or does speed running"),
    one_of("onset_type", ('sudden_during_activity', 'gradual', 'after_trauma_fall', 'unknown'),
         "how symptoms began"),
    one_of("mechanism", ('sprinting', 'stretching', 'forced_hip_flexion_knee_extended', 'none', 'unknown'),
         "injury mechanism (sprint = late-swing HSR; stretching = slow extreme hip flexion with straight knee)"),
    boolean("felt_pop", "audible/felt pop or tearing at onset"),
    number("days_since_onset", "days", 0, 3650, "time since symptoms started"),
    boolean("prior_hamstring_injury", "previous HSI on this side"),
    one_of("primary_pain_site", ('ischial_tuberosity', 'mid_posterior_thigh', 'deep_buttock_lateral_to_ischium', 'sij_region', 'diffuse_buttock_thigh', 'low_back_and_leg'),
         "where pain is worst"),
    one_of("pain_side_of_thigh", ('lateral', 'medial', 'central', 'unknown'),
         "lateral suggests biceps femoris; medial suggests semimembranosus/semitendinosus"),
    boolean("pain_below_knee", "symptoms extend below the knee"),
    one_of("symptom_quality", ('sharp_local', 'deep_ache', 'burning_tingling_electric', 'shooting_dermatomal', 'cramping'),
         "descriptor of the pain"),
    boolean("paraesthesia_or_numbness", "pins-and-needles or numbness reported in the leg"),
    boolean("back_pain_present", "concurrent low back pain"),
    boolean("sitting_aggravates", "sitting provokes/increases the pain"),
    number("sitting_tolerance_min", "minutes", 0, 480, "minutes of sitting before symptoms force a change"),
    boolean("leg_crossing_or_hip_ir_aggravates", "crossing legs / hip flexion-adduction-internal rotation provokes"),
    boolean("straight_leg_bend_aggravates", "toe-touch or straight-leg kick provokes"),
    one_of("provoking_activity_level", ('minimal', 'moderate', 'substantial'),
         "how much activity provokes symptoms (see d2)"),
    number("pain_worst_nrs", "NRS", 0, 10, "worst pain in last 24 h"),
    number("settle_time_min", "minutes", 0, 1440, "time for provoked symptoms to return to baseline"),
    boolean("night_pain", "pain waking the patient or constant rest pain"),
    boolean("latent_onset", "flare appears hours after the activity"),
    boolean("bladder_or_bowel_change", "new retention, hesitancy, incontinence, loss of bladder/bowel sensation"),
    boolean("saddle_numbness", "numbness/tingling in perineum, genitals, inner buttocks"),
    boolean("bilateral_leg_neuro_symptoms", "sciatica, numbness or weakness in BOTH legs"),
    boolean("progressive_weakness", "weakness that is worsening over days/weeks (e.g. developing foot drop)"),
    boolean("calf_or_thigh_swelling_warmth", "unexplained swelling, warmth, redness of the calf/thigh"),
    boolean("dvt_risk_factor", "recent surgery, immobilisation, long travel, cancer, hormones/pregnancy, prior clot"),
    boolean("claudication_relieved_by_standing", "leg/buttock cramp at a fixed walking distance, eased by simply standing still"),
    boolean("diminished_foot_pulses", "weak/absent pedal pulses or cool pale foot"),
    boolean("cancer_history", "any history of malignancy"),
    boolean("systemic_signs", "unexplained weight loss, fever, night sweats, immunosuppression, IV drug use"),
    boolean("constant_unremitting_pain", "pain unchanged by any position or rest"),
    one_of("gait", ('normal', 'antalgic_limp', 'unable_without_aid'),
         "walking status"),
    boolean("palpable_defect", "gap felt at the hamstring origin/muscle"),
    boolean("extensive_bruising", "large ecchymosis tracking down the posterior thigh"),
    number("max_pain_distance_from_ischium_cm", "cm", 0, 40, "distance from ischial tuberosity to point of maximal tenderness"),
    boolean("tender_ischial_tuberosity", "palpation of the sitting bone reproduces pain"),
    boolean("tender_deep_gluteal", "tenderness at sciatic notch / retro-trochanteric region"),
    one_of("resisted_knee_flexion", ('painfree_strong', 'painful_strong', 'painful_weak', 'unable'),
         "resisted knee-flexion result"),
    number("slr_deficit_deg", "degrees", 0, 90, "passive SLR (or knee-extension) loss vs other side"),
    boolean("hamstring_stretch_pain", "passive hamstring lengthening reproduces posterior-thigh pain"),
    boolean("slump_reproduces_symptoms", "slump test reproduces the familiar thigh/leg symptoms"),
    boolean("slr_reproduces_leg_symptoms", "SLR reproduces familiar leg symptoms (not just stretch)"),
    boolean("neural_differentiation_positive", "neck flexion/ankle dorsiflexion changes the reproduced symptom"),
    boolean("neuro_deficit_present", "objective dermatomal sensory loss, myotomal weakness or reflex change"),
    boolean("lumbar_movement_reproduces_symptoms", "lumbar ROM / repeated movement reproduces or changes thigh pain"),
    boolean("lumbar_centralisation", "repeated lumbar movement makes symptoms retreat toward the spine"),
    boolean("puranen_orava_positive", "standing active stretch (hip 90°, knee straight) reproduces ischial pain"),
    boolean("bent_knee_stretch_positive", "supine bent-knee stretch reproduces ischial pain"),
    boolean("modified_bent_knee_stretch_positive", "rapid modified bent-knee stretch reproduces ischial pain"),
    boolean("active_hamstring_test_positive", "A-30/A-90 resisted knee flexion (Martin 2018) reproduces ischial pain"),
    boolean("seated_piriformis_stretch_positive", "seated flexion-adduction-IR with palpation reproduces deep buttock pain"),
    boolean("active_piriformis_positive", "resisted abduction/ER in side-lying reproduces deep buttock pain"),
    boolean("sij_thigh_thrust_positive", "thigh thrust reproduces familiar pain"),
    boolean("sij_distraction_positive", "distraction reproduces familiar pain"),
    number("sij_positive_count", "count", 0, 5, "positives among distraction, thigh thrust, compression, sacral thrust, Gaenslen"),
    boolean("long_stride_walking_positive", "pain with long strides, abolished with short strides"),
    boolean("ifi_test_positive", "passive hip extension + adduction reproduces pain, relieved in abduction"),
    number("bamic_grade", "grade", 0, 4, "MRI BAMIC grade if imaging available"),
    one_of("bamic_site", ('a', 'b', 'c', 'none'),
         "BAMIC site letter (myofascial / musculotendinous / intratendinous)"),
    one_of("imaging_injured_muscle", ('biceps_femoris_long_head', 'semimembranosus', 'semitendinosus', 'unknown'),
         "muscle named on imaging"),
    boolean("jog_painfree", "very-low-speed jog without pain"),
    boolean("isometric_submax_painfree", "pain-free isometric vs 50–70% resistance, prone knee flexion 90°"),
    boolean("manual_strength_full_painfree", "5/5 pain-free prone knee flexion, repeated max efforts at ~90° and ~15°"),
    number("strength_lsi_pct", "%", 0, 130, "injured/uninjured knee-flexor strength × 100 (dynamometer)"),
    boolean("full_painfree_rom", "hamstring range equal to other side without pain"),
    boolean("askling_h_test_insecurity", "any insecurity reported on fast active SLR (H-test)"),
    boolean("sprint_painfree_near_max", "sport-specific drills / sprinting near max speed without pain"),
    boolean("next_morning_settled", "exercise pain settled by next morning and not rising week to week"),
    number("exercise_pain_nrs", "NRS", 0, 10, "pain during rehab exercise"),
    # ptkb's own addition: what "persistent / refractory" (reference e5, e6) needs to be testable
    boolean("no_improvement_with_conservative_care",
            "symptoms persist despite an adequate course of conservative care"),
)

_CONCLUSIONS = (
    conclusion("rf_cauda_equina", Kind.RED_FLAG, "possible cauda equina syndrome"),
    conclusion("rf_progressive_neuro_deficit", Kind.RED_FLAG, "worsening / bilateral / multi-level neurological loss"),
    conclusion("rf_suspected_avulsion", Kind.RED_FLAG, "possible proximal hamstring tendon or bony avulsion"),
    conclusion("rf_dvt", Kind.RED_FLAG, "possible deep vein thrombosis"),
    conclusion("rf_vascular_claudication", Kind.RED_FLAG, "possible arterial (vascular) claudication"),
    conclusion("rf_infection_or_malignancy", Kind.RED_FLAG, "features of infection or tumour"),
    conclusion("hyp_hamstring_strain", Kind.HYPOTHESIS, "acute hamstring strain injury"),
    conclusion("hyp_proximal_hamstring_tendinopathy", Kind.HYPOTHESIS, "proximal (high) hamstring tendinopathy"),
    conclusion("hyp_deep_gluteal_syndrome", Kind.HYPOTHESIS, "extra-spinal sciatic entrapment in deep gluteal space (incl. piriformis)"),
    conclusion("hyp_hamstring_syndrome_scar", Kind.HYPOTHESIS, "sciatic irritation from scar after prior hamstring injury"),
    conclusion("hyp_neural_involvement", Kind.HYPOTHESIS, "neural sensitivity coexisting with another primary problem"),
    conclusion("hyp_lumbar_radiculopathy", Kind.HYPOTHESIS, "lumbar nerve-root pain ± deficit"),
    conclusion("hyp_lumbar_referred_somatic", Kind.HYPOTHESIS, "somatic pain referred from lumbar structures"),
    conclusion("hyp_sij_pain", Kind.HYPOTHESIS, "sacroiliac joint pain (Laslett cluster met)"),
    conclusion("hyp_ischiofemoral_impingement", Kind.HYPOTHESIS, "ischiofemoral impingement"),
    conclusion("hyp_sciatic_nerve_irritation", Kind.HYPOTHESIS,
               "general sciatic nerve irritation: neural signs without a compression source or lumbar cause found"),
    conclusion("tissue_muscle_belly", Kind.TISSUE, "myofascial / muscle-belly lesion"),
    conclusion("tissue_mtj", Kind.TISSUE, "musculotendinous-junction lesion"),
    conclusion("tissue_proximal_tendon", Kind.TISSUE, "proximal free tendon / intratendinous lesion"),
    conclusion("tissue_bflh", Kind.TISSUE, "biceps femoris long head involved"),
    conclusion("tissue_semimembranosus", Kind.TISSUE, "semimembranosus involved"),
    conclusion("tissue_semitendinosus", Kind.TISSUE, "semitendinosus involved (usually named by imaging; rarely injured alone)"),
    conclusion("grade_1", Kind.GRADE, "mild strain"),
    conclusion("grade_2", Kind.GRADE, "moderate (partial) strain"),
    conclusion("grade_3", Kind.GRADE, "severe / complete strain"),
    conclusion("irritability_high", Kind.IRRITABILITY, "minimal load provokes, severe, slow to settle"),
    conclusion("irritability_moderate", Kind.IRRITABILITY, "between high and low"),
    conclusion("irritability_low", Kind.IRRITABILITY, "only high load provokes, mild, settles quickly"),
    conclusion("stage_acute_protection", Kind.STAGE, "protect healing / settle symptoms"),
    conclusion("stage_subacute_loading", Kind.STAGE, "progressive strengthening"),
    conclusion("stage_return_to_run_and_sport", Kind.STAGE, "running, speed and sport-specific loading"),
    conclusion("stage_ready_for_return_to_sport", Kind.STAGE, "all return-to-sport criteria met"),
    conclusion("tx_crutches_protected_gait", Kind.TREATMENT_PRINCIPLE, "crutches until normal pain-free stride"),
    conclusion("tx_sport_break_2_4_weeks", Kind.TREATMENT_PRINCIPLE, "2–4-week pause from sport/running", loading=True),
    conclusion("tx_shorten_stride", Kind.TREATMENT_PRINCIPLE, "walk with shorter strides", loading=True),
    conclusion("tx_low_load_isotonic", Kind.TREATMENT_PRINCIPLE, "immediate light concentric + eccentric hamstring work", loading=True),
    conclusion("tx_submax_isometrics", Kind.TREATMENT_PRINCIPLE, "multi-angle isometrics at 25–50% effort", loading=True),
    conclusion("tx_pain_monitoring_model", Kind.TREATMENT_PRINCIPLE, "dose by pain ceiling + next-morning rule", loading=True),
    conclusion("tx_askling_lengthening", Kind.TREATMENT_PRINCIPLE, "Extender / Diver / Glider program", loading=True, stretch_like=True),
    conclusion("tx_eccentric_long_length", Kind.TREATMENT_PRINCIPLE, "heavy eccentrics at long length (e.g. Nordic) + HSR progression", loading=True, stretch_like=True),
    conclusion("tx_progressive_tendon_loading", Kind.TREATMENT_PRINCIPLE, "isometric → isotonic → speed tendon loading, low to high hip flexion", loading=True),
    conclusion("tx_neural_sliders", Kind.TREATMENT_PRINCIPLE, "nerve slider mobilisations", loading=True),
    conclusion("tx_neural_tensioners", Kind.TREATMENT_PRINCIPLE, "nerve tensioner mobilisations", loading=True, stretch_like=True),
    conclusion("tx_aerobic_low_intensity", Kind.TREATMENT_PRINCIPLE, "non-provoking aerobic base (bike, pool, short-stride walk, gentle yoga)", loading=True),
    conclusion("tx_lumbar_directed_care", Kind.TREATMENT_PRINCIPLE, "lumbar movement/manual care", loading=True),
    conclusion("tx_lumbopelvic_hip_strengthening", Kind.TREATMENT_PRINCIPLE, "hip/trunk strengthening incl. abductors", loading=True),
    conclusion("prec_withhold_loading_program", Kind.PRECAUTION, "do not start/continue exercise loading"),
    conclusion("prec_no_stretching", Kind.PRECAUTION, "no hamstring stretching / neural tensioning now"),
    conclusion("prec_avoid_prolonged_sitting", Kind.PRECAUTION, "limit sitting duration, use breaks/offloading"),
    conclusion("prec_avoid_leg_crossing_hip_ir", Kind.PRECAUTION, "avoid crossed legs and sustained hip IR/adduction"),
    conclusion("prec_avoid_neural_tension_positions", Kind.PRECAUTION, "avoid straight-leg toe touch / kicks"),
    conclusion("prec_avoid_tendon_compression", Kind.PRECAUTION, "avoid deep hip flexion under load, hard seats, stretching"),
    conclusion("prec_avoid_hip_ext_adduction", Kind.PRECAUTION, "avoid long strides / hip extension with adduction"),
    conclusion("prec_prolonged_recovery_expected", Kind.PRECAUTION, "prognosis flag: expect longer return"),
    conclusion("ref_emergency_same_day", Kind.REFERRAL, "same-day emergency/medical assessment"),
    conclusion("ref_urgent_medical", Kind.REFERRAL, "prompt medical review (days)"),
    conclusion("ref_imaging_orthopaedic", Kind.REFERRAL, "imaging + orthopaedic/specialist opinion"),
    conclusion("ref_prescriber_medication", Kind.REFERRAL, "discuss NSAID / neuropathic medication with prescriber",
               with_management=True),
    conclusion("test_red_flag_screen", Kind.TEST_TO_PERFORM, "ask CES, DVT, vascular, systemic questions"),
    conclusion("test_neuro_screen", Kind.TEST_TO_PERFORM, "dermatomes, myotomes, reflexes"),
    conclusion("test_slump_with_differentiation", Kind.TEST_TO_PERFORM, "slump/SLR with neck/ankle differentiation"),
    conclusion("test_lumbar_repeated_movements", Kind.TEST_TO_PERFORM, "lumbar ROM + repeated movements"),
    conclusion("test_sij_cluster", Kind.TEST_TO_PERFORM, "Laslett provocation cluster"),
    conclusion("test_piriformis_tests", Kind.TEST_TO_PERFORM, "seated piriformis stretch + active piriformis"),
    conclusion("test_tendinopathy_provocation", Kind.TEST_TO_PERFORM, "Puranen-Orava, bent-knee, modified bent-knee"),
    conclusion("test_long_stride_walking", Kind.TEST_TO_PERFORM, "long-stride walking (± IFI test)"),
    conclusion("test_irritability_history", Kind.TEST_TO_PERFORM, "establish provocation, severity, settle time"),
    # ptkb's own additions beyond the reference vocabulary (each documented in docs/vocabulary.md)
    conclusion("conflict_findings", Kind.FINDING_CONFLICT,
               "recorded findings contradict each other: re-examine before relying on this plan"),
    conclusion("prec_reduce_running_sport_fast_walking", Kind.PRECAUTION,
               "reduce running, sport and fast walking while the nerve is irritable"),
    conclusion("tx_manual_therapy_matched", Kind.TREATMENT_PRINCIPLE,
               "manual therapy matched to the proposed mechanism (compression, tension, blood flow)", loading=True),
    conclusion("test_grade_signs", Kind.TEST_TO_PERFORM,
               "observe gait and test resisted knee flexion to grade the strain"),
    # ptkb's own clue ids (kind clue): abstractions the rules conclude on the way
    conclusion("clue_age_50_or_over", Kind.CLUE,
               "age 50 or over (KB heuristic threshold)"),
    conclusion("clue_stretch_test_unsafe", Kind.CLUE,
               "sudden injury or avulsion mechanism and no imaging yet: no provocative stretch test"),
    conclusion("clue_stretch_type_mechanism", Kind.CLUE,
               "stretch-type mechanism (slow extreme stretch, or forced hip flexion with the knee straight)"),
    conclusion("clue_strain_confirmed_by_imaging", Kind.CLUE,
               "imaging shows a muscle injury (BAMIC grade 1 or more)"),
    conclusion("clue_complete_tear_on_imaging", Kind.CLUE,
               "imaging shows a complete tear (BAMIC grade 4)"),
    conclusion("clue_lesion_proximal", Kind.CLUE,
               "the lesion is proximal (pain at the sitting bone or within 10 cm of it)"),
    conclusion("clue_mechanical_exam_negative", Kind.CLUE,
               "no examination reproduces the pain (contraction, stretch, slump and lumbar tests negative)"),
    conclusion("clue_avulsion_mechanism", Kind.CLUE,
               "injury mechanism typical of avulsion (forced hip flexion with straight knee, or a pop)"),
    conclusion("clue_avulsion_local_signs", Kind.CLUE,
               "local signs of avulsion (palpable gap, or large bruising with weak resisted flexion)"),
    conclusion("clue_grade3_signs", Kind.CLUE,
               "clinical signs of a severe (grade III) strain"),
    conclusion("clue_grade2_signs", Kind.CLUE,
               "clinical signs of a moderate (grade II) strain"),
    conclusion("clue_pain_near_ischium", Kind.CLUE,
               "maximal pain less than 10 cm from the ischial tuberosity (KB heuristic)"),
    conclusion("clue_sitting_provokes", Kind.CLUE,
               "sitting provokes symptoms (aggravates, or tolerated 30 min or less)"),
    conclusion("clue_piriformis_test_positive", Kind.CLUE,
               "a piriformis provocation test reproduces deep buttock pain"),
    conclusion("clue_neurodynamic_positive", Kind.CLUE,
               "slump or SLR reproduces the familiar leg symptoms"),
    conclusion("clue_ischial_pain_on_loading", Kind.CLUE,
               "ischial pain on palpation or on the active hamstring test"),
    conclusion("clue_neural_symptoms", Kind.CLUE,
               "a neural sign: burning/tingling, paraesthesia, radiating leg pain or a positive neurodynamic test"),
    conclusion("clue_radiating_leg_pain", Kind.CLUE,
               "pain below the knee or shooting dermatomal pain"),
    conclusion("clue_nerve_root_sign", Kind.CLUE,
               "objective deficit or lumbar movement reproducing the leg symptoms"),
    conclusion("clue_sij_cluster_met", Kind.CLUE,
               "Laslett SIJ provocation cluster met"),
    conclusion("clue_sij_unlikely", Kind.CLUE,
               "thigh thrust and distraction both negative: SIJ pain unlikely"),
    conclusion("clue_irr_minimal_provocation", Kind.CLUE,
               "minimal activity provokes symptoms", "irritability_high_marker"),
    conclusion("clue_irr_severe_pain", Kind.CLUE,
               "worst pain 7/10 or more (heuristic)", "irritability_high_marker"),
    conclusion("clue_irr_slow_settling", Kind.CLUE,
               "symptoms take more than 60 min to settle (heuristic)", "irritability_high_marker"),
    conclusion("clue_irr_night_pain", Kind.CLUE,
               "night or constant rest pain", "irritability_high_marker"),
    conclusion("clue_irr_latent_onset", Kind.CLUE,
               "latent onset: flare hours after activity", "irritability_high_marker"),
    conclusion("clue_irr_mild_pain", Kind.CLUE,
               "worst pain 3/10 or less (heuristic)"),
    conclusion("clue_irr_quick_settling", Kind.CLUE,
               "symptoms settle within 15 min (heuristic)"),
    conclusion("clue_irritability_high_pattern", Kind.CLUE,
               "two or more high-irritability markers (heuristic)"),
    conclusion("clue_irritability_low_pattern", Kind.CLUE,
               "all low-irritability markers present (heuristic)"),
    conclusion("clue_irritability_history_known", Kind.CLUE,
               "at least two of provocation, worst pain and settle time known"),
    conclusion("clue_phase1_criteria_met", Kind.CLUE,
               "normal pain-free stride, pain-free slow jog and pain-free submaximal isometrics"),
    conclusion("clue_phase2_criteria_met", Kind.CLUE,
               "full pain-free manual knee-flexion strength"),
    conclusion("clue_strength_lsi_90", Kind.CLUE,
               "knee-flexor strength at least 90% of the other side (heuristic)"),
    conclusion("clue_return_to_sport_criteria_met", Kind.CLUE,
               "all return-to-sport criteria met"),
    conclusion("clue_irritability_staged_problem", Kind.CLUE,
               "a nerve, tendon or joint problem whose stage follows irritability"),
    conclusion("clue_nerve_problem", Kind.CLUE,
               "a sciatic-nerve hypothesis is held"),
    conclusion("cand_stage_acute_protection", Kind.CLUE,
               "a rule proposes the acute protection stage", "stage_candidate"),
    conclusion("cand_stage_subacute_loading", Kind.CLUE,
               "a rule proposes the subacute loading stage", "stage_candidate"),
    conclusion("cand_stage_return_to_run_and_sport", Kind.CLUE,
               "a rule proposes the return to running and sport stage", "stage_candidate"),
    conclusion("cand_stage_ready_for_return_to_sport", Kind.CLUE,
               "a rule proposes readiness for return to sport", "stage_candidate"),
)

# Where the meaning alone reads badly as a heading line.
_LABELS = {
    "grade_1": "Grade I: mild strain", "grade_2": "Grade II: moderate (partial) strain",
    "grade_3": "Grade III: severe / complete strain",
    "irritability_high": "High irritability", "irritability_moderate": "Moderate irritability",
    "irritability_low": "Low irritability",
    "stage_acute_protection": "Acute protection stage", "stage_subacute_loading": "Subacute loading stage",
    "stage_return_to_run_and_sport": "Return to running and sport stage",
    "stage_ready_for_return_to_sport": "Ready for return to sport",
}

FINDINGS = {f.id: f for f in _FINDINGS}
CONCLUSIONS = {c.id: c for c in _CONCLUSIONS}
