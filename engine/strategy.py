"""A conflict-resolution strategy that is deterministic and never fires a stale activation.

experta's DepthStrategy removes a retracted activation by looking only at the bisect position and
its two neighbours; with three or more activations sharing a key one can survive and fire although
its facts are gone (experta issue #3). This strategy scans the whole range of equal keys, and its
keys are total: salience, then a per-rule rank, then the fact ids and bindings. The rank is the rule
id order, or a seeded shuffle of it to look for order-dependent rules.
"""
from __future__ import annotations

import bisect
import random
from operator import attrgetter

import kb.rulebook  # noqa: F401  (first: it imports experta without experta's root-logger handler)
from experta.strategies import Strategy

__all__ = ["TieSafeStrategy"]

_KEY = attrgetter("key")  # compare keys in C rather than through Activation.__lt__


def _rule_name(rule) -> str:
    meta = getattr(rule, "ptkb_meta", None)
    return meta.id if meta is not None else getattr(rule, "__name__", repr(rule))


class TieSafeStrategy(Strategy):
    """Salience first; inside a salience, a fixed rule order (rule id, or a seeded shuffle)."""

    def __init__(self):
        super().__init__()
        self._rank: dict[str, tuple] = {}
        self._seed: int | None = None

    def shuffle_ties(self, seed: int | None) -> None:
        """Use a seeded random rule order inside each salience (None: rule id order). The ranks of a
        seed are kept from one consultation to the next until another seed is asked for."""
        if seed != self._seed:
            self._seed, self._rank = seed, {}

    def _rank_of(self, rule) -> tuple:
        name = _rule_name(rule)
        if name not in self._rank:
            if self._seed is None:
                # The agenda pops its largest key: a smaller id must rank higher to fire first.
                self._rank[name] = tuple(-ord(ch) for ch in name) + (1,)
            else:
                self._rank[name] = (random.Random(f"{self._seed}:{name}").random(),)
        return self._rank[name]

    def get_key(self, activation):
        facts = tuple(sorted((f["__factid__"] for f in activation.facts), reverse=True))
        # Bindings only: "__" entries hold whole facts, already identified by their fact ids.
        context = tuple(sorted((k, repr(v)) for k, v in activation.context.items() if not k.startswith("__")))
        return (activation.rule.salience, self._rank_of(activation.rule), facts, context)

    def _update_agenda(self, agenda, added, removed):
        activations = agenda.activations
        for act in removed:
            act.key = self.get_key(act)
            index = bisect.bisect_left(activations, act.key, key=_KEY)
            while index < len(activations) and activations[index].key == act.key:
                if activations[index] == act:
                    del activations[index]
                    break
                index += 1
        for act in added:
            act.key = self.get_key(act)
            bisect.insort(activations, act, key=_KEY)
