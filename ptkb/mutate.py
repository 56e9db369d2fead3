"""Mutation check of the scenario suite: small changes to the rules that some scenario should catch.

Each mutant drops one condition, flips one value (true/false, another enum value, Has/Lacks, a
threshold moved by one unit) or removes one rule; the suite "kills" it when any scenario's
expectation fails. The kill ratio measures how well the scenarios pin the knowledge down.
"""
from __future__ import annotations

import multiprocessing
import random
from dataclasses import dataclass, replace

from engine import find_case_files, load_case, outcome_with
from engine.errors import UsageError
from engine.evaluator import OpenRule, compile_rules
from engine.runner import drop_engine
from kb.conditions import RuleMeta
from kb.rulebook import KnowledgeEngine, compile_rule

__all__ = ["Mutant", "MutantOutcome", "MutationReport", "make_mutants", "run_mutations"]


@dataclass(frozen=True)
class Mutant:
    description: str
    rules: tuple[RuleMeta, ...]
    changed: str            # the rule id that was changed or removed
    mutated: RuleMeta | None  # the changed rule (None when removed)


@dataclass(frozen=True)
class MutantOutcome:
    description: str
    killed: bool
    ran_on: str  # "evaluator", "experta", or "none" (no scenario it could affect was run)


@dataclass(frozen=True)
class MutationReport:
    """Every mutant's outcome, in the order they were made; the counts are read from them."""

    outcomes: tuple[MutantOutcome, ...]
    seed: int
    engine: str = "evaluator"  # the engine asked for; a mutant it cannot express ran on experta

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def killed(self) -> int:
        return sum(o.killed for o in self.outcomes)

    @property
    def survivors(self) -> tuple[str, ...]:
        return tuple(o.description for o in self.outcomes if not o.killed)

    @property
    def fallbacks(self) -> int:
        """Mutants run on experta because the evaluator could not express them."""
        return sum(o.ran_on == "experta" for o in self.outcomes) if self.engine == "evaluator" else 0

    @property
    def kill_ratio(self) -> float:
        return self.killed / self.total if self.total else 1.0

    def text(self) -> str:
        lines = [f"mutants: {self.total} (seed {self.seed}), killed: {self.killed}, "
                 f"kill ratio: {100 * self.kill_ratio:.1f}%, run on experta: {self.fallbacks}"]
        lines += [f"  survived: {s}" for s in self.survivors]
        return "\n".join(lines) + "\n"


def _candidates(metas):
    out = []
    for index, meta in enumerate(metas):
        out.append(("remove", index, None))
        for position, cond in enumerate(meta.when):
            out.append(("drop", index, position))
            if cond.flipped() is not None:
                out.append(("flip", index, position))
    return out


def make_mutants(metas, n: int, seed: int) -> list[Mutant]:
    """`n` distinct mutants chosen with a seeded random generator."""
    metas = tuple(metas)
    candidates = _candidates(metas)
    chosen = random.Random(seed).sample(candidates, min(n, len(candidates)))
    mutants = []
    for op, index, position in chosen:
        meta = metas[index]
        if op == "remove":
            rules, what, changed = metas[:index] + metas[index + 1:], f"remove {meta.id}", None
        else:
            when = list(meta.when)
            old = when[position]
            if op == "drop":
                del when[position]
                what = f"{meta.id}: drop condition '{old.text()}'"
            else:
                when[position] = old.flipped()
                what = f"{meta.id}: flip '{old.text()}' to '{when[position].text()}'"
            changed = replace(meta, when=tuple(when))
            rules = metas[:index] + (changed,) + metas[index + 1:]
        mutants.append(Mutant(what, rules, meta.id, changed))
    return mutants


def _engine_class(rules):
    return type("MutantKB", (KnowledgeEngine,), {m.method: compile_rule(m) for m in rules})


@dataclass(frozen=True)
class Baseline:
    """One scenario's unmutated run: what a mutant's outcome is compared with."""

    case: object
    findings: dict
    concluded: frozenset
    fired: frozenset


def _affected(mutant: Mutant, baselines):
    """The scenarios whose outcome the mutant can change: where the rule fired, or where its mutated
    conditions hold in the original final state. Exact because a rule's NOT conditions only look at
    earlier layers (lint's order-dependent-negation check): everything upstream of the changed rule
    is the same in the mutant's run."""
    for b in baselines:
        if mutant.changed in b.fired or (mutant.mutated is not None
                                         and all(c.holds(b.findings, b.concluded) for c in mutant.mutated.when)):
            yield b.case


def _killed(mutant: Mutant, baselines, prefilter: bool = True, engine: str = "evaluator",
            open_rule: OpenRule | None = None) -> tuple[bool, str]:
    """(killed, engine used): the compiled evaluator when it can express the mutant (through
    `open_rule`, the unchanged rules compiled once with the changed rule left open, when given), else experta."""
    cases = list(_affected(mutant, baselines)) if prefilter else [b.case for b in baselines]
    if not cases:
        return False, "none"
    if engine == "evaluator":
        try:
            evaluate = (open_rule.fill(mutant.mutated and mutant.mutated.when) if open_rule
                        else compile_rules(mutant.rules))
        except UsageError:  # e.g. the mutant is not stratified: only experta can say what it does
            engine = "experta"
        else:
            return any(case.expect.check(evaluate(dict(case.findings))).failed for case in cases), engine
    kb_class = _engine_class(mutant.rules)
    try:
        for case in cases:
            try:
                result = outcome_with(kb_class, case)
            except Exception:  # a mutant that breaks the engine is caught by any test
                return True, engine
            if case.expect.check(result).failed:
                return True, engine
        return False, engine
    finally:
        drop_engine(kb_class)


def _killed_together(group, metas, baselines, prefilter: bool, engine: str) -> list[tuple[bool, str]]:
    """The mutants of one rule, the unchanged rules compiled once for all of them."""
    open_rule = OpenRule(metas, group[0].changed) if engine == "evaluator" else None
    return [_killed(m, baselines, prefilter, engine, open_rule) for m in group]


_WORK: dict = {}  # what every group needs, set before the pool forks: a task carries only its indices


def _killed_group(indices) -> list[tuple[bool, str]]:
    work = _WORK
    return _killed_together([work["mutants"][i] for i in indices], work["metas"], work["baselines"],
                            work["prefilter"], work["engine"])


def run_mutations(paths, n: int, seed: int = 0, jobs: int = 1, metas=None, prefilter: bool = True,
                  engine: str = "evaluator") -> MutationReport:
    """Apply `n` mutations to the rules and run the scenarios under `paths` against each (with
    `prefilter`, only the scenarios the mutant can affect; the result is the same, faster). Each
    mutant runs on the compiled evaluator (`engine="experta"` forces the engine of record); a mutant
    the evaluator cannot express falls back to experta and is counted."""
    from engine import catalogue
    metas = tuple(metas if metas is not None else catalogue())
    original = _engine_class(metas)
    baselines = []
    for path in find_case_files(paths):
        case = load_case(path)
        result = outcome_with(original, case)
        baselines.append(Baseline(case, dict(case.findings), frozenset(result.ids()), frozenset(result.fired_rules())))
    drop_engine(original)
    baselines = tuple(baselines)
    mutants = make_mutants(metas, n, seed)
    by_rule: dict[str, list[int]] = {}
    for i, mutant in enumerate(mutants):
        by_rule.setdefault(mutant.changed, []).append(i)
    _WORK.update(mutants=mutants, metas=metas, baselines=baselines, prefilter=prefilter, engine=engine)
    try:
        if jobs > 1:
            from ptkb.regression import ignore_sigint
            with multiprocessing.get_context("fork").Pool(jobs, initializer=ignore_sigint) as pool:
                results = pool.map(_killed_group, list(by_rule.values()), chunksize=4)
        else:
            results = [_killed_group(indices) for indices in by_rule.values()]
    finally:
        _WORK.clear()
    outcomes = [None] * len(mutants)
    for indices, group_outcomes in zip(by_rule.values(), results):
        for i, outcome in zip(indices, group_outcomes):
            outcomes[i] = outcome
    return MutationReport(tuple(MutantOutcome(m.description, killed, used)
                                for m, (killed, used) in zip(mutants, outcomes)), seed, engine)
