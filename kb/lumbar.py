"""Lumbar spine: radicular pain / radiculopathy and somatic referred pain.

Reference a4, b5-b6: radicular pain radiates (below the knee, dermatomal) with positive neurodynamic
tests and differentiation; somatic referred pain is a deep ache, not below the knee, no deficit,
changed by lumbar movement and not by nerve tests.
"""
from kb.conditions import Has, Is, Layer
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

__all__ = ["LumbarRules"]


class LumbarRules(KnowledgeEngine):
    """Lumbar radiculopathy and lumbar somatic referred pain."""

    @rule("LUM-001", Layer.CLUE, cites=("vanderwindt2010",), level=E.DIAGNOSTIC,
          when=[Is("neuro_deficit_present", True)], then=["clue_nerve_root_sign"])
    def note_objective_deficit(self):
        """An objective dermatomal, myotomal or reflex change is a sign of nerve-root involvement."""

    @rule("LUM-002", Layer.CLUE, cites=("vanderwindt2010", "mcdaniel2021"), level=E.EXPERT,
          when=[Is("lumbar_movement_reproduces_symptoms", True)], then=["clue_nerve_root_sign"])
    def note_lumbar_movement_reproduces(self):
        """Lumbar movement reproducing the leg symptoms ties them to the spine."""

    @rule("LUM-003", Layer.HYPOTHESIS, cites=("vanderwindt2010", "deville2000", "majlesi2008"),
          level=E.DIAGNOSTIC,
          when=[Has("clue_radiating_leg_pain"), Has("clue_neurodynamic_positive"),
                Is("neural_differentiation_positive", True), Has("clue_nerve_root_sign")],
          then=["hyp_lumbar_radiculopathy"])
    def suspect_lumbar_radiculopathy(self):
        """Radiating leg pain, positive neurodynamic tests and a root sign suggest lumbar radicular pain."""

    @rule("LUM-004", Layer.HYPOTHESIS, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[Is("lumbar_movement_reproduces_symptoms", True), Is("neuro_deficit_present", False),
                Is("slump_reproduces_symptoms", False), Is("pain_below_knee", False),
                Is("symptom_quality", "deep_ache")],
          then=["hyp_lumbar_referred_somatic"])
    def suspect_lumbar_referred_pain(self):
        """A deep ache above the knee, changed by lumbar movement, nerve tests negative: referred pain."""
