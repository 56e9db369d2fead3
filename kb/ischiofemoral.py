"""Ischiofemoral impingement: deep buttock pain lateral to the ischium with long strides.

Reference a6, b8: the long-stride walking test (Sn about 0.94, Sp about 0.85); the IFI test is less
accurate and only strengthens the picture.
"""
from kb.conditions import Is, Layer, NoneOfKind, Unknown
from kb.evidence import EvidenceLevel as E
from kb.rulebook import KnowledgeEngine, rule

__all__ = ["IschiofemoralRules"]

IFI_SITE = Is("primary_pain_site", "deep_buttock_lateral_to_ischium")


class IschiofemoralRules(KnowledgeEngine):
    """Ischiofemoral impingement."""

    @rule("IFI-001", Layer.HYPOTHESIS, cites=("gomezhoyos2016",), level=E.DIAGNOSTIC,
          when=[IFI_SITE, Is("long_stride_walking_positive", True)], then=["hyp_ischiofemoral_impingement"])
    def suspect_ischiofemoral_impingement(self):
        """Deep buttock pain lateral to the ischium, provoked by long strides, suggests IFI."""

    @rule("IFI-002", Layer.TESTS, cites=("gomezhoyos2016",), level=E.DIAGNOSTIC,
          when=[IFI_SITE, Unknown("long_stride_walking_positive"), NoneOfKind("red_flag")],
          then=["test_long_stride_walking"])
    def ask_for_long_stride_walking(self):
        """Deep buttock pain lateral to the ischium calls for the long-stride walking test."""
