"""Stock experta running ptkb's rules: the reference the benchmark and the matcher test compare to.

Stock matcher, no tracing; stock strategy unless another is given (the matcher test pairs the stock
matcher with ptkb's strategy, because the stock strategy can fire stale activations -- experta issue
#3 -- and does so on ptkb's rules). One engine per class and strategy, reused with reset().
"""
from __future__ import annotations

import logging

import kb.rulebook  # noqa: F401  (first: it imports experta without experta's root-logger handler)
from experta import watchers

from kb.rulebook import Concluded, Findings

__all__ = ["stock_engine", "stock_run"]

_ENGINES: dict = {}


def stock_engine(kb_class, strategy=None):
    key = (kb_class, strategy)
    if key not in _ENGINES:
        extra = {"__strategy__": strategy} if strategy is not None else {}
        _ENGINES[key] = type(f"Stock{kb_class.__name__}", (kb_class,), extra)()
    return _ENGINES[key]


class _FiredRules(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.names = []

    def emit(self, record):
        if record.msg.startswith("FIRE"):
            self.names.append(record.args[1])


def stock_run(kb_class, case, record_fired: bool = False, strategy=None):
    """Run `case` on stock experta; return (conclusion ids, fired rule method names or None)."""
    engine = stock_engine(kb_class, strategy)
    engine.reset()
    engine.declare(Findings(**dict(case.findings)))
    handler = None
    if record_fired:
        handler = _FiredRules()
        watchers.RULES.addHandler(handler)
        old_level, watchers.RULES.level = watchers.RULES.level, logging.INFO
    try:
        engine.run()
    finally:
        if handler is not None:
            watchers.RULES.removeHandler(handler)
            watchers.RULES.level = old_level
    conclusions = {fact["id"] for fact in engine.facts.values() if isinstance(fact, Concluded)}
    return conclusions, (handler.names if handler else None)
