"""The plain, frozen records a consultation returns; nothing from experta leaves `engine/`.

>>> Premise("finding", "gait", "normal").text()
'gait = normal'
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, fields
from enum import StrEnum

from kb.conditions import finding_text

__all__ = ["FactKind", "Premise", "Absence", "Firing", "Conclusion", "Consultation", "Evaluation"]


class FactKind(StrEnum):
    """What a premise matched or an absence was about."""

    FINDING = "finding"        # an input finding (absent: not examined)
    CONCLUSION = "conclusion"  # an earlier conclusion
    KIND = "kind"              # any conclusion of a kind (absences only: "no red_flag concluded")


@dataclass(frozen=True)
class Premise:
    """A fact a firing matched: an input finding (with its value) or an earlier conclusion."""

    kind: FactKind
    id: str
    value: object = None

    def __post_init__(self):
        object.__setattr__(self, "kind", FactKind(self.kind))

    def text(self) -> str:
        return self.id if self.kind is FactKind.CONCLUSION else finding_text(self.id, self.value)


@dataclass(frozen=True)
class Absence:
    """A NOT condition a firing relied on: nothing matched it when the rule fired."""

    kind: FactKind
    id: str

    def __post_init__(self):
        object.__setattr__(self, "kind", FactKind(self.kind))

    def text(self) -> str:
        if self.kind is FactKind.FINDING:
            return f"{self.id} not examined"
        return f"no {self.id}" + (" concluded" if self.kind is FactKind.KIND else "")


@dataclass(frozen=True)
class Firing:
    """One rule firing, in order."""

    order: int
    rule_id: str
    premises: tuple[Premise, ...]
    absences: tuple[Absence, ...]
    bindings: tuple[tuple[str, str], ...]
    declared: tuple[str, ...]
    new: tuple[str, ...]  # the declared conclusions that were not already present


@dataclass(frozen=True)
class Conclusion:
    """A conclusion with the rule that first reached it, its citations and a case-specific reason;
    `reasons` holds (rule id, citations, reason) for every rule that concluded it, first one first."""

    id: str
    kind: str
    label: str
    rule_id: str
    rule_ids: tuple[str, ...]
    citations: tuple[str, ...]
    because: str
    reasons: tuple[tuple[str, tuple[str, ...], str], ...] = ()


_ATOMS = (str, int, float, type(None))  # bool is an int, FactKind a str
_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value):
    """What `dataclasses.asdict` makes of a record, a few times faster: records become dicts, tuples
    stay tuples, atoms are shared, anything else is deep-copied (tests/test_engine.py compares)."""
    if isinstance(value, _ATOMS):
        return value
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    names = _FIELDS.get(type(value))
    if names is None and hasattr(type(value), "__dataclass_fields__"):
        names = _FIELDS[type(value)] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    return copy.deepcopy(value)


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Consultation:
    """The result of one consultation: findings, conclusions in clinical order, and the trace."""

    case_id: str
    title: str
    findings: tuple[tuple[str, object], ...]
    conclusions: tuple[Conclusion, ...]
    firings: tuple[Firing, ...]

    def ids(self) -> set[str]:
        return {c.id for c in self.conclusions}

    def get(self, conclusion_id: str) -> Conclusion | None:
        return next((c for c in self.conclusions if c.id == conclusion_id), None)

    def fired_rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.rule_id for f in self.firings))

    def to_dict(self) -> dict:
        return _plain(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> Consultation:
        """Rebuild from `to_dict()` output (a JSON round trip gives an equal object)."""
        firings = tuple(Firing(
            order=f["order"], rule_id=f["rule_id"],
            premises=tuple(Premise(**p) for p in f["premises"]),
            absences=tuple(Absence(**a) for a in f["absences"]),
            bindings=_tuples(f["bindings"]), declared=tuple(f["declared"]), new=tuple(f["new"]))
            for f in data["firings"])
        conclusions = tuple(Conclusion(**{**c, "rule_ids": tuple(c["rule_ids"]),
                                          "citations": tuple(c["citations"]),
                                          "reasons": _tuples(c.get("reasons", []))}) for c in data["conclusions"])
        return cls(case_id=data["case_id"], title=data["title"], findings=_tuples(data["findings"]),
                   conclusions=conclusions, firings=firings)

    @classmethod
    def from_json(cls, text: str) -> Consultation:
        return cls.from_dict(json.loads(text))


class Evaluation:
    """Conclusions and fired rules without a trace: what the compiled evaluator returns, and the engine
    for bulk comparisons (`engine.runner.outcome_with`); shaped like the part of a `Consultation` that
    checks read."""

    __slots__ = ("_ids", "_fired")

    def __init__(self, ids: frozenset, fired: tuple):
        self._ids, self._fired = ids, fired

    def ids(self) -> set:
        return set(self._ids)

    def fired_rules(self) -> tuple[str, ...]:
        return self._fired

    def __iter__(self):
        return iter((self._ids, self._fired))
