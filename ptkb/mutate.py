"""Mutation check of the scenario suite: small changes to the rules that some scenario should catch.

Each mutant drops one condition, flips one value (true/false, another enum value, Has/Lacks, a
threshold moved by one unit) or removes one rule; the suite "kills" it when any scenario's
expectation fails. The kill ratio measures how well the scenarios pin the knowledge down.
"""
from __future__ import annotations

import multiprocessing
import random
from dataclasses import dataclass, replace

from experta import KnowledgeEngine

from engine import consult_with, find_case_files, load_case
from engine.runner import drop_engine
from kb.conditions import Above, AtLeast, AtMost, Below, Has, Is, Lacks, RuleMeta
from kb.rulebook import compile_rule
from kb.vocabulary import FINDINGS
from ptkb.regress import check_expectations

__all__ = ["Mutant", "MutationReport", "make_mutants", "run_mutations"]


@dataclass(frozen=True)
class Mutant:
    description: str
    rules: tuple[RuleMeta, ...]


@dataclass(frozen=True)
class MutationReport:
    total: int
    killed: int
    survivors: tuple[str, ...]
    seed: int

    @property
    def kill_ratio(self) -> float:
        return self.killed / self.total if self.total else 1.0

    def text(self) -> str:
        lines = [f"mutants: {self.total} (seed {self.seed}), killed: {self.killed}, "
                 f"kill ratio: {100 * self.kill_ratio:.1f}%"]
        lines += [f"  survived: {s}" for s in self.survivors]
        return "\n".join(lines) + "\n"


def _flipped(cond):
    if isinstance(cond, Is):
        finding = FINDINGS.get(cond.finding)
        if isinstance(cond.value, bool):
            return Is(cond.finding, not cond.value)
        if finding is not None and finding.type == "enum":
            return Is(cond.finding, next(v for v in finding.values if v != cond.value))
        return None
    if isinstance(cond, Has):
        return Lacks(cond.conclusion)
    if isinstance(cond, Lacks):
        return Has(cond.conclusion)
    if isinstance(cond, (AtLeast, AtMost, Above, Below)):
        return type(cond)(cond.finding, cond.limit + 1)
    return None


def _candidates(metas):
    out = []
    for index, meta in enumerate(metas):
        out.append(("remove", index, None))
        for position, cond in enumerate(meta.when):
            out.append(("drop", index, position))
            if _flipped(cond) is not None:
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
            rules, what = metas[:index] + metas[index + 1:], f"remove {meta.id}"
        else:
            when = list(meta.when)
            old = when[position]
            if op == "drop":
                del when[position]
                what = f"{meta.id}: drop condition '{old.text()}'"
            else:
                when[position] = _flipped(old)
                what = f"{meta.id}: flip '{old.text()}' to '{when[position].text()}'"
            rules = metas[:index] + (replace(meta, when=tuple(when)),) + metas[index + 1:]
        mutants.append(Mutant(what, rules))
    return mutants


def _engine_class(rules):
    return type("MutantKB", (KnowledgeEngine,), {m.method: compile_rule(m) for m in rules})


_CASES: list = []


def _killed(mutant: Mutant) -> bool:
    kb_class = _engine_class(mutant.rules)
    try:
        for case in _CASES:
            try:
                result = consult_with(kb_class, case)
            except Exception:  # a mutant that breaks the engine is caught by any test
                return True
            if any(check_expectations(case, result).values()):
                return True
        return False
    finally:
        drop_engine(kb_class)


def run_mutations(paths, n: int, seed: int = 0, jobs: int = 1, metas=None) -> MutationReport:
    """Apply `n` mutations to the rules and run the scenarios under `paths` against each."""
    from engine import catalogue
    metas = tuple(metas if metas is not None else catalogue())
    _CASES[:] = [load_case(p) for p in find_case_files(paths)]
    mutants = make_mutants(metas, n, seed)
    if jobs > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            outcomes = pool.map(_killed, mutants, chunksize=1)
    else:
        outcomes = [_killed(m) for m in mutants]
    survivors = tuple(m.description for m, killed in zip(mutants, outcomes) if not killed)
    return MutationReport(len(mutants), sum(outcomes), survivors, seed)
