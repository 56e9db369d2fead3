"""Text and JSON renderings of a consultation, the rule catalogue and the vocabulary.

>>> from engine import case_from_mapping, consult
>>> "Red flags" in consultation_text(consult(case_from_mapping({"id": "x", "findings": {}})))
True
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from kb.evidence import CITATIONS
from kb.vocabulary import CLINICAL_ORDER, CONCLUSIONS, FINDINGS, KIND_INFO, Kind
from engine.records import FactKind

__all__ = ["consultation_text", "consultation_plan", "PlanSection", "PlanItem", "citations_text", "catalogue_text", "catalogue_json", "catalogue_markdown", "catalogue_html",
           "vocabulary_markdown"]

HEADINGS = tuple((kind, KIND_INFO[kind].heading) for kind in CLINICAL_ORDER if KIND_INFO[kind].shown)


def citations_text(keys) -> str:
    """'Askling 2013, Heiderscheit 2010' for citation keys."""
    return ", ".join(CITATIONS[k].short for k in keys)


def _criteria_not_met(result, conclusion) -> list[str]:
    """For a stage: which criterion stopped the next stage (the clue its rule needed absent)."""
    from engine import rule_by_id
    from explain import why_not
    firing = next(f for f in result.firings if f.rule_id == conclusion.rule_id)
    candidates = [f for f in result.firings for cid in f.declared if cid.startswith("cand_") and f.order < firing.order]
    clues = [a.id for f in [firing, *candidates] for a in f.absences
             if a.kind is FactKind.CONCLUSION and CONCLUSIONS.get(a.id) and not CONCLUSIONS[a.id].shown]
    rules = rule_by_id()
    return [why_not(result, clue, rules).one_line() for clue in dict.fromkeys(clues)]


@dataclass(frozen=True)
class PlanItem:
    """One conclusion of the plan: the record, each rule that reached it with its reason, and for a
    stage the criteria that stopped the next one."""

    conclusion: object
    reasons: tuple[str, ...]
    not_yet: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanSection:
    kind: str
    heading: str
    items: tuple[PlanItem, ...]


def consultation_plan(result) -> tuple[tuple[PlanSection, ...], str]:
    """The clinician's plan as sections in clinical order (red flags always, "none found" when empty),
    and the closing line when no hypothesis was formed: what `ptkb consult` prints and the explorer shows."""
    by_kind = {}
    for conclusion in result.conclusions:
        kind = Kind.TREATMENT_PRINCIPLE.value if CONCLUSIONS[conclusion.id].with_management else conclusion.kind
        by_kind.setdefault(kind, []).append(conclusion)
    sections = []
    for kind, heading in HEADINGS:
        items = by_kind.get(kind.value, [])
        if not items and kind is not Kind.RED_FLAG:
            continue
        sections.append(PlanSection(kind.value, heading, tuple(
            PlanItem(c, tuple(f"{rule_id} ({citations_text(citations)}); {because}" for rule_id, citations, because
                              in c.reasons or ((c.rule_id, c.citations, c.because),)),
                     tuple(_criteria_not_met(result, c)) if kind is Kind.STAGE else ())
            for c in items)))
    closing = ""
    if not by_kind.get(Kind.HYPOTHESIS.value):
        closing = ("A red flag comes first: refer before forming a hypothesis." if by_kind.get(Kind.RED_FLAG.value)
                   else "No hypothesis could be formed from these findings.")
    return tuple(sections), closing


def consultation_text(result) -> str:
    """A clinician's plan: conflicting findings, red flags and referrals first, then the differential,
    stage, do / avoid; every rule that reached a conclusion is listed with its reason."""
    lines = [f"{result.title or result.case_id}  [{result.case_id}]", ""]
    sections, closing = consultation_plan(result)
    for section in sections:
        lines.append(f"{section.heading}:")
        if not section.items:
            lines.append("  none found")
        for item in section.items:
            lines.append(f"  {item.conclusion.id:<36} {item.conclusion.label}")
            lines += [f"      {reason}" for reason in item.reasons]
            lines += [f"      not yet: {line}" for line in item.not_yet]
        lines.append("")
    if closing:
        lines.append(closing)
    return "\n".join(lines).rstrip() + "\n"


def catalogue_text(metas) -> str:
    rows = [f"{m.id:<8} {m.area:<14} {m.layer.name.lower():<16} {m.title}  [{citations_text(m.citations)}]"
            for m in metas]
    return "\n".join(rows) + f"\n{len(rows)} rules\n"


def catalogue_json(metas) -> str:
    return json.dumps([{"id": m.id, "area": m.area, "layer": m.layer.name.lower(), "title": m.title,
                        "method": m.method, "citations": list(m.citations), "level": m.level,
                        "when": [c.text() for c in m.when], "then": list(m.then),
                        "heuristic": m.heuristic, "rationale": m.rationale, "reference": m.reference}
                       for m in metas], indent=2, ensure_ascii=False)


def _citation_full(key: str) -> str:
    c = CITATIONS[key]
    return f"{c.authors} ({c.year}). {c.title}. *{c.source}*." + (f" Note: {c.note}." if c.note else "")


def _cell(value) -> str:
    """A table cell in words: conditions as the rules say them, ids and values as written."""
    from kb.conditions import Condition, value_text
    if isinstance(value, Condition):
        return value.text()
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value) or "-"
    return value_text(value)


def _written_in(metas) -> str:
    """Where the project's rules are written: the rule file, and the ids declared in Python."""
    places: dict[str, list[str]] = {}
    for m in sorted(metas, key=lambda m: m.id):
        _, sep, tail = m.location.rpartition(":")[0].rpartition("/kb/")
        if sep:
            places.setdefault("kb/" + tail, []).append(m.id)
    return "; ".join(f"`{path}`" if path.endswith(".yaml") else f"{', '.join(ids)} in `{path}`"
                     for path, ids in sorted(places.items(), key=lambda p: not p[0].endswith(".yaml")))


def tables_markdown(tables) -> list[str]:
    """Each rule table as a Markdown table: a row per rule, its cells, evidence and statement."""
    out = []
    for area, table in tables:
        out += [f"### Table: {table.name}", "",
                f"Area `{area}`, {table.layer.name.lower().replace('_', ' ')} layer; each row is a rule.", "",
                "| rule | " + " | ".join(table.columns) + " | evidence | statement |",
                "|---|" + "---|" * len(table.columns) + "---|---|"]
        for r in table.rows:
            cells = " | ".join(_cell(c).replace("|", "\\|") for c in r.cells)
            e = r.entry
            out.append(f"| [{e.id}](#{e.id.lower()}-{_slug(e.statement)}) | {cells} | "
                       f"{citations_text(e.cites)} ({e.level}) | {e.statement} |")
        out.append("")
    return out


def _slug(statement: str) -> str:
    """GitHub's anchor of a '#### ID: title' heading, after the id."""
    import re
    return re.sub(r"[^a-z0-9 -]", "", statement.partition("\n")[0].lower()).replace(" ", "-")


def catalogue_markdown(metas, fired_in: dict | None = None, tables=None) -> str:
    """The rule catalogue for clinical review (docs/rules.md): by area and layer, every rule with its
    statement, When/Then in plain words, rationale, evidence, full citations, what feeds it and what
    it feeds, and the scenarios that fire it (`fired_in`: rule id -> scenario ids)."""
    from kb.conditions import describe
    metas = list(metas)
    producers, readers = _links(metas)
    areas: dict[str, list] = {}
    for m in metas:
        areas.setdefault(m.area, []).append(m)
    out = ["# ptkb rule catalogue", "",
           "Generated by `ptkb rules --format md` from the rules themselves (`make docs`); do not edit by hand.",
           "Each rule: its clinical statement, **When** (all conditions must hold; a finding that is absent was",
           "not examined), **Then**, the evidence behind it, and how it connects to the other rules. Thresholds",
           "marked *KB heuristic* are design choices of this knowledge base, not validated cut-offs.", "",
           f"{len(metas)} rules in {len(areas)} areas: " + ", ".join(f"[{a}](#{a}) ({len(ms)})" for a, ms in
                                                                   sorted(areas.items())), ""]
    if tables is None:  # the tables whose rows are among these rules
        from engine.rule_catalogue import tables as all_tables
        ids = {m.id for m in metas}
        tables = [(a, t) for a, t in all_tables() if any(r.id in ids for r in t.rows)]
    if tables:
        out += ["## Tables", "", "Table-shaped knowledge is declared as a table (its rows in `kb/rules/<area>.yaml`, "
                "its columns in `kb/<area>.py`); each row is a rule listed in full under its area below.", ""]
        out += tables_markdown(tables)
    for area, ms in sorted(areas.items()):
        out += [f"## {area}", ""]
        written = _written_in(ms)
        if written:
            out += [f"Written in {written}: edit a rule there, then `make docs`.", ""]
        for layer in sorted({m.layer for m in ms}, reverse=True):
            out += [f"### {area}: {layer.name.lower().replace('_', ' ')} layer", ""]
            for m in sorted((m for m in ms if m.layer is layer), key=lambda m: m.id):
                out += [f"#### {m.id}: {m.title}", ""]
                if m.table:
                    out.append(f"- *A row of the table* {m.table}.")
                out.append("- **When**: " + "; ".join(describe(c) for c in m.when) + ".")
                out.append("- **Then**: " + "; ".join(
                    f"`{c}` ({CONCLUSIONS[c].meaning})" if c in CONCLUSIONS else f"`{c}`" for c in m.then) + ".")
                if m.heuristic:
                    out.append(f"- *KB heuristic*: {m.heuristic}.")
                if m.rationale:
                    out.append(f"- **Rationale**: {' '.join(m.rationale.split())}")
                out.append(f"- **Evidence** ({m.level}): " + " ".join(_citation_full(k) for k in m.citations))
                if m.reference:
                    out.append(f"- **Reference section**: {m.reference}")
                feeds = sorted({p for c in m.reads_conclusions() for p in producers.get(c, ())})
                used = sorted({r for c in m.then for r in readers.get(c, ()) if r != m.id})
                out.append(f"- **Its premises are concluded by**: {', '.join(feeds) or 'findings only'}; "
                           f"**its conclusions are used by**: {', '.join(used) or 'no other rule'}.")
                if fired_in is not None:
                    cases = sorted(fired_in.get(m.id, ()))
                    shown = ", ".join(f"`{c}`" for c in cases[:6]) + (f" and {len(cases) - 6} more" if len(cases) > 6 else "")
                    out.append(f"- **Scenarios that fire it**: {shown or 'none'}.")
                out.append("")
    return "\n".join(out).rstrip() + "\n"


def catalogue_html(metas, fired_in: dict | None = None, drawings: bool = True) -> str:
    """The rule catalogue as one searchable page (Jinja2, autoescaped): the same content as
    `catalogue_markdown`, every rule with its drawing (what it reads and writes) one click away."""
    from engine.rule_catalogue import tables as all_tables
    from explain import kb_graph, render, to_dot
    from explain.render import page_template
    from kb.conditions import describe
    metas = list(metas)
    producers, readers = _links(metas)
    ids = {m.id for m in metas}
    areas: dict[str, dict[str, list]] = {}
    for m in sorted(metas, key=lambda m: (m.area, -m.layer, m.id)):
        feeds = sorted({p for c in m.reads_conclusions() for p in producers.get(c, ())})
        used = sorted({r for c in m.then for r in readers.get(c, ()) if r != m.id})
        svg = ""
        if drawings:
            drawn = render(to_dot(kb_graph([m], every_finding=False), title=f"{m.id}: what it reads and writes",
                                  legend=False), "svg").decode("utf-8")
            svg = drawn[drawn.find("<svg"):]
        cases = sorted(fired_in.get(m.id, ())) if fired_in is not None else None
        entry = {"id": m.id, "title": m.title, "when": "; ".join(describe(c) for c in m.when),
                 "then": "; ".join(f"{c} ({CONCLUSIONS[c].meaning})" if c in CONCLUSIONS else c for c in m.then),
                 "heuristic": m.heuristic, "table": m.table, "rationale": " ".join(m.rationale.split()),
                 "level": str(m.level), "citations": " ".join(_citation_full(k).replace("*", "") for k in m.citations),
                 "reference": m.reference, "feeds": feeds, "used": used, "svg": svg,
                 "fired": None if cases is None else ", ".join(cases[:8]) + (f" and {len(cases) - 8} more"
                                                                           if len(cases) > 8 else "")}
        entry["search"] = " ".join(str(v) for k, v in entry.items() if k != "svg").lower()
        areas.setdefault(m.area, {}).setdefault(m.layer.name.lower().replace("_", " "), []).append(entry)
    tables = [{"name": t.name, "area": a, "layer": t.layer.name.lower().replace("_", " "), "columns": t.columns,
               "rows": [{"id": r.id, "cells": [_cell(c) for c in r.cells], "statement": r.entry.statement,
                         "evidence": f"{citations_text(r.entry.cites)} ({r.entry.level})"} for r in t.rows]}
              for a, t in all_tables() if any(r.id in ids for r in t.rows)]
    return page_template("catalogue.html.j2").render(
        rules=metas, areas=[(a, list(layers.items())) for a, layers in sorted(areas.items())], tables=tables)


def _links(metas):
    """(conclusion -> rules that conclude it, conclusion -> rules that read it)."""
    producers: dict[str, list[str]] = {}
    readers: dict[str, list[str]] = {}
    for m in metas:
        for c in m.then:
            producers.setdefault(c, []).append(m.id)
        for c in m.reads_conclusions():
            readers.setdefault(c, []).append(m.id)
    return producers, readers


def vocabulary_markdown() -> str:
    """The vocabulary reference (docs/vocabulary.md is this text; a test keeps it current)."""
    out = ["# ptkb vocabulary", "",
           "Generated from `kb/vocabulary.yaml` by `ptkb vocab`; do not edit by hand.",
           "A finding that is absent from a case means *not examined*, never *false*.", "",
           f"## Findings ({len(FINDINGS)})", "", "| id | type | meaning |", "|---|---|---|"]
    out += [f"| {f.id} | {f.describe_type()} | {f.meaning} |" for f in FINDINGS.values()]
    out += ["", f"## Conclusions ({len(CONCLUSIONS)})", "", "| id | kind | meaning |", "|---|---|---|"]
    out += [f"| {c.id} | {c.kind.value} | {c.meaning} |" for c in CONCLUSIONS.values()]
    return "\n".join(out) + "\n"
