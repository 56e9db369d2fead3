"""Run a validated case through the knowledge base and return plain, traced records.

One engine is built per process and per knowledge-base class and reused with `reset()` (building
one costs far more than a consultation). Its run loop is experta's, plus a record of every firing.

>>> from engine.case import case_from_mapping
>>> result = consult(case_from_mapping({"id": "x", "findings": {"saddle_numbness": True}}))
>>> "ref_emergency_same_day" in result.ids()
True
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

from kb import PosteriorThighKB
from kb.rulebook import Concluded, findings_fact  # first: it imports experta without its root-logger handler
from experta import watchers
from kb.vocabulary import CLINICAL_ORDER, CONCLUSIONS, Kind

from engine.case import Case
from engine.records import Absence, Conclusion, Consultation, Evaluation, FactKind, Firing, Premise
from engine.seam import matcher_class, strategy_class

__all__ = ["consult", "consult_with", "outcome_with", "engine_for", "drop_engine", "quiet_collector"]

_KIND_RANK = {kind.value: rank for rank, kind in enumerate(CLINICAL_ORDER)}
_VOCAB_RANK = {cid: rank for rank, cid in enumerate(CONCLUSIONS)}
_ENGINES: dict[type, object] = {}


def _traced(kb_class: type) -> type:
    class Traced(kb_class):
        __strategy__ = strategy_class()
        __matcher__ = matcher_class()
        _deffacts = None

        def get_deffacts(self):
            # experta finds them with inspect.getmembers on every reset, a walk over every rule of
            # the class; the class does not change once built, so find them once.
            if self._deffacts is None:
                self._deffacts = super().get_deffacts()
            return self._deffacts

        def declare(self, *facts):
            if self.running and len(facts) == 1 and _plain_conclusion(facts[0]):
                declared = _declare_conclusion(self.facts, facts[0])
            else:
                declared = super().declare(*facts)
            if self._record is not None:
                self._record.append((facts, declared is not None))
            return declared

        def run_traced(self):
            """experta's run loop, recording (rule, context, declarations) per firing."""
            self.running, firings = True, []
            while self.running:
                added, removed = self.get_activations()
                self.strategy.update_agenda(self.agenda, added, removed)
                activation = self.agenda.get_next()
                if activation is None:
                    break
                self._record = []
                context = {k: v for k, v in activation.context.items() if not k.startswith("__")}
                activation.rule(self, **context)
                firings.append((activation.rule, context, self._record))
                self._record = None
            self.running = False
            return firings

    Traced._record = None
    Traced.__name__ = f"Traced{kb_class.__name__}"
    return Traced


_CONCLUSION_FIELDS = frozenset({"id", "kind", "group"})


def _plain_conclusion(fact) -> bool:
    """A Concluded fact as a rule's right-hand side builds it (`kb.rulebook._concluded`): exactly its
    three fields, each a string."""
    return (type(fact) is Concluded and fact.keys() == _CONCLUSION_FIELDS
            and all(type(v) is str for v in fact.values()))  # noqa: E721


def _declare_conclusion(factlist, fact):
    """experta's declaration of a plain conclusion during a run (`KnowledgeEngine.declare`, which
    while running only hands the fact to `FactList.declare`), without the checks such a fact passes
    by construction (no condition in a field, no nested key, valid fields) and with its duplicate key
    built from the three fields directly. The same fact id, duplicate detection, pending additions
    and FACTS watcher line as experta's (tests/test_seam.py)."""
    key = frozenset((Concluded, ("id", fact["id"]), ("kind", fact["kind"]), ("group", fact["group"])))
    if factlist.duplication or key not in factlist.reference_counter:
        index = factlist.last_index
        fact.__factid__ = index
        factlist[index] = fact
        factlist.last_index += 1
        factlist.added.append(fact)
        factlist.reference_counter[key] += 1
        watchers.FACTS.info(" ==> %s: %r", fact, fact)
        return fact
    return None


def engine_for(kb_class: type = PosteriorThighKB):
    """The process-wide traced engine for a knowledge-base class (built on first use)."""
    if kb_class not in _ENGINES:
        _ENGINES[kb_class] = _traced(kb_class)()
    return _ENGINES[kb_class]


@contextmanager
def quiet_collector():
    """For programs that run many consultations (the CLI, the benchmark): freeze what exists (the
    long-lived networks) and pause the cycle collector, restoring both on exit. A consultation makes
    no reference cycles (tested), so nothing is lost. A library call never does this by itself, and
    a freeze the caller made is the caller's: it is not undone on exit."""
    was_enabled, was_frozen = gc.isenabled(), gc.get_freeze_count() > 0
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        if not was_frozen:
            gc.unfreeze()


def drop_engine(kb_class: type) -> None:
    """Forget the cached engine of a knowledge-base class (e.g. a mutant that is done with)."""
    _ENGINES.pop(kb_class, None)


def _declared(record) -> tuple[str, ...]:
    """The conclusion ids a firing declared (new or already there), in order."""
    return tuple(fact["id"] for facts, _ in record for fact in facts)


def _firing(order, rule, context, record, findings) -> Firing:
    meta = rule.ptkb_meta
    premises, absences = [], []
    for cond in meta.when:
        for role, kind, fact_id, value in cond.trace(findings, context):
            if role == "premise":
                premises.append(Premise(kind, fact_id, value))
            else:
                absences.append(Absence(kind, fact_id))
    declared = _declared(record)
    new = tuple(fact["id"] for facts, is_new in record if is_new for fact in facts)
    return Firing(order, meta.id, tuple(premises), tuple(absences),
                  tuple(sorted((k, str(v)) for k, v in context.items())), declared, new)


def _reasons(firing: Firing, first: dict, seen: frozenset = frozenset()) -> list[str]:
    """The premises of a firing in words; clue premises are replaced by their own reasons (all the
    way down: clues form a chain that ends at findings; `seen` guards a cycle in a faulty KB)."""
    parts = []
    for premise in firing.premises:
        definition = CONCLUSIONS.get(premise.id) if premise.kind is FactKind.CONCLUSION else None
        if (definition is not None and definition.kind is Kind.CLUE and premise.id in first
                and premise.id not in seen):
            parts += _reasons(first[premise.id], first, seen | {premise.id})
        else:
            parts.append(premise.text())
    for absence in firing.absences:
        definition = CONCLUSIONS.get(absence.id)
        if absence.kind is FactKind.CONCLUSION and definition is not None and definition.kind is Kind.CLUE:
            parts.append(f"not: {definition.meaning}")
        elif absence.kind is not FactKind.KIND:
            parts.append(absence.text())
    return list(dict.fromkeys(parts))


def _conclusions(firings: list[Firing], metas: dict) -> tuple[Conclusion, ...]:
    first, by_rule = {}, {}
    for firing in firings:
        for cid in firing.declared:
            first.setdefault(cid, firing)
            by_rule.setdefault(cid, {}).setdefault(firing.rule_id, firing)
    out = []
    for cid, firing in first.items():
        definition = CONCLUSIONS[cid]
        reasons = tuple((f.rule_id, metas[f.rule_id].citations, "because " + "; ".join(_reasons(f, first)))
                        for f in by_rule[cid].values())
        out.append(Conclusion(cid, definition.kind.value, definition.label, firing.rule_id,
                              tuple(by_rule[cid]), metas[firing.rule_id].citations, reasons[0][2], reasons))
    out.sort(key=lambda c: (_KIND_RANK[c.kind], _VOCAB_RANK.get(c.id, len(_VOCAB_RANK))))
    return tuple(out)


def _run(kb_class: type, findings: dict, tie_seed: int | None) -> list:
    """experta's run on the findings: (rule, context, declarations) per firing."""
    engine = engine_for(kb_class)
    engine.strategy.shuffle_ties(tie_seed)
    engine.reset()
    engine.declare(findings_fact(findings))
    return engine.run_traced()


def outcome_with(kb_class: type, case: Case) -> Evaluation:
    """What a consultation concludes and which rules it fires, in firing order, without its trace
    records: the engine of record for bulk comparisons (the differential test against the compiled
    evaluator, the mutation check's fallback), where nothing is explained."""
    raw = _run(kb_class, case.findings_dict(), None)
    return Evaluation(frozenset(c for _, _, record in raw for c in _declared(record)),
                      tuple(dict.fromkeys(rule.ptkb_meta.id for rule, _, _ in raw)))


def consult_with(kb_class: type, case: Case, tie_seed: int | None = None) -> Consultation:
    """Consult a specific knowledge-base class (tests use small ones); see `consult`."""
    findings = case.findings_dict()
    raw = _run(kb_class, findings, tie_seed)
    metas = {rule.ptkb_meta.id: rule.ptkb_meta for rule, _, _ in raw}
    firings = [_firing(i, rule, ctx, rec, findings) for i, (rule, ctx, rec) in enumerate(raw, 1)]
    return Consultation(case.id, case.title, case.findings, _conclusions(firings, metas), tuple(firings))


def consult(case: Case, tie_seed: int | None = None) -> Consultation:
    """Consult the knowledge base on a validated case.

    `tie_seed` shuffles the order of rules inside each layer (a deterministic, seeded order) to check
    that no conclusion depends on it; None uses rule-id order.
    """
    return consult_with(PosteriorThighKB, case, tie_seed)

