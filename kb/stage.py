"""Stage of rehabilitation: one stage per case, the most protective proposal wins.

Reference e1, e4 and e8: hamstring strains progress on Heiderscheit's phase criteria and the
return-to-sport conjunction; nerve, tendon and joint problems are staged by irritability. Candidates
are proposed first, then exactly one stage is chosen (the earliest), as the sketch asks. Under a red
flag no stage is chosen: the plan is the referral (reference e0).
"""
from kb.conditions import AtLeast, Has, Is, Lacks, Layer, NoneOfKind, Unknown
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

__all__ = ["StageRules"]

STRAIN = Has("hyp_hamstring_strain")
NO_RED_FLAG = NoneOfKind("red_flag")
STAGED_BY_IRRITABILITY = ("hyp_proximal_hamstring_tendinopathy", "hyp_deep_gluteal_syndrome",
                          "hyp_hamstring_syndrome_scar", "hyp_neural_involvement",
                          "hyp_lumbar_radiculopathy", "hyp_lumbar_referred_somatic", "hyp_sij_pain",
                          "hyp_ischiofemoral_impingement", "hyp_sciatic_nerve_irritation")
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

    @rule("STG-010", Layer.STAGE_CANDIDATE, cites=("heiderscheit2010", "sapiens2022"), level=E.EXPERT,
          when=[STRAIN, Lacks("clue_phase1_criteria_met")], then=["cand_stage_acute_protection"])
    def propose_acute_protection_for_strain(self):
        """A strain that has not met the phase-I criteria is in the protection stage."""

    @rule("STG-011", Layer.STAGE_CANDIDATE, cites=("heiderscheit2010", "askling2013"), level=E.EXPERT,
          when=[STRAIN, Has("clue_phase1_criteria_met"), Lacks("clue_phase2_criteria_met")],
          then=["cand_stage_subacute_loading"])
    def propose_subacute_loading_for_strain(self):
        """Phase-I criteria met but strength not yet full: progressive loading."""

    @rule("STG-012", Layer.STAGE_CANDIDATE, cites=("heiderscheit2010",), level=E.EXPERT,
          when=[STRAIN, Has("clue_phase2_criteria_met"), Lacks("clue_return_to_sport_criteria_met")],
          then=["cand_stage_return_to_run_and_sport"])
    def propose_return_to_running_for_strain(self):
        """Full strength but not all return-to-sport criteria: running and sport-specific loading."""

    @rule("STG-013", Layer.STAGE_CANDIDATE, cites=("heiderscheit2010", "askling2010"), level=E.EXPERT,
          when=[STRAIN, Has("clue_return_to_sport_criteria_met")], then=["cand_stage_ready_for_return_to_sport"])
    def propose_ready_for_sport(self):
        """All return-to-sport criteria met."""

    @rule("STG-020", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_proximal_hamstring_tendinopathy")], then=["clue_irritability_staged_problem"])
    def stage_tendinopathy_by_irritability(self):
        """The stage of tendinopathy follows its irritability."""

    @rule("STG-021", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_deep_gluteal_syndrome")], then=["clue_irritability_staged_problem"])
    def stage_deep_gluteal_syndrome_by_irritability(self):
        """The stage of deep gluteal syndrome follows its irritability."""

    @rule("STG-022", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_hamstring_syndrome_scar")], then=["clue_irritability_staged_problem"])
    def stage_scar_by_irritability(self):
        """The stage of scar follows its irritability."""

    @rule("STG-023", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_neural_involvement")], then=["clue_irritability_staged_problem"])
    def stage_neural_involvement_by_irritability(self):
        """The stage of neural involvement follows its irritability."""

    @rule("STG-024", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_lumbar_radiculopathy")], then=["clue_irritability_staged_problem"])
    def stage_radiculopathy_by_irritability(self):
        """The stage of radiculopathy follows its irritability."""

    @rule("STG-025", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_lumbar_referred_somatic")], then=["clue_irritability_staged_problem"])
    def stage_lumbar_referred_pain_by_irritability(self):
        """The stage of lumbar referred pain follows its irritability."""

    @rule("STG-026", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_sij_pain")], then=["clue_irritability_staged_problem"])
    def stage_sij_pain_by_irritability(self):
        """The stage of sij pain follows its irritability."""

    @rule("STG-027", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_ischiofemoral_impingement")], then=["clue_irritability_staged_problem"])
    def stage_ischiofemoral_impingement_by_irritability(self):
        """The stage of ischiofemoral impingement follows its irritability."""

    @rule("STG-028", Layer.CLASSIFICATION, cites=("sapiens2022",), level=E.EXPERT,
          when=[Has("hyp_sciatic_nerve_irritation")], then=["clue_irritability_staged_problem"])
    def stage_nerve_irritation_by_irritability(self):
        """The stage of general sciatic nerve irritation follows its irritability."""

    @rule("STG-030", Layer.STAGE_CANDIDATE, cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
          when=[Has("clue_irritability_staged_problem"), Has("irritability_high")], then=["cand_stage_acute_protection"])
    def propose_stage_for_high_irritability(self):
        """A nerve, tendon or joint problem with high irritability is in the protection stage."""

    @rule("STG-031", Layer.STAGE_CANDIDATE, cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
          when=[Has("clue_irritability_staged_problem"), Has("irritability_moderate")], then=["cand_stage_subacute_loading"])
    def propose_stage_for_moderate_irritability(self):
        """A nerve, tendon or joint problem with moderate irritability is in the loading stage."""

    @rule("STG-032", Layer.STAGE_CANDIDATE, cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
          when=[Has("clue_irritability_staged_problem"), Has("irritability_low")], then=["cand_stage_return_to_run_and_sport"])
    def propose_stage_for_low_irritability(self):
        """A nerve, tendon or joint problem with low irritability is in the return to activity stage."""

    @rule("STG-040", Layer.STAGE, cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
          when=[NO_RED_FLAG, Has("cand_stage_acute_protection")], then=["stage_acute_protection"])
    def choose_stage_acute_protection(self):
        """Exactly one stage: acute protection unless an earlier stage is proposed."""

    @rule("STG-041", Layer.STAGE, cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
          when=[NO_RED_FLAG, Has("cand_stage_subacute_loading"), Lacks("cand_stage_acute_protection")], then=["stage_subacute_loading"])
    def choose_stage_subacute_loading(self):
        """Exactly one stage: subacute loading unless an earlier stage is proposed."""

    @rule("STG-042", Layer.STAGE, cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
          when=[NO_RED_FLAG, Has("cand_stage_return_to_run_and_sport"), Lacks("cand_stage_acute_protection"), Lacks("cand_stage_subacute_loading")], then=["stage_return_to_run_and_sport"])
    def choose_stage_return_to_run_and_sport(self):
        """Exactly one stage: return to run and sport unless an earlier stage is proposed."""

    @rule("STG-043", Layer.STAGE, cites=("sapiens2022", "petersen2021"), level=E.EXPERT,
          when=[NO_RED_FLAG, Has("cand_stage_ready_for_return_to_sport"), Lacks("cand_stage_acute_protection"), Lacks("cand_stage_subacute_loading"), Lacks("cand_stage_return_to_run_and_sport")], then=["stage_ready_for_return_to_sport"])
    def choose_stage_ready_for_return_to_sport(self):
        """Exactly one stage: ready for return to sport unless an earlier stage is proposed."""
