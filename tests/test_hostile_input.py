"""Hostile input: any text, junk structure or bytes ends in a valid case or ptkb's own CaseError --
never another exception, a hang or a partial result."""
import math

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Case, CaseError, case_from_mapping, case_from_text
from engine.yamlio import _read_fast, _read_pure, read_yaml_file
from kb.vocabulary import FINDINGS
from tests.helpers import run_cli, scenario_files

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                    st.text(max_size=50), st.text(min_size=1000, max_size=5000), st.binary(max_size=20),
                    st.sampled_from(list(FINDINGS)), st.just(math.inf))
junk = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(list(FINDINGS))),
                                                    children, max_size=5)), max_leaves=30)
case_like = st.fixed_dictionaries({}, optional={
    "id": junk, "title": junk, "source": junk, "findings": st.one_of(junk, st.dictionaries(
        st.sampled_from(list(FINDINGS)), junk, max_size=8)), "expect": junk, "extra": junk})


def _outcome(call):
    try:
        result = call()
    except CaseError as error:
        assert error.problems and all(p.message for p in error.problems)
        return None
    assert isinstance(result, Case)
    return result


@given(st.text(max_size=400))
def test_any_text(text):
    _outcome(lambda: case_from_text(text, "fuzz.yaml"))


# YAML's significant pieces, so generated texts reach the corners where two parsers could differ:
# tabs, odd line breaks, a byte-order mark, anchors, tags, flow and block collections, directives.
_YAML_PIECES = st.sampled_from([
    "id: a\n", "findings:\n", "  gait: normal\n", "  pain_worst_nrs: 5\n", "x", ": ", "- ", "  ", "\t",
    "\n", "\r\n", "\r", "\x85", "\u2028", "\ufeff", "'", '"', "#", "&a ", "*a", "!!str ", "!x ", "{", "}",
    "[", "]", ",", "? ", "|\n", ">-\n", "---\n", "...\n", "%YAML 1.2\n", "<<: ", "0o17", "012", "1:30",
    "yes", "~", "1e999", "\\u0041", "\x07", "\ud800"])


@settings(max_examples=1000)  # cheap (a short text read twice), and the corners are narrow
@given(st.one_of(st.lists(_YAML_PIECES, max_size=40).map("".join), st.text(max_size=200)))
def test_libyaml_takes_a_document_only_as_the_pure_python_reader_reads_it(text):
    """Case files are read by libyaml and, whenever it finds any problem, again by PyYAML's pure
    Python parser (whose messages users see): what libyaml reads must be what that reads."""
    fast = _read_fast(text, "fuzz.yaml")
    if fast is not None:  # compared as text: a NaN is not equal to itself
        assert repr(fast) == repr(_read_pure(text, "fuzz.yaml"))


def test_every_scenario_reads_alike_on_both_parsers():
    for path in scenario_files():
        text = path.read_text(encoding="utf-8")
        fast = _read_fast(text, str(path))
        assert fast is not None and fast == _read_pure(text, str(path)), path


@given(case_like)
def test_structured_junk_as_mapping(data):
    _outcome(lambda: case_from_mapping(data, "fuzz"))


@given(case_like)
def test_structured_junk_through_yaml(data):
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return
    _outcome(lambda: case_from_text(text, "fuzz.yaml"))


@settings(max_examples=25)
@given(st.integers(30, 2000))
def test_deep_nesting_is_bounded(depth):
    text = "id: deep\nfindings: {}\nsource: " + "[" * depth + "]" * depth + "\n"
    assert _outcome(lambda: case_from_text(text, "deep.yaml")) is None


@settings(max_examples=10)
@given(st.integers(2, 9))
def test_alias_bombs_are_refused(levels):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    text = "id: bomb\nfindings: {}\n" + "\n".join(lines) + "\n"
    assert _outcome(lambda: case_from_text(text, "bomb.yaml")) is None


@given(st.binary(max_size=300))
def test_binary_files(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bin") / "case.yaml"
    path.write_bytes(data)
    _outcome(lambda: case_from_mapping(read_yaml_file(path)[0], str(path)))


def test_cli_on_junk_file_exits_2_without_traceback(tmp_path):
    path = tmp_path / "junk.yaml"
    path.write_bytes(b"id: [\x00\xff\xfe]\n" * 10)
    result = run_cli("consult", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stdout == ""


# Hostile case files through the whole CLI: consult, explain in every format, regress.

HOSTILE_SCALARS = ["true", "yes", "012", "1:30", "1e999", ".nan", "-.inf", "9" * 400, "!!int abc",
                   "!!bool maybe", "!!timestamp 2020-99-99", "2020-99-99", '"\\e[8m"', '"\\ud800"',
                   '"&#xD800;"', '"<script>x</script>"', "&a 3", "*a", "[1, [2, [3]]]", "{a: 1}", "''", "~"]
hostile_scalar = st.one_of(st.sampled_from(HOSTILE_SCALARS), st.integers(-5, 500).map(str))
def _value_text(finding: str, draw_index: int) -> str:
    definition = FINDINGS[finding]
    if definition.type == "bool":
        return ["true", "false"][draw_index % 2]
    if definition.type == "enum":
        return definition.values[draw_index % len(definition.values)]
    return f"{definition.low + (definition.high - definition.low) * (draw_index % 5) / 4:g}"


finding_line = st.tuples(st.sampled_from(sorted(FINDINGS)), st.integers(0, 20), st.one_of(
    st.none(), st.none(), st.none(), hostile_scalar)).map(lambda t: f"  {t[0]}: {t[2] if t[2] is not None else _value_text(t[0], t[1])}")
hostile_key_line = st.sampled_from(['  "gait\\e[8m": normal', "  <<: {saddle_numbness: true}", "  ? [a]\n  : b",
                                    "  " + "k" * 300 + ": 1", "  9999999999999999999999: 1"])
hostile_case = st.builds(
    lambda title, lines, extra: "id: fuzz\ntitle: " + title + "\nfindings:\n" + "\n".join(lines + extra) + "\n",
    st.one_of(hostile_scalar, st.text(max_size=30), st.text(max_size=30).map(lambda t: '"' + t.encode("unicode_escape").decode()
                                                       .replace('"', '\\"') + '"')),
    st.lists(finding_line, max_size=8), st.lists(hostile_key_line, max_size=1))


class BudgetExceeded(Exception):
    pass


def _within_budget(seconds: float, call):
    """Run `call` with a wall-clock budget (a bound on hangs, not a performance assertion)."""
    import signal

    def expired(signum, frame):
        raise BudgetExceeded(f"no result within {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return call()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@settings(max_examples=12)
@given(hostile_case)
def test_hostile_case_files_through_every_command(tmp_path_factory, text):
    import contextlib
    import io

    from ptkb.cli import main
    folder = tmp_path_factory.mktemp("hostile")
    case = folder / "case.yaml"
    case.write_text(text, encoding="utf-8", errors="surrogatepass")
    runs = [["consult", str(case)], ["consult", str(case), "--format", "json"], ["regress", str(folder)],
            ["regress", str(folder), "--format", "junit"]]
    runs += [["explain", str(case), "--format", fmt] for fmt in ("text", "json", "dot", "svg", "png", "html")]
    for argv in runs:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = _within_budget(30, lambda: main(argv + ["-o", str(folder / "out.bin")]))
        assert status in (0, 1, 2), (argv, status, err.getvalue())
        assert "Traceback" not in err.getvalue()
        if status == 2:
            assert err.getvalue().strip(), argv  # a refusal always says why
