"""Table-shaped knowledge as tables: rows become rules with their own ids and evidence, a bad row is
a definition error naming the row, the field and its line, and the catalogue shows each table."""
import pytest

from engine.rule_catalogue import rule_by_id, tables
from kb.conditions import Has, Layer
from kb.errors import RuleDefinitionError
from kb.evidence import EvidenceLevel
from kb.tables import RuleTable, row
from tests.helpers import ROOT

# The ids the table-shaped areas had as single rules: they must stay (scenarios name them).
TABLE_IDS = {"RF-030", "RF-031", "RF-032", "RF-033", "RF-034", "RF-035", "SIJ-001", "SIJ-002", "SIJ-003",
             *(f"IRR-00{i}" for i in range(1, 8)), "GRD-001", "GRD-002", "GRD-003", "TIS-001", "TIS-003",
             "TIS-005", "PRG-004", *(f"STG-0{i}" for i in (10, 11, 12, 13, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                                                            30, 31, 32, 40, 41, 42, 43))}


def test_the_table_shaped_areas_are_tables_with_stable_ids():
    rows = {r.id: (area, t) for area, t in tables() for r in t.rows}
    assert set(rows) == TABLE_IDS
    rules = rule_by_id()
    for rule_id, (area, table) in rows.items():
        meta = rules[rule_id]
        assert meta.table == table.name and meta.area == area and meta.layer is table.layer
        assert meta.location.endswith(tuple(f":{n}" for n in range(1, 10_000)))
    names = {t.name for _, t in tables()}
    assert {"Red flag -> referral", "Stage choice (the earliest candidate wins)", "BAMIC grade -> strain grade",
            "Irritability markers", "Sacroiliac provocation cluster (Laslett)"} <= names


def test_the_stage_choice_table_encodes_the_priority_order():
    rules = rule_by_id()
    lacks = [[c.conclusion for c in rules[f"STG-04{i}"].when if type(c).__name__ == "Lacks"] for i in range(4)]
    assert [len(x) for x in lacks] == [0, 1, 2, 3]
    assert lacks[3] == ["cand_stage_acute_protection", "cand_stage_subacute_loading",
                        "cand_stage_return_to_run_and_sport"]


def _table(*rows):
    return RuleTable("demo", Layer.REFERRAL, ("flag", "then"), lambda flag, then: ([Has(flag)], then), list(rows))


def test_a_row_with_the_wrong_cells_names_itself_and_its_line():
    with pytest.raises(RuleDefinitionError) as caught:
        _table(row("X-001", "refer_x", "rf_dvt", cites=("dvt_general",), level=EvidenceLevel.EXPERT,
                   statement="x"))
    assert "test_tables.py:" in str(caught.value) and "X-001" in str(caught.value) and "2 columns" in str(caught.value)


def test_a_row_without_citations_is_a_definition_error_not_a_traceback():
    table = _table(row("X-002", "refer_y", "rf_dvt", ("ref_urgent_medical",), cites=(), level=EvidenceLevel.EXPERT,
                       statement="y"))
    with pytest.raises(RuleDefinitionError) as caught:
        table.metas("red_flags")
    assert "X-002" in str(caught.value) and "cites=" in str(caught.value)


def test_the_catalogue_shows_every_table():
    text = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    for _, table in tables():
        assert f"### Table: {table.name}" in text
        for r in table.rows:
            assert f"| [{r.id}](#" in text
