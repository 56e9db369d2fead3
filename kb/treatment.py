"""Management: activity modification, exercise, precautions and referrals, by hypothesis.

Reference c3, e1-e7. Every rule here is guarded by "no red flag" (reference e0: a red flag suppresses
the loading plan). The grade-driven principles belong to the protection stage: later stages follow
the stage's own principles (staged progression by severity and stage of healing, the article). In a mixed case both plans apply and the more restrictive precaution wins: that is
why tensioners also require that no strain, no tendinopathy and no protection stage is present.

Its rules are data, in `kb/rules/treatment.yaml`; this module declares the area.
"""
from kb.rulebook import KnowledgeEngine, install_rules

__all__ = ["TreatmentRules"]


class TreatmentRules(KnowledgeEngine):
    """Treatment principles, precautions and referrals."""


install_rules(TreatmentRules)
