"""Stage of rehabilitation: one stage per case, the most protective proposal wins.

Reference e1, e4 and e8: hamstring strains progress on Heiderscheit's phase criteria and the
return-to-sport conjunction; nerve, tendon and joint problems are staged by irritability. Candidates
are proposed first, then exactly one stage is chosen (the earliest), as the sketch asks. Under a red
flag no stage is chosen: the plan is the referral (reference e0).
"""
from kb.conditions import AtLeast, Has, Is, Lacks, Layer, NoneOfKind, Unknown
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule
from kb.tables import RuleTable, row

__all__ = ["StageRules"]

STRAIN = Has("hyp_hamstring_strain")
NO_RED_FLAG = NoneOfKind("red_flag")
# The stages in order: when several are proposed the earliest wins (the most protective).
STAGE_ORDER = ("cand_stage_acute_protection", "cand_stage_subacute_loading", "cand_stage_return_to_run_and_sport",
               "cand_stage_ready_for_return_to_sport")
RTS_CORE = [Is("manual_strength_full_painfree", True), Is("full_painfree_rom", True),
            Is("askling_h_test_insecurity", False), Is("sprint_painfree_near_max", True)]


class StageRules(KnowledgeEngine):
    """Stage candidates and the chosen stage."""

    @rule("STG-001", Layer.CLUE, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[Is("gait", "normal"), Is("jog_painfree", True), Is("isometric_submax_painfree", True)],
          then=["clue_phase1_criteria_met"])
    def note_phase1_criteria_met(self):
        """Normal pain-free stride, pain-free slow jog and pain-free submaximal isometrics: phase I done."""

    @rule("STG-002", Layer.CLUE, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[Is("manual_strength_full_painfree", True)], then=["clue_phase2_criteria_met"])
    def note_phase2_criteria_met(self):
        """Full pain-free manual knee-flexion strength: phase II done."""

    @rule("STG-003", Layer.CLUE, cites=("vandyk2019", "heiderscheit2010"), level=E.HEURISTIC,
          when=[AtLeast("strength_lsi_pct", 90)], then=["clue_strength_lsi_90"],
          heuristic="within about 10% of the other side (commonly used, debated)")
    def note_strength_symmetry(self):
        """Dynamometer strength within 10% of the other side (supportive, debated threshold)."""

    @rule("STG-004", Layer.CLUE, cites=("heiderscheit2010", "askling2010", "askling2013"), level=E.EXPERT,
          when=[*RTS_CORE, Unknown("strength_lsi_pct")], then=["clue_return_to_sport_criteria_met"])
    def note_rts_criteria_met_manual(self):
        """Full strength and range, no H-test insecurity, pain-free sprinting: ready to return."""

    @rule("STG-005", Layer.CLUE, cites=("heiderscheit2010", "askling2010", "vandyk2019"), level=E.EXPERT,
          when=[*RTS_CORE, Has("clue_strength_lsi_90")], then=["clue_return_to_sport_criteria_met"])
    def note_rts_criteria_met_dynamometer(self):
        """All return-to-sport criteria, with measured strength within 10%: ready to return."""


# A strain"s stage follows Heiderscheit"s phase criteria (reference e1).
STRAIN_STAGES = RuleTable(
    "Strain stage by phase criteria", Layer.STAGE_CANDIDATE, columns=("criteria met", "criteria not met", "candidate stage"),
    build=lambda met, not_met, candidate: ([STRAIN, *map(Has, met), *map(Lacks, not_met)], [candidate]),
    rows=[
        row("STG-010", "propose_acute_protection_for_strain", (), ("clue_phase1_criteria_met",), "cand_stage_acute_protection",
            cites=("heiderscheit2010", "sapiens2022"), level=E.EXPERT,
            statement="A strain that has not met the phase-I criteria is in the protection stage."),
        row("STG-011", "propose_subacute_loading_for_strain", ("clue_phase1_criteria_met",), ("clue_phase2_criteria_met",), "cand_stage_subacute_loading",
            cites=("heiderscheit2010", "askling2013"), level=E.EXPERT,
            statement="Phase-I criteria met but strength not yet full: progressive loading."),
        row("STG-012", "propose_return_to_running_for_strain", ("clue_phase2_criteria_met",), ("clue_return_to_sport_criteria_met",), "cand_stage_return_to_run_and_sport",
            cites=("heiderscheit2010",), level=E.EXPERT,
            statement="Full strength but not all return-to-sport criteria: running and sport-specific loading."),
        row("STG-013", "propose_ready_for_sport", ("clue_return_to_sport_criteria_met",), (), "cand_stage_ready_for_return_to_sport",
            cites=("heiderscheit2010", "askling2010"), level=E.EXPERT,
            statement="All return-to-sport criteria met."),
    ])
STRAIN_STAGES.install(StageRules)


# Nerve, tendon and joint problems are staged by their irritability (reference e4).
STAGED_BY_IRRITABILITY = RuleTable(
    "Problems staged by irritability", Layer.CLASSIFICATION, columns=("hypothesis",),
    build=lambda hypothesis: ([Has(hypothesis)], ["clue_irritability_staged_problem"]),
    rows=[
        row("STG-020", "stage_tendinopathy_by_irritability", "hyp_proximal_hamstring_tendinopathy",
            cites=("sapiens2022",), level=E.EXPERT,
            statement="The stage of tendinopathy follows its irritability."),
        row("STG-021", "stage_deep_gluteal_syndrome_by_irritability", "hyp_deep_gluteal_syndrome",
            cites=("sapiens2022",), level=E.EXPERT,
            statement="The stage of deep gluteal syndrome follows its irritability."),
        row("STG-022", "stage_scar_by_irritability", "hyp_hamstring_syndrome_scar",
            cites=("sapiens2022",), level=E.EXPERT,
            statement="The stage of scar follows its irritability."),
        row("STG-023", "stage_neural_involvement_by_irritability", "hyp_neural_involvement",
            cites=("sapiens2022",), level=E.EXPERT,
            statement="The stage of neural involvement follows its irritability."),
        row("STG-024", "stage_radiculopathy_by_irritability", "hyp_lumbar_radiculopathy",
            cites=("sapiens2022",), level=E.EXPERT,
            statement="The stage of radiculopathy follows its irritability."),
        row("STG-025", "stage_lumbar_referred_pain_by_irritability", "hyp_lumbar_referred_somatic",
            cites=("sapiens2022",), level=E.EXPERT,
            statement="The stage of lumbar referred pain follows its irritability."),
        row("STG-026", "stage_sij_pain_by_irritability", "hyp_sij_pain",
            cites=("sapiens2022",), level=E.EXPERT,
            statement="The stage of sij pain follows its irritability."),
        row("STG-027", "stage_ischiofemoral_impingement_by_irritability", "hyp_ischiofemoral_impingement",
            cites=("sapiens2022",), level=E.EXPERT,
            statement="The stage of ischiofemoral impingement follows its irritability."),
        row("STG-028", "stage_nerve_irritation_by_irritability", "hyp_sciatic_nerve_irritation",
            cites=("sapiens2022",), level=E.EXPERT,
            statement="The stage of general sciatic nerve irritation follows its irritability."),
    ])
STAGED_BY_IRRITABILITY.install(StageRules)


# High irritability protects, moderate loads, low returns to activity (reference e4).
IRRITABILITY_STAGES = RuleTable(
    "Irritability -> stage", Layer.STAGE_CANDIDATE, columns=("irritability", "candidate stage"),
    build=lambda irritability, candidate: ([Has("clue_irritability_staged_problem"), Has(irritability)], [candidate]),
    rows=[
        row("STG-030", "propose_stage_for_high_irritability", "irritability_high", "cand_stage_acute_protection",
            cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
            statement="A nerve, tendon or joint problem with high irritability is in the protection stage."),
        row("STG-031", "propose_stage_for_moderate_irritability", "irritability_moderate", "cand_stage_subacute_loading",
            cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
            statement="A nerve, tendon or joint problem with moderate irritability is in the loading stage."),
        row("STG-032", "propose_stage_for_low_irritability", "irritability_low", "cand_stage_return_to_run_and_sport",
            cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
            statement="A nerve, tendon or joint problem with low irritability is in the return to activity stage."),
    ])
IRRITABILITY_STAGES.install(StageRules)


# Exactly one stage: the earliest proposed one, in this order (reference e8).
STAGE_CHOICE = RuleTable(
    "Stage choice (the earliest candidate wins)", Layer.STAGE, columns=("candidate stage", "stage"),
    build=lambda candidate, stage: ([NO_RED_FLAG, Has(candidate), *map(Lacks, STAGE_ORDER[:STAGE_ORDER.index(candidate)])], [stage]),
    rows=[
        row("STG-040", "choose_stage_acute_protection", "cand_stage_acute_protection", "stage_acute_protection",
            cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
            statement="Exactly one stage: acute protection unless an earlier stage is proposed."),
        row("STG-041", "choose_stage_subacute_loading", "cand_stage_subacute_loading", "stage_subacute_loading",
            cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
            statement="Exactly one stage: subacute loading unless an earlier stage is proposed."),
        row("STG-042", "choose_stage_return_to_run_and_sport", "cand_stage_return_to_run_and_sport", "stage_return_to_run_and_sport",
            cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
            statement="Exactly one stage: return to run and sport unless an earlier stage is proposed."),
        row("STG-043", "choose_stage_ready_for_return_to_sport", "cand_stage_ready_for_return_to_sport", "stage_ready_for_return_to_sport",
            cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
            statement="Exactly one stage: ready for return to sport unless an earlier stage is proposed."),
    ])
STAGE_CHOICE.install(StageRules)
