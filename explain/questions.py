"""Questions about a consultation: why (proof), how (what a finding contributed to), why not (what
failed, recursively), and diff (what changes when findings change).

>>> from engine import case_from_mapping, consult, rule_by_id
>>> result = consult(case_from_mapping({"id": "x", "findings": {"saddle_numbness": True}}))
>>> why(result, "ref_emergency_same_day", rule_by_id()).steps[-1].rule_id
'RF-030'
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import networkx as nx

from engine.errors import UsageError
from engine.records import Firing
from explain.graph import derivation_graph, downstream, focus, induced, node_id, number_steps
from kb.conditions import AboutRule, RuleMeta, finding_text, value_text
from kb.evidence import CITATIONS
from kb.vocabulary import CONCLUSIONS, FINDINGS

__all__ = ["Step", "WhyAnswer", "why", "plan", "how", "HowAnswer", "why_not", "WhyNotAnswer", "Candidate", "Check",
           "diff", "DiffAnswer", "Drawable"]

DETAILS = ("clinical", "full")


class Drawable:
    """What every answer shares: `drawing(detail)` -> a networkx graph to draw, `to_dot(**options)`,
    `render(fmt, **options)` and the notebook's `_repr_svg_` (the drawing options are those of
    `explain.render.to_dot`: legend, size, dpi, rankdir)."""

    def drawing(self, detail: str = "clinical") -> nx.DiGraph:
        raise NotImplementedError

    def title(self) -> str:
        raise NotImplementedError

    def to_dot(self, detail: str = "clinical", **options) -> str:
        from explain.render import to_dot
        if detail not in DETAILS:
            raise UsageError(f"unknown detail {detail!r}: expected one of {', '.join(DETAILS)}")
        return to_dot(self.drawing(detail), title=self.title(), **options)

    def render(self, fmt: str = "svg", detail: str = "clinical", **options) -> bytes:
        from explain.render import render
        return render(self.to_dot(detail, **options), fmt)

    def _repr_svg_(self) -> str:
        return self.render("svg").decode("utf-8")


@dataclass(frozen=True)
class Step(AboutRule):
    """One numbered step of a proof: a rule's firing, the rule, and what the step concluded in it."""

    number: int
    firing: Firing
    rule: RuleMeta
    concluded: tuple[str, ...]

    @property
    def citations(self) -> tuple[str, ...]:
        return self.rule.citations

    @property
    def used(self) -> tuple[str, ...]:
        return tuple(p.text() for p in self.firing.premises)

    @property
    def relied_on_absence(self) -> tuple[str, ...]:
        return tuple(a.text() for a in self.firing.absences)

    def to_dict(self) -> dict:
        return {"number": self.number, "rule_id": self.rule_id, "title": self.title, "citations": self.citations,
                "used": self.used, "relied_on_absence": self.relied_on_absence, "concluded": self.concluded}

    def __repr__(self) -> str:
        return f"Step({self.number}, {self.rule_id}, concluded={self.concluded!r})"

    def citations_text(self) -> str:
        return ", ".join(CITATIONS[k].short for k in self.citations)

    def from_text(self) -> str:
        """What the step used: premises, then [absences it relied on]."""
        return "; ".join(self.used + tuple(f"[{a}]" for a in self.relied_on_absence)) or "no premise"

    def text(self) -> str:
        return (f"{self.number}. {self.rule_id} {self.title} ({self.citations_text()})\n"
                f"   from: {self.from_text()}\n   concludes: {', '.join(self.concluded)}")


@dataclass(frozen=True, repr=False)
class WhyAnswer(Drawable):
    """A why-explanation: the proof subgraph and its numbered steps, ending at the conclusion
    (`conclusion` is None for the whole plan, every shown conclusion's derivation at once)."""

    conclusion: str | None
    graph: nx.DiGraph = field(compare=False)
    steps: tuple[Step, ...]

    def text(self) -> str:
        head = (f"Why {self.conclusion} ({CONCLUSIONS[self.conclusion].label}):" if self.conclusion
                else "The whole plan, step by step (the drawing numbers its rules the same way):")
        return "\n".join([head, *(s.text() for s in self.steps)]) + "\n"

    def title(self) -> str:
        return f"why {self.conclusion}" if self.conclusion else self.graph.graph.get("title", "")

    def drawing(self, detail: str = "clinical", numbered: bool = True) -> nx.DiGraph:
        """The proof to draw, its rules numbered as the steps (unless `numbered` is false: the HTML page
        numbers each proof it shows); clues collapsed into the rules that use them unless detail='full'."""
        graph = self.graph.copy()
        if numbered:
            number_steps(graph)
        return graph if detail == "full" else focus(graph)

    def to_dict(self) -> dict:
        from networkx.readwrite import json_graph
        return {"conclusion": self.conclusion or "all", "steps": [s.to_dict() for s in self.steps],
                "graph": json_graph.node_link_data(self.graph, edges="edges")}

    def __repr__(self) -> str:
        what = self.conclusion or "the whole plan"
        return f"<WhyAnswer of {what}: {len(self.steps)} steps ({', '.join(s.rule_id for s in self.steps[:6])}" \
               f"{', ...' if len(self.steps) > 6 else ''})>"


def _require(result, cid, reached: bool):
    if cid not in CONCLUSIONS:
        raise UsageError(f"unknown conclusion id {cid!r}")
    if reached and cid not in result.ids():
        raise UsageError(f"{cid} was not concluded for case {result.case_id}; ask why-not instead")
    if not reached and cid in result.ids():
        raise UsageError(f"{cid} was concluded for case {result.case_id}; ask why instead")


def proof_nodes(graph: nx.DiGraph, cid: str) -> set[str]:
    """The minimal proof of a conclusion: its first derivation, back to input findings."""
    nodes, pending = set(), [node_id("c", cid)]
    while pending:
        node = pending.pop()
        if node in nodes:
            continue
        nodes.add(node)
        producers = [p for p in graph.predecessors(node) if graph.nodes[p]["type"] == "rule"]
        if graph.nodes[node]["type"] == "conclusion" and producers:
            pending.append(min(producers, key=lambda p: graph.nodes[p]["order"]))
        elif graph.nodes[node]["type"] == "rule":
            pending += list(graph.predecessors(node))
    return nodes


def _steps(result, rules, sub, graph) -> tuple[Step, ...]:
    firings = {f.order: f for f in result.firings}
    steps = []
    rule_nodes = sorted((d["order"], n) for n, d in sub.nodes(data=True) if d["type"] == "rule")
    for number, (order, node) in enumerate(rule_nodes, 1):
        firing = firings[order]
        concluded = tuple(graph.nodes[s]["id"] for s in sub.successors(node))
        steps.append(Step(number, firing, rules[firing.rule_id], concluded))
    return tuple(steps)


def why(result, cid: str, rules: dict, graph: nx.DiGraph | None = None) -> WhyAnswer:
    """The proof tree of a reached conclusion, as a subgraph and numbered plain-English steps."""
    _require(result, cid, reached=True)
    graph = graph if graph is not None else derivation_graph(result, rules)
    sub = induced(graph, proof_nodes(graph, cid))
    return WhyAnswer(cid, sub, _steps(result, rules, sub, graph))


def plan(result, rules: dict, detail: str = "clinical", graph: nx.DiGraph | None = None) -> WhyAnswer:
    """The whole consultation as one proof: the derivation of every conclusion a clinician sees
    (detail='full': of every conclusion, clues included), its rules numbered in firing order."""
    graph = graph if graph is not None else derivation_graph(result, rules)
    if detail == "full":
        sub = graph.copy()
    else:
        shown = [n for n, d in graph.nodes(data=True) if d["type"] == "conclusion" and CONCLUSIONS[d["id"]].shown]
        sub = induced(graph, set().union(*(proof_nodes(graph, graph.nodes[n]["id"]) for n in shown)))
    return WhyAnswer(None, sub, _steps(result, rules, sub, graph))


@dataclass(frozen=True, repr=False)
class HowAnswer(Drawable):
    """Everything one input finding contributed to: the conclusions and rules downstream of it."""

    finding: str
    conclusions: tuple[str, ...]
    rules: tuple[str, ...]
    graph: nx.DiGraph = field(compare=False, default=None)

    def text(self) -> str:
        if not self.conclusions:
            return f"{self.finding} contributed to no conclusion.\n"
        return (f"{self.finding} contributed, through {', '.join(self.rules)}, to:\n"
                + "".join(f"  {c}  {CONCLUSIONS[c].label}\n" for c in self.conclusions))

    def title(self) -> str:
        return f"how {self.finding} contributed"

    def drawing(self, detail: str = "clinical") -> nx.DiGraph:
        graph = number_steps(self.graph.copy())
        return graph if detail == "full" else focus(graph)

    def to_dict(self) -> dict:
        return {"finding": self.finding, "conclusions": list(self.conclusions), "rules": list(self.rules)}

    def __repr__(self) -> str:
        return f"<HowAnswer {self.finding}: {len(self.conclusions)} conclusions through {len(self.rules)} rules>"


def how(result, finding: str, rules: dict | None = None) -> HowAnswer:
    """Everything an input finding contributed to (all conclusions downstream of it)."""
    if finding not in FINDINGS:
        raise UsageError(f"unknown finding id {finding!r}")
    if finding not in dict(result.findings):
        raise UsageError(f"{finding} was not examined in case {result.case_id}")
    graph = derivation_graph(result, rules)
    start = node_id("f", finding)
    if start not in graph:  # no rule read it: draw the finding alone
        graph.add_node(start, type="finding", id=finding, kind="finding", column=0,
                       label=finding_text(finding, dict(result.findings)[finding]))
    sub = downstream(graph, start)
    order = {c.id: i for i, c in enumerate(result.conclusions)}
    conclusions = sorted((d["id"] for n, d in sub.nodes(data=True) if d["type"] == "conclusion"), key=order.get)
    fired = sorted({d["id"] for n, d in sub.nodes(data=True) if d["type"] == "rule"})
    return HowAnswer(finding, tuple(conclusions), tuple(fired), sub)


@dataclass(frozen=True)
class Check:
    """One condition of a candidate rule in a why-not: its words, what happened to it ("holds",
    "missing", "contradicted", "blocked", "not concluded") and the detail (the value, the blocker)."""

    text: str
    status: str
    detail: str = ""
    conclusions: tuple[str, ...] = ()  # the conclusions it names (blockers, or the ones it needs)


@dataclass(frozen=True)
class Candidate:
    """One rule that could have concluded the id, and why it did not fire."""

    rule_id: str
    title: str
    failed: str          # the first condition that failed, in words
    reason: str          # "missing" (not examined), "contradicted", "blocked", "not concluded"
    detail: str
    other_failures: int  # further conditions that also fail
    blocked_by: tuple[str, ...] = ()  # conclusions present that a NOT condition of the rule forbids
    sub: tuple[WhyNotAnswer, ...] = ()
    checks: tuple[Check, ...] = ()     # every condition of the rule, in order, with its status


@dataclass(frozen=True, repr=False)
class WhyNotAnswer(Drawable):
    """Why a conclusion was not reached: every rule that could conclude it, each condition's fate."""

    conclusion: str
    candidates: tuple[Candidate, ...]

    def title(self) -> str:
        return f"why not {self.conclusion}"

    def drawing(self, detail: str = "clinical") -> nx.DiGraph:
        """Not-reached conclusion <- candidate rules <- their conditions (coloured by what happened:
        holds / missing / contradicted / blocked / not concluded); a blocking conclusion points at the
        condition it blocks; a missing intermediate conclusion expands into its own why-not."""
        graph = nx.DiGraph(title=self.title())
        _why_not_nodes(graph, self)
        return graph

    def to_dict(self) -> dict:
        return asdict(self)

    def __repr__(self) -> str:
        return f"<WhyNotAnswer {self.conclusion}: {len(self.candidates)} candidate rules " \
               f"({', '.join(c.rule_id for c in self.candidates[:6])})>"

    def text(self, indent: int = 0) -> str:
        pad = "  " * indent
        lines = [f"{pad}Why not {self.conclusion} ({CONCLUSIONS[self.conclusion].label}):"]
        if not self.candidates:
            lines.append(f"{pad}  no rule concludes it")
        for c in self.candidates:
            more = f" (+{c.other_failures} more failing)" if c.other_failures else ""
            lines.append(f"{pad}  {c.rule_id} {c.title}")
            lines.append(f"{pad}    first failing condition: {c.failed} -- {c.reason}: {c.detail}{more}")
            if c.blocked_by:
                lines.append(f"{pad}    blocked by: {', '.join(c.blocked_by)}")
            lines += [s.text(indent + 2).rstrip("\n") for s in c.sub]
        return "\n".join(lines) + "\n"

    def one_line(self) -> str:
        """A compact summary for regression reports."""
        if not self.candidates:
            return f"{self.conclusion}: no rule concludes it"
        c = self.candidates[0]
        return f"{self.conclusion}: {c.rule_id} failed on {c.failed} ({c.reason}: {c.detail})"


def _why_not_nodes(graph, answer: WhyNotAnswer, prefix: str = "w") -> str:
    target = node_id(f"{prefix}n", answer.conclusion)
    graph.add_node(target, type="conclusion", id=answer.conclusion, kind="not_reached",
                   label=CONCLUSIONS[answer.conclusion].label, column=4)
    for i, candidate in enumerate(answer.candidates):
        rnode = node_id(f"{prefix}{i}r", candidate.rule_id)
        graph.add_node(rnode, type="rule", id=candidate.rule_id, kind="rule", title=candidate.title,
                       citations=(), label=candidate.rule_id, column=3, failed=True)
        graph.add_edge(rnode, target, role="could conclude")
        subs = {s.conclusion: s for s in candidate.sub}
        for j, check in enumerate(candidate.checks):
            cnode = f"{rnode}_c{j}"
            label = {"holds": check.text, "missing": f"needs {check.text}\nbut it was not examined",
                     "contradicted": f"needs {check.text}\nbut recorded: {check.detail}",
                     "blocked": f"needs {check.text}\nbut {check.detail}",
                     "not concluded": f"needs {check.text}\nnot reached"}[check.status]
            graph.add_node(cnode, type="condition", id=check.text, kind="cond_" + check.status.replace(" ", "_"),
                           label=label, column=1, first=check.text == candidate.failed)
            graph.add_edge(cnode, rnode, role="absence" if check.status == "blocked" else "premise")
            for cid in check.conclusions:
                if check.status == "blocked":
                    bnode = node_id("c", cid)
                    graph.add_node(bnode, type="conclusion", id=cid, kind=CONCLUSIONS[cid].kind.value,
                                   label=CONCLUSIONS[cid].label, column=0)
                    graph.add_edge(bnode, cnode, role="blocks")
                elif check.status == "not concluded" and cid in subs:
                    graph.add_edge(_why_not_nodes(graph, subs[cid], f"{rnode}_s"), cnode, role="premise")
    return target


def _check(cond, findings, concluded) -> Check:
    if cond.holds(findings, concluded):
        named = tuple(c for c in cond.conclusions() if c in concluded)
        return Check(cond.text(), "holds", "", () if cond.is_absence else named)
    status, detail = cond.diagnose(findings, concluded)
    named = cond.conclusions()
    if status == "blocked":
        named = tuple(sorted(c for c in named if c in concluded))
    elif status == "not concluded":
        named = tuple(c for c in named if c not in concluded)
    return Check(cond.text(), status, detail, tuple(named))


def why_not(result, cid: str, rules: dict, depth: int = 3, _seen=None) -> WhyNotAnswer:
    """For a conclusion not reached: every rule that could conclude it and its first failed condition;
    missing intermediate conclusions are explained recursively (up to `depth`)."""
    _require(result, cid, reached=False)
    findings, concluded = dict(result.findings), result.ids()
    seen = set(_seen or ()) | {cid}
    candidates = []
    for meta in sorted((m for m in rules.values() if cid in m.then), key=lambda m: m.id):
        failing = [c for c in meta.when if not c.holds(findings, concluded)]
        if not failing:
            continue  # its conditions hold now: a later-layer guard decided (cannot happen in a clean KB)
        first = failing[0]
        reason, detail = first.diagnose(findings, concluded)
        sub = ()
        if depth > 0 and reason == "not concluded":
            sub = tuple(why_not(result, c, rules, depth - 1, seen) for c in first.conclusions()
                        if c not in concluded and c not in seen)
        blocked_by = tuple(sorted({b for c in failing if c.diagnose(findings, concluded)[0] == "blocked"
                                   for b in c.conclusions() if b in concluded}))
        checks = tuple(_check(c, findings, concluded) for c in meta.when)
        candidates.append(Candidate(meta.id, meta.title, first.text(), reason, detail, len(failing) - 1,
                                    blocked_by, sub, checks))
    return WhyNotAnswer(cid, tuple(candidates))


@dataclass(frozen=True, repr=False)
class DiffAnswer(Drawable):
    """What changes between two consultations (e.g. 'what if the slump test were negative?')."""

    findings_changed: tuple[tuple[str, object, object], ...]
    gained: tuple[str, ...]
    lost: tuple[str, ...]
    rules_gained: tuple[str, ...]
    rules_lost: tuple[str, ...]
    reasons: tuple[str, ...]
    plans: tuple = field(default=(), compare=False)  # the two whole-plan Explanations, A then B

    def text(self) -> str:
        out = ["Findings changed:"]
        out += [f"  {f}: {value_text(a)} -> {value_text(b)}" for f, a, b in self.findings_changed] or ["  none"]
        out += ["Conclusions gained:"] + ([f"  + {c}  {CONCLUSIONS[c].label}" for c in self.gained] or ["  none"])
        out += ["Conclusions lost:"] + ([f"  - {c}  {CONCLUSIONS[c].label}" for c in self.lost] or ["  none"])
        out += ["Rules that now fire: " + (", ".join(self.rules_gained) or "none"),
                "Rules that no longer fire: " + (", ".join(self.rules_lost) or "none"), "Why:"]
        out += [f"  {r}" for r in self.reasons] or ["  nothing changed"]
        return "\n".join(out) + "\n"

    def title(self) -> str:
        changed = ", ".join(f"{f}: {value_text(a)} -> {value_text(b)}" for f, a, b in self.findings_changed[:3])
        more = f" (+{len(self.findings_changed) - 3} more)" if len(self.findings_changed) > 3 else ""
        return f"what changes: {changed or 'no finding'}{more}"

    def drawing(self, detail: str = "clinical") -> nx.DiGraph:
        """A and B side by side (clusters), each its whole plan; in A what is lost is marked, in B
        what is gained (conclusions and rules)."""
        graph = nx.DiGraph(title=self.title())
        marks = (("a", "A: before", "lost", set(self.lost), set(self.rules_lost)),
                 ("b", "B: after", "gained", set(self.gained), set(self.rules_gained)))
        for (side, heading, mark, conclusions, rules), explanation in zip(marks, self.plans):
            part = explanation.drawing(detail)
            rename = {n: f"{side}_{n}" for n in part}
            for node, data in part.nodes(data=True):
                changed = data["id"] in (conclusions if data["type"] == "conclusion" else
                                         rules if data["type"] == "rule" else ())
                if data["type"] == "finding" and data["id"] in {f for f, _, _ in self.findings_changed}:
                    changed, mark_here = True, "changed"
                else:
                    mark_here = mark
                graph.add_node(rename[node], **data, cluster=heading, **({"mark": mark_here} if changed else {}))
            for source, target, data in part.edges(data=True):
                graph.add_edge(rename[source], rename[target], **data)
        # side by side: an invisible spacer after everything of A and before everything of B
        graph.add_node("diff_gap", type="spacer", kind="spacer", id="", label="", column=5)
        for node, data in list(graph.nodes(data=True)):
            if node.startswith("a_") and graph.out_degree(node) == 0:
                graph.add_edge(node, "diff_gap", role="layout")
            elif node.startswith("b_") and graph.in_degree(node) == 0:
                graph.add_edge("diff_gap", node, role="layout")
        return graph

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "plans"}

    def __repr__(self) -> str:
        return f"<DiffAnswer: {len(self.findings_changed)} findings changed, +{len(self.gained)} -{len(self.lost)} conclusions>"


_MISSING = "(not examined)"


def _visible(result) -> set[str]:
    return {c for c in result.ids() if CONCLUSIONS[c].shown}


def diff(a, b, rules: dict, drawable: bool = True) -> DiffAnswer:
    """Compare two consultations: findings, conclusions and rules, with a reason per changed conclusion
    (`drawable=False`: without the two whole plans a drawing needs, for a caller that only lists them)."""
    fa, fb = dict(a.findings), dict(b.findings)
    changed = tuple((f, fa.get(f, _MISSING), fb.get(f, _MISSING)) for f in sorted(set(fa) | set(fb))
                    if fa.get(f, _MISSING) != fb.get(f, _MISSING))
    visible_a, visible_b = _visible(a), _visible(b)
    gained = tuple(c.id for c in b.conclusions if c.id in visible_b - visible_a)
    lost = tuple(c.id for c in a.conclusions if c.id in visible_a - visible_b)
    reasons = [f"+ {c}: {b.get(c).rule_id} {b.get(c).because}" for c in gained]
    reasons += [f"- {why_not(b, c, rules, depth=0).one_line()}" for c in lost]
    fired_a, fired_b = set(a.fired_rules()), set(b.fired_rules())
    return DiffAnswer(changed, gained, lost, tuple(sorted(fired_b - fired_a)), tuple(sorted(fired_a - fired_b)),
                tuple(reasons), (plan(a, rules), plan(b, rules)) if drawable else ())
