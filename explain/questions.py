"""Questions about a consultation: why (proof), how (what a finding contributed to), why not (what
failed, recursively), and diff (what changes when findings change).

>>> from engine import case_from_mapping, consult, rule_by_id
>>> result = consult(case_from_mapping({"id": "x", "findings": {"saddle_numbness": True}}))
>>> why(result, "ref_emergency_same_day", rule_by_id()).steps[-1].rule_id
'RF-030'
"""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from engine.errors import UsageError
from explain.graph import derivation_graph, node_id
from kb.conditions import Has, Lacks, NoneOfKind, TwoOf, Unknown, finding_text, value_text
from kb.evidence import CITATIONS
from kb.vocabulary import CONCLUSIONS, FINDINGS

__all__ = ["Step", "Explanation", "why", "how", "why_not", "WhyNot", "Candidate", "diff", "Diff"]


@dataclass(frozen=True)
class Step:
    """One numbered step of a proof: a rule, what it used, what it concluded."""

    number: int
    rule_id: str
    title: str
    citations: tuple[str, ...]
    used: tuple[str, ...]
    relied_on_absence: tuple[str, ...]
    concluded: tuple[str, ...]

    def text(self) -> str:
        cites = ", ".join(CITATIONS[k].short for k in self.citations)
        used = "; ".join(self.used + tuple(f"[{a}]" for a in self.relied_on_absence)) or "no premise"
        return (f"{self.number}. {self.rule_id} {self.title} ({cites})\n"
                f"   from: {used}\n   concludes: {', '.join(self.concluded)}")


@dataclass(frozen=True)
class Explanation:
    """A why-explanation: the proof subgraph and its numbered steps, ending at the conclusion."""

    conclusion: str
    graph: nx.DiGraph = field(compare=False, repr=False)
    steps: tuple[Step, ...]

    def text(self) -> str:
        head = f"Why {self.conclusion} ({CONCLUSIONS[self.conclusion].label}):"
        return "\n".join([head, *(s.text() for s in self.steps)]) + "\n"

    def _repr_svg_(self) -> str:
        from explain.render import render, to_dot
        return render(to_dot(self.graph, title=f"why {self.conclusion}"), "svg").decode("utf-8")


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


def why(result, cid: str, rules: dict, graph: nx.DiGraph | None = None) -> Explanation:
    """The proof tree of a reached conclusion, as a subgraph and numbered plain-English steps."""
    _require(result, cid, reached=True)
    graph = graph if graph is not None else derivation_graph(result, rules)
    sub = graph.subgraph(proof_nodes(graph, cid)).copy()
    firings = {f.order: f for f in result.firings}
    steps = []
    rule_nodes = sorted((d["order"], n) for n, d in sub.nodes(data=True) if d["type"] == "rule")
    for number, (order, node) in enumerate(rule_nodes, 1):
        firing, meta = firings[order], rules[firings[order].rule_id]
        concluded = tuple(graph.nodes[s]["id"] for s in sub.successors(node))
        steps.append(Step(number, firing.rule_id, meta.title, meta.citations,
                          tuple(p.text() for p in firing.premises), tuple(a.text() for a in firing.absences),
                          concluded))
    return Explanation(cid, sub, tuple(steps))


@dataclass(frozen=True)
class HowAnswer:
    finding: str
    conclusions: tuple[str, ...]
    rules: tuple[str, ...]

    def text(self) -> str:
        if not self.conclusions:
            return f"{self.finding} contributed to no conclusion.\n"
        return (f"{self.finding} contributed, through {', '.join(self.rules)}, to:\n"
                + "".join(f"  {c}  {CONCLUSIONS[c].label}\n" for c in self.conclusions))


def how(result, finding: str, rules: dict | None = None) -> HowAnswer:
    """Everything an input finding contributed to (all conclusions downstream of it)."""
    if finding not in FINDINGS:
        raise UsageError(f"unknown finding id {finding!r}")
    if finding not in dict(result.findings):
        raise UsageError(f"{finding} was not examined in case {result.case_id}")
    graph = derivation_graph(result, rules)
    start = node_id("f", finding)
    down = nx.descendants(graph, start) if start in graph else set()
    order = {c.id: i for i, c in enumerate(result.conclusions)}
    conclusions = sorted((graph.nodes[n]["id"] for n in down if graph.nodes[n]["type"] == "conclusion"),
                         key=order.get)
    fired = sorted({graph.nodes[n]["id"] for n in down if graph.nodes[n]["type"] == "rule"})
    return HowAnswer(finding, tuple(conclusions), tuple(fired))


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
    sub: tuple[WhyNot, ...] = ()


@dataclass(frozen=True)
class WhyNot:
    conclusion: str
    candidates: tuple[Candidate, ...]

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


def _diagnose(cond, findings, concluded) -> tuple[str, str]:
    if isinstance(cond, (Lacks, NoneOfKind)):
        blockers = sorted(c for c in cond.conclusions() if c in concluded)
        return "blocked", f"{', '.join(blockers)} was concluded"
    if isinstance(cond, Unknown):
        return "contradicted", f"{cond.finding} was examined ({value_text(findings[cond.finding])})"
    if isinstance(cond, (Has, TwoOf)):
        return "not concluded", "the intermediate conclusion was not reached"
    if cond.finding not in findings:
        return "missing", f"{cond.finding} not examined"
    return "contradicted", finding_text(cond.finding, findings[cond.finding])


def why_not(result, cid: str, rules: dict, depth: int = 3, _seen=None) -> WhyNot:
    """For a conclusion not reached: every rule that could conclude it and its first failed condition;
    missing intermediate conclusions are explained recursively (up to `depth`)."""
    _require(result, cid, reached=False)
    findings, concluded = dict(result.findings), result.ids()
    seen = set(_seen or ()) | {cid}
    candidates = []
    for meta in sorted(rules.values(), key=lambda m: m.id):
        if cid not in meta.then:
            continue
        failing = [c for c in meta.when if not c.holds(findings, concluded)]
        if not failing:
            continue  # its conditions hold now: a later-layer guard decided (cannot happen in a clean KB)
        first = failing[0]
        reason, detail = _diagnose(first, findings, concluded)
        sub = ()
        if depth > 0 and isinstance(first, (Has, TwoOf)):
            sub = tuple(why_not(result, c, rules, depth - 1, seen) for c in first.conclusions()
                        if c not in concluded and c not in seen)
        blocked_by = tuple(sorted({b for c in failing if isinstance(c, (Lacks, NoneOfKind))
                                   for b in c.conclusions() if b in concluded}))
        candidates.append(Candidate(meta.id, meta.title, first.text(), reason, detail, len(failing) - 1,
                                    blocked_by, sub))
    return WhyNot(cid, tuple(candidates))


@dataclass(frozen=True)
class Diff:
    """What changes between two consultations (e.g. 'what if the slump test were negative?')."""

    findings_changed: tuple[tuple[str, object, object], ...]
    gained: tuple[str, ...]
    lost: tuple[str, ...]
    rules_gained: tuple[str, ...]
    rules_lost: tuple[str, ...]
    reasons: tuple[str, ...]

    def text(self) -> str:
        out = ["Findings changed:"]
        out += [f"  {f}: {value_text(a)} -> {value_text(b)}" for f, a, b in self.findings_changed] or ["  none"]
        out += ["Conclusions gained:"] + ([f"  + {c}  {CONCLUSIONS[c].label}" for c in self.gained] or ["  none"])
        out += ["Conclusions lost:"] + ([f"  - {c}  {CONCLUSIONS[c].label}" for c in self.lost] or ["  none"])
        out += ["Rules that now fire: " + (", ".join(self.rules_gained) or "none"),
                "Rules that no longer fire: " + (", ".join(self.rules_lost) or "none"), "Why:"]
        out += [f"  {r}" for r in self.reasons] or ["  nothing changed"]
        return "\n".join(out) + "\n"


_MISSING = "(not examined)"


def _visible(result) -> set[str]:
    return {c for c in result.ids() if CONCLUSIONS[c].shown}


def diff(a, b, rules: dict) -> Diff:
    """Compare two consultations: findings, conclusions and rules, with a reason per changed conclusion."""
    fa, fb = dict(a.findings), dict(b.findings)
    changed = tuple((f, fa.get(f, _MISSING), fb.get(f, _MISSING)) for f in sorted(set(fa) | set(fb))
                    if fa.get(f, _MISSING) != fb.get(f, _MISSING))
    visible_a, visible_b = _visible(a), _visible(b)
    gained = tuple(c.id for c in b.conclusions if c.id in visible_b - visible_a)
    lost = tuple(c.id for c in a.conclusions if c.id in visible_a - visible_b)
    reasons = [f"+ {c}: {b.get(c).rule_id} {b.get(c).because}" for c in gained]
    reasons += [f"- {why_not(b, c, rules, depth=0).one_line()}" for c in lost]
    fired_a, fired_b = set(a.fired_rules()), set(b.fired_rules())
    return Diff(changed, gained, lost, tuple(sorted(fired_b - fired_a)), tuple(sorted(fired_a - fired_b)),
                tuple(reasons))
