"""ptkb's knowledge base: one experta engine per clinical area, composed by inheritance.

>>> from kb import PosteriorThighKB, AREAS
>>> len(AREAS)
12
"""
from kb.examination import ExaminationRules
from kb.hamstring import HamstringRules
from kb.irritability import IrritabilityRules
from kb.ischiofemoral import IschiofemoralRules
from kb.lumbar import LumbarRules
from kb.nerve import NerveRules
from kb.red_flags import RedFlagRules
from kb.sacroiliac import SacroiliacRules
from kb.screening import ScreeningRules
from kb.stage import StageRules
from kb.tendinopathy import TendinopathyRules
from kb.treatment import TreatmentRules

__all__ = ["PosteriorThighKB", "AREAS"]

AREAS = (RedFlagRules, ExaminationRules, HamstringRules, TendinopathyRules, NerveRules, LumbarRules,
         SacroiliacRules, IschiofemoralRules, IrritabilityRules, StageRules, TreatmentRules,
         ScreeningRules)


class PosteriorThighKB(*AREAS):
    """The whole knowledge base: every area's rules in one engine."""
