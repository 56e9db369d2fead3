"""The knowledge as data: rule files and the vocabulary are read back exactly, a wrong entry is an error
naming the file, line, rule and field, and the parsed data is cached safely."""
import os
import sys

import pytest

from kb import AREAS
from kb.conditions import Condition, Has, Is, Layer, condition_from_data
from kb.datafile import load_data, path_of
from kb.errors import RuleDefinitionError
from kb.rulebook import KnowledgeEngine, install_rules, rules_of
from kb.tables import RuleTable

GOOD = """rules:
- id: X-001
  name: flag_dvt_for_the_test
  layer: red_flag
  cites: [dvt_general]
  level: expert
  when:
  - is: {calf_or_thigh_swelling_warmth: true}
  - at_least: {age_years: 50}
  then: [rf_dvt]
  statement: A test rule.
tables:
  "demo table":
  - id: X-002
    name: refer_dvt_for_the_test
    cells: [rf_dvt, [ref_urgent_medical]]
    cites: [dvt_general]
    level: expert
    statement: A test row.
"""
TABLE = RuleTable("demo table", Layer.REFERRAL, ("flag", "then"), lambda flag, then: ([Has(flag)], list(then)))


def _install(tmp_path, text, *tables):
    path = tmp_path / "area.yaml"
    path.write_text(text)

    class Area(KnowledgeEngine):
        pass
    install_rules(Area, *tables, path=str(path))
    return {m.id: m for m in rules_of(Area)}, str(path)


def test_a_rule_file_gives_rules_and_table_rows_with_their_lines(tmp_path):
    rules, path = _install(tmp_path, GOOD, TABLE)
    assert rules["X-001"].when == (Is("calf_or_thigh_swelling_warmth", True), condition_from_data({"at_least": {"age_years": 50}}))
    assert rules["X-001"].layer is Layer.RED_FLAG and rules["X-001"].title == "A test rule."
    assert rules["X-001"].location == f"{path}:2" and rules["X-002"].location == f"{path}:14"
    assert rules["X-002"].when == (Has("rf_dvt"),) and rules["X-002"].then == ("ref_urgent_medical",)
    assert rules["X-002"].table == "demo table"


@pytest.mark.parametrize("old, new, message", [
    ("  level: expert\n  when", "  levl: expert\n  when", r"area.yaml:2: rule X-001: unknown field 'levl' \(did you mean level\?\)"),
    ("layer: red_flag", "layer: redflag", r"area.yaml:2: rule X-001: layer must be one of clue, red_flag"),
    ("level: expert\n  when", "level: strong\n  when", r"area.yaml:2: rule X-001: level must be one of trial"),
    ("- at_least: {age_years: 50}", "- at_leest: {age_years: 50}", r"area.yaml:2: rule X-001: when: a condition is one of"),
    ("- at_least: {age_years: 50}", "- at_least: age_years", r"when: at_least takes \{finding: value\}"),
    ("- at_least: {age_years: 50}", "- one_of: {age_years: 50}", r"when: one_of takes \{finding: \[values\]\}"),
    ("  cites: [dvt_general]\n  level: expert\n  when", "  level: expert\n  when", r"area.yaml:2: rule X-001: missing cites"),
    ("name: flag_dvt_for_the_test", "name: flag dvt", r"rule X-001: name must be a word"),
    ("then: [rf_dvt]", "then: rf_dvt", r"rule X-001: then= must be a list of conclusion ids, got 'rf_dvt'"),
    ("statement: A test rule.", "statement: A test: rule: [", r"area.yaml:\d+: not valid YAML"),
    ("  statement: A test rule.", "  statement: A test rule.\n  when: []",
     r"area.yaml:12: 'when' is given twice in one entry \(first at line 7\)"),
    ('"demo table"', '"demo tabel"', r"table 'demo tabel' is not declared .*did you mean demo table"),
    ("cells: [rf_dvt, [ref_urgent_medical]]", "cells: [rf_dvt]", r"area.yaml:14: rule X-002: table 'demo table' has 2 columns"),
])
def test_a_wrong_entry_names_the_file_line_rule_and_field(tmp_path, old, new, message):
    assert old in GOOD
    with pytest.raises(RuleDefinitionError, match=message):
        _install(tmp_path, GOOD.replace(old, new), TABLE)


def test_a_declared_table_without_rows_is_an_error(tmp_path):
    with pytest.raises(RuleDefinitionError, match="no rows for the table 'other'"):
        _install(tmp_path, GOOD, TABLE, RuleTable("other", Layer.REFERRAL, ("flag",), lambda flag: ([Has(flag)], [])))


def test_every_rule_of_the_kb_comes_from_its_area_file():
    """Every rule but the generated red-flag screen questions points into its area's rule file, at the
    line of its id, and each condition writes back to the data it was read from."""
    for area in AREAS:
        name = area.__module__.rsplit(".", 1)[1]
        text = open(path_of(f"rules/{name}.yaml"), encoding="utf-8").read().splitlines()
        for meta in rules_of(area):
            if meta.method.startswith("ask_red_flag_question_"):
                continue
            path, _, line = meta.location.rpartition(":")
            assert path == path_of(f"rules/{name}.yaml"), meta.id
            assert text[int(line) - 1].strip() == f"- id: {meta.id}", meta.id
            for cond in meta.when:
                assert condition_from_data(cond.to_data()) == cond


def test_every_condition_kind_has_a_data_form():
    kinds = {k.tag() for k in _leaves(Condition)}
    assert kinds == {"is", "one_of", "at_least", "at_most", "above", "below", "known", "unknown", "has", "lacks",
                     "none_of_kind", "two_of"}


def _leaves(base):
    for klass in base.__subclasses__():
        if not klass.__name__.startswith("_"):
            yield klass
        yield from _leaves(klass)


def test_the_data_cache_is_used_invalidated_and_optional(tmp_path, monkeypatch):
    path = tmp_path / "data.yaml"
    path.write_text("- {id: a, n: 1}\n")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert load_data(str(path), mark_lines=True) == [{"id": "a", "n": 1, "__line__": 1}]
    assert not (tmp_path / "__pycache__").exists()  # nothing written when Python writes no bytecode
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    load_data(str(path))
    (cache,) = (tmp_path / "__pycache__").iterdir()
    import marshal  # the cache is read: what is in it shows through
    cache.write_bytes(marshal.dumps(["from the cache"]))
    assert load_data(str(path)) == ["from the cache"]
    path.write_text("- {id: b, n: 2}\n")  # a changed file has another hash: parsed again, old cache dropped
    assert load_data(str(path)) == [{"id": "b", "n": 2}]
    assert len(list((tmp_path / "__pycache__").iterdir())) == 1
    cache = next((tmp_path / "__pycache__").iterdir())
    cache.write_bytes(b"\x00garbage")  # a damaged cache is parsed around, never trusted
    assert load_data(str(path)) == [{"id": "b", "n": 2}]
    load_data(str(path), mark_lines=True)  # the other reading is cached beside it, not over it
    assert len(list((tmp_path / "__pycache__").iterdir())) == 2
    assert load_data(str(path)) == [{"id": "b", "n": 2}] and len(list((tmp_path / "__pycache__").iterdir())) == 2


def test_a_cache_that_cannot_be_written_still_loads(tmp_path):
    path = tmp_path / "data.yaml"
    path.write_text("[1, 2]\n")
    (tmp_path / "__pycache__").write_text("a file where the cache folder would be")
    assert load_data(str(path)) == [1, 2] and load_data(str(path)) == [1, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["__pycache__", "data.yaml"]  # no temporary left


def test_the_cache_holds_what_parsing_gives():
    """Every data file of the knowledge: what the cache gives is what the YAML says."""
    from kb.datafile import _parse
    names = ["vocabulary.yaml", "citations.yaml"] + [f"rules/{n}" for n in os.listdir(path_of("rules")) if n.endswith(".yaml")]
    for name in names:
        marks = name.startswith("rules/")
        with open(path_of(name), encoding="utf-8") as handle:
            assert load_data(path_of(name), mark_lines=marks) == _parse(handle.read(), name, marks), name


def test_an_id_declared_twice_in_the_vocabulary_is_an_error():
    from kb.errors import PtkbError
    from kb.vocabulary import _entries
    data = {"findings": [{"id": "a", "type": "bool", "meaning": "x"}, {"id": "a", "type": "bool", "meaning": "y"}]}
    with pytest.raises(PtkbError, match="findings: 'a' is declared twice"):
        _entries(data, "findings", ("id", "type", "meaning"))
    with pytest.raises(PtkbError, match="the fields are id, type, meaning"):
        _entries({"findings": [{"id": "b", "typ": "bool", "meaning": "x"}]}, "findings", ("id", "type", "meaning"))


@pytest.mark.parametrize("entry, message", [
    ({"id": "x", "type": "boolean", "meaning": "m", "__line__": 7}, r"vocabulary.yaml:7: finding x: type must be one of bool, enum, number, got 'boolean'"),
    ({"id": "x", "type": "number", "low": 0, "high": 1, "meaning": "m", "__line__": 8}, r"vocabulary.yaml:8: finding x: type number needs unit, low, high"),
    ({"id": "x", "type": "enum", "meaning": "m", "__line__": 9}, r"vocabulary.yaml:9: finding x: type enum needs values"),
])
def test_a_wrong_vocabulary_entry_names_its_line(entry, message):
    from kb.errors import PtkbError
    from kb.vocabulary import _entries, _finding
    with pytest.raises(PtkbError, match=message):
        [_finding(*e) for e in _entries({"findings": [entry]}, "findings", ("id", "type", "meaning", "values", "unit", "low", "high"), 3)]


def test_a_wrong_conclusion_kind_names_its_line():
    from kb.errors import PtkbError
    from kb.vocabulary import _conclusion, _entries
    entries = _entries({"conclusions": [{"id": "c", "kind": "redflag", "meaning": "m", "__line__": 4}]}, "conclusions",
                       ("id", "kind", "meaning"), 3)
    with pytest.raises(PtkbError, match=r"vocabulary.yaml:4: conclusion c: kind must be one of finding_conflict, red_flag"):
        _conclusion(*entries[0])
