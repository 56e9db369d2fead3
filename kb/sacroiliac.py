"""Sacroiliac joint pain by the Laslett provocation cluster.

Reference b7: three of five provocation tests (Sn 0.94, Sp 0.78); thigh thrust and distraction first,
both negative -> SIJ unlikely; centralisation on repeated lumbar movement excludes the SIJ.
"""
from kb.conditions import AtLeast, Has, Is, Lacks, Layer, NoneOfKind, Unknown
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule
from kb.tables import RuleTable, row

__all__ = ["SacroiliacRules"]

SIJ_SITE = Is("primary_pain_site", "sij_region")


class SacroiliacRules(KnowledgeEngine):
    """Sacroiliac joint pain."""

    @rule("SIJ-004", Layer.HYPOTHESIS, cites=("laslett2005", "laslett2003"), level=E.DIAGNOSTIC,
          when=[SIJ_SITE, Has("clue_sij_cluster_met"), Is("lumbar_centralisation", False)],
          then=["hyp_sij_pain"])
    def suspect_sij_pain(self):
        """Pain over the SIJ with the provocation cluster met and no centralisation suggests SIJ pain."""

    @rule("SIJ-005", Layer.TESTS, cites=("laslett2005",), level=E.DIAGNOSTIC,
          when=[SIJ_SITE, Unknown("sij_positive_count"), Lacks("clue_sij_unlikely"),
                Lacks("clue_sij_cluster_met"), NoneOfKind("red_flag")],
          then=["test_sij_cluster"])
    def ask_for_sij_cluster(self):
        """Pain over the SIJ needs the Laslett provocation cluster (single tests are unreliable)."""

    @rule("SIJ-006", Layer.TESTS, cites=("laslett2003",), level=E.DIAGNOSTIC,
          when=[SIJ_SITE, Has("clue_sij_cluster_met"), Unknown("lumbar_centralisation"), NoneOfKind("red_flag")],
          then=["test_lumbar_repeated_movements"])
    def ask_lumbar_exclusion_for_sij(self):
        """Exclude discogenic pain first: centralisation makes the SIJ cluster lose specificity."""


# The Laslett cluster read from the provocation tests (reference b7).
CLUSTER = RuleTable(
    "Sacroiliac provocation cluster (Laslett)", Layer.CLUE, columns=("findings", "clue"),
    build=lambda findings, clue: (list(findings), [clue]),
    rows=[
        row("SIJ-001", "note_sij_cluster_three_of_five", [AtLeast("sij_positive_count", 3)], "clue_sij_cluster_met",
            cites=("laslett2005",), level=E.DIAGNOSTIC,
            heuristic="Laslett 2005: at least 3 of 5 provocation tests positive",
            statement="Three or more of five provocation tests reproduce the familiar pain: the cluster is met."),
        row("SIJ-002", "note_sij_cluster_two_first_tests", [Is("sij_thigh_thrust_positive", True), Is("sij_distraction_positive", True)], "clue_sij_cluster_met",
            cites=("laslett2005",), level=E.EXPERT,
            statement="Thigh thrust and distraction both positive: two of four, the cluster is met (order rule)."),
        row("SIJ-003", "note_sij_unlikely", [Is("sij_thigh_thrust_positive", False), Is("sij_distraction_positive", False)], "clue_sij_unlikely",
            cites=("laslett2005",), level=E.EXPERT,
            statement="Thigh thrust and distraction both negative: SIJ pain is unlikely and testing can stop."),
    ])
CLUSTER.install(SacroiliacRules)
