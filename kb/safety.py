"""The safety invariants of the knowledge base, declared once.

Lint checks the rules against them statically, the property tests check them on generated cases,
and the test strategies draw red-flag triggers from here. Each invariant says what must never
appear together in one consultation (reference e0, d4, e1, e5, e8; the sketch f3).

>>> violations({}, {"rf_dvt", "ref_emergency_same_day", "prec_withhold_loading_program", "stage_acute_protection"})
['red-flag-no-stage-rf_dvt: under rf_dvt no stage is chosen']
"""
from __future__ import annotations

import itertools

from dataclasses import dataclass

from kb.vocabulary import CONCLUSIONS, Kind

__all__ = ["Invariant", "INVARIANTS", "LOADING_OR_EXERCISE", "STRETCH_LIKE", "PROVOCATIVE_STRETCH_TESTS", "REFERRAL_FOR",
           "FORBIDDEN_TOGETHER", "RED_FLAG_TRIGGERS", "SUDDEN_ONSETS", "violations"]

RED_FLAGS = frozenset(c for c, d in CONCLUSIONS.items() if d.kind is Kind.RED_FLAG)
STAGES = frozenset(c for c, d in CONCLUSIONS.items() if d.kind is Kind.STAGE)

# Declared on the conclusions themselves (kb/vocabulary.yaml): loading or exercise principles (what a
# red flag withholds; crutches are protection, not loading) and stretch-like ones (never in the
# protection stage).
LOADING_OR_EXERCISE = frozenset(c for c, d in CONCLUSIONS.items() if d.loading)
STRETCH_LIKE = frozenset(c for c, d in CONCLUSIONS.items() if d.stretch_like)
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


@dataclass(frozen=True)
class Invariant:
    """Whenever every condition of `when` holds, no `forbidden` conclusion may be reached and every
    `required` one must be. Conditions are `kb.conditions` objects: one meaning for the property
    tests (`violated`) and for `ptkb verify`'s logical model."""

    id: str
    text: str
    when: tuple
    forbidden: tuple[str, ...] = ()
    required: tuple[str, ...] = ()

    def violated(self, findings: dict, ids: set) -> bool:
        return all(c.holds(findings, ids) for c in self.when) and (
            any(f in ids for f in self.forbidden) or any(r not in ids for r in self.required))


def _invariants() -> tuple[Invariant, ...]:
    from kb.conditions import Has, OneOf, Unknown
    out = []
    for rf in sorted(RED_FLAGS):
        out += [Invariant(f"red-flag-referral-{rf}", f"{rf} gives {REFERRAL_FOR[rf]} and withholds loading",
                          (Has(rf),), required=(REFERRAL_FOR[rf], "prec_withhold_loading_program")),
                Invariant(f"red-flag-no-stage-{rf}", f"under {rf} no stage is chosen", (Has(rf),),
                          forbidden=tuple(sorted(STAGES))),
                Invariant(f"red-flag-no-loading-{rf}", f"under {rf} no loading or exercise principle", (Has(rf),),
                          forbidden=tuple(sorted(LOADING_OR_EXERCISE)))]
    out += [Invariant(f"never-together-{a}-{b}", why, (Has(b),), forbidden=(a,)) for a, b, why in _PAIRS]
    for kind in (Kind.STAGE, Kind.GRADE, Kind.IRRITABILITY):
        members = sorted(c for c, d in CONCLUSIONS.items() if d.kind is kind)
        out += [Invariant(f"one-{kind.value}-{m}", f"at most one {kind.value}", (Has(m),),
                          forbidden=tuple(x for x in members if x > m)) for m in members[:-1]]
    out.append(Invariant("no-provocative-stretch-after-sudden-onset",
                         "no provocative stretch test after a sudden onset until imaging excludes an avulsion",
                         (OneOf("onset_type", SUDDEN_ONSETS), Unknown("bamic_grade")),
                         forbidden=tuple(sorted(PROVOCATIVE_STRETCH_TESTS))))
    return tuple(out)


INVARIANTS = _invariants()


def violations(findings: dict, ids: set) -> list[str]:
    """Every safety invariant the conclusions `ids` of a case with `findings` break (empty: safe)."""
    return [f"{inv.id}: {inv.text}" for inv in INVARIANTS if inv.violated(findings, ids)]
