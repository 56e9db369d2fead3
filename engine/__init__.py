"""ptkb's engine: validate a case, run the knowledge base, return plain frozen records.

Importing `engine.records`, `engine.errors` or `engine.case` does not load experta; running a
consultation does.

>>> from engine import case_from_mapping, consult
>>> consult(case_from_mapping({"id": "x", "findings": {}})).case_id
'x'
"""
from importlib import import_module

_WHERE = {
    "Case": "case", "Expectation": "case", "case_from_mapping": "case", "case_from_text": "case",
    "case_from_bytes": "case", "FileError": "errors",    "find_case_files": "case", "load_case": "case", "catalogue": "rule_catalogue", "rule_by_id": "rule_catalogue",
    "consult": "runner", "consult_with": "runner", "outcome_with": "runner", "quiet_collector": "runner",
    "CaseError": "errors", "PtkbError": "errors",
    "Problem": "errors", "RenderError": "errors", "UsageError": "errors", "Absence": "records",
    "Conclusion": "records", "Consultation": "records", "Firing": "records", "Premise": "records",
}
__all__ = list(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(import_module(f"engine.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'engine' has no attribute {name!r}")
