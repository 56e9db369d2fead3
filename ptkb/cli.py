"""The `ptkb` command: a thin shell over library calls.

Results go to stdout, diagnostics to stderr. Exit status: 0 ok, 1 a failed expectation or lint
finding, 2 bad usage or bad input. Library errors are caught here and nowhere else.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ptkb import __version__

__all__ = ["main"]


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def cmd_consult(args) -> int:
    from engine import consult, load_case, rule_by_id
    from ptkb.report import consultation_text
    result = consult(load_case(args.case))
    text = result.to_json() + "\n" if args.format == "json" else consultation_text(result, rule_by_id())
    _write(text, args.output)
    return 0


def cmd_rules(args) -> int:
    from engine import catalogue
    from ptkb.report import catalogue_json, catalogue_text
    metas = [m for m in catalogue() if not args.area or m.area == args.area]
    _write(catalogue_json(metas) + "\n" if args.format == "json" else catalogue_text(metas), args.output)
    return 0


def cmd_vocab(args) -> int:
    from ptkb.report import vocabulary_markdown
    _write(vocabulary_markdown(), args.output)
    return 0


CASE_STUDIES = ("scenarios/hamstring/case-study-hamstring-strain.yaml",
                "scenarios/nerve/case-study-sciatic-nerve.yaml")


def cmd_demo(args) -> int:
    from ptkb.demo import run_demo
    for line in run_demo(CASE_STUDIES, Path(args.out)):
        print(line)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ptkb", description="Expert-system knowledge base for posterior "
                                     "thigh and buttock pain, with explanations.")
    parser.add_argument("--version", action="version", version=f"ptkb {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    def output_option(p):
        p.add_argument("-o", "--output", metavar="FILE", help="write the result to FILE (default: stdout)")

    p = command("consult", cmd_consult, "consult the knowledge base on one case file")
    p.add_argument("case", help="a YAML case file")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    output_option(p)

    p = command("rules", cmd_rules, "list the rule catalogue (id, area, layer, title, citations)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--area", help="only rules of this area, e.g. hamstring (default: all)")
    output_option(p)

    p = command("demo", cmd_demo, "consult the article's two case studies and write their reports")
    p.add_argument("--out", default="out/demo", help="output folder (default: out/demo)")

    p = command("vocab", cmd_vocab, "print the controlled vocabulary as Markdown")
    output_option(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    from engine.errors import PtkbError
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except PtkbError as exc:
        print(f"ptkb {args.command}: error:\n{exc}" if "\n" in str(exc) else f"ptkb {args.command}: error: {exc}",
              file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:
        print(f"ptkb {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
