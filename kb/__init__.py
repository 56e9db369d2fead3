"""ptkb's knowledge base: one experta engine per clinical area, composed by inheritance.

The plain-data modules (`kb.vocabulary`, `kb.evidence`, `kb.conditions`) import without experta;
the engines load on first use of `PosteriorThighKB` or `AREAS`.

>>> from kb import PosteriorThighKB, AREAS
>>> len(AREAS)
13
"""
__all__ = ["PosteriorThighKB", "AREAS"]


def _compose():
    from kb.consistency import ConsistencyRules
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

    areas = (RedFlagRules, ExaminationRules, HamstringRules, TendinopathyRules, NerveRules, LumbarRules,
             SacroiliacRules, IschiofemoralRules, IrritabilityRules, StageRules, TreatmentRules,
             ScreeningRules, ConsistencyRules)

    class PosteriorThighKB(*areas):
        """The whole knowledge base: every area's rules in one engine."""

    PosteriorThighKB.__module__ = __name__
    PosteriorThighKB.__qualname__ = "PosteriorThighKB"  # picklable by name, for worker processes
    return {"AREAS": areas, "PosteriorThighKB": PosteriorThighKB}


_LOADED: dict = {}


def __getattr__(name):
    if name in __all__:
        if not _LOADED:
            _LOADED.update(_compose())
        return _LOADED[name]
    raise AttributeError(f"module 'kb' has no attribute {name!r}")
