"""The `ptkb` command: a thin shell over library calls.

Results go to stdout, diagnostics to stderr. Exit status: 0 ok, 1 a failed expectation or lint
finding, 2 bad usage or bad input. Library errors are caught here and nowhere else.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

from ptkb import __version__

__all__ = ["main"]


def _write(data, output: str | None, inputs=(), escape: bool = True) -> None:
    """Text or bytes to FILE (whole or not at all, never over an input), or to stdout. Text meant for
    a terminal has its control characters made visible (`escape`); JSON, DOT, SVG and HTML escape
    their own strings."""
    from ptkb.output import printable, refuse_inputs, write_file
    if isinstance(data, str) and escape:
        data = printable(data)
    if output and output != "-":
        refuse_inputs(output, inputs)
        write_file(output, data)
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
    else:
        sys.stdout.write(data)


def _say(message: str) -> None:
    """One diagnostic line on stderr, control characters made visible."""
    from ptkb.output import printable
    print(printable(message), file=sys.stderr)


def _percent_option(name: str, value) -> None:
    import math
    from ptkb.api import UsageError
    if value is not None and not (math.isfinite(value) and 0 <= value <= 100):
        raise UsageError(f"{name} must be a percentage from 0 to 100, got {value}")


def _note_jobs(command: str, requested: int, used: int) -> None:
    if used < requested:
        _say(f"ptkb {command}: --jobs {requested} capped at {used} (one process per file and per CPU)")


def cmd_consult(args) -> int:
    from ptkb import api
    consultation = api.load(_source(args.case))
    text = consultation.to_json() if args.format == "json" else consultation.plan_text()
    _write(text, args.output, [args.case], escape=args.format == "text")
    return 0


def _source(path: str):
    """A case argument: a file path, or '-' for standard input."""
    return path if path == "-" else Path(path)


def _drawing(args) -> dict:
    """The drawing options of explain, diff and graph."""
    import math
    import re
    from ptkb.api import UsageError
    if args.size is not None and not re.fullmatch(r"\d+(\.\d+)?,\d+(\.\d+)?!?", args.size):
        raise UsageError(f"--size must be W,H in inches, e.g. 13.3,7.5, got {args.size!r}")
    if args.dpi is not None and not (math.isfinite(args.dpi) and 10 <= args.dpi <= 1200):
        raise UsageError(f"--dpi must be from 10 to 1200, got {args.dpi}")
    return {"legend": args.legend, "size": args.size, "dpi": args.dpi, "rankdir": args.rankdir}


def cmd_explain(args) -> int:
    from ptkb import api
    options = _drawing(args)
    consultation = api.load(_source(args.case))
    _write(consultation.explain(args.format, why=args.why, why_not=args.why_not, how=args.how, detail=args.detail,
                                **options),
           args.output, [args.case], escape=args.format == "text")
    return 0


def cmd_diff(args) -> int:
    from ptkb import api
    options = _drawing(args)
    a, b = api.load(_source(args.case_a)), api.load(_source(args.case_b))
    _write(api.answer_output(a.diff(b), args.format, args.detail, **options), args.output,
           [args.case_a, args.case_b], escape=args.format == "text")
    return 0


def cmd_graph(args) -> int:
    from ptkb import api
    kb = api.knowledge_base(args.area)
    _write(kb.draw(args.format, coverage_from=args.coverage_from, **_drawing(args)), args.output, escape=False)
    return 0


def cmd_regress(args) -> int:
    from ptkb import api, regression as regress
    from ptkb.output import printable
    _percent_option("--min-coverage", args.min_coverage)
    report = api.regress(args.paths, jobs=args.jobs, shuffle=args.shuffle, seed=args.seed)
    _note_jobs("regress", args.jobs, report.jobs)
    if args.update_expect:
        written, skipped = regress.update_expectations(report, force=args.force,
                                                       show=lambda diff: sys.stderr.write(printable(diff)))
        for path in written:
            _say(f"wrote expect: {path}")
        for line in skipped:
            _say(f"ptkb regress: not written: {line}")
    with_coverage = args.coverage or args.min_coverage is not None
    renderers = {"text": lambda: regress.report_text(report, with_coverage),
                 "json": lambda: regress.report_json(report, with_coverage),
                 "junit": lambda: regress.report_junit(report)}
    _write(renderers[args.format](), args.output, report.files,
           escape=args.format != "json")
    for error in report.errors:
        _say(f"ptkb regress: bad input: {error}")
    if report.errors:
        return 2
    percent = report.coverage()["rule_coverage_pct"] if args.min_coverage is not None else None
    below = percent is not None and percent < args.min_coverage
    if below:
        _say(f"ptkb regress: rule coverage {percent:.1f}% is below {args.min_coverage:g}%")
    return 1 if (report.failed and not args.update_expect) or below else 0


def cmd_lint(args) -> int:
    from ptkb import api
    from ptkb.linting import Severity, lint_json, lint_sarif, lint_text
    if args.mutate < 0:
        raise api.UsageError(f"--mutate must be 0 (off) or a number of mutants, got {args.mutate}")
    _percent_option("--min-kill", args.min_kill)
    issues = api.lint(ack=args.ack, scenarios=args.scenarios)
    renderers = {"text": lambda: lint_text(issues, args.show_acknowledged), "json": lambda: lint_json(issues),
                 "sarif": lambda: lint_sarif(issues)}
    _write(renderers[args.format](), args.output, [args.ack], escape=args.format == "text")
    status = 1 if any(i.severity is Severity.ERROR for i in issues) else 0
    if args.mutate:
        from ptkb.regression import effective_jobs
        jobs = effective_jobs(args.jobs, args.mutate)
        _note_jobs("lint", args.jobs, jobs)
        report = api.mutation_check([args.scenarios], args.mutate, seed=args.seed, jobs=jobs)
        sys.stdout.write(report.text())
        if 100 * report.kill_ratio < args.min_kill:
            _say(f"ptkb lint: kill ratio {100 * report.kill_ratio:.1f}% is below {args.min_kill:g}%")
            status = 1
    return status


def cmd_ask(args) -> int:
    from ptkb import api
    from ptkb.asking import run_session
    from ptkb.session import Session
    session = Session.from_case(api.read_case(_source(args.case))) if args.case else Session()
    return run_session(session)


def cmd_serve(args) -> int:
    from ptkb.web import serve
    serve(args.scenarios, host=args.host, port=args.port, workers=args.workers, log=_say)
    return 0


def cmd_verify(args) -> int:
    from ptkb import api
    from ptkb import verification as v
    from ptkb.regression import effective_jobs
    jobs = effective_jobs(args.jobs, 10_000)
    report = api.verify(jobs=jobs, include_rules=not args.no_rules)
    for folder, outcomes, prefix in ((args.counterexamples, report.invariants, "counterexample"),
                                     (args.witnesses, report.conclusions, "witness")):
        if folder:
            for path in v.write_cases(outcomes, folder, prefix):
                _say(f"wrote {path}")
    renderers = {"text": v.report_text, "json": v.report_json, "sarif": v.report_sarif}
    _write(renderers[args.format](report), args.output, escape=args.format == "text")
    return 0 if report.ok else 1


def cmd_rules(args) -> int:
    from ptkb import api
    from ptkb.report import catalogue_html, catalogue_json, catalogue_markdown, catalogue_text
    metas = api.rules(args.area)
    if args.format in ("md", "html"):
        fired_in = None
        if args.scenarios and Path(args.scenarios).exists():
            fired_in = api.regress([args.scenarios], seed=0).coverage()["rules_fired_in"]
        text = (catalogue_markdown if args.format == "md" else catalogue_html)(metas, fired_in)
    else:
        text = catalogue_json(metas) + "\n" if args.format == "json" else catalogue_text(metas)
    _write(text, args.output, escape=args.format == "text")
    return 0


def cmd_schema(args) -> int:
    import json
    from ptkb import api
    _write(json.dumps(api.case_schema(args.scenario), indent=2, ensure_ascii=False) + "\n", args.output, escape=False)
    return 0


def cmd_vocab(args) -> int:
    from ptkb.report import vocabulary_markdown
    _write(vocabulary_markdown(), args.output)
    return 0


def cmd_demo(args) -> int:
    from ptkb.api import CASE_STUDIES
    from ptkb.demo import run_demo
    for line in run_demo(CASE_STUDIES, Path(args.out)):
        print(line)
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse that suggests the nearest command or option for a mistyped one (Python 3.11's does not)."""

    def error(self, message):
        import difflib
        import re
        wrong = re.search(r"invalid choice: '([^']*)'", message) or re.search(r"unrecognized arguments: (\S+)", message)
        if wrong:
            close = difflib.get_close_matches(wrong.group(1), sorted(self._words()), n=1, cutoff=0.6)
            if close:
                message += f" (did you mean {close[0]}?)"
        super().error(message)

    def _words(self) -> set[str]:
        """Every option, choice and command this parser or its subcommands know."""
        words = set()
        for action in self._actions:
            words.update(action.option_strings)
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    words |= sub._words()
            if action.choices:
                words.update(str(c) for c in action.choices)
        return words


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ptkb", description="Expert-system knowledge base for posterior "
                     "thigh and buttock pain, with explanations.")
    parser.add_argument("--version", action="version", version=f"ptkb {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def command(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    def drawing_options(p):
        p.add_argument("--legend", action=argparse.BooleanOptionalAction, default=True,
                       help="draw a legend of the kinds shown (default: --legend)")
        p.add_argument("--size", metavar="W,H", help="fit the drawing into W x H inches, e.g. 13.3,7.5 for "
                       "a 16:9 slide (default: natural size)")
        p.add_argument("--dpi", type=float, metavar="N", help="PNG resolution (default: 96)")
        p.add_argument("--rankdir", choices=("LR", "TB", "RL", "BT"), default="LR",
                       help="direction of the reasoning (default: LR, findings on the left)")

    def output_option(p):
        p.add_argument("-o", "--output", metavar="FILE", help="write the result to FILE (default: stdout)")

    p = command("consult", cmd_consult, "consult the knowledge base on one case file")
    p.add_argument("case", help="a YAML case file ('-': standard input)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    output_option(p)

    p = command("explain", cmd_explain, "explain a consultation: the derivation graph, or why / why-not / how")
    p.add_argument("case", help="a YAML case file ('-': standard input)")
    question = p.add_mutually_exclusive_group()
    question.add_argument("--why", metavar="ID", help="the proof of a reached conclusion")
    question.add_argument("--why-not", metavar="ID", help="why a conclusion was not reached")
    question.add_argument("--how", metavar="ID", help="what an input finding contributed to")
    p.add_argument("--format", choices=("text", "json", "dot", "svg", "png", "html"), default="text",
                   help="output format (default: text); svg, png and html need Graphviz")
    p.add_argument("--detail", choices=("clinical", "full"), default="clinical",
                   help="clinical: intermediate clues folded into the rules that use them; full: every step "
                   "(default: clinical)")
    drawing_options(p)
    output_option(p)

    p = command("diff", cmd_diff, "what changes in conclusions and reasoning between two cases")
    p.add_argument("case_a", help="the first case file")
    p.add_argument("case_b", help="the second case file (e.g. the same case with one finding changed)")
    p.add_argument("--format", choices=("text", "json", "dot", "svg", "png", "html"), default="text",
                   help="output format (default: text); dot, svg, png and html draw A and B side by side")
    p.add_argument("--detail", choices=("clinical", "full"), default="clinical", help="as for explain "
                   "(default: clinical)")
    drawing_options(p)
    output_option(p)

    p = command("graph", cmd_graph, "draw the static knowledge-base graph (rules and the facts they read "
                "and write), clustered by clinical area and layer")
    p.add_argument("--area", help="only this area's rules, with what they read and write, e.g. nerve "
                   "(default: all areas)")
    p.add_argument("--format", choices=("dot", "svg", "png", "json", "html"), default="dot",
                   help="output format (default: dot); html is pan/zoomable and searchable by id")
    p.add_argument("--coverage-from", metavar="DIR", help="mark rules no scenario under DIR fires "
                   "(default: no coverage marks)")
    drawing_options(p)
    output_option(p)

    p = command("regress", cmd_regress, "run every scenario, check its expectations, report coverage")
    p.add_argument("paths", nargs="*", default=["scenarios"], help="case files or folders (default: scenarios)")
    p.add_argument("--format", choices=("text", "json", "junit"), default="text",
                   help="report format (default: text)")
    p.add_argument("--coverage", action="store_true", help="add rule, conclusion and finding coverage "
                   "(default: off)")
    p.add_argument("--min-coverage", type=float, metavar="PCT", help="fail (exit 1) when rule coverage is "
                   "below PCT percent (default: no threshold)")
    p.add_argument("--shuffle", type=int, default=0, metavar="N", help="re-run each scenario with its "
                   "findings (and rule ties) in N seeded random orders; fail if conclusions differ (default: 0)")
    p.add_argument("--seed", type=int, help="seed for --shuffle (default: random, printed in the report)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="run scenarios in N processes (default: 1)")
    p.add_argument("--update-expect", action="store_true", help="write current conclusions as expect into "
                   "files without one (default: off)")
    p.add_argument("--force", action="store_true", help="with --update-expect: also overwrite existing "
                   "expectations (default: off)")
    output_option(p)

    p = command("lint", cmd_lint, "check the rules statically (ids, values, citations, reachability, "
                "redundancy, conflicts, cycles); optionally a mutation check of the scenarios")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                   help="output format (default: text); sarif is SARIF 2.1.0 for code-review tools")
    p.add_argument("--ack", default="lint-acknowledged.yaml", metavar="FILE",
                   help="reviewed acknowledgements of warnings (default: lint-acknowledged.yaml)")
    p.add_argument("--show-acknowledged", action="store_true",
                   help="list the acknowledged warnings too (default: counted in one line)")
    p.add_argument("--mutate", type=int, default=0, metavar="N",
                   help="apply N rule mutations and report which no scenario catches (default: 0, off)")
    p.add_argument("--scenarios", default="scenarios", help="scenarios for the scenario check (contradictory "
                   "findings) and --mutate (default: scenarios)")
    p.add_argument("--seed", type=int, default=0, help="seed choosing the mutants (default: 0)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="processes for --mutate (default: 1)")
    p.add_argument("--min-kill", type=float, default=90.0, metavar="PCT",
                   help="with --mutate: fail below this kill ratio (default: 90)")
    output_option(p)

    p = command("ask", cmd_ask, "an interactive consultation: the next most useful question, with why and how "
                "at every step")
    p.add_argument("case", nargs="?", help="start from this case file's findings (default: from nothing)")

    p = command("serve", cmd_serve, "the classroom explorer in the browser: toggle a finding, watch the reasoning "
                "change")
    p.add_argument("scenarios", nargs="?", default="scenarios", help="the folder of scenario files to browse "
                   "(default: scenarios)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer "
                   "only; 0.0.0.0 opens it to the network, with a warning)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes, each with its own "
                   "engine (default: 1)")

    p = command("verify", cmd_verify, "prove the safety invariants for every possible case (SMT), and find a "
                "minimal witness case for every conclusion and every rule")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="output format (default: text)")
    p.add_argument("--counterexamples", metavar="DIR", help="write each counterexample as a scenario file "
                   "(default: none)")
    p.add_argument("--witnesses", metavar="DIR", help="write one witness scenario per conclusion (default: none)")
    p.add_argument("--no-rules", action="store_true", help="skip the per-rule redundancy check (default: check)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="processes (default: 1)")
    output_option(p)

    p = command("rules", cmd_rules, "the rule catalogue (text: one line a rule; md: the reviewable document, "
                "as docs/rules.md; html: the same as a searchable page with each rule's drawing)")
    p.add_argument("--format", choices=("text", "json", "md", "html"), default="text",
                   help="output format (default: text); html needs Graphviz for the drawings")
    p.add_argument("--area", help="only rules of this area, e.g. hamstring (default: all)")
    p.add_argument("--scenarios", default="scenarios", metavar="DIR",
                   help="with --format md: list the scenarios that fire each rule (default: scenarios)")
    output_option(p)

    p = command("demo", cmd_demo, "consult the article's two case studies and write their reports")
    p.add_argument("--out", default="out/demo", help="output folder (default: out/demo)")

    p = command("schema", cmd_schema, "print the JSON Schema of case files, generated from the vocabulary")
    p.add_argument("--scenario", action="store_true", help="the stricter schema of files under scenarios/ "
                   "(expect.include and expect.exclude required; default: any case file)")
    output_option(p)

    p = command("vocab", cmd_vocab, "print the controlled vocabulary as Markdown")
    output_option(p)
    return parser


LONG_LIVED = ("serve", "ask")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    from ptkb.api import PtkbError, quiet
    _tolerant_streams()
    args = _parser().parse_args(argv)
    try:
        # many consultations in one short-lived process run without the collector's pauses; a server
        # or an interactive session lives long, and without the collector its cyclic garbage would grow
        with nullcontext() if args.command in LONG_LIVED else quiet():
            return args.func(args)
    except PtkbError as exc:
        text = str(exc)
        _say(f"ptkb {args.command}: error:\n{text}" if "\n" in text else f"ptkb {args.command}: error: {text}")
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:
        _say(f"ptkb {args.command}: error: {exc}")
        return 2
    except KeyboardInterrupt:
        _say(f"ptkb {args.command}: interrupted")
        return 130


def _tolerant_streams() -> None:
    """Under a non-UTF-8 locale (LC_ALL=C without coercion) write what the terminal cannot encode
    as escapes instead of failing on the first en dash."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


if __name__ == "__main__":
    sys.exit(main())
