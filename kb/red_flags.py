"""Red flags: findings that stop the loading plan and send the patient to a doctor.

Reference a7 and e0: any red flag gives its referral and withholds the loading programme; a single
new cauda-equina sign is enough. The screen asks every question it still needs -- cauda equina,
progression, DVT, vascular and systemic -- one rule per unanswered question, so the plan lists them.

Its rules are data, in `kb/rules/red_flags.yaml`; this module declares the area and the columns of its tables.
"""
from kb.conditions import Has, Layer, NoneOfKind, Unknown
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, install_rules, rule
from kb.tables import RuleTable
from kb.vocabulary import RED_FLAG_SCREEN

__all__ = ["RedFlagRules", "RF_SCREEN"]

# (finding, rule id, what the question screens for); test_red_flag_screen: "ask CES, DVT, vascular,
# systemic questions" (reference f2, a7)
RF_SCREEN = tuple((finding, f"RF-{40 + i:03d}", question) for i, (finding, question) in enumerate(RED_FLAG_SCREEN))


def _ask(finding: str, rule_id: str, screens_for: str):
    """A red-flag question not yet answered: the screen asks it -- unless a red flag is already
    concluded, when the plan is the referral (reference e0: refer first)."""
    def ask(self):
        pass
    ask.__name__ = f"ask_red_flag_question_{finding}"
    ask.__doc__ = f"Red-flag screen: ask about {screens_for} ({finding.replace('_', ' ')} not recorded)."
    ask.__module__ = __name__
    return rule(rule_id, Layer.TESTS, cites=("bmj_ces", "sapiens2022"), level=E.GUIDELINE,
                when=[Unknown(finding), NoneOfKind("red_flag")], then=["test_red_flag_screen"])(ask)


class RedFlagRules(KnowledgeEngine):
    """Red-flag screen, red flags and their referrals."""

    ask_red_flag_question_bladder_or_bowel_change = _ask(*RF_SCREEN[0])
    ask_red_flag_question_saddle_numbness = _ask(*RF_SCREEN[1])
    ask_red_flag_question_bilateral_leg_neuro_symptoms = _ask(*RF_SCREEN[2])
    ask_red_flag_question_progressive_weakness = _ask(*RF_SCREEN[3])
    ask_red_flag_question_systemic_signs = _ask(*RF_SCREEN[4])
    ask_red_flag_question_calf_or_thigh_swelling_warmth = _ask(*RF_SCREEN[5])
    ask_red_flag_question_claudication_relieved_by_standing = _ask(*RF_SCREEN[6])


# What each red flag sets in motion: the referral, and no loading programme meanwhile (reference e0).
REFERRALS = RuleTable(
    "Red flag -> referral", Layer.REFERRAL, columns=("red flag", "referral and precautions"),
    build=lambda red_flag, actions: ([Has(red_flag)], list(actions)))


install_rules(RedFlagRules, REFERRALS)
