"""ptkb's engine: validate a case, run the knowledge base, return plain frozen records.

>>> from engine import case_from_mapping, consult
>>> consult(case_from_mapping({"id": "x", "findings": {}})).case_id
'x'
"""
from engine.case import Case, Expectation, case_from_mapping, case_from_text, find_case_files, load_case
from engine.catalogue import catalogue, rule_by_id
from engine.consult import consult, consult_with
from engine.errors import CaseError, PtkbError, Problem, RenderError, UsageError
from engine.records import Absence, Conclusion, Consultation, Firing, Premise

__all__ = ["Case", "Expectation", "case_from_mapping", "case_from_text", "find_case_files", "load_case",
           "catalogue", "rule_by_id", "consult", "consult_with", "CaseError", "PtkbError", "Problem",
           "RenderError", "UsageError", "Absence", "Conclusion", "Consultation", "Firing", "Premise"]
