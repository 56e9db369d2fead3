"""Small knowledge bases with planted defects, for the runner's and lint's own tests."""
from experta import KnowledgeEngine

from kb.conditions import AtLeast, AtMost, Has, Is, Known, Lacks, Layer
from kb.evidence import EvidenceLevel as E
from kb.rulebook import rule


class OrderDependentKB(KnowledgeEngine):
    """OD-002 negates what OD-001 concludes in the same layer: the answer depends on firing order."""

    @rule("OD-001", Layer.HYPOTHESIS, cites=("sapiens2022",), level=E.EXPERT,
          when=[Is("gait", "normal")], then=["grade_1"])
    def planted_first(self):
        """Planted rule A."""

    @rule("OD-002", Layer.HYPOTHESIS, cites=("sapiens2022",), level=E.EXPERT,
          when=[Is("gait", "normal"), Lacks("grade_1")], then=["grade_2"])
    def planted_second(self):
        """Planted rule B, order-dependent on rule A."""


class OrderSafeKB(KnowledgeEngine):
    """The same two rules with the NOT looking back to an earlier layer: order-independent."""

    @rule("OS-001", Layer.CLUE, cites=("sapiens2022",), level=E.EXPERT,
          when=[Is("gait", "normal")], then=["grade_1"])
    def safe_first(self):
        """Safe rule A."""

    @rule("OS-002", Layer.HYPOTHESIS, cites=("sapiens2022",), level=E.EXPERT,
          when=[Is("gait", "normal"), Lacks("grade_1")], then=["grade_2"])
    def safe_second(self):
        """Safe rule B."""


# -- one planted defect per lint check (each class is linted on its own) --------------------------

from experta import Rule  # noqa: E402

from kb.rulebook import Concluded, Findings  # noqa: E402


def _kb(name, **rules):
    return type(name, (KnowledgeEngine,), rules)


def _r(rule_id, when, then, layer=Layer.HYPOTHESIS, cites=("sapiens2022",), level=E.EXPERT, doc="Planted."):
    def stub(self):
        pass
    stub.__doc__ = doc
    stub.__name__ = f"rule_{rule_id.replace('-', '_').lower()}"
    stub.__module__ = "kb.planted"
    return rule(rule_id, layer, cites=cites, level=level, when=when, then=then)(stub)


PLANTED = {
    "unknown-finding": (_kb("A", a=_r("PL-001", [Is("gaitt", "normal")], ["grade_1"])), "PL-001"),
    "bad-value": (_kb("B", a=_r("PL-002", [Is("gait", "hopping")], ["grade_1"])), "PL-002"),
    "unknown-conclusion": (_kb("C", a=_r("PL-003", [Is("gait", "normal")], ["hyp_typo"])), "PL-003"),
    "unknown-field": (_kb("D", a=Rule(Concluded(idd="grade_1"))(lambda self: None)), "a"),
    "missing-metadata": (_kb("E", a=Rule(Findings(gait="normal"))(lambda self: None)), "a"),
    "unresolved-citation": (_kb("F", a=_r("PL-006", [Is("gait", "normal")], ["grade_1"], cites=("nobody1999",))),
                            "PL-006"),
    "missing-docstring": (_kb("H", a=_r("PL-008", [Is("gait", "normal")], ["grade_1"], doc=None)), "PL-008"),
    "duplicate-id": (_kb("I", a=_r("PL-009", [Is("gait", "normal")], ["grade_1"]),
                         b=_r("PL-009", [Is("felt_pop", True)], ["grade_2"])), "PL-009"),
    "shadowed-method": (type("J", (_kb("J1", same=_r("PL-010", [Is("gait", "normal")], ["grade_1"])),
                                   _kb("J2", same=_r("PL-011", [Is("felt_pop", True)], ["grade_2"]))), {}), "same"),
    "threshold-outside-clue-layer": (_kb("K", a=_r("PL-012", [AtLeast("age_years", 50)], ["grade_1"])), "PL-012"),
    "order-dependent-negation": (OrderDependentKB, "OD-002"),
    "unreachable-rule": (_kb("L", a=_r("PL-013", [Has("hyp_sij_pain")], ["tx_lumbopelvic_hip_strengthening"],
                                       layer=Layer.MANAGEMENT)), "PL-013"),
    "conflict": (_kb("M", a=_r("PL-014", [Is("gait", "normal")], ["tx_neural_tensioners"], layer=Layer.MANAGEMENT),
                     b=_r("PL-015", [Is("felt_pop", True)], ["prec_no_stretching"], layer=Layer.MANAGEMENT)), "PL-014"),
    "cycle": (_kb("N", a=_r("PL-016", [Has("clue_sij_unlikely")], ["clue_sij_cluster_met"], layer=Layer.CLUE),
                  b=_r("PL-017", [Has("clue_sij_cluster_met")], ["clue_sij_unlikely"], layer=Layer.CLUE)), "PL-016"),
    "redundant-rule": (_kb("O", a=_r("PL-018", [Is("gait", "normal")], ["grade_1"]),
                           b=_r("PL-019", [Is("gait", "normal")], ["grade_1"])), "PL-018"),
    "redundant-rule:subsumed": (_kb("P", a=_r("PL-020", [Is("gait", "normal")], ["grade_1"]),
                                    b=_r("PL-021", [Is("gait", "normal"), Is("felt_pop", False)], ["grade_1"])),
                                "PL-021"),
    # redundant only through a chain, which no pairwise comparison sees: PL-024 concludes grade_1
    # exactly when PL-022 already does
    "redundant-rule:chain": (_kb("PC", a=_r("PL-022", [Is("gait", "normal")], ["grade_1"]),
                                 b=_r("PL-023", [Is("gait", "normal")], ["clue_sij_unlikely"], layer=Layer.CLUE),
                                 c=_r("PL-024", [Has("clue_sij_unlikely")], ["grade_1"])), "PL-024"),
}

# Warnings about the vocabulary rather than a rule: the subject is named in the message.
PLANTED_SUBJECTS = {
    "unproduced-conclusion": (_kb("R", a=_r("PL-040", [Is("gait", "normal")], ["grade_1"])), "hyp_sij_pain"),
    "unread-finding": (_kb("S", a=_r("PL-041", [Is("gait", "normal")], ["grade_1"])), "felt_pop"),
}

# The same shape as the planted conflict, with conditions that cannot hold together: no conflict.
NO_CONFLICT = _kb("Q", a=_r("PL-030", [Is("gait", "normal")], ["tx_neural_tensioners"], layer=Layer.MANAGEMENT),
                  b=_r("PL-031", [Is("gait", "antalgic_limp")], ["prec_no_stretching"], layer=Layer.MANAGEMENT))


class BandKB(KnowledgeEngine):
    """Two conditions on one finding (a band, and a value with a presence check): each rule must
    compile to the conjunction of its conditions, not to its last condition alone."""

    @rule("BD-001", Layer.CLUE, cites=("sapiens2022",), level=E.HEURISTIC,
          when=[AtLeast("pain_worst_nrs", 4), AtMost("pain_worst_nrs", 6)], then=["irritability_moderate"],
          heuristic="planted band")
    def planted_band(self):
        """Planted band rule: pain 4 to 6."""

    @rule("BD-002", Layer.CLUE, cites=("sapiens2022",), level=E.EXPERT,
          when=[Is("gait", "normal"), Known("gait")], then=["grade_1"])
    def planted_value_and_presence(self):
        """Planted rule: a value and a presence check on one finding."""


class PlantedVerifyKB(KnowledgeEngine):
    """For `ptkb verify`: an invariant broken only through a three-rule chain, an unreachable
    conclusion, a semantically redundant rule and a band condition."""

    @rule("PV-001", Layer.RED_FLAG, cites=("bmj_ces",), level=E.GUIDELINE,
          when=[Is("saddle_numbness", True)], then=["rf_cauda_equina"])
    def planted_flag(self):
        """Planted red flag."""

    @rule("PV-002", Layer.REFERRAL, cites=("bmj_ces",), level=E.GUIDELINE,
          when=[Has("rf_cauda_equina")], then=["ref_emergency_same_day", "prec_withhold_loading_program"])
    def planted_referral(self):
        """Planted referral."""

    @rule("PV-010", Layer.CLUE, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[Is("gait", "normal")], then=["clue_phase1_criteria_met"])
    def planted_chain_one(self):
        """Planted chain, step one."""

    @rule("PV-011", Layer.HYPOTHESIS, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[Has("clue_phase1_criteria_met"), Is("onset_type", "sudden_during_activity")],
          then=["hyp_hamstring_strain"])
    def planted_chain_two(self):
        """Planted chain, step two."""

    @rule("PV-012", Layer.STAGE, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[Has("hyp_hamstring_strain")], then=["stage_subacute_loading"])
    def planted_chain_three(self):
        """Planted chain, step three: a stage without a red-flag guard."""

    @rule("PV-020", Layer.CLASSIFICATION, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[Is("gait", "normal"), Is("gait", "antalgic_limp")], then=["grade_2"])
    def planted_unreachable(self):
        """Planted rule that can never fire."""

    @rule("PV-030", Layer.RED_FLAG, cites=("bmj_ces",), level=E.GUIDELINE,
          when=[Is("saddle_numbness", True), Is("night_pain", True)], then=["rf_cauda_equina"])
    def planted_redundant(self):
        """Planted rule that PV-001 always pre-empts."""

    @rule("PV-040", Layer.CLUE, cites=("sapiens2022",), level=E.HEURISTIC,
          when=[AtLeast("pain_worst_nrs", 4), AtMost("pain_worst_nrs", 6)], then=["irritability_moderate"],
          heuristic="planted band")
    def planted_band_for_verify(self):
        """Planted band rule."""
