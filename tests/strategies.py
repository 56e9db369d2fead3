"""Named hypothesis strategies that draw valid cases from the vocabulary, in one place.

- `finding_values(fid)`: a valid value for one finding (bounds and enum values included);
- `findings(density)`: a dict of findings, sparse (few examined) or dense (most examined);
- `valid_cases()`: validated `Case` objects, sparse, dense and contradictory-but-valid mixed;
- `red_flag_findings()`: one red-flag-triggering combination of findings.
"""
from __future__ import annotations

from functools import cache

from hypothesis import strategies as st

from engine import case_from_mapping
from kb.safety import RED_FLAG_TRIGGERS
from kb.vocabulary import FINDINGS



@cache
def finding_values(fid: str) -> st.SearchStrategy:
    """(Made once per finding: a case draws one per examined finding, and building a strategy costs
    hypothesis more than drawing from it.)"""
    f = FINDINGS[fid]
    if f.type == "bool":
        return st.booleans()
    if f.type == "enum":
        return st.sampled_from(f.values)
    integers = st.integers(int(f.low), int(f.high))
    floats = st.floats(f.low, f.high, allow_nan=False, allow_infinity=False)
    return st.one_of(integers, floats, st.sampled_from([f.low, f.high]))


def findings(density: float) -> st.SearchStrategy:
    """Each finding examined with probability `density` (to the percent: an integer draw costs
    hypothesis about half a float's, and a case draws one per finding)."""
    percent, threshold = st.integers(0, 99), round(density * 100)

    def pick(draw):
        out = {}
        for fid in FINDINGS:
            if draw(percent) < threshold:
                out[fid] = draw(finding_values(fid))
        return out
    return st.composite(lambda draw: pick(draw))()


def valid_cases() -> st.SearchStrategy:
    return st.one_of(findings(0.1), findings(0.4), findings(0.9)).map(
        lambda found: case_from_mapping({"id": "generated", "findings": found}))


def red_flag_findings() -> st.SearchStrategy:
    return st.sampled_from(RED_FLAG_TRIGGERS)


def random_findings(rng, density: float) -> dict:
    """The plain-random twin of `findings(density)` for bulk differential runs (seeded, fast)."""
    out = {}
    for fid, f in FINDINGS.items():
        if rng.random() >= density:
            continue
        if f.type == "bool":
            out[fid] = rng.random() < 0.5
        elif f.type == "enum":
            out[fid] = rng.choice(f.values)
        else:
            choice = rng.random()
            out[fid] = (f.low if choice < 0.15 else f.high if choice < 0.3 else
                        rng.randint(int(f.low), int(f.high)) if choice < 0.8 else rng.uniform(f.low, f.high))
    return out
