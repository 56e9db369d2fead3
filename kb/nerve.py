"""Sciatic nerve outside the spine: deep gluteal syndrome, scar after an old hamstring injury,
neural involvement beside a hamstring problem (the mixed case), and the article's general nerve
"irritation" when no compression source, scar or lumbar cause is found.

Reference a3, b4 and e7: lumbar causes are excluded first (explicitly, not by omission); a nerve is
implicated when neural differentiation changes the reproduced symptoms.

Its rules are data, in `kb/rules/nerve.yaml`; this module declares the area.
"""
from kb.rulebook import KnowledgeEngine, install_rules

__all__ = ["NerveRules"]


class NerveRules(KnowledgeEngine):
    """Deep gluteal syndrome, post-injury scar, neural involvement."""


install_rules(NerveRules)
