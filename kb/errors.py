"""The root of ptkb's errors and the error a rule definition raises; `engine.errors` holds the rest of
the tree (kb may not import engine, so the root lives here)."""
from __future__ import annotations

import difflib

__all__ = ["PtkbError", "RuleDefinitionError", "suggest"]


def suggest(word, choices) -> str:
    """" (did you mean X?)" for the closest id, or "".

    >>> suggest("levl", ("layer", "level"))
    ' (did you mean level?)'
    """
    close = difflib.get_close_matches(str(word)[:200], list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


class PtkbError(Exception):
    """Root of every error ptkb raises on purpose."""


class RuleDefinitionError(PtkbError, TypeError):
    """A rule was declared with missing or wrong metadata; the message names the rule and the field."""
