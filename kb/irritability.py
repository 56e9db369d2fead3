"""Irritability: how little provokes the symptoms, how bad they get, how long they take to settle.

Reference d3 -- explicit thresholds that are a KB design choice, not a validated instrument: NRS bands
after Kelley 2013 and Kareha 2021, settling minutes after Maitland teaching. Explanations say
"heuristic". High: any two of five markers; low: all four low markers; moderate otherwise.
"""
from kb.conditions import Above, AtLeast, AtMost, Has, Is, Known, Lacks, Layer, NoneOfKind, TwoOf
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule
from kb.tables import RuleTable, row

__all__ = ["IrritabilityRules"]

HEURISTIC = ("kelley2013", "kareha2021", "petersen2021")


class IrritabilityRules(KnowledgeEngine):
    """Irritability markers and classification."""

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


# One marker of high or low irritability per finding (reference c1, c3).
MARKERS = RuleTable(
    "Irritability markers", Layer.CLUE, columns=("finding", "marker"),
    build=lambda finding, marker: ([finding], [marker]),
    rows=[
        row("IRR-001", "note_minimal_provocation", Is("provoking_activity_level", "minimal"), "clue_irr_minimal_provocation",
            cites=("petersen2021",), level=E.EXPERT,
            statement="Symptoms provoked by minimal activity mark high irritability."),
        row("IRR-002", "note_severe_pain", AtLeast("pain_worst_nrs", 7), "clue_irr_severe_pain",
            cites=HEURISTIC, level=E.HEURISTIC,
            heuristic="NRS 7 or more = severe (Kelley 2013 / Kareha 2021 bands)",
            statement="Worst pain of 7/10 or more marks high irritability (heuristic band)."),
        row("IRR-003", "note_slow_settling", Above("settle_time_min", 60), "clue_irr_slow_settling",
            cites=("petersen2021", "barakatt2009"), level=E.HEURISTIC,
            heuristic="more than 60 min to settle = slow (Maitland teaching)",
            statement="Symptoms taking more than an hour to settle mark high irritability (heuristic)."),
        row("IRR-004", "note_night_pain", Is("night_pain", True), "clue_irr_night_pain",
            cites=HEURISTIC, level=E.HEURISTIC,
            statement="Night or constant rest pain marks high irritability."),
        row("IRR-005", "note_latent_onset", Is("latent_onset", True), "clue_irr_latent_onset",
            cites=("petersen2021",), level=E.EXPERT,
            statement="A flare hours after activity marks high irritability: the response is hard to dose."),
        row("IRR-006", "note_mild_pain", AtMost("pain_worst_nrs", 3), "clue_irr_mild_pain",
            cites=HEURISTIC, level=E.HEURISTIC,
            heuristic="NRS 3 or less = mild (Kelley 2013 / Kareha 2021 bands)",
            statement="Worst pain of 3/10 or less is a low-irritability marker (heuristic band)."),
        row("IRR-007", "note_quick_settling", AtMost("settle_time_min", 15), "clue_irr_quick_settling",
            cites=("petersen2021",), level=E.HEURISTIC,
            heuristic="15 min or less to settle = quick (Maitland teaching)",
            statement="Symptoms settling within 15 minutes are a low-irritability marker (heuristic)."),
    ])
MARKERS.install(IrritabilityRules)
