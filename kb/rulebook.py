"""How a ptkb rule is written: metadata and conditions as data, compiled to an experta Rule.

The knowledge base's rules are data files, `kb/rules/<area>.yaml` (read by `install_rules`; see
docs/authoring.md). The same rule can be declared in Python, as the test knowledge bases do:

    class HamstringRules(KnowledgeEngine):
        @rule("HAM-001", Layer.HYPOTHESIS, cites=("martin2022",), level=EvidenceLevel.GUIDELINE,
              when=[Is("onset_type", "sudden_during_activity"), Has("clue_contractile_sign")],
              then=["hyp_hamstring_strain"])
        def suspect_hamstring_strain(self):
            '''Sudden pain during activity with a contractile sign suggests a hamstring strain.'''

The docstring's first line is the clinical statement; `When:` and `Then:` lines are rendered from
the conditions so that they can never drift from what the rule does. The right-hand side only
declares the `then` conclusions.
"""
from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterator

_ROOT_HANDLERS = list(logging.getLogger().handlers)
from experta import MATCH, NOT, TEST, Fact, Field, KnowledgeEngine, P, Rule, W  # noqa: E402

# Importing experta runs logging.basicConfig(), adding a handler to the root logger of whatever
# program imports ptkb; take it back out.
for _handler in [h for h in logging.getLogger().handlers if h not in _ROOT_HANDLERS]:
    logging.getLogger().removeHandler(_handler)

from kb.conditions import Condition, Layer, RuleEntry, RuleMeta, describe
from kb.errors import RuleDefinitionError, suggest
from kb.evidence import EvidenceLevel
from kb.vocabulary import CONCLUSIONS

__all__ = ["KnowledgeEngine", "Findings", "Concluded", "findings_fact", "rule", "rule_meta", "rules_of", "compile_conditions", "compile_rule",
           "install_rules", "load_rule_file"]


class Findings(Fact):
    """The case: one fact whose fields are the examined findings (absent field = not examined)."""


class Concluded(Fact):
    """A conclusion reached by a rule."""

    id = Field(str, mandatory=True)
    kind = Field(str, mandatory=True)
    group = Field(str, default="")

    def validate(self):
        """experta's check of the fields above, which a rule's conclusion always passes, without
        running the schema library three times per conclusion; anything else gets experta's check."""
        if not (type(self.get("id")) is str and type(self.get("kind")) is str  # noqa: E721
                and type(self.get("group", "")) is str):  # noqa: E721
            super().validate()


_UNFROZEN = frozenset({str, bool, int, float, type(None)})  # the values experta's freeze() leaves as they are


def _plain_fact(fact_class: type, fields: dict):
    """`fact_class(**fields)` without experta's per-field freezing, for fields whose values freezing
    leaves as they are (the fact is equal, hashes alike and has the same attributes:
    tests/test_seam.py); any other value goes through experta's constructor."""
    if not _UNFROZEN.issuperset(map(type, fields.values())):
        return fact_class(**fields)
    fact = fact_class.__new__(fact_class)
    dict.update(fact, fields)
    fact._Fact__defaults = {}
    return fact


def _concluded(cid: str, kind: str, group: str) -> Concluded:
    """`Concluded(id=cid, kind=kind, group=group)`, built directly (`_plain_fact`)."""
    return _plain_fact(Concluded, {"id": cid, "kind": kind, "group": group})


def findings_fact(findings: dict) -> Findings:
    """`Findings(**findings)`, built directly where the values are plain (`_plain_fact`)."""
    return _plain_fact(Findings, findings)


class _Named:
    """A predicate over one finding's value: every condition on that finding must hold (a readable
    repr, because experta shows it and lint and docs read the conditions)."""

    def __init__(self, conditions: list[Condition]):
        self.conditions = tuple(conditions)
        self.finding = self.conditions[0].finding

    def __call__(self, value) -> bool:
        return all(c.holds({self.finding: value}, set()) for c in self.conditions)

    def __repr__(self):
        return " and ".join(c.text() for c in self.conditions)


def _field_pattern(conditions: list[Condition]):
    """One constraint for every condition on one finding (several conditions form a conjunction:
    a band such as pain 4-6 must not compile to its last bound alone)."""
    tests = [c for c in conditions if c.tests_value]
    if not tests:
        return W()
    if len(tests) == 1 and tests[0].exact_value():
        return tests[0].exact_value()[0]
    return P(_Named(tests))


class _PatternBuilder:
    """The experta patterns of one rule: each condition calls the one method that says what it is
    (`Condition.compile`), so no condition type is switched on here."""

    def __init__(self):
        self.on_findings: dict[str, list[Condition]] = {}
        self.patterns: list = []
        self.positive = False  # needs a conclusion: the rule starts from it, not from the case fact

    def on_finding(self, cond) -> None:
        self.on_findings.setdefault(cond.finding, []).append(cond)

    def absence(self, positive: Condition) -> None:
        """NOT the pattern of the condition negated (Unknown: the finding's field; Lacks: the conclusion)."""
        (pattern,) = compile_conditions((positive,))
        self.patterns.append(NOT(pattern))

    def has(self, conclusion: str) -> None:
        self.patterns.append(Concluded(id=conclusion))
        self.positive = True

    def lacks_kind(self, kind: str) -> None:
        self.patterns.append(NOT(Concluded(kind=kind)))

    def two_of(self, group: str) -> None:
        self.patterns += [Concluded(group=group, id=MATCH.first), Concluded(group=group, id=MATCH.second),
                          TEST(lambda first, second: first < second)]
        self.positive = True


def compile_conditions(when: tuple[Condition, ...]) -> list:
    """experta patterns for a list of conditions."""
    builder = _PatternBuilder()
    for cond in when:
        cond.compile(builder)
    fields = {finding: _field_pattern(conds) for finding, conds in builder.on_findings.items()}
    # A rule that tests no finding starts from the conclusions it needs, so the case fact is not
    # routed through it; a rule with only NOT conditions is anchored on the case fact.
    return ([Findings(**fields)] if fields or not builder.positive else []) + builder.patterns


def _render_doc(statement: str, when, then) -> str:
    when_text = "; ".join(describe(c) for c in when)
    then_text = "; ".join(f"{c} ({CONCLUSIONS[c].meaning if c in CONCLUSIONS else 'unknown id'})" for c in then)
    return f"{statement}\n\nWhen: {when_text}.\nThen: {then_text}."


def compile_rule(meta: RuleMeta) -> Rule:
    """The experta Rule for a rule's metadata: its conditions, its salience, and a right-hand side
    that only declares the `then` conclusions."""
    facts = tuple((c, CONCLUSIONS[c].kind.value if c in CONCLUSIONS else "unknown",
                   CONCLUSIONS[c].group if c in CONCLUSIONS else "") for c in meta.then)

    def declare_conclusions(self):
        for cid, kind, group in facts:
            self.declare(_concluded(cid, kind, group))

    declare_conclusions.__name__ = declare_conclusions.__qualname__ = meta.method
    declare_conclusions.__module__ = f"kb.{meta.area}"
    declare_conclusions.__doc__ = meta.doc
    # On the function, so that experta's copies of the rule (update_wrapper) carry it too.
    declare_conclusions.ptkb_meta = meta
    return Rule(*compile_conditions(meta.when), salience=int(meta.layer))(declare_conclusions)


_REQUIRED = object()


def rule(rule_id: str, layer: Layer = _REQUIRED, *, cites: tuple[str, ...] = _REQUIRED,
         level: EvidenceLevel = _REQUIRED, when: list[Condition] = _REQUIRED, then: list[str] = _REQUIRED,
         heuristic: str = "", reference: str = "") -> Callable[[Callable], Rule]:
    """Declare a rule: metadata, conditions and conclusions (see the module docstring).

    Missing or mistyped metadata raises RuleDefinitionError naming the rule and the field, at import.
    Unknown ids are not rejected here: `ptkb lint` reports them with the rule id and where it is.
    """
    def decorate(stub: Callable) -> Rule:
        entry = RuleEntry(rule_id, stub.__name__, cites, level, inspect.getdoc(stub) or "", heuristic, reference,
                          f"{stub.__code__.co_filename}:{stub.__code__.co_firstlineno}")
        _check_definition(entry, layer, when, then)
        return compile_rule(_meta(entry, stub.__module__.rsplit(".", 1)[-1], layer, tuple(when), tuple(then)))

    return decorate


def _check_definition(entry: RuleEntry, layer, when, then) -> None:
    """RuleDefinitionError, naming the rule, the field and the file:line, for missing or wrong metadata."""
    cites, level = entry.cites, entry.level
    given = {"layer": layer, "cites": cites, "level": level, "when": when, "then": then}
    missing = [name for name, value in given.items() if value is _REQUIRED]
    problem = (f"missing {', '.join(missing)} (every rule needs a layer, cites=, level=, when= and then=)" if missing
               else f"layer must be a Layer (e.g. Layer.HYPOTHESIS), got {layer!r}" if not isinstance(layer, Layer)
               else f"cites= must be a non-empty tuple of citation keys, got {cites!r}"
               if isinstance(cites, str) or not cites or not all(isinstance(c, str) for c in cites)
               else f"level= must be an EvidenceLevel, got {level!r}" if not isinstance(level, EvidenceLevel)
               else f"when= must hold conditions (Is, Has, ...), got {list(when)!r:.200}"
               if not all(isinstance(c, Condition) for c in when)
               else f"then= must be a list of conclusion ids, got {then!r:.200}"
               if isinstance(then, str) or not all(isinstance(c, str) for c in then) else "")
    if problem:
        raise RuleDefinitionError(f"{entry.location}: rule {entry.id}: {problem}")


def _meta(entry: RuleEntry, area: str, layer: Layer, when: tuple, then: tuple, table: str = "") -> RuleMeta:
    """A rule's metadata: the statement's first line is its title, the rest its rationale."""
    title, _, rationale = entry.statement.partition("\n")
    return RuleMeta(id=entry.id, method=entry.method, area=area, layer=layer, title=title,
                    doc=_render_doc(title, when, then) if entry.statement else "", citations=tuple(entry.cites),
                    level=entry.level, when=when, then=then, heuristic=entry.heuristic,
                    rationale=rationale.strip(), reference=entry.reference, location=entry.location, table=table)


# -- rules as data: kb/rules/<area>.yaml ----------------------------------------------------------------
_RULE_FIELDS = ("id", "name", "layer", "cites", "level", "when", "then", "heuristic", "reference", "statement",
                "rationale")
_ROW_FIELDS = ("id", "name", "cells", "cites", "level", "heuristic", "reference", "statement")


def install_rules(engine_class: type, *tables, path: str = "") -> None:
    """Add an area's rules to its engine class from its rule file, `kb/rules/<area>.yaml` (the area is
    the class's module name; `path` names another file): each entry of `rules:` becomes a rule, each
    list under `tables:` the rows of the table of that name among `tables` (declared in Python: its
    columns and how a row reads).

    A wrong entry raises RuleDefinitionError naming the file:line, the rule and the field, at import.
    """
    from kb.datafile import path_of
    area = engine_class.__module__.rsplit(".", 1)[-1]
    path = path or path_of(f"rules/{area}.yaml")
    data = load_rule_file(path)
    for entry in data.get("rules") or ():
        meta = _meta_of_entry(entry, area, path)
        _add(engine_class, meta, compile_rule(meta))
    declared = {t.name: t for t in tables}
    for name, rows in (data.get("tables") or {}).items():
        if name not in declared:
            raise RuleDefinitionError(f"{path}: table {name!r} is not declared in kb/{area}.py"
                                      f"{suggest(name, declared)}")
        declared.pop(name).with_rows([_row_of_entry(r, path) for r in rows or ()]).install(engine_class)
    if declared:
        raise RuleDefinitionError(f"{path}: no rows for the table {next(iter(declared))!r} declared in kb/{area}.py")


def _add(engine_class: type, meta: RuleMeta, compiled: Rule) -> None:
    if meta.method in vars(engine_class):
        raise RuleDefinitionError(f"{meta.location}: rule {meta.id}: {engine_class.__name__} already has a rule "
                                  f"named {meta.method}")
    setattr(engine_class, meta.method, compiled)


def load_rule_file(path: str) -> dict:
    """A rule file, each entry (a mapping with an `id`) marked with its line (`__line__`)."""
    from kb.datafile import DataFileError, load_data
    try:
        data = load_data(path, mark_lines=True)
    except DataFileError as exc:
        raise RuleDefinitionError(str(exc)) from None
    if not isinstance(data, dict) or set(data) - {"rules", "tables"}:
        raise RuleDefinitionError(f"{path}: a rule file holds `rules:` and `tables:`, got {sorted(data or ())}")
    return data


def _fields(entry, known: tuple[str, ...], path: str) -> tuple[str, str, dict]:
    """(rule id, file:line, the entry's fields) of one entry, its field names checked."""
    if not isinstance(entry, dict) or "id" not in entry:
        raise RuleDefinitionError(f"{path}: every entry is a mapping starting with its id, got {entry!r:.120}")
    where = f"{path}:{entry['__line__']}"
    fields = {k: v for k, v in entry.items() if k != "__line__"}
    for name in fields:
        if name not in known:
            raise RuleDefinitionError(f"{where}: rule {entry['id']}: unknown field {name!r}{suggest(name, known)}"
                                      f" (the fields: {', '.join(known)})")
    method = fields.get("name", "")
    if not (isinstance(method, str) and method.isidentifier()):
        raise RuleDefinitionError(f"{where}: rule {entry['id']}: name must be a word such as flag_cauda_equina, "
                                  f"got {method!r}")
    return str(entry["id"]), where, fields


def _entry(rule_id: str, where: str, fields: dict, statement: str) -> RuleEntry:
    """The RuleEntry of a rule file's entry; a wrong level names the levels there are."""
    cites, level = fields.get("cites", _REQUIRED), fields.get("level", _REQUIRED)
    if isinstance(cites, list):
        cites = tuple(cites)
    if level is not _REQUIRED:
        if level not in EvidenceLevel._value2member_map_:
            raise RuleDefinitionError(f"{where}: rule {rule_id}: level must be one of "
                                      f"{', '.join(lv.value for lv in EvidenceLevel)}, got {level!r}")
        level = EvidenceLevel(level)
    return RuleEntry(rule_id, fields["name"], cites, level, statement, fields.get("heuristic", ""),
                     fields.get("reference", ""), where)


def _meta_of_entry(entry, area: str, path: str) -> RuleMeta:
    rule_id, where, fields = _fields(entry, _RULE_FIELDS, path)
    layer = fields.get("layer", _REQUIRED)
    if layer is not _REQUIRED:
        if not (isinstance(layer, str) and layer.upper() in Layer.__members__):
            raise RuleDefinitionError(f"{where}: rule {rule_id}: layer must be one of "
                                      f"{', '.join(n.lower() for n in Layer.__members__)}, got {layer!r}")
        layer = Layer[layer.upper()]
    statement = fields.get("statement", "")
    if fields.get("rationale"):
        statement += "\n" + fields["rationale"]
    entry = _entry(rule_id, where, fields, statement)
    when = _conditions(rule_id, where, fields.get("when", _REQUIRED))
    then = fields.get("then", _REQUIRED)
    then = tuple(then) if isinstance(then, list) else then
    _check_definition(entry, layer, when, then)
    return _meta(entry, area, layer, tuple(when), then)


def _conditions(rule_id: str, where: str, items):
    from kb.conditions import condition_from_data
    if items is _REQUIRED or not isinstance(items, list):
        return items
    try:
        return [condition_from_data(item) for item in items]
    except ValueError as exc:
        raise RuleDefinitionError(f"{where}: rule {rule_id}: when: {exc}") from None


def _cell(value):
    """A table cell as written: a condition (`{tag: argument}`), a list of cells, or an id or value."""
    from kb.conditions import condition_from_data
    if isinstance(value, dict):
        return condition_from_data(value)
    if isinstance(value, list):
        return tuple(_cell(v) for v in value)
    return value


def _row_of_entry(entry, path: str):
    from kb.tables import Row
    rule_id, where, fields = _fields(entry, _ROW_FIELDS, path)
    entry = _entry(rule_id, where, fields, fields.get("statement", ""))
    try:
        cells = tuple(_cell(c) for c in fields.get("cells") or ())
    except ValueError as exc:
        raise RuleDefinitionError(f"{where}: rule {rule_id}: cells: {exc}") from None
    return Row(cells, entry)


def rule_meta(obj) -> RuleMeta | None:
    """The metadata of a compiled rule, or None for anything else."""
    return getattr(obj, "ptkb_meta", None)


def rules_of(engine_class: type) -> Iterator[RuleMeta]:
    """Every ptkb rule an engine class defines or inherits, sorted by id.

    >>> from kb import PosteriorThighKB
    >>> next(rules_of(PosteriorThighKB)).id
    'CON-001'
    """
    found = {}
    for klass in reversed(engine_class.__mro__):
        for value in vars(klass).values():
            meta = rule_meta(value)
            if meta is not None:
                found[meta.method] = meta
    return iter(sorted(found.values(), key=lambda m: m.id))
