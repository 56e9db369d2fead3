"""Named hypothesis strategies that draw valid cases from the vocabulary, in one place.

- `finding_values(fid)`: a valid value for one finding (bounds and enum values included);
- `findings(density)`: a dict of findings, sparse (few examined) or dense (most examined);
- `valid_cases()`: validated `Case` objects, sparse, dense and contradictory-but-valid mixed;
- `red_flag_findings()`: one red-flag-triggering combination of findings.
"""
from __future__ import annotations

from hypothesis import strategies as st

from engine import case_from_mapping
from kb.vocabulary import FINDINGS

RED_FLAG_TRIGGERS = (
    {"saddle_numbness": True}, {"bladder_or_bowel_change": True}, {"bilateral_leg_neuro_symptoms": True},
    {"progressive_weakness": True}, {"systemic_signs": True},
    {"calf_or_thigh_swelling_warmth": True, "dvt_risk_factor": True},
    {"claudication_relieved_by_standing": True, "diminished_foot_pulses": True},
    {"mechanism": "forced_hip_flexion_knee_extended", "palpable_defect": True},
    {"onset_type": "after_trauma_fall", "gait": "unable_without_aid"},
    {"cancer_history": True, "night_pain": True},
)


def finding_values(fid: str) -> st.SearchStrategy:
    f = FINDINGS[fid]
    if f.type == "bool":
        return st.booleans()
    if f.type == "enum":
        return st.sampled_from(f.values)
    integers = st.integers(int(f.low), int(f.high))
    floats = st.floats(f.low, f.high, allow_nan=False, allow_infinity=False)
    return st.one_of(integers, floats, st.sampled_from([f.low, f.high]))


def findings(density: float) -> st.SearchStrategy:
    """Each finding examined with probability `density`."""
    def pick(draw):
        out = {}
        for fid in FINDINGS:
            if draw(st.floats(0, 1)) < density:
                out[fid] = draw(finding_values(fid))
        return out
    return st.composite(lambda draw: pick(draw))()


def valid_cases() -> st.SearchStrategy:
    return st.one_of(findings(0.1), findings(0.4), findings(0.9)).map(
        lambda found: case_from_mapping({"id": "generated", "findings": found}))


def red_flag_findings() -> st.SearchStrategy:
    return st.sampled_from(RED_FLAG_TRIGGERS)
