"""The scenario regression runner: expectations, coverage, order independence, parallel runs and
expectation snapshots.

>>> report = run_suite(["scenarios/nerve/case-study-sciatic-nerve.yaml"])
>>> report.passed, report.failed
(1, 0)
"""
from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import random
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from engine import CaseError, case_from_bytes, case_from_mapping, consult_with, find_case_files
from engine.case import ExpectationCheck, expectation_policy_problem, matches_pattern
from engine.errors import UsageError
from engine.textsafe import printable
from engine.yamlio import read_bounded
from kb.vocabulary import CONCLUSIONS, FINDINGS
from engine.records import FactKind

__all__ = ["ScenarioResult", "SuiteReport", "run_suite", "failure_text",
           "report_text", "report_json", "report_junit", "update_expectations", "effective_jobs",
           "MAX_SHUFFLE"]

MAX_SHUFFLE = 1000


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's outcome: its expectation checked against the consultation, and what it used."""

    case_id: str
    path: str
    check: ExpectationCheck
    findings_used: tuple[str, ...]
    why_not: tuple[str, ...] = ()
    order_dependent: tuple[str, ...] = ()  # "seed N: +x -y" per failing shuffle
    has_expectation: bool = True
    policy: str = ""  # what the expectation policy finds missing (files under scenarios/)
    digest: str = ""  # SHA-256 of the bytes consulted: --update-expect writes only over these bytes

    @property
    def conclusions(self) -> tuple[str, ...]:
        return self.check.conclusions

    @property
    def fired(self) -> tuple[str, ...]:
        return self.check.fired

    @property
    def passed(self) -> bool:
        return not (self.check.failed or self.order_dependent or self.policy)


@dataclass(frozen=True, repr=False)
class SuiteReport:
    """A regression run: each scenario's result, the bad files, and the coverage they give."""

    results: tuple[ScenarioResult, ...] = ()
    errors: tuple[str, ...] = ()   # bad input files, with their problems
    rules: tuple[str, ...] = ()
    shuffle: int = 0
    seed: int | None = None
    files: tuple[str, ...] = ()   # every file the run read, good or bad
    jobs: int = 1                 # processes actually used

    def __repr__(self) -> str:
        return (f"<SuiteReport: {self.passed} passed, {self.failed} failed, {len(self.errors)} bad files, "
                f"rule coverage {self.coverage()['rule_coverage_pct']:.1f}%>")

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
    """One file's verdict; any failure becomes an error line naming the file, never an abort."""
    path = job[0]
    try:
        return _check_one(*job)
    except CaseError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 -- one hostile file must not end the run for the others
        return printable(f"{path}: could not be checked: {type(exc).__name__}: {exc}")


def _check_one(path, kb_class, shuffle, seed) -> ScenarioResult:
    from engine import rule_by_id
    raw = read_bounded(path)
    case = case_from_bytes(raw, str(path))
    result = consult_with(kb_class, case)
    check = case.expect.check(result)
    rules = rule_by_id(kb_class)
    return ScenarioResult(
        case_id=case.id, path=str(path), check=check,
        findings_used=tuple(sorted({p.id for f in result.firings for p in f.premises if p.kind is FactKind.FINDING})),
        why_not=_why_not_lines(result, check.missing, rules),
        order_dependent=_shuffle_failures(case, result.ids(), kb_class, shuffle, seed) if shuffle else (),
        has_expectation=not case.expect.is_empty(), policy=expectation_policy_problem(case),
        digest=hashlib.sha256(raw).hexdigest())


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() and total >= 20:
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def effective_jobs(requested: int, work: int) -> int:
    """Processes worth starting: at most one per item of work and one per CPU.

    >>> effective_jobs(1000, 2) <= 2
    True
    """
    if requested < 1:
        raise UsageError(f"--jobs must be at least 1, got {requested}")
    return max(1, min(requested, work, os.cpu_count() or 1))


def ignore_sigint() -> None:
    """Pool initializer: Ctrl-C is the parent's to handle (one line, exit 130), not every worker's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_suite(paths, jobs: int = 1, shuffle: int = 0, seed: int | None = None, kb_class=None) -> SuiteReport:
    """Run every case file under `paths`; bad files are reported in `errors`, never skipped silently."""
    from engine import catalogue
    from kb import PosteriorThighKB
    if not 0 <= shuffle <= MAX_SHUFFLE:
        raise UsageError(f"--shuffle must be from 0 to {MAX_SHUFFLE}, got {shuffle}")
    kb_class = kb_class or PosteriorThighKB
    files = find_case_files(paths)
    jobs = effective_jobs(jobs, len(files))
    seed = seed if seed is not None else random.SystemRandom().randrange(10_000)
    work = [(path, kb_class, shuffle, seed) for path in files]
    if jobs > 1:
        # experta engines are not thread-safe and share a process-wide cache: use processes.
        with multiprocessing.get_context("fork").Pool(jobs, initializer=ignore_sigint) as pool:
            outcomes = []
            for outcome in pool.imap(_run_one, work, chunksize=max(1, len(work) // (jobs * 4))):
                outcomes.append(outcome)
                _progress(len(outcomes), len(work))
    else:
        outcomes = []
        for job in work:
            outcomes.append(_run_one(job))
            _progress(len(outcomes), len(work))
    return SuiteReport(results=tuple(o for o in outcomes if not isinstance(o, str)),
                       errors=tuple(o for o in outcomes if isinstance(o, str)),
                       rules=tuple(m.id for m in catalogue(kb_class)), shuffle=shuffle, seed=seed,
                       files=tuple(map(str, files)), jobs=jobs)


def failure_text(r: ScenarioResult) -> str:
    """The report for one failed scenario (also used by the pytest suite)."""
    lines = [f"FAIL {r.case_id} ({r.path})"] + ([f"  policy: {r.policy}"] if r.policy else [])
    check = r.check
    for label, values in (("missing", check.missing), ("unexpected", check.unexpected),
                          ("expected to fire but did not", check.not_fired),
                          ("fired but should not", check.wrongly_fired), ("order-dependent", r.order_dependent)):
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
               "results": [{**_public(r), "passed": r.passed} for r in report.results]}
    if coverage:
        payload["coverage"] = report.coverage()
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _public(r: ScenarioResult) -> dict:
    """The result as JSON (no digest)."""
    return {"case_id": r.case_id, "path": r.path, "conclusions": r.conclusions, "fired": r.fired,
            "findings_used": r.findings_used, **r.check.failures(), "why_not": r.why_not,
            "order_dependent": r.order_dependent, "has_expectation": r.has_expectation, "policy": r.policy}


def report_junit(report: SuiteReport) -> str:
    """JUnit XML; well-formed for any input (characters XML cannot hold are written as escapes)."""
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
    return printable(ET.tostring(suite, encoding="unicode", xml_declaration=True)) + "\n"


def _round_trip_yaml():
    """A fresh round-trip YAML 1.2 reader/writer per file: no directive or version carries over."""
    from ruamel.yaml import YAML
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never rewrap a clinician's long line
    return yaml


# Excluded by a snapshot when not concluded: what the policy asks a scenario to rule out at least.
SNAPSHOT_EXCLUDES = ("conflict_findings", "rf_*", "test_red_flag_screen")


def _snapshot(r: ScenarioResult, old: dict) -> tuple[list, list, list[str]]:
    """(include, exclude, notes): the current conclusions, hand-written entries that still hold kept,
    and a note for every hand-written entry that no longer holds and is dropped."""
    concluded = [c for c in r.conclusions if CONCLUSIONS[c].shown]
    hit = lambda pattern: any(matches_pattern(pattern, c) for c in r.conclusions)  # noqa: E731
    notes = [f"drops include {p!r}: no longer concluded" for p in old.get("include") or [] if not hit(p)]
    notes += [f"drops exclude {p!r}: now concluded" for p in old.get("exclude") or [] if hit(p)]
    include = list(dict.fromkeys([p for p in old.get("include") or [] if hit(p)] + concluded))
    exclude = list(dict.fromkeys([p for p in old.get("exclude") or [] if not hit(p)]
                                 + [p for p in SNAPSHOT_EXCLUDES if not hit(p)]))
    return include, exclude, notes


def _with_expectation(text: str, r: ScenarioResult) -> tuple[str, list[str]]:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    yaml = _round_trip_yaml()
    document = yaml.load(text)
    old = document.get("expect") or {}
    include, exclude, notes = _snapshot(r, old)
    expect = old if isinstance(old, CommentedMap) else CommentedMap()
    for key, values in (("include", include), ("exclude", exclude)):
        seq = CommentedSeq(values)
        seq.fa.set_flow_style()
        expect[key] = seq
    document["expect"] = expect
    out = io.StringIO()
    yaml.dump(document, out)
    new = out.getvalue()
    return (new.replace("\n", "\r\n") if "\r\n" in text else new), notes


def update_expectations(report: SuiteReport, force: bool = False, show=None) -> tuple[list[str], list[str]]:
    """Write each scenario's current conclusions as `expect.include` and what it rules out as
    `expect.exclude` into files that lack an expectation (all files with `force`: hand-written entries
    that still hold are kept, each one dropped is said); returns (written paths, skipped "path: reason").
    `show(text)` receives a unified diff of every file before it is written (review it like a snapshot).

    A file is written only if its bytes are still exactly those that were consulted: an edit made
    while the run was going is kept, and the file reported as skipped. Comments, key order, line
    endings, directives, mode and links are kept; each file is written whole or not at all."""
    from ptkb.output import write_file
    written, skipped = [], []
    for r in report.results:
        if r.has_expectation and not force:
            continue
        try:
            raw = read_bounded(r.path)
            if hashlib.sha256(raw).hexdigest() != r.digest:
                skipped.append(f"{r.path}: changed since it was consulted; not written (run again)")
                continue
            old_text = raw.decode("utf-8")
            new, notes = _with_expectation(old_text, r)
            if show is not None:
                import difflib
                show("".join(difflib.unified_diff(old_text.splitlines(True), new.splitlines(True), r.path, r.path))
                     + "".join(f"# {r.path}: {note}\n" for note in notes))
            if hashlib.sha256(read_bounded(r.path)).hexdigest() != r.digest:
                skipped.append(f"{r.path}: changed while the expectation was prepared; not written")
                continue
            write_file(r.path, new)
        except CaseError as exc:
            skipped.append(f"{r.path}: {exc}")
            continue
        written.append(r.path)
    return written, skipped
