"""`ptkb lint`: static checks over the rules, read by introspection, before any case runs.

Checks (each finding names the check and the rule ids):
  errors    unknown-finding, unknown-conclusion, bad-value, unknown-field, missing-metadata,
            unresolved-citation, bad-evidence-level, missing-docstring, duplicate-id, shadowed-method,
            threshold-outside-clue-layer, order-dependent-negation, unreachable-rule, conflict, cycle
  warnings  unproduced-conclusion, unread-finding, redundant-rule (a rule subsumed by others included)

`conflict` and `redundant-rule` are decided over every possible case by ptkb verify's SMT model of
the rules; they are left out while lint reports an unknown id or an order problem (the model needs
known ids and a stratified rule set), and appear once those are fixed.

Warnings can be acknowledged, with a reason each, in one reviewed file (`lint-acknowledged.yaml`).
"""
from __future__ import annotations

import itertools
import json
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path

import networkx as nx

from engine.case import suggest
from kb.safety import FORBIDDEN_TOGETHER
from kb.conditions import Layer
from kb.evidence import CITATIONS, EvidenceLevel
from kb.vocabulary import CONCLUSIONS, FINDINGS, FindingType, Kind

__all__ = ["Severity", "Issue", "lint", "scenario_issues", "FORBIDDEN_TOGETHER", "lint_text", "lint_json", "lint_sarif",
           "load_acknowledgements"]


class Severity(StrEnum):
    ERROR = "error"      # fails lint (exit 1)
    WARNING = "warning"  # reported; can be acknowledged with a reviewed reason


@dataclass(frozen=True)
class Issue:
    severity: Severity
    check: str
    rules: tuple[str, ...]
    message: str
    acknowledged: str = ""  # the reviewed reason, when acknowledged
    location: str = ""      # "path:line:col" of the rule or vocabulary entry concerned

    def __post_init__(self):
        object.__setattr__(self, "severity", Severity(self.severity))

    def key(self) -> tuple[str, str]:
        return self.check, ",".join(self.rules) or self.message.split(":")[0]

    def text(self) -> str:
        """Like ruff: `path:line:col: CODE [RULES] message`."""
        ack = f"  [acknowledged: {self.acknowledged}]" if self.acknowledged else ""
        rules = f"[{','.join(self.rules)}] " if self.rules else ""
        return f"{self.location or '-'}: {self.severity.upper()} {self.check} {rules}{self.message}{ack}"


# ---------------------------------------------------------------- introspection

def _where(location: str) -> str:
    """'path:line:col' relative to the working folder, the column of the declaration's first character."""
    import linecache
    import os
    path, _, line = location.rpartition(":")
    if not path:
        return ""
    text = linecache.getline(path, int(line))
    column = len(text) - len(text.lstrip()) + 1 if text else 1
    try:
        path = os.path.relpath(path)
    except ValueError:
        pass
    return f"{path}:{line}:{column}"


def _vocabulary_location(identifier: str) -> str:
    from kb.vocabulary import DEFINED_AT
    return _where(DEFINED_AT[identifier]) if identifier in DEFINED_AT else ""


def _locate(issues, metas) -> list:
    where = {m.id: m.location for m in metas}
    located = []
    for issue in issues:
        if issue.rules and issue.rules[0] in where:
            location = _where(where[issue.rules[0]])
        else:
            subject = issue.message.split(":")[0].split()[0] if issue.message else ""
            location = _vocabulary_location(subject) if subject in FINDINGS or subject in CONCLUSIONS else ""
        located.append(replace(issue, location=location))
    return located


def _check_patterns(rule_id, definition, covered: bool = False):
    """Fact patterns read from the compiled left-hand side: classes, fields and literal values."""
    for pattern in definition.patterns:
        for key, literal, is_literal in pattern.fields:
            if pattern.fact == "Findings":
                if key not in FINDINGS:
                    if not covered:  # a ptkb rule's conditions report it once, with a suggestion
                        yield Issue(Severity.ERROR, "unknown-finding", (rule_id,), f"pattern names unknown finding {key!r}")
                elif is_literal and FINDINGS[key].problem_with(literal):
                    yield Issue(Severity.ERROR, "bad-value", (rule_id,), f"{key}: {FINDINGS[key].problem_with(literal)}")
            elif pattern.fact == "Concluded":
                if key not in ("id", "kind", "group"):
                    yield Issue(Severity.ERROR, "unknown-field", (rule_id,), f"Concluded has no field {key!r}")
                elif key == "id" and is_literal and literal not in CONCLUSIONS and not covered:
                    yield Issue(Severity.ERROR, "unknown-conclusion", (rule_id,), f"pattern names unknown conclusion {literal!r}")
                elif key == "kind" and is_literal and literal not in {k.value for k in Kind}:
                    yield Issue(Severity.ERROR, "bad-value", (rule_id,), f"unknown conclusion kind {literal!r}")
            elif pattern.fact != "InitialFact":
                yield Issue(Severity.ERROR, "unknown-field", (rule_id,), f"pattern on unknown fact class {pattern.fact}")


def _check_conditions(meta):
    for cond in meta.when:
        for fid in cond.findings():
            if fid not in FINDINGS:
                yield Issue(Severity.ERROR, "unknown-finding", (meta.id,), f"{cond.text()}: unknown finding {fid!r}"
                            f"{suggest(fid, FINDINGS) or ' (add it to kb/vocabulary.yaml first)'}")
        for what, name in cond.unknown_references():
            if what == "conclusion":
                yield Issue(Severity.ERROR, "unknown-conclusion", (meta.id,), f"unknown conclusion {name!r}"
                            f"{suggest(name, CONCLUSIONS) or ' (add it to kb/vocabulary.yaml first)'}")
            elif what == "kind":
                yield Issue(Severity.ERROR, "bad-value", (meta.id,), f"unknown conclusion kind {name!r}")
            else:
                yield Issue(Severity.ERROR, "bad-value", (meta.id,), f"group {name!r} has fewer than two members")
        finding = FINDINGS.get(getattr(cond, "finding", None))
        if finding is None:
            continue
        for value in cond.named_values():
            if finding.problem_with(value):
                yield Issue(Severity.ERROR, "bad-value", (meta.id,), f"{cond.text()}: {finding.problem_with(value)}")
        if cond.is_threshold:
            if finding.type is not FindingType.NUMBER or not finding.low <= cond.limit <= finding.high:
                yield Issue(Severity.ERROR, "bad-value", (meta.id,), f"{cond.text()}: threshold outside "
                            f"{finding.describe_type()}")
            if meta.layer is not Layer.CLUE:
                yield Issue(Severity.ERROR, "threshold-outside-clue-layer", (meta.id,),
                            f"{cond.text()} in layer {meta.layer.name}: thresholds belong to the clue layer")
    for cid in meta.then:
        if cid not in CONCLUSIONS:
            yield Issue(Severity.ERROR, "unknown-conclusion", (meta.id,), f"concludes unknown id {cid!r}"
                        f"{suggest(cid, CONCLUSIONS) or ' (add it to kb/vocabulary.yaml first)'}")


def _check_metadata(meta):
    import re
    if not re.fullmatch(r"[A-Z]{1,4}-\d{3}", meta.id or ""):
        yield Issue(Severity.ERROR, "missing-metadata", (meta.id or meta.method,), "rule id must look like HAM-001")
    if not meta.title:
        yield Issue(Severity.ERROR, "missing-docstring", (meta.id,), "no docstring: the first line is the clinical statement")
    elif "\nWhen: " not in meta.doc or "\nThen: " not in meta.doc:
        yield Issue(Severity.ERROR, "missing-docstring", (meta.id,), "docstring lacks When: / Then: lines")
    if not meta.citations:
        yield Issue(Severity.ERROR, "unresolved-citation", (meta.id,), "no citation")
    for key in meta.citations:
        if key not in CITATIONS:
            yield Issue(Severity.ERROR, "unresolved-citation", (meta.id,), f"citation key {key!r} not in kb/citations.yaml")
    if meta.level not in {level.value for level in EvidenceLevel}:
        yield Issue(Severity.ERROR, "bad-evidence-level", (meta.id,), f"evidence level {meta.level!r}")


# ---------------------------------------------------------------- reasoning over the rule graph

def _producers(metas):
    out = {}
    for meta in metas:
        for cid in meta.then:
            out.setdefault(cid, []).append(meta)
    return out


def _check_structure(metas, producers):
    produced = set(producers)
    for meta in metas:
        for cond in meta.when:
            if cond.unreachable(produced):
                yield Issue(Severity.ERROR, "unreachable-rule", (meta.id,), cond.unreachable(produced))
            for cid in cond.negates():
                late = [p.id for p in producers.get(cid, []) if p.layer <= meta.layer]
                if late:
                    yield Issue(Severity.ERROR, "order-dependent-negation", (meta.id, *late),
                                f"negates {cid}, concluded in the same or a later layer by {', '.join(late)}: "
                                "the result would depend on firing order")
    for cid in CONCLUSIONS:
        if cid not in produced:
            yield Issue(Severity.WARNING, "unproduced-conclusion", (), f"{cid}: no rule concludes it")
    read = {f for meta in metas for f in meta.reads_findings()}
    for fid in FINDINGS:
        if fid not in read:
            yield Issue(Severity.WARNING, "unread-finding", (), f"{fid}: no rule reads it")


def _check_cycles(metas, producers):
    graph = nx.DiGraph()
    for meta in metas:
        graph.add_node(meta.id)
        for cid in meta.reads_conclusions():
            for producer in producers.get(cid, []):
                graph.add_edge(producer.id, meta.id)
    for cycle in itertools.islice(nx.simple_cycles(graph), 20):
        yield Issue(Severity.ERROR, "cycle", tuple(cycle), "rules depend on each other in a cycle: " + " -> ".join(cycle + [cycle[0]]))


def _model(metas):
    """ptkb verify's SMT model of the rules, or None where it does not apply: unknown ids or an
    unstratified rule set (lint reports those problems itself)."""
    from ptkb.verification import Model
    known = all(f in FINDINGS for m in metas for c in m.when for f in c.findings()) and all(
        c in CONCLUSIONS for m in metas for c in (*m.then, *m.reads_conclusions()))
    return Model(metas) if known and not _order_problem(metas) else None


def _check_redundancy(metas, model):
    """Semantic redundancy, proved over every possible case by the model (it replaces the pairwise
    subsumption heuristic: it also sees rules made redundant by chains of other rules)."""
    from ptkb.verification import sole_producer
    for meta in metas:
        if not model.possible(*sole_producer(model, meta)):
            yield Issue(Severity.WARNING, "redundant-rule", (meta.id,), f"never changes the outcome: whenever it fires, "
                        f"other rules already conclude {', '.join(meta.then)} (proved for every case)")


def _order_problem(metas) -> bool:
    from engine.errors import UsageError
    from engine.evaluator import compile_rules
    try:
        compile_rules(metas)
    except UsageError:
        return True
    return False


def _check_conflicts(model, producers):
    """Two conclusions that must never stand together (kb/safety.py) that some case concludes both:
    decided over every possible case by the model, with the smallest such case as the example."""
    from kb.conditions import finding_text
    for a, b, why in FORBIDDEN_TOGETHER:
        if a not in producers or b not in producers:
            continue
        both = model.concluded(a), model.concluded(b)
        if model.possible(*both):
            case = model.minimal_case(*both)
            rules = tuple(sorted({m.id for m in producers[a]} | {m.id for m in producers[b]}))
            yield Issue(Severity.ERROR, "conflict", rules, f"{a} and {b} can be concluded together ({why}); "
                        f"e.g. when: {'; '.join(finding_text(f, v) for f, v in sorted(case.items()))}")


# ---------------------------------------------------------------- entry points

def load_acknowledgements(path) -> dict:
    """check -> {subject: reason} from the reviewed file; every entry needs a reason. The file is read
    by the same bounded, alias-free loader as case files (no FIFO, device, alias bomb or endless read)."""
    from engine.yamlio import read_yaml_file
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return {}
    data = read_yaml_file(path)[0] or []
    if not isinstance(data, list):
        from engine.errors import UsageError
        raise UsageError(f"{path}: expected a list of acknowledgements (check, subject, reason), "
                         f"got {type(data).__name__}")
    out = {}
    for entry in data:
        if not isinstance(entry, dict) or not entry.get("reason") or not entry.get("check") or not entry.get("subject"):
            from engine.errors import UsageError
            raise UsageError(f"{path}: every acknowledgement needs check, subject and reason; got {entry!r}")
        out[(entry["check"], str(entry["subject"]))] = entry["reason"]
    return out


def lint(kb_class=None, acknowledged: dict | None = None) -> list[Issue]:
    """Every issue found in a knowledge-base class (default: ptkb's own)."""
    if kb_class is None:
        from kb import PosteriorThighKB as kb_class
    from engine.rule_catalogue import introspect
    definitions, owners_of = introspect(kb_class)
    metas = sorted((d.meta for d in definitions if d.meta is not None), key=lambda m: m.id)
    issues = []
    for name, owners in owners_of.items():
        if len(owners) > 1:
            issues.append(Issue(Severity.ERROR, "shadowed-method", (name,), f"method {name} defined in "
                                f"{', '.join(owners)}: only one rule survives the composition"))
    for d in definitions:
        if d.meta is None:
            issues.append(Issue(Severity.ERROR, "missing-metadata", (d.method,), f"{d.owner}.{d.method} is an "
                                "experta rule without ptkb metadata (use @rule)"))
    ids = [m.id for m in metas]
    for rule_id in sorted({i for i in ids if ids.count(i) > 1}):
        issues.append(Issue(Severity.ERROR, "duplicate-id", (rule_id,), "rule id used more than once"))
    for d in definitions:
        issues += list(_check_patterns(d.meta.id if d.meta else d.method, d, covered=d.meta is not None))
    for meta in metas:
        issues += list(_check_metadata(meta)) + list(_check_conditions(meta))
    producers = _producers(metas)
    issues += list(_check_structure(metas, producers)) + list(_check_cycles(metas, producers))
    model = _model(metas)
    if model is not None:
        issues += list(_check_redundancy(metas, model)) + list(_check_conflicts(model, producers))
    unique = _locate(dict.fromkeys(issues), metas)
    acknowledged = acknowledged or {}
    return [replace(i, acknowledged=acknowledged.get(i.key(), "")) if i.severity is Severity.WARNING else i
            for i in unique]


def scenario_issues(paths) -> list[Issue]:
    """The scenario check: a scenario whose findings contradict each other (it concludes
    `conflict_findings`) is reported unless it says so in `expect.include`; a bad file is an error."""
    from engine import CaseError, consult, find_case_files, load_case
    issues = []
    for path in find_case_files(paths):
        try:
            case = load_case(path)
        except CaseError as exc:
            issues.append(Issue(Severity.ERROR, "bad-scenario", (), str(exc)))
            continue
        conflict = consult(case).get("conflict_findings")
        if conflict is not None and "conflict_findings" not in case.expect.include:
            issues.append(Issue(Severity.WARNING, "findings-conflict", conflict.rule_ids,
                                f"{path}: recorded findings contradict each other; re-examine or expect "
                                "conflict_findings"))
    return issues


def lint_text(issues, show_acknowledged: bool = False) -> str:
    """One line per issue (acknowledged warnings only with `show_acknowledged`), then the counts."""
    errors = sum(i.severity is Severity.ERROR for i in issues)
    warnings = sum(i.severity is Severity.WARNING and not i.acknowledged for i in issues)
    acked = sum(bool(i.acknowledged) for i in issues)
    body = "".join(i.text() + "\n" for i in issues if show_acknowledged or not i.acknowledged)
    hint = " (--show-acknowledged lists them)" if acked and not show_acknowledged else ""
    return body + f"{errors} errors, {warnings} warnings, {acked} acknowledged{hint}\n"


def lint_json(issues) -> str:
    return json.dumps([asdict(i) for i in issues], indent=2, ensure_ascii=False) + "\n"


def lint_sarif(issues) -> str:
    """SARIF 2.1.0: each issue at its path:line:col; acknowledged warnings carry their reviewed reason
    as a suppression, so review tools show them as accepted."""
    from ptkb import __version__
    from ptkb.sarif import result, sarif_log
    results = [result(i.check, str(i.severity), (f"[{','.join(i.rules)}] " if i.rules else "") + i.message,
                      i.location, i.acknowledged) for i in issues]
    return sarif_log("ptkb lint", __version__, results)
