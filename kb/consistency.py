"""Findings that contradict each other: a named check per contradiction, concluding `conflict_findings`,
which the plan shows first -- never a silent guess between two recorded results.

Each check pairs two findings that describe the same examination (reference e1, e4: the prone
knee-flexion strength test, the phase criteria; b7: the SIJ count includes thigh thrust and
distraction; f1: differentiation changes a *reproduced* symptom).
"""
from kb.conditions import Has, Is, Layer, OneOf
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

__all__ = ["ConsistencyRules"]

PAINFUL_OR_WEAK = OneOf("resisted_knee_flexion", ("painful_strong", "painful_weak", "unable"))


class ConsistencyRules(KnowledgeEngine):
    """Contradictory findings."""

    @rule("CON-001", Layer.CLUE, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[PAINFUL_OR_WEAK, Is("manual_strength_full_painfree", True)], then=["conflict_findings"])
    def conflict_painful_flexion_and_full_strength(self):
        """Resisted knee flexion is painful or weak, yet manual knee-flexion strength is full and pain-free."""

    @rule("CON-002", Layer.CLUE, cites=("vandyk2019", "heiderscheit2010"), level=E.EXPERT,
          when=[OneOf("resisted_knee_flexion", ("painful_weak", "unable")), Has("clue_strength_lsi_90")],
          then=["conflict_findings"])
    def conflict_weak_flexion_and_symmetric_strength(self):
        """Resisted knee flexion is weak or impossible, yet dynamometer strength is within 10% of the other side."""

    @rule("CON-003", Layer.CLUE, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[Is("gait", "unable_without_aid"), Is("jog_painfree", True)], then=["conflict_findings"])
    def conflict_cannot_walk_but_jogs(self):
        """The patient cannot walk without aid, yet jogs without pain."""

    @rule("CON-004", Layer.CLUE, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[Is("sprint_painfree_near_max", True), Is("jog_painfree", False)], then=["conflict_findings"])
    def conflict_sprints_but_jog_painful(self):
        """Sprinting near maximal speed is pain-free, yet a very slow jog is painful."""

    @rule("CON-005", Layer.CLUE, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[Is("manual_strength_full_painfree", True), Is("isometric_submax_painfree", False)],
          then=["conflict_findings"])
    def conflict_full_strength_but_submax_painful(self):
        """Maximal knee-flexion efforts are pain-free, yet a submaximal isometric contraction is painful."""

    @rule("CON-006", Layer.CLUE, cites=("laslett2003",), level=E.EXPERT,
          when=[Is("lumbar_centralisation", True), Is("lumbar_movement_reproduces_symptoms", False)],
          then=["conflict_findings"])
    def conflict_centralises_but_lumbar_negative(self):
        """Repeated lumbar movement centralises the symptoms, yet lumbar movement is recorded as not changing them."""

    @rule("CON-007", Layer.CLUE, cites=("martin2014", "majlesi2008"), level=E.EXPERT,
          when=[Is("neural_differentiation_positive", True), Is("slump_reproduces_symptoms", False),
                Is("slr_reproduces_leg_symptoms", False)], then=["conflict_findings"])
    def conflict_differentiation_without_reproduced_symptom(self):
        """Structural differentiation is positive, yet neither slump nor SLR reproduced a symptom to differentiate."""

    @rule("CON-008", Layer.CLUE, cites=("laslett2005",), level=E.EXPERT,
          when=[Is("sij_thigh_thrust_positive", True), Is("sij_positive_count", 0)], then=["conflict_findings"])
    def conflict_thigh_thrust_not_counted(self):
        """The thigh thrust is positive, yet the SIJ cluster count is zero."""

    @rule("CON-009", Layer.CLUE, cites=("laslett2005",), level=E.EXPERT,
          when=[Is("sij_distraction_positive", True), Is("sij_positive_count", 0)], then=["conflict_findings"])
    def conflict_distraction_not_counted(self):
        """Distraction is positive, yet the SIJ cluster count is zero."""

    @rule("CON-010", Layer.CLUE, cites=("laslett2005",), level=E.EXPERT,
          when=[Is("sij_thigh_thrust_positive", True), Is("sij_distraction_positive", True),
                OneOf("sij_positive_count", (0, 1))], then=["conflict_findings"])
    def conflict_two_positives_counted_as_one(self):
        """Thigh thrust and distraction are both positive, yet the SIJ cluster count is below two."""
