"""The vocabulary is complete, well-formed, and the docs are generated from it."""
from collections import Counter

from kb.vocabulary import CONCLUSIONS, FINDINGS, Kind
from ptkb.report import vocabulary_markdown
from tests.helpers import ROOT

# The reference vocabulary (71 findings; these conclusions per kind) is the contract: ids may be
# added (documented in docs/vocabulary.md), never removed, so the counts are lower bounds.
CONTRACT_KIND_COUNTS = {"red_flag": 6, "hypothesis": 9, "tissue": 6, "grade": 3, "irritability": 3,
                        "stage": 4, "treatment_principle": 14, "precaution": 8, "referral": 4,
                        "test_to_perform": 9}


def test_contract_counts():
    assert len(FINDINGS) >= 71
    counts = Counter(c.kind.value for c in CONCLUSIONS.values() if c.kind is not Kind.CLUE)
    assert all(counts[kind] >= n for kind, n in CONTRACT_KIND_COUNTS.items()), dict(counts)


def test_ids_are_snake_case_and_prefixed_by_kind():
    prefixes = {"red_flag": "rf_", "hypothesis": "hyp_", "tissue": "tissue_", "grade": "grade_",
                "irritability": "irritability_", "stage": "stage_", "treatment_principle": "tx_",
                "precaution": "prec_", "referral": "ref_", "test_to_perform": "test_", "clue": ("clue_", "cand_"),
                "finding_conflict": "conflict_"}
    for cid, c in CONCLUSIONS.items():
        assert cid.startswith(prefixes[c.kind.value]), cid
    for fid in FINDINGS:
        assert fid.isidentifier() and fid == fid.lower()


def test_finding_types():
    for f in FINDINGS.values():
        assert f.type in ("bool", "enum", "number")
        if f.type == "enum":
            assert len(f.values) >= 2
        if f.type == "number":
            assert f.low < f.high and f.unit


def test_docs_vocabulary_is_generated():
    assert (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8") == vocabulary_markdown()
