"""The safety invariants of the knowledge base, declared once.

Lint checks the rules against them statically, the property tests check them on generated cases,
and the test strategies draw red-flag triggers from here. Each invariant says what must never
appear together in one consultation (reference e0, d4, e1, e5, e8; the sketch f3).

>>> violations({}, {"rf_dvt", "ref_emergency_same_day", "prec_withhold_loading_program", "stage_acute_protection"})
['under a red flag no stage is chosen: stage_acute_protection']
"""
from __future__ import annotations

import itertools

from kb.vocabulary import CONCLUSIONS, Kind

__all__ = ["LOADING_OR_EXERCISE", "STRETCH_LIKE", "PROVOCATIVE_STRETCH_TESTS", "REFERRAL_FOR",
           "FORBIDDEN_TOGETHER", "RED_FLAG_TRIGGERS", "SUDDEN_ONSETS", "violations"]

RED_FLAGS = frozenset(c for c, d in CONCLUSIONS.items() if d.kind is Kind.RED_FLAG)
STAGES = frozenset(c for c, d in CONCLUSIONS.items() if d.kind is Kind.STAGE)

# Loading or exercise principles: everything a red flag withholds (crutches are protection, not loading).
LOADING_OR_EXERCISE = frozenset(c for c, d in CONCLUSIONS.items()
                                if d.kind is Kind.TREATMENT_PRINCIPLE and c != "tx_crutches_protected_gait")
# Principles that lengthen the hamstring or tension the nerve: never in the protection stage.
STRETCH_LIKE = frozenset({"tx_neural_tensioners", "tx_askling_lengthening", "tx_eccentric_long_length"})
# Tests that load the proximal tendon at length: never after a sudden onset before avulsion is excluded.
PROVOCATIVE_STRETCH_TESTS = frozenset({"test_tendinopathy_provocation"})
SUDDEN_ONSETS = ("sudden_during_activity", "after_trauma_fall")

REFERRAL_FOR = {"rf_cauda_equina": "ref_emergency_same_day", "rf_dvt": "ref_emergency_same_day",
                "rf_progressive_neuro_deficit": "ref_urgent_medical",
                "rf_vascular_claudication": "ref_urgent_medical",
                "rf_infection_or_malignancy": "ref_urgent_medical",
                "rf_suspected_avulsion": "ref_imaging_orthopaedic"}

_PAIRS = (
    [("tx_neural_tensioners", "prec_no_stretching", "tensioning while stretching is forbidden"),
     ("tx_neural_tensioners", "irritability_high", "no tensioners while the nerve is highly irritable"),
     ("tx_neural_sliders", "irritability_high", "no sliders at high irritability (positional relief only)")]
    + [(tx, "stage_acute_protection", "no end-range lengthening in the protection stage") for tx in sorted(STRETCH_LIKE)])
FORBIDDEN_TOGETHER = (
    _PAIRS
    + [(tx, rf, "a red flag withholds the loading programme") for tx in sorted(LOADING_OR_EXERCISE)
       for rf in sorted(RED_FLAGS)]
    + [(stage, rf, "under a red flag no stage is chosen") for stage in sorted(STAGES) for rf in sorted(RED_FLAGS)]
    + [(a, b, f"at most one {kind.value}") for kind in (Kind.STAGE, Kind.GRADE, Kind.IRRITABILITY)
       for a, b in itertools.combinations(sorted(c for c, d in CONCLUSIONS.items() if d.kind is kind), 2)]
)

# One finding combination per red flag (the strategies draw from these).
RED_FLAG_TRIGGERS = (
    {"saddle_numbness": True}, {"bladder_or_bowel_change": True}, {"bilateral_leg_neuro_symptoms": True},
    {"progressive_weakness": True}, {"systemic_signs": True},
    {"calf_or_thigh_swelling_warmth": True, "dvt_risk_factor": True},
    {"claudication_relieved_by_standing": True, "diminished_foot_pulses": True},
    {"mechanism": "forced_hip_flexion_knee_extended", "palpable_defect": True},
    {"onset_type": "after_trauma_fall", "gait": "unable_without_aid"},
    {"cancer_history": True, "night_pain": True},
)


def _exactly_one_of_kind(ids, kind: Kind) -> bool:
    return sum(CONCLUSIONS[c].kind is kind for c in ids) <= 1


def violations(findings: dict, ids: set) -> list[str]:
    """Every safety invariant the conclusions `ids` of a case with `findings` break (empty: safe)."""
    out = []
    flags = ids & RED_FLAGS
    out += [f"{flag} without its referral {REFERRAL_FOR[flag]}" for flag in sorted(flags) if REFERRAL_FOR[flag] not in ids]
    if flags:
        if "prec_withhold_loading_program" not in ids:
            out.append("a red flag without prec_withhold_loading_program")
        out += [f"under a red flag no stage is chosen: {s}" for s in sorted(ids & STAGES)]
        out += [f"under a red flag no loading or exercise: {tx}" for tx in sorted(ids & LOADING_OR_EXERCISE)]
    out += [f"{a} together with {b}: {why}" for a, b, why in _PAIRS if a in ids and b in ids]
    for kind in (Kind.STAGE, Kind.GRADE, Kind.IRRITABILITY):
        if not _exactly_one_of_kind(ids, kind):
            out.append(f"more than one {kind.value}: {sorted(c for c in ids if CONCLUSIONS[c].kind is kind)}")
    if findings.get("onset_type") in SUDDEN_ONSETS and findings.get("bamic_grade") is None:
        out += [f"provocative stretch test after a sudden onset, avulsion not excluded: {t}"
                for t in sorted(ids & PROVOCATIVE_STRETCH_TESTS)]
    return out
