"""The scenario regression runner: expectations, coverage, order independence, parallel runs and
expectation snapshots.

>>> report = run_suite(["scenarios/nerve/case-study-sciatic-nerve.yaml"])
>>> report.passed, report.failed
(1, 0)
"""
from __future__ import annotations

import json
import multiprocessing
import os
import random
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from engine import CaseError, case_from_mapping, consult_with, find_case_files, load_case
from engine.case import matches_pattern
from kb.vocabulary import CONCLUSIONS, FINDINGS, Kind

__all__ = ["ScenarioResult", "SuiteReport", "run_suite", "check_expectations", "failure_text",
           "report_text", "report_json", "report_junit", "update_expectations"]


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's outcome."""

    case_id: str
    path: str
    conclusions: tuple[str, ...]
    fired: tuple[str, ...]
    findings_used: tuple[str, ...]
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    not_fired: tuple[str, ...] = ()
    wrongly_fired: tuple[str, ...] = ()
    why_not: tuple[str, ...] = ()
    order_dependent: tuple[str, ...] = ()  # "seed N: +x -y" per failing shuffle
    has_expectation: bool = True

    @property
    def passed(self) -> bool:
        return not (self.missing or self.unexpected or self.not_fired or self.wrongly_fired
                    or self.order_dependent)


@dataclass
class SuiteReport:
    results: list[ScenarioResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)   # bad input files, with their problems
    rules: tuple[str, ...] = ()
    shuffle: int = 0
    seed: int | None = None

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    def coverage(self) -> dict:
        fired_in: dict[str, list[str]] = {rule: [] for rule in self.rules}
        for r in self.results:
            for rule in r.fired:
                fired_in.setdefault(rule, []).append(r.case_id)
        produced = set().union(*(r.conclusions for r in self.results)) if self.results else set()
        used = set().union(*(r.findings_used for r in self.results)) if self.results else set()
        never = sorted(rule for rule, cases in fired_in.items() if not cases)
        percent = 100.0 * (len(self.rules) - len(never)) / len(self.rules) if self.rules else 100.0
        return {"rule_coverage_pct": round(percent, 2), "rules_fired_in": fired_in, "rules_never_fired": never,
                "conclusions_never_produced": sorted(set(CONCLUSIONS) - produced),
                "findings_never_used": sorted(set(FINDINGS) - used)}


def check_expectations(case, result) -> dict:
    """Missing and unexpected conclusions, rules not fired and rules wrongly fired."""
    ids, fired = result.ids(), set(result.fired_rules())
    return {
        "missing": tuple(p for p in case.expect.include if not any(matches_pattern(p, c) for c in ids)),
        "unexpected": tuple(sorted({c for p in case.expect.exclude for c in ids if matches_pattern(p, c)})),
        "not_fired": tuple(r for r in case.expect.fired if r not in fired),
        "wrongly_fired": tuple(r for r in case.expect.not_fired if r in fired),
    }


def _why_not_lines(result, missing, rules) -> tuple[str, ...]:
    from explain import why_not
    return tuple(why_not(result, cid, rules).one_line() for cid in missing if cid in CONCLUSIONS)


def _shuffle_failures(case, base: set, kb_class, shuffle: int, seed: int) -> tuple[str, ...]:
    """Re-run with findings declared in `shuffle` seeded random orders (and rule ties broken by the
    same seed); report every order whose conclusions differ."""
    failures = []
    for i in range(shuffle):
        run_seed = seed * 1000 + i
        items = list(case.findings)
        random.Random(run_seed).shuffle(items)
        shuffled = case_from_mapping({"id": case.id, "findings": dict(items)})
        ids = consult_with(kb_class, shuffled, tie_seed=run_seed).ids()
        if ids != base:
            failures.append(f"seed {run_seed}: +{sorted(ids - base)} -{sorted(base - ids)}")
    return tuple(failures)


def _run_one(job) -> ScenarioResult | str:
    path, kb_class, shuffle, seed = job
    from engine import rule_by_id
    try:
        case = load_case(path)
    except CaseError as exc:
        return str(exc)
    result = consult_with(kb_class, case)
    check = check_expectations(case, result)
    rules = rule_by_id(kb_class)
    return ScenarioResult(
        case_id=case.id, path=str(path), conclusions=tuple(sorted(result.ids())), fired=result.fired_rules(),
        findings_used=tuple(sorted({p.id for f in result.firings for p in f.premises if p.kind == "finding"})),
        why_not=_why_not_lines(result, check["missing"], rules),
        order_dependent=_shuffle_failures(case, result.ids(), kb_class, shuffle, seed) if shuffle else (),
        has_expectation=not case.expect.is_empty(), **check)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() and total >= 20:
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def run_suite(paths, jobs: int = 1, shuffle: int = 0, seed: int | None = None, kb_class=None) -> SuiteReport:
    """Run every case file under `paths`; bad files are reported in `errors`, never skipped silently."""
    from engine import catalogue
    from kb import PosteriorThighKB
    kb_class = kb_class or PosteriorThighKB
    files = find_case_files(paths)
    seed = seed if seed is not None else random.SystemRandom().randrange(10_000)
    report = SuiteReport(rules=tuple(m.id for m in catalogue(kb_class)), shuffle=shuffle, seed=seed)
    work = [(path, kb_class, shuffle, seed) for path in files]
    if jobs > 1 and len(work) > 1:
        # experta engines are not thread-safe and share a process-wide cache: use processes.
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            outcomes = []
            for outcome in pool.imap(_run_one, work, chunksize=max(1, len(work) // (jobs * 4))):
                outcomes.append(outcome)
                _progress(len(outcomes), len(work))
    else:
        outcomes = []
        for job in work:
            outcomes.append(_run_one(job))
            _progress(len(outcomes), len(work))
    for outcome in outcomes:
        (report.errors if isinstance(outcome, str) else report.results).append(outcome)
    return report


def failure_text(r: ScenarioResult) -> str:
    """The report for one failed scenario (also used by the pytest suite)."""
    lines = [f"FAIL {r.case_id} ({r.path})"]
    for label, values in (("missing", r.missing), ("unexpected", r.unexpected),
                          ("expected to fire but did not", r.not_fired), ("fired but should not", r.wrongly_fired),
                          ("order-dependent", r.order_dependent)):
        if values:
            lines.append(f"  {label}: {', '.join(values)}")
    lines += [f"  why not {line}" for line in r.why_not]
    lines.append(f"  rules fired: {', '.join(r.fired) or 'none'}")
    return "\n".join(lines)


def report_text(report: SuiteReport, coverage: bool = False) -> str:
    lines = [failure_text(r) for r in report.results if not r.passed]
    lines += [f"ERROR {e}" for e in report.errors]
    if report.shuffle:
        lines.append(f"shuffle: {report.shuffle} orders per scenario, seed {report.seed}")
    lines.append(f"{report.passed} passed, {report.failed} failed, {len(report.errors)} bad input files")
    if coverage:
        cov = report.coverage()
        lines.append(f"rule coverage: {cov['rule_coverage_pct']:.1f}% of {len(report.rules)} rules")
        for key in ("rules_never_fired", "conclusions_never_produced", "findings_never_used"):
            lines.append(f"{key.replace('_', ' ')}: {', '.join(cov[key]) or 'none'}")
    return "\n".join(lines) + "\n"


def report_json(report: SuiteReport, coverage: bool = False) -> str:
    payload = {"passed": report.passed, "failed": report.failed, "errors": report.errors,
               "shuffle": report.shuffle, "seed": report.seed if report.shuffle else None,
               "results": [{**asdict(r), "passed": r.passed} for r in report.results]}
    if coverage:
        payload["coverage"] = report.coverage()
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def report_junit(report: SuiteReport) -> str:
    suite = ET.Element("testsuite", name="ptkb-scenarios", tests=str(len(report.results) + len(report.errors)),
                       failures=str(report.failed), errors=str(len(report.errors)), skipped="0")
    for r in report.results:
        case = ET.SubElement(suite, "testcase", classname=f"scenarios.{Path(r.path).parent.name}", name=r.case_id,
                             file=r.path)
        if not r.passed:
            ET.SubElement(case, "failure", message=f"expectation failed for {r.case_id}").text = failure_text(r)
    for index, error in enumerate(report.errors):
        case = ET.SubElement(suite, "testcase", classname="scenarios.bad_input", name=f"bad-input-{index + 1}")
        ET.SubElement(case, "error", message="bad case file").text = error
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def update_expectations(report: SuiteReport, force: bool = False) -> list[str]:
    """Write each scenario's current conclusions as `expect.include` into files that lack an
    expectation (all files with `force`). Comments and key order are kept; each file is replaced
    atomically, so an interruption leaves the old file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 110
    written = []
    for r in report.results:
        if r.has_expectation and not force:
            continue
        path = Path(r.path)
        document = yaml.load(path.read_text(encoding="utf-8"))
        include = CommentedSeq(c for c in r.conclusions if CONCLUSIONS[c].kind is not Kind.CLUE)
        include.fa.set_flow_style()
        document["expect"] = CommentedMap(include=include)
        _atomic_write(path, lambda handle, document=document: yaml.dump(document, handle))
        written.append(str(path))
    return written


def _atomic_write(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename over the original."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
