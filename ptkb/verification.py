"""`ptkb verify`: prove the safety invariants for every possible case, and find a witness case for
every conclusion and every rule -- with an SMT solver (z3) over a logical model of the knowledge base.

The model is generated from the rules' own conditions (each condition class gives its meaning as
`to_logic`, beside `holds`), so there is no second, hand-written semantics:
- every finding is "examined or not" (`present_f`) plus a value in its declared domain (a boolean,
  one of the enumerated values, or a real number within the declared range);
- every rule fires exactly when all its conditions hold; every conclusion holds exactly when one of
  the rules that conclude it fires. For a knowledge base that lint accepts (no cycles, every negation
  looks at an earlier layer) these equations have one solution, the one the engine computes.

A counterexample or witness is minimised (fewest examined findings), turned into a case and run
through the experta engine; if the engine disagrees with the model, that is reported as a
model/engine mismatch, never as a pass.

>>> report = verify(jobs=1, include_rules=False, include_conclusions=False)  # the invariants only
>>> report.ok, len(report.invariants) > 30, report.conclusions
(True, True, ())
"""
from __future__ import annotations

import json
import multiprocessing
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kb.vocabulary import CONCLUSIONS, FINDINGS, FindingType

__all__ = ["Model", "rule_outcome", "sole_producer", "verify", "VerifyReport", "Outcome", "report_text", "report_json", "report_sarif"]


class Model:
    """The logical model of a knowledge-base class (z3 terms for findings, rules and conclusions)."""

    def __init__(self, metas, mutate=None):
        import z3
        self.z3 = z3
        self._solver = self._optimizer = None
        self.metas = {m.id: m for m in metas}
        self._present = {f: z3.Bool(f"present__{f}") for f in FINDINGS}
        self._value = {}
        self.domain = []
        for fid, definition in FINDINGS.items():
            if definition.type is FindingType.BOOL:
                self._value[fid] = z3.Bool(f"value__{fid}")
            elif definition.type is FindingType.ENUM:
                v = self._value[fid] = z3.Int(f"value__{fid}")
                self.domain.append(z3.And(v >= 0, v < len(definition.values)))
            else:
                v = self._value[fid] = z3.Real(f"value__{fid}")
                self.domain.append(z3.And(v >= definition.low, v <= definition.high))
        self._concluded = {c: z3.Bool(c) for c in CONCLUSIONS}
        self.fire = {}
        self.equations = []
        producers: dict[str, list] = {c: [] for c in CONCLUSIONS}
        for meta in metas:
            fire = self.fire[meta.id] = z3.Bool(f"fire__{meta.id}")
            when = [c.to_logic(self) for c in meta.when]
            if mutate is not None:
                when = mutate(meta, when)
            self.equations.append(fire == z3.And(*when) if when else fire)
            for cid in meta.then:
                producers.setdefault(cid, []).append(fire)
        self.producers = producers
        for cid, fires in producers.items():
            self.equations.append(self._concluded[cid] == (z3.Or(*fires) if fires else z3.BoolVal(False)))

    # the vocabulary of `Condition.to_logic`
    def present(self, fid):
        return self._present[fid]

    def value(self, fid):
        return self._value[fid]

    def literal(self, fid, value):
        definition = FINDINGS[fid]
        if definition.type is FindingType.BOOL:
            return self.z3.BoolVal(bool(value))
        if definition.type is FindingType.ENUM:
            return self.z3.IntVal(definition.values.index(value) if value in definition.values else -1)
        return self.z3.RealVal(value)

    def concluded(self, cid):
        return self._concluded[cid]

    def And(self, *terms):
        return self.z3.And(*terms)

    def Or(self, *terms):
        return self.z3.Or(*terms) if terms else self.z3.BoolVal(False)

    def Not(self, term):
        return self.z3.Not(term)

    def at_least_two(self, terms):
        return self.z3.PbGe([(t, 1) for t in terms], 2) if len(terms) >= 2 else self.z3.BoolVal(False)

    # solving: the KB is asserted once per solver, and each question is asked in a scope of its own
    # (push, goal, check, pop), so many questions cost one assertion of the KB
    def minimal_case(self, *goal):
        """A model of the KB with `goal` that examines the fewest findings, as findings dict, or None."""
        if self._optimizer is None:
            z3 = self.z3
            self._optimizer = z3.Optimize()
            self._optimizer.add(*self.equations, *self.domain)
            self._optimizer.minimize(z3.Sum([z3.If(p, 1, 0) for p in self._present.values()]))
        return self._ask(self._optimizer, goal, witness=True)

    def satisfiable(self, *goal) -> dict | None:
        """A case with `goal` (not necessarily the smallest), as findings dict, or None."""
        return self._ask(self._base_solver(), goal, witness=True)

    def possible(self, *goal) -> bool:
        """Is there a case with `goal`? (No witness.)"""
        return self._ask(self._base_solver(), goal, witness=False)

    def _base_solver(self):
        if self._solver is None:
            self._solver = self.z3.Solver()
            self._solver.add(*self.equations, *self.domain)
        return self._solver

    def _ask(self, solver, goal, witness: bool):
        solver.push()
        try:
            solver.add(*goal)
            sat = solver.check() == self.z3.sat
            if not witness:
                return sat
            return self._findings(solver.model()) if sat else None
        finally:
            solver.pop()

    def _findings(self, model) -> dict:
        out = {}
        for fid, present in self._present.items():
            if not self.z3.is_true(model.eval(present, model_completion=True)):
                continue
            value = model.eval(self._value[fid], model_completion=True)
            definition = FINDINGS[fid]
            if definition.type is FindingType.BOOL:
                out[fid] = self.z3.is_true(value)
            elif definition.type is FindingType.ENUM:
                out[fid] = definition.values[value.as_long()]
            else:
                fraction = value.as_fraction()
                out[fid] = int(fraction) if fraction.denominator == 1 else float(fraction)
        return out

    def model_conclusions(self, findings: dict) -> set:
        """The conclusions the model gives for one concrete case (for the engine cross-check)."""
        z3 = self.z3
        fixed = []
        for fid, present in self._present.items():
            if fid in findings:
                fixed += [present, self._value[fid] == self.literal(fid, findings[fid])]
            else:
                fixed.append(z3.Not(present))
        solver = z3.Solver()
        solver.add(*self.equations, *fixed)
        if solver.check() != z3.sat:
            return set()
        model = solver.model()
        return {c for c, v in self._concluded.items() if z3.is_true(model.eval(v, model_completion=True))}


@dataclass(frozen=True)
class Outcome:
    """One verification question and its answer."""

    kind: str          # invariant | reachability | rule
    subject: str       # invariant id, conclusion id or rule id
    status: str        # proved | violated | witness | unreachable | redundant | mismatch
    text: str
    case: dict = field(default_factory=dict)   # the counterexample or witness findings
    engine_agrees: bool = True

    @property
    def failed(self) -> bool:
        return self.status in ("violated", "unreachable", "mismatch")


@dataclass(frozen=True, repr=False)
class VerifyReport:
    """What `verify` proved: each invariant, each conclusion's reachability, each rule's necessity."""

    invariants: tuple = ()
    conclusions: tuple = ()
    rules: tuple = ()

    def __repr__(self) -> str:
        failed = sum(o.failed for o in self.outcomes)
        return f"<VerifyReport: {len(self.outcomes)} checks, {failed} failed>"

    @property
    def outcomes(self) -> tuple:
        return self.invariants + self.conclusions + self.rules

    @property
    def ok(self) -> bool:
        return not any(o.failed for o in self.outcomes)


def _engine_ids(kb_class, findings: dict) -> set:
    from engine import case_from_mapping, consult_with
    return consult_with(kb_class, case_from_mapping({"id": "verify", "findings": findings})).ids()


def _check_invariant(model, kb_class, invariant) -> Outcome:
    z3 = model.z3
    when = [c.to_logic(model) for c in invariant.when]
    breach = z3.Or(*[model.concluded(f) for f in invariant.forbidden],
                   *[z3.Not(model.concluded(r)) for r in invariant.required])
    case = model.minimal_case(*when, breach)
    if case is None:
        return Outcome("invariant", invariant.id, "proved", invariant.text)
    confirmed = invariant.violated(case, _engine_ids(kb_class, case))
    status = "violated" if confirmed else "mismatch"
    text = invariant.text if confirmed else f"{invariant.text}: the model finds a counterexample the engine does not confirm"
    return Outcome("invariant", invariant.id, status, text, case, confirmed)


def _check_conclusion(model, kb_class, cid) -> Outcome:
    case = model.minimal_case(model.concluded(cid))
    if case is None:
        return Outcome("reachability", cid, "unreachable", f"no case reaches {cid}")
    confirmed = cid in _engine_ids(kb_class, case)
    return Outcome("reachability", cid, "witness" if confirmed else "mismatch",
                   f"a minimal case reaches {cid}" if confirmed else
                   f"the model reaches {cid} on this case, the engine does not", case, confirmed)


def sole_producer(model, meta) -> tuple:
    """The goal: the rule fires and is the only one to conclude one of its conclusions."""
    z3 = model.z3
    sole = [z3.Not(z3.Or(*[f for f in model.producers[c] if not f.eq(model.fire[meta.id])]))
            for c in meta.then]
    return model.fire[meta.id], z3.Or(*sole)


def rule_outcome(model, meta) -> Outcome:
    """A case on which the rule fires and is the only one to conclude one of its conclusions."""
    case = model.satisfiable(*sole_producer(model, meta))
    if case is None:
        return Outcome("rule", meta.id, "redundant",
                       f"{meta.id} never changes the outcome: whenever it fires, other rules already conclude "
                       f"{', '.join(meta.then)}")
    return Outcome("rule", meta.id, "witness", f"{meta.id} changes the outcome on this case", case)


_WORK: dict = {}


def _job(task):
    kind, subject = task
    model, kb_class = _WORK["model"], _WORK["kb_class"]
    if kind == "invariant":
        return _check_invariant(model, kb_class, subject)
    if kind == "conclusion":
        return _check_conclusion(model, kb_class, subject)
    return rule_outcome(model, model.metas[subject])


def _stripe(tasks):
    return [_job(t) for t in tasks]


def verify(kb_class=None, invariants=None, jobs: int = 1, include_rules: bool = True, mutate=None,
           include_conclusions: bool = True) -> VerifyReport:
    """Prove every invariant (default: `kb.safety.INVARIANTS`), find a minimal witness for every
    conclusion the rules produce (unless `include_conclusions` is false), and a case on which each
    rule changes the outcome (unless `include_rules` is false)."""
    from engine import catalogue
    from kb import PosteriorThighKB
    from kb.safety import INVARIANTS
    kb_class = kb_class or PosteriorThighKB
    metas = catalogue(kb_class)
    invariants = INVARIANTS if invariants is None else invariants
    produced = sorted({c for m in metas for c in m.then})
    tasks = [("invariant", inv) for inv in invariants]
    if include_conclusions:
        tasks += [("conclusion", c) for c in produced]
    if include_rules:
        tasks += [("rule", m.id) for m in metas]
    _WORK.update(model=Model(metas, mutate), kb_class=kb_class)
    if jobs > 1:
        from ptkb.regression import ignore_sigint
        # one stripe of the tasks per process, each process forked afresh (a solver's answers depend
        # on the questions it was asked before): the same witnesses on every run with these jobs
        with multiprocessing.get_context("fork").Pool(jobs, initializer=ignore_sigint, maxtasksperchild=1) as pool:
            answered = pool.map(_stripe, [tasks[i::jobs] for i in range(jobs)], chunksize=1)
        outcomes = [None] * len(tasks)
        for i, stripe in enumerate(answered):
            outcomes[i::jobs] = stripe
    else:
        outcomes = [_job(t) for t in tasks]
    def of(kind):
        return tuple(o for o in outcomes if o.kind == kind)
    return VerifyReport(of("invariant"), of("reachability"), of("rule"))


def _case_line(case: dict) -> str:
    from kb.conditions import finding_text
    return "; ".join(finding_text(f, v) for f, v in sorted(case.items())) or "(no finding examined)"


def report_text(report: VerifyReport) -> str:
    lines = []
    for outcome in report.outcomes:
        if outcome.failed or outcome.status == "redundant":
            lines.append(f"{outcome.status.upper():11} {outcome.kind:12} {outcome.subject}: {outcome.text}")
            if outcome.case:
                lines.append(f"            case: {_case_line(outcome.case)}")
    count = lambda items, status: sum(o.status == status for o in items)  # noqa: E731
    lines.append(f"invariants: {count(report.invariants, 'proved')} proved, "
                 f"{count(report.invariants, 'violated')} violated, {count(report.invariants, 'mismatch')} mismatch")
    lines.append(f"conclusions: {count(report.conclusions, 'witness')} with a witness, "
                 f"{count(report.conclusions, 'unreachable')} unreachable, {count(report.conclusions, 'mismatch')} "
                 "mismatch")
    if report.rules:
        lines.append(f"rules: {count(report.rules, 'witness')} change the outcome on some case, "
                     f"{count(report.rules, 'redundant')} semantically redundant")
    return "\n".join(lines) + "\n"


def report_json(report: VerifyReport) -> str:
    return json.dumps({"ok": report.ok, "outcomes": [asdict(o) for o in report.outcomes]}, indent=2,
                      ensure_ascii=False) + "\n"


def report_sarif(report: VerifyReport) -> str:
    """SARIF 2.1.0 for code-review tools: one result per failed or redundant outcome."""
    from ptkb import __version__
    from ptkb.sarif import result, sarif_log
    results = [result(f"{o.kind}/{o.status}", "error" if o.failed else "warning",
                      f"{o.subject}: {o.text}" + (f" (case: {_case_line(o.case)})" if o.case else ""))
               for o in report.outcomes if o.failed or o.status == "redundant"]
    return sarif_log("ptkb verify", __version__, results)


def write_cases(outcomes, folder, prefix: str) -> list[str]:
    """Each outcome's case as a ready scenario file in `folder` (counterexamples or witnesses)."""
    import yaml
    from ptkb.output import write_file
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for outcome in outcomes:
        if outcome.status not in ("witness", "violated", "mismatch"):
            continue
        slug = f"{prefix}-{outcome.subject}".replace("_", "-").lower()[:80]
        expect = ({"include": [outcome.subject], "exclude": ["conflict_findings"]} if outcome.kind == "reachability"
                  else {})
        document = {"id": slug, "title": f"{outcome.status}: {outcome.text}"[:200], "source": "ptkb verify",
                    "findings": outcome.case}
        if expect:
            document["expect"] = expect
        path = folder / f"{slug}.yaml"
        write_file(path, "# Generated by ptkb verify: a minimal case (fewest examined findings).\n"
                   + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100))
        written.append(str(path))
    return written
