"""The root of ptkb's errors and the error a rule definition raises; `engine.errors` holds the rest of
the tree (kb may not import engine, so the root lives here)."""
from __future__ import annotations

__all__ = ["PtkbError", "RuleDefinitionError"]


class PtkbError(Exception):
    """Root of every error ptkb raises on purpose."""


class RuleDefinitionError(PtkbError, TypeError):
    """A rule was declared with missing or wrong metadata; the message names the rule and the field."""
