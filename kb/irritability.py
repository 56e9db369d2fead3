"""Irritability: how little provokes the symptoms, how bad they get, how long they take to settle.

Reference d3 -- explicit thresholds that are a KB design choice, not a validated instrument: NRS bands
after Kelley 2013 and Kareha 2021, settling minutes after Maitland teaching. Explanations say
"heuristic". High: any two of five markers; low: all four low markers; moderate otherwise.
"""
from kb.conditions import Above, AtLeast, AtMost, Has, Is, Known, Lacks, Layer, NoneOfKind, TwoOf
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

__all__ = ["IrritabilityRules"]

HEURISTIC = ("kelley2013", "kareha2021", "petersen2021")


class IrritabilityRules(KnowledgeEngine):
    """Irritability markers and classification."""

    @rule("IRR-001", Layer.CLUE, cites=("petersen2021",), level=E.EXPERT,
          when=[Is("provoking_activity_level", "minimal")], then=["clue_irr_minimal_provocation"])
    def note_minimal_provocation(self):
        """Symptoms provoked by minimal activity mark high irritability."""

    @rule("IRR-002", Layer.CLUE, cites=HEURISTIC, level=E.HEURISTIC,
          when=[AtLeast("pain_worst_nrs", 7)], then=["clue_irr_severe_pain"],
          heuristic="NRS 7 or more = severe (Kelley 2013 / Kareha 2021 bands)")
    def note_severe_pain(self):
        """Worst pain of 7/10 or more marks high irritability (heuristic band)."""

    @rule("IRR-003", Layer.CLUE, cites=("petersen2021", "barakatt2009"), level=E.HEURISTIC,
          when=[Above("settle_time_min", 60)], then=["clue_irr_slow_settling"],
          heuristic="more than 60 min to settle = slow (Maitland teaching)")
    def note_slow_settling(self):
        """Symptoms taking more than an hour to settle mark high irritability (heuristic)."""

    @rule("IRR-004", Layer.CLUE, cites=HEURISTIC, level=E.HEURISTIC,
          when=[Is("night_pain", True)], then=["clue_irr_night_pain"])
    def note_night_pain(self):
        """Night or constant rest pain marks high irritability."""

    @rule("IRR-005", Layer.CLUE, cites=("petersen2021",), level=E.EXPERT,
          when=[Is("latent_onset", True)], then=["clue_irr_latent_onset"])
    def note_latent_onset(self):
        """A flare hours after activity marks high irritability: the response is hard to dose."""

    @rule("IRR-006", Layer.CLUE, cites=HEURISTIC, level=E.HEURISTIC,
          when=[AtMost("pain_worst_nrs", 3)], then=["clue_irr_mild_pain"],
          heuristic="NRS 3 or less = mild (Kelley 2013 / Kareha 2021 bands)")
    def note_mild_pain(self):
        """Worst pain of 3/10 or less is a low-irritability marker (heuristic band)."""

    @rule("IRR-007", Layer.CLUE, cites=("petersen2021",), level=E.HEURISTIC,
          when=[AtMost("settle_time_min", 15)], then=["clue_irr_quick_settling"],
          heuristic="15 min or less to settle = quick (Maitland teaching)")
    def note_quick_settling(self):
        """Symptoms settling within 15 minutes are a low-irritability marker (heuristic)."""

    @rule("IRR-010", Layer.CLUE, cites=HEURISTIC, level=E.HEURISTIC,
          when=[TwoOf("irritability_high_marker")], then=["clue_irritability_high_pattern"],
          heuristic="any two of five high markers")
    def note_high_irritability_pattern(self):
        """Any two high-irritability markers make the high-irritability pattern (heuristic)."""

    @rule("IRR-011", Layer.CLUE, cites=HEURISTIC, level=E.HEURISTIC,
          when=[Is("provoking_activity_level", "substantial"), Has("clue_irr_mild_pain"),
                Has("clue_irr_quick_settling"), Is("night_pain", False)],
          then=["clue_irritability_low_pattern"], heuristic="all four low markers")
    def note_low_irritability_pattern(self):
        """Only high load provokes, pain is mild, settles quickly, no night pain: low irritability."""

    @rule("IRR-012", Layer.CLUE, cites=("petersen2021",), level=E.EXPERT,
          when=[Known("provoking_activity_level"), Known("pain_worst_nrs")],
          then=["clue_irritability_history_known"])
    def note_history_known_provocation_and_pain(self):
        """Provocation and worst pain are known: enough history to judge irritability."""

    @rule("IRR-013", Layer.CLUE, cites=("petersen2021",), level=E.EXPERT,
          when=[Known("provoking_activity_level"), Known("settle_time_min")],
          then=["clue_irritability_history_known"])
    def note_history_known_provocation_and_settling(self):
        """Provocation and settle time are known: enough history to judge irritability."""

    @rule("IRR-014", Layer.CLUE, cites=("petersen2021",), level=E.EXPERT,
          when=[Known("pain_worst_nrs"), Known("settle_time_min")],
          then=["clue_irritability_history_known"])
    def note_history_known_pain_and_settling(self):
        """Worst pain and settle time are known: enough history to judge irritability."""

    @rule("IRR-020", Layer.CLASSIFICATION, cites=HEURISTIC, level=E.HEURISTIC,
          when=[Has("clue_irritability_high_pattern")], then=["irritability_high"])
    def classify_high_irritability(self):
        """Two or more high markers: high irritability (heuristic thresholds)."""

    @rule("IRR-021", Layer.CLASSIFICATION, cites=HEURISTIC, level=E.HEURISTIC,
          when=[Has("clue_irritability_low_pattern"), Lacks("clue_irritability_high_pattern")],
          then=["irritability_low"])
    def classify_low_irritability(self):
        """All low markers and fewer than two high ones: low irritability (heuristic thresholds)."""

    @rule("IRR-022", Layer.CLASSIFICATION, cites=HEURISTIC, level=E.HEURISTIC,
          when=[Has("clue_irritability_history_known"), Lacks("clue_irritability_high_pattern"),
                Lacks("clue_irritability_low_pattern")],
          then=["irritability_moderate"])
    def classify_moderate_irritability(self):
        """Enough history, neither the high nor the low pattern: moderate irritability (heuristic)."""

    @rule("IRR-030", Layer.TESTS, cites=("petersen2021", "barakatt2009"), level=E.EXPERT,
          when=[Lacks("clue_irritability_history_known"), NoneOfKind("red_flag")],
          then=["test_irritability_history"])
    def ask_irritability_history(self):
        """Fewer than two of provocation, worst pain and settle time known: ask before prescribing."""
