"""Examination clues shared by several areas (neurodynamic tests, radiating pain, sitting).

Reference b4-b5: a neurodynamic test counts only when it reproduces the familiar LEG symptoms; the
nerve is implicated when structural differentiation changes them.
"""
from kb.conditions import AtMost, Has, Is, Layer
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

__all__ = ["ExaminationRules"]


class ExaminationRules(KnowledgeEngine):
    """Abstractions of examination findings that several areas read."""

    @rule("EXM-001", Layer.CLUE, cites=("majlesi2008", "deville2000"), level=E.DIAGNOSTIC,
          when=[Is("slump_reproduces_symptoms", True)], then=["clue_neurodynamic_positive"])
    def note_positive_slump(self):
        """A slump test reproducing the familiar leg symptoms is a positive neurodynamic test."""

    @rule("EXM-002", Layer.CLUE, cites=("deville2000", "vanderwindt2010"), level=E.DIAGNOSTIC,
          when=[Is("slr_reproduces_leg_symptoms", True)], then=["clue_neurodynamic_positive"])
    def note_positive_slr(self):
        """An SLR reproducing the familiar leg symptoms (not just stretch) is a positive neurodynamic test."""

    @rule("EXM-003", Layer.CLUE, cites=("vanderwindt2010",), level=E.EXPERT,
          when=[Is("pain_below_knee", True)], then=["clue_radiating_leg_pain"])
    def note_pain_below_knee(self):
        """Pain spreading below the knee is typical of radicular pain."""

    @rule("EXM-004", Layer.CLUE, cites=("vanderwindt2010",), level=E.EXPERT,
          when=[Is("symptom_quality", "shooting_dermatomal")], then=["clue_radiating_leg_pain"])
    def note_shooting_dermatomal_pain(self):
        """Shooting pain in a dermatomal band is typical of radicular pain."""

    @rule("EXM-005", Layer.CLUE, cites=("park2020", "physiopedia_dgs"), level=E.EXPERT,
          when=[Is("sitting_aggravates", True)], then=["clue_sitting_provokes"])
    def note_sitting_aggravates(self):
        """Sitting aggravates the pain (compression of the nerve or tendon)."""

    @rule("EXM-006", Layer.CLUE, cites=("physiopedia_dgs",), level=E.HEURISTIC,
          when=[AtMost("sitting_tolerance_min", 30)], then=["clue_sitting_provokes"],
          heuristic="deep gluteal syndrome: typically cannot sit longer than about 20-30 min")
    def note_short_sitting_tolerance(self):
        """Sitting tolerated for 30 minutes or less counts as sitting provoking symptoms (KB heuristic)."""

    @rule("EXM-007", Layer.CLUE, cites=("mcdaniel2021", "park2020"), level=E.EXPERT,
          when=[Is("symptom_quality", "burning_tingling_electric")], then=["clue_neural_symptoms"])
    def note_burning_pain(self):
        """Burning, tingling or electric pain is a neural symptom."""

    @rule("EXM-008", Layer.CLUE, cites=("mcdaniel2021",), level=E.EXPERT,
          when=[Is("paraesthesia_or_numbness", True)], then=["clue_neural_symptoms"])
    def note_paraesthesia(self):
        """Pins-and-needles or numbness in the leg is a neural symptom."""

    @rule("EXM-009", Layer.CLUE, cites=("park2020",), level=E.EXPERT,
          when=[Has("clue_radiating_leg_pain")], then=["clue_neural_symptoms"])
    def note_sciatica_like_radiation(self):
        """Pain radiating below the knee or in a dermatomal band is sciatica-like."""

    @rule("EXM-010", Layer.CLUE, cites=("martin2014",), level=E.DIAGNOSTIC,
          when=[Has("clue_neurodynamic_positive")], then=["clue_neural_symptoms"])
    def note_neurodynamic_sign(self):
        """A neurodynamic test reproducing the leg symptoms is a neural sign."""
