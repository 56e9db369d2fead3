"""ptkb: an expert-system knowledge base for posterior thigh and buttock pain.

The public API (see `ptkb.api`): `ptkb.load(case)` validates and consults a case given as a path, a
mapping or YAML text, and answers why / why_not / how / what_if / draw on it; `ptkb.knowledge_base()`
is the rule network. The CLI (`ptkb.cli`) and the reports sit on top of the `kb`, `engine` and
`explain` packages.
"""
__all__ = ["__version__", "load", "read_case", "Consultation", "knowledge_base", "KnowledgeBase", "rules", "areas",
           "regress", "lint", "mutation_check", "verify", "case_schema", "answer_output", "PtkbError", "CaseError",
           "UsageError", "RenderError"]
__version__ = "0.1.0"


def __getattr__(name):
    # the API is imported on first use, so `import ptkb` (and `ptkb --version`) stays instant
    if name in __all__:
        from ptkb import api
        return getattr(api, name)
    raise AttributeError(f"module 'ptkb' has no attribute {name!r}")
