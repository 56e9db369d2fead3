"""Knowledge that is a table, declared as a table: each row becomes a rule with its own id, method
name, citations and clinical statement; the columns say what a row means.

    REFERRALS = RuleTable(
        "Red flag -> referral", Layer.REFERRAL, columns=("red flag", "then"),
        build=lambda red_flag, actions: ([Has(red_flag)], actions),
        rows=[row("RF-030", "refer_cauda_equina_same_day", "rf_cauda_equina",
                  ("ref_emergency_same_day", "prec_withhold_loading_program"),
                  cites=("bmj_ces",), level=EvidenceLevel.GUIDELINE,
                  statement="Possible cauda equina syndrome goes to hospital the same day.")])
    REFERRALS.install(RedFlagRules)

A row is checked as a rule is (RuleDefinitionError naming the row, the field and the file:line), and
`ptkb rules --format md` shows every table as a table.

>>> from kb.conditions import Has
>>> t = RuleTable("demo", Layer.REFERRAL, ("flag", "then"), lambda flag, then: ([Has(flag)], then),
...               [row("X-001", "refer_x", "rf_dvt", ("ref_urgent_medical",), cites=("dvt_general",),
...                    level=EvidenceLevel.EXPERT, statement="A DVT is referred.")])
>>> [(m.id, [c.text() for c in m.when], m.then) for m in t.metas("red_flags")]
[('X-001', ['rf_dvt'], ('ref_urgent_medical',))]
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kb.conditions import Condition, Layer, RuleEntry, RuleMeta
from kb.evidence import EvidenceLevel

__all__ = ["RuleTable", "Row", "row"]


@dataclass(frozen=True)
class Row:
    """One row: the table's cells, and the rule's own entry (its id, method name, evidence and
    statement); the table says what the cells mean."""

    cells: tuple
    entry: RuleEntry

    @property
    def id(self) -> str:
        return self.entry.id


def row(rule_id: str, method: str, *cells, cites: tuple[str, ...], level: EvidenceLevel, statement: str,
        heuristic: str = "", reference: str = "") -> Row:
    """A table row (its file:line is recorded for lint and for definition errors)."""
    caller = sys._getframe(1)
    return Row(tuple(cells), RuleEntry(rule_id, method, cites, level, statement, heuristic, reference,
                                       f"{caller.f_code.co_filename}:{caller.f_lineno}"))


@dataclass(frozen=True)
class RuleTable:
    """A table whose rows become rules: `build(*cells)` gives a row's (when, then)."""

    name: str
    layer: Layer
    columns: tuple[str, ...]
    build: Callable[..., tuple[Sequence[Condition], Sequence[str]]] = field(compare=False)
    rows: tuple[Row, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "rows", tuple(self.rows))
        from kb.errors import RuleDefinitionError
        for r in self.rows:
            if len(r.cells) != len(self.columns):
                raise RuleDefinitionError(f"{r.entry.location}: rule {r.id}: table {self.name!r} has "
                                          f"{len(self.columns)} columns ({', '.join(self.columns)}), "
                                          f"the row gives {len(r.cells)}")

    def with_rows(self, rows) -> RuleTable:
        """The same table with these rows (the rows of a rule file, `kb.rulebook.install_rules`)."""
        from dataclasses import replace
        return replace(self, rows=tuple(rows))

    def metas(self, area: str) -> list[RuleMeta]:
        """The rules of the rows, as the @rule decorator would describe them."""
        from kb.rulebook import _check_definition, _meta
        out = []
        for r in self.rows:
            when, then = self.build(*r.cells)
            _check_definition(r.entry, self.layer, when, then)
            out.append(_meta(r.entry, area, self.layer, tuple(when), tuple(then), table=self.name))
        return out

    def install(self, engine_class: type) -> None:
        """Add the rows' rules to a knowledge-engine class (its module names the area)."""
        from kb.rulebook import _add, compile_rule
        area = engine_class.__module__.rsplit(".", 1)[-1]
        for meta in self.metas(area):
            _add(engine_class, meta, compile_rule(meta))
        engine_class.ptkb_tables = (*getattr(engine_class, "ptkb_tables", ()), self)
