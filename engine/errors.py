"""ptkb's exceptions: one root, a small tree.

    PtkbError
    +-- CaseError (ValueError)       a case file or mapping is invalid; carries every Problem found
    +-- UsageError (ValueError)      a request names something that does not exist (id, option)
    +-- RenderError (RuntimeError)   a drawing cannot be produced (e.g. Graphviz `dot` missing)
    +-- FileError (OSError)          a file cannot be read or written; the message names the path
    +-- RuleDefinitionError (TypeError)  a rule declared with missing or wrong metadata (kb.errors)
    +-- EngineVersionError (RuntimeError)  the installed experta is not the supported one (engine.seam)

Every message says what was expected, what arrived, and where.
"""
from __future__ import annotations

from dataclasses import dataclass

from kb.errors import PtkbError, RuleDefinitionError  # the root lives beside the rules (kb imports no engine)

__all__ = ["PtkbError", "CaseError", "UsageError", "RenderError", "FileError", "RuleDefinitionError", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a case: where (file, key path, line) and what."""

    source: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        from engine.textsafe import printable  # a key path or value may hold control characters
        where = self.source + (f":{self.line}" if self.line else "")
        return printable(f"{where}: {self.path + ': ' if self.path else ''}{self.message}").replace("\n", "\\n")


class CaseError(PtkbError, ValueError):
    """A case is invalid; `problems` lists all that was found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(PtkbError, ValueError):
    """A request names an id, file or option that does not exist."""


class RenderError(PtkbError, RuntimeError):
    """A drawing could not be produced."""


class FileError(PtkbError, OSError):
    """A file could not be read or written; the message names the path and the reason."""
