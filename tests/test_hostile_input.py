"""Hostile input: any text, junk structure or bytes ends in a valid case or ptkb's own CaseError --
never another exception, a hang or a partial result."""
import math

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Case, CaseError, case_from_mapping, case_from_text
from engine.yamlio import read_yaml_file
from kb.vocabulary import FINDINGS
from tests.helpers import run_cli

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
