"""ptkb: an expert-system knowledge base for posterior thigh and buttock pain.

The public API (see `ptkb.api`): `ptkb.load(case)` validates and consults a case given as a path, a
mapping or YAML text, and answers why / why_not / how / what_if / draw on it; `ptkb.knowledge_base()`
is the rule network. The CLI (`ptkb.cli`) and the reports sit on top of the `kb`, `engine` and
`explain` packages.
"""
__all__ = ["__version__", "load", "Consultation", "knowledge_base", "KnowledgeBase"]
__version__ = "0.1.0"


def __getattr__(name):
    if name in ("load", "Consultation", "knowledge_base", "KnowledgeBase"):
        from ptkb import api
        return getattr(api, name)
    raise AttributeError(f"module 'ptkb' has no attribute {name!r}")
