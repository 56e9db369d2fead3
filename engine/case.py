"""Case files: load, validate everything, and return a frozen `Case` -- or every problem at once.

>>> case = case_from_mapping({"id": "demo", "findings": {"gait": "normal"}})
>>> case.findings
(('gait', 'normal'),)
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import CaseError, Problem
from engine.yamlio import decode_yaml_bytes, read_bounded, read_yaml_text
from kb.errors import suggest
from kb.vocabulary import CONCLUSIONS, FINDINGS, FindingType, RED_FLAG_SCREEN

__all__ = ["Case", "Expectation", "ExpectationCheck", "load_case", "case_from_mapping", "case_from_text", "case_from_bytes",
           "find_case_files",
           "matches_pattern", "RULE_ID_PATTERN", "case_json_schema", "expectation_policy_problem"]

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")  # always used with fullmatch: `$` accepts a final newline
RULE_ID_PATTERN = re.compile(r"^[A-Z]{1,4}-\d{3}$")
TOP_KEYS = ("id", "title", "source", "red_flag_screen", "findings", "expect")
EXPECT_KEYS = ("include", "exclude", "fired", "not_fired")
MAX_TEXT = 2000
MAX_PROBLEMS = 100     # a file with more problems lists this many and counts the rest
MAX_SUGGESTIONS = 20   # "did you mean" look-ups per file (each one compares against a whole id list)


@dataclass(frozen=True)
class Expectation:
    """What a case expects; partial: only what is listed is checked. Entries may be globs (tx_*)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fired: tuple[str, ...] = ()
    not_fired: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.include or self.exclude or self.fired or self.not_fired)

    def check(self, result) -> ExpectationCheck:
        """This expectation checked against a consultation (the one place expectations mean something:
        regress and the mutation check both ask here)."""
        return ExpectationCheck(self, tuple(sorted(result.ids())), result.fired_rules())


@dataclass(frozen=True)
class ExpectationCheck:
    """An expectation checked against a consultation's conclusions (sorted) and fired rules (in firing
    order): what is missing or unexpected, which rules did not fire or fired wrongly (none: passed)."""

    expectation: Expectation
    conclusions: tuple[str, ...]
    fired: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p for p in self.expectation.include if not any(matches_pattern(p, c) for c in self.conclusions))

    @property
    def unexpected(self) -> tuple[str, ...]:
        return tuple(sorted({c for p in self.expectation.exclude for c in self.conclusions if matches_pattern(p, c)}))

    @property
    def not_fired(self) -> tuple[str, ...]:
        return tuple(r for r in self.expectation.fired if r not in self.fired)

    @property
    def wrongly_fired(self) -> tuple[str, ...]:
        return tuple(r for r in self.expectation.not_fired if r in self.fired)

    @property
    def failed(self) -> bool:
        return bool(self.missing or self.unexpected or self.not_fired or self.wrongly_fired)

    def failures(self) -> dict[str, tuple[str, ...]]:
        return {"missing": self.missing, "unexpected": self.unexpected, "not_fired": self.not_fired,
                "wrongly_fired": self.wrongly_fired}


@dataclass(frozen=True)
class Case:
    """A validated case: findings sorted by id (absent = not examined)."""

    id: str
    findings: tuple[tuple[str, object], ...]
    title: str = ""
    source: str = ""
    expect: Expectation = field(default_factory=Expectation)
    path: str = ""
    red_flag_screen: str = ""  # "negative": every red-flag screen question recorded as false

    def findings_dict(self) -> dict:
        return dict(self.findings)


def _is_glob(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def matches_pattern(pattern: str, conclusion_id: str) -> bool:
    """True when an expect entry (id or glob) names the conclusion id."""
    return fnmatch.fnmatchcase(conclusion_id, pattern)


def _is_text(value) -> bool:
    """A str that is valid Unicode (no lone surrogate, which no output encoding can write)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Checker:
    def __init__(self, source: str, lines: dict):
        self.source, self.lines, self.problems = source, lines, []
        self.dropped = 0
        self.suggestions_left = MAX_SUGGESTIONS

    def add(self, path: tuple, message: str):
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        line = self.lines.get(path)
        self.problems.append(Problem(self.source, ".".join(map(str, path)), message, line))

    def suggest(self, word, choices) -> str:
        if self.suggestions_left <= 0:
            return ""
        self.suggestions_left -= 1
        return suggest(word, choices)

    def all_problems(self) -> list[Problem]:
        more = [Problem(self.source, "", f"... and {self.dropped} more problems not listed")] if self.dropped else []
        return self.problems + more

    def text(self, data, key, required=False):
        value = data.get(key)
        if value is None:
            if required:
                self.add((key,), "missing: expected a text value")
            return ""
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            self.add((key,), f"expected text of at most {MAX_TEXT} characters, got {type(value).__name__}")
            return ""
        if not _is_text(value):
            self.add((key,), f"expected text, got a lone surrogate code point in {value!r:.80}")
            return ""
        return value

    def case_id(self, data):
        if "id" not in data:
            self.add(("id",), "missing: every case needs an id (a slug such as sprinter-acute-strain)")
            return ""
        value = data["id"]
        if not isinstance(value, str) or not SLUG.fullmatch(value):
            self.add(("id",), "expected a slug (lower-case letters, digits and hyphens, at most 80), "
                              f"got {value!r:.80}")
            return ""
        return value

    def screen(self, data) -> str:
        value = data.get("red_flag_screen")
        if value is None:
            return ""
        if value != "negative":
            self.add(("red_flag_screen",), f"expected negative (every red-flag question answered no), got {value!r:.80}; "
                                           "record a positive answer as its finding instead")
            return ""
        return value

    def findings(self, data):
        raw = data.get("findings", {})
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            self.add(("findings",), f"expected a mapping of finding id to value, got {type(raw).__name__}")
            return ()
        good = []
        for key, value in raw.items():
            path = ("findings", key)
            if not isinstance(key, str) or key not in FINDINGS:
                self.add(path, f"unknown finding id {key!r:.80}{self.suggest(key, FINDINGS)}")
                continue
            problem = FINDINGS[key].problem_with(value)
            if problem:
                self.add(path, problem)
            else:
                good.append((key, value))
        return tuple(sorted(good))

    def id_list(self, expect, key, known, what):
        raw = expect.get(key, [])
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.add(("expect", key), f"expected a list of {what}, got {type(raw).__name__}")
            return ()
        good, known_set = [], set(known)
        for index, item in enumerate(raw):
            path = ("expect", key, index)
            if not isinstance(item, str):
                self.add(path, f"expected a {what[:-1]}, got {type(item).__name__} {item!r:.80}")
            elif item not in known_set and not (_is_glob(item) and any(matches_pattern(item, k) for k in known)):
                self.add(path, f"unknown {what[:-1]} {item!r:.80}{self.suggest(item, known)}")
            else:
                good.append(item)
        return tuple(good)

    def expectation(self, data, rule_ids):
        raw = data.get("expect")
        if raw is None:
            return Expectation()
        if not isinstance(raw, dict):
            self.add(("expect",), f"expected a mapping with include / exclude, got {type(raw).__name__}")
            return Expectation()
        for key in raw:
            if key not in EXPECT_KEYS:
                self.add(("expect", key), f"unknown key{self.suggest(key, EXPECT_KEYS)}; expected one of "
                                          f"{', '.join(EXPECT_KEYS)}")
        rule_ids = rule_ids if rule_ids is not None else _known_rule_ids()
        return Expectation(
            include=self.id_list(raw, "include", CONCLUSIONS, "conclusion ids"),
            exclude=self.id_list(raw, "exclude", CONCLUSIONS, "conclusion ids"),
            fired=self.id_list(raw, "fired", rule_ids, "rule ids"),
            not_fired=self.id_list(raw, "not_fired", rule_ids, "rule ids"))


def _known_rule_ids():
    from engine.rule_catalogue import catalogue  # the rule ids come from the KB, read once
    return [meta.id for meta in catalogue()]


def case_from_mapping(data, source: str = "<case>", lines: dict | None = None, rule_ids=None) -> Case:
    """Validate a parsed case document; raise CaseError listing every problem."""
    check = _Checker(source, lines or {})
    if not isinstance(data, dict):
        check.add((), f"expected a mapping with id and findings, got {type(data).__name__}")
        raise CaseError(check.all_problems())
    for key in data:
        if key not in TOP_KEYS:
            check.add((key,), f"unknown key{check.suggest(key, TOP_KEYS)}; expected one of {', '.join(TOP_KEYS)}")
    screen = check.screen(data)
    findings = check.findings(data)
    if screen:
        given = dict(findings)
        for fid, _ in RED_FLAG_SCREEN:
            if given.get(fid) is True:
                check.add(("findings", fid), f"contradicts red_flag_screen: negative (which records {fid} as false)")
        findings = tuple(sorted({**{fid: False for fid, _ in RED_FLAG_SCREEN}, **given}.items()))
    case = Case(id=check.case_id(data), title=check.text(data, "title"), source=check.text(data, "source"),
                findings=findings, expect=check.expectation(data, rule_ids), path=source, red_flag_screen=screen)
    if check.problems:
        raise CaseError(check.all_problems())
    return case


def case_from_text(text: str, source: str = "<text>") -> Case:
    """Parse and validate a case from YAML text."""
    data, lines = read_yaml_text(text, source)
    return case_from_mapping(data, source, lines)


def load_case(path) -> Case:
    """Load and validate one case file.

    >>> load_case("scenarios/hamstring/case-study-hamstring-strain.yaml").id
    'case-study-hamstring-strain'
    """
    return case_from_bytes(read_bounded(path), str(path))


POLICY_FOLDER = "scenarios"


def expectation_policy_problem(case: Case) -> str:
    """The expectation policy: a case file anywhere under a `scenarios/` folder (the regression
    suite) states both what it expects and what it excludes; elsewhere `expect` is optional.

    >>> expectation_policy_problem(case_from_mapping({"id": "x"}, "scenarios/a/x.yaml"))
    'a scenario under scenarios/ must state expect.include and expect.exclude (missing: include, exclude)'
    """
    if POLICY_FOLDER not in Path(case.path).parts[:-1]:
        return ""
    missing = [key for key in ("include", "exclude") if not getattr(case.expect, key)]
    return (f"a scenario under {POLICY_FOLDER}/ must state expect.include and expect.exclude "
            f"(missing: {', '.join(missing)})") if missing else ""


def _is_case_name(path: Path) -> bool:
    return path.suffix.lower() in (".yaml", ".yml")


def find_case_files(paths) -> list[Path]:
    """Every .yaml/.yml file (any letter case) named or under the named folders, sorted.

    Entries that cannot be case files -- a dangling link, a link to a device or FIFO -- are listed
    too, so that reading them reports each by name instead of skipping it silently. A missing path,
    or no case file at all, is an error.
    """
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            below = sorted(p for p in path.rglob("*") if _is_case_name(p) and not p.is_dir())
            if not below:
                raise CaseError([Problem(str(path), "", "no case files (.yaml or .yml) in this folder")])
            found += below
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise CaseError([Problem(str(path), "", "no such file or folder")])
    if not found:
        raise CaseError([Problem("<paths>", "", "no case files were named")])
    return found


def case_from_bytes(raw: bytes, source: str) -> Case:
    """Decode, parse and validate the bytes of a case file."""
    return case_from_text(decode_yaml_bytes(raw, source), source)


def _finding_schema(finding) -> dict:
    if finding.type is FindingType.BOOL:
        return {"type": "boolean", "description": finding.meaning}
    if finding.type is FindingType.ENUM:
        return {"enum": list(finding.values), "description": finding.meaning}
    return {"type": "number", "minimum": finding.low, "maximum": finding.high,
            "description": f"{finding.meaning} ({finding.unit})"}


def case_json_schema(scenario: bool = False) -> dict:
    """A JSON Schema for case files, generated from the vocabulary (for editors and other tools;
    ptkb itself validates with `case_from_mapping`, which also reports every problem at once).

    >>> case_json_schema()["properties"]["findings"]["properties"]["gait"]["enum"][0]
    'normal'
    """
    ids = {"type": "array", "items": {"type": "string"}}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ptkb case file",
        "type": "object",
        "required": ["id"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": SLUG.pattern},
            "title": {"type": "string", "maxLength": MAX_TEXT},
            "source": {"type": "string", "maxLength": MAX_TEXT},
            "red_flag_screen": {"enum": ["negative"], "description": "every red-flag screen question answered no: "
                                + ", ".join(fid for fid, _ in RED_FLAG_SCREEN)},
            "findings": {"type": "object", "additionalProperties": False,
                         "properties": {f.id: _finding_schema(f) for f in FINDINGS.values()}},
            "expect": {"type": "object", "additionalProperties": False,
                       "properties": {key: ids for key in EXPECT_KEYS}},
        },
    }
    if scenario:  # the expectation policy of files under scenarios/
        schema["title"] = "ptkb scenario file (under scenarios/)"
        schema["required"] = ["id", "findings", "expect"]
        schema["properties"]["expect"]["required"] = ["include", "exclude"]
        for key in ("include", "exclude"):
            schema["properties"]["expect"]["properties"][key] = {**ids, "minItems": 1}
    return schema
