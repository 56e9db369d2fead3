"""Stage of rehabilitation: one stage per case, the most protective proposal wins.

Reference e1, e4 and e8: hamstring strains progress on Heiderscheit's phase criteria and the
return-to-sport conjunction; nerve, tendon and joint problems are staged by irritability. Candidates
are proposed first, then exactly one stage is chosen (the earliest), as the sketch asks. Under a red
flag no stage is chosen: the plan is the referral (reference e0).

Its rules are data, in `kb/rules/stage.yaml`; this module declares the area and the columns of its tables.
"""
from kb.conditions import Has, Lacks, Layer, NoneOfKind
from kb.rulebook import KnowledgeEngine, install_rules
from kb.tables import RuleTable

__all__ = ["StageRules"]

STRAIN = Has("hyp_hamstring_strain")

NO_RED_FLAG = NoneOfKind("red_flag")


# The stages in order: when several are proposed the earliest wins (the most protective).
STAGE_ORDER = ("cand_stage_acute_protection", "cand_stage_subacute_loading", "cand_stage_return_to_run_and_sport",
               "cand_stage_ready_for_return_to_sport")


class StageRules(KnowledgeEngine):
    """Stage candidates and the chosen stage."""


# A strain"s stage follows Heiderscheit"s phase criteria (reference e1).
STRAIN_STAGES = RuleTable(
    "Strain stage by phase criteria", Layer.STAGE_CANDIDATE, columns=("criteria met", "criteria not met", "candidate stage"),
    build=lambda met, not_met, candidate: ([STRAIN, *map(Has, met), *map(Lacks, not_met)], [candidate]))


# Nerve, tendon and joint problems are staged by their irritability (reference e4).
STAGED_BY_IRRITABILITY = RuleTable(
    "Problems staged by irritability", Layer.CLASSIFICATION, columns=("hypothesis",),
    build=lambda hypothesis: ([Has(hypothesis)], ["clue_irritability_staged_problem"]))


# High irritability protects, moderate loads, low returns to activity (reference e4).
IRRITABILITY_STAGES = RuleTable(
    "Irritability -> stage", Layer.STAGE_CANDIDATE, columns=("irritability", "candidate stage"),
    build=lambda irritability, candidate: ([Has("clue_irritability_staged_problem"), Has(irritability)], [candidate]))


# Exactly one stage: the earliest proposed one, in this order (reference e8).
STAGE_CHOICE = RuleTable(
    "Stage choice (the earliest candidate wins)", Layer.STAGE, columns=("candidate stage", "stage"),
    build=lambda candidate, stage: ([NO_RED_FLAG, Has(candidate), *map(Lacks, STAGE_ORDER[:STAGE_ORDER.index(candidate)])], [stage]))


install_rules(StageRules, STRAIN_STAGES, STAGED_BY_IRRITABILITY, IRRITABILITY_STAGES, STAGE_CHOICE)
