"""Small knowledge bases with planted defects, for the runner's and lint's own tests."""
from experta import KnowledgeEngine

from kb.conditions import Is, Lacks, Layer
from kb.evidence import EvidenceLevel as E
from kb.rulebook import rule


class OrderDependentKB(KnowledgeEngine):
    """OD-002 negates what OD-001 concludes in the same layer: the answer depends on firing order."""

    @rule("OD-001", Layer.HYPOTHESIS, cites=("sapiens2022",), level=E.EXPERT,
          when=[Is("gait", "normal")], then=["grade_1"])
    def planted_first(self):
        """Planted rule A."""

    @rule("OD-002", Layer.HYPOTHESIS, cites=("sapiens2022",), level=E.EXPERT,
          when=[Is("gait", "normal"), Lacks("grade_1")], then=["grade_2"])
    def planted_second(self):
        """Planted rule B, order-dependent on rule A."""


class OrderSafeKB(KnowledgeEngine):
    """The same two rules with the NOT looking back to an earlier layer: order-independent."""

    @rule("OS-001", Layer.CLUE, cites=("sapiens2022",), level=E.EXPERT,
          when=[Is("gait", "normal")], then=["grade_1"])
    def safe_first(self):
        """Safe rule A."""

    @rule("OS-002", Layer.HYPOTHESIS, cites=("sapiens2022",), level=E.EXPERT,
          when=[Is("gait", "normal"), Lacks("grade_1")], then=["grade_2"])
    def safe_second(self):
        """Safe rule B."""
