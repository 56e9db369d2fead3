"""The one seam between ptkb and experta's internals.

ptkb's engine relies on parts of experta that are not its public API: the Rete network's nodes and
their memories, the conflict-set nodes, the agenda's activation list, the engine's run-loop pieces.
They are used only by the modules behind this seam -- `engine.matcher` (the faster matcher),
`engine.strategy` (the tie-safe conflict strategy), `engine.stock` (the stock engine for comparison)
and the traced run loop in `engine.runner` (with its declaration of a rule's conclusion) -- and
every private name they read is listed in `EXPERTA_CONTRACT`, which a test checks against the
installed experta. Importing this module checks the experta version: another version fails with a
clear error instead of a wrong answer.

`PTKB_MATCHER=stock` in the environment runs the stock experta matcher instead of ptkb's (for
comparison; the conclusions are the same, the speed is not).

>>> SUPPORTED_EXPERTA
'1.9.4'
"""
from __future__ import annotations

import os

import kb.rulebook  # noqa: F401  (first: it imports experta without experta's root-logger handler)
import experta

from kb.errors import PtkbError

__all__ = ["SUPPORTED_EXPERTA", "EXPERTA_CONTRACT", "EXPERTA_INSTANCE_CONTRACT", "EXPERTA_NODE_CONTRACT",
           "EngineVersionError", "matcher_class", "strategy_class"]

SUPPORTED_EXPERTA = "1.9.4"

# Every non-public experta name the modules behind the seam use: "module.Class" -> the attributes read
# on the class itself, and dotted paths read on a live engine (instance attributes). A test checks both.
EXPERTA_CONTRACT = {
    "experta.matchers.rete.ReteMatcher": ("build_network", "prepare_ruleset"),
    "experta.matchers.rete.utils": ("prepare_rule",),
    "experta.matchers.rete.nodes.ConflictSetNode": ("get_activations", "_reset", "_activate"),
    "experta.matchers.rete.nodes.FeatureTesterNode": ("_activate",),
    "experta.matchers.rete.nodes.OrdinaryMatchNode": ("_activate_left", "_activate_right"),
    "experta.matchers.rete.nodes.NotNode": ("_activate_left", "_activate_right"),
    "experta.matchers.rete.abstract.OneInputNode": ("activate",),
    "experta.matchers.rete.abstract.TwoInputNode": ("activate_left", "activate_right"),
    "experta.matchers.rete.token.Token": ("tag", "data", "context", "TagType"),
    "experta.matchers.rete.token.TokenInfo": ("data", "context"),
    "experta.matchers.rete.check.FeatureCheck": ("check", "expected", "what", "how"),
    "experta.matchers.rete.check.FactCapture": ("bind",),
    "experta.matchers.rete.check.TypeCheck": ("fact_type",),
    "experta.matchers.rete.mixins.ChildNode": ("node", "callback"),
    "experta.matchers.rete.mixins.NoMemory": ("_reset",),
    "experta.strategies.Strategy": ("_update_agenda",),
    "experta.engine.KnowledgeEngine": ("get_activations", "get_deffacts"),
}
# attributes set in __init__, so only a node of a built network has them: class name -> attributes
EXPERTA_NODE_CONTRACT = {"FeatureTesterNode": ("matcher", "children"),
                         "OrdinaryMatchNode": ("children", "matcher", "left_memory", "right_memory"),
                         "NotNode": ("children", "matcher", "left_memory", "right_memory"),
                         "ConflictSetNode": ("children", "rule", "memory", "added", "removed")}
EXPERTA_INSTANCE_CONTRACT = ("matcher.root_node", "agenda.activations", "running", "strategy",
                             "matcher.root_node.children", "facts.duplication", "facts.reference_counter",
                             "facts.last_index", "facts.added")


class EngineVersionError(PtkbError, RuntimeError):
    """The installed experta is not the version ptkb's engine was written and tested against."""


if getattr(experta, "__version__", None) != SUPPORTED_EXPERTA:
    raise EngineVersionError(f"ptkb's engine supports experta {SUPPORTED_EXPERTA} only (it relies on its "
                             f"internals, see engine/seam.py); installed: {getattr(experta, '__version__', '?')}")


def matcher_class():
    """ptkb's matcher, or experta's own with PTKB_MATCHER=stock."""
    choice = os.environ.get("PTKB_MATCHER", "ptkb")
    if choice == "stock":
        from experta.matchers.rete import ReteMatcher
        return ReteMatcher
    if choice != "ptkb":
        raise EngineVersionError(f"PTKB_MATCHER must be ptkb or stock, got {choice!r}")
    from engine.matcher import FastReteMatcher
    return FastReteMatcher


def strategy_class():
    from engine.strategy import TieSafeStrategy
    return TieSafeStrategy
