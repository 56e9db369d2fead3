"""Safe, bounded YAML reading for case files: no aliases, no tags, no merge keys, no duplicate keys,
limited size and depth, and YAML 1.2 core-schema scalars -- so `1:30`, `012`, `yes` and `2020-01-01`
stay the text the clinician wrote instead of becoming 90, 10, true or a date (YAML 1.1).

>>> data, lines = read_yaml_text("id: a\\nfindings: {gait: normal}\\n", "x.yaml")
>>> data["findings"]["gait"], lines[("findings", "gait")]
('normal', 2)
>>> read_yaml_text("a: 1:30\\nb: 012\\nc: yes\\nd: 0x1f\\ne: 1.5e3\\nf: true\\ng: 1e999\\n", "x.yaml")[0]
{'a': '1:30', 'b': '012', 'c': 'yes', 'd': 31, 'e': 1500.0, 'f': True, 'g': '1e999'}
"""
from __future__ import annotations

import math
import os
import re
import stat

import yaml

from engine.errors import CaseError, Problem

__all__ = ["read_yaml_file", "read_yaml_text", "read_bounded", "decode_yaml_bytes", "MAX_BYTES", "MAX_DEPTH", "MAX_DIGITS"]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20
MAX_DIGITS = 18  # longer integers stay text, so no value can overflow a float or Python's digit limit


class _CoreResolver(yaml.resolver.BaseResolver):
    """The YAML 1.2 core schema: null, true/false, decimal/octal(0o)/hex integers, floats -- nothing else.

    Integers with a leading zero (YAML 1.1 octal) or more than MAX_DIGITS digits stay text, so the
    validator reports them instead of reading them as some other number."""


for _tag, _pattern, _first in (
        ("null", r"~|null|Null|NULL|", "~nN"),
        ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
        ("int", r"[-+]?(?:0|[1-9][0-9]{0,%d})|0o[0-7]{1,%d}|0x[0-9a-fA-F]{1,%d}"
         % (MAX_DIGITS - 1, MAX_DIGITS, MAX_DIGITS - 3), "-+0123456789"),
        ("float", r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
                  r"|[-+]?\.(?:inf|Inf|INF)"
                  r"|\.(?:nan|NaN|NAN)", "-+.0123456789")):
    _CoreResolver.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(f"^(?:{_pattern})$"),
                                        list(_first) + ([""] if _tag == "null" else []))


class _CoreConstructor(yaml.constructor.SafeConstructor):
    def construct_yaml_int(self, node):
        value = self.construct_scalar(node)
        for prefix, base in (("0o", 8), ("0x", 16)):
            if value.startswith(prefix):
                return int(value[2:], base)
        return int(value)

    def construct_yaml_float(self, node):
        text = self.construct_scalar(node)
        value = float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
        # a number too large for a float stays the text written, not a silent infinity
        return value if math.isfinite(value) or "inf" in text.lower() or "nan" in text.lower() else text


_CoreConstructor.add_constructor("tag:yaml.org,2002:int", _CoreConstructor.construct_yaml_int)
_CoreConstructor.add_constructor("tag:yaml.org,2002:float", _CoreConstructor.construct_yaml_float)


class _Guarded:
    """The composer's checks, for either parser: no aliases (alias bombs), no explicit tags, no deep
    nesting."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in case files",
                                              event.start_mark)
        event = self.peek_event()
        if getattr(event, "tag", None) is not None:
            raise yaml.composer.ComposerError(None, None, f"explicit tags ({_tag_name(event.tag)}) are not "
                                              "allowed in case files: write the plain value", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"nesting deeper than {MAX_DEPTH} levels",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _CaseLoader(_Guarded, yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
                  _CoreConstructor, _CoreResolver):
    """A YAML 1.2 core-schema loader that refuses aliases, explicit tags and deep nesting: PyYAML's
    pure-Python reader, scanner and parser, whose messages the case-file errors quote."""

    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _CoreConstructor.__init__(self)
        _CoreResolver.__init__(self)
        self._depth = 0


try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

if _CParser is not None:
    class _FastCaseLoader(_Guarded, yaml.composer.Composer, _CParser, _CoreConstructor, _CoreResolver):
        """The same loader on libyaml's scanner and parser (about 6x faster on a scenario file); the
        composition, checks and construction above stay PyYAML's own. Only a document it reads
        without any problem is taken from it: anything else is read again by `_CaseLoader`, so every
        error a user sees is worded as before."""

        def __init__(self, stream):
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            _CoreConstructor.__init__(self)
            _CoreResolver.__init__(self)
            self._depth = 0
else:  # pragma: no cover
    _FastCaseLoader = None


# Where libyaml and PyYAML's own parser part ways (found by tests/test_hostile_input.py): libyaml
# lets a tab end a plain scalar and reads a byte-order mark inside the text; line breaks other than
# "\n" are left to PyYAML too. A text with any of these is read by PyYAML alone.
_PURE_ONLY = re.compile("[\t\r\x85\u2028\u2029\ufeff]")


def _load(loader_class, text: str, source: str) -> tuple[object, dict]:
    """One document read by `loader_class`: (data, lines), CaseError for an empty document or a
    problem `_walk` finds, YAML's own errors as raised."""
    loader = None
    try:
        loader = loader_class(text)
        node = loader.get_single_node()
        if node is None:
            raise CaseError([Problem(source, "", "the file is empty: expected a mapping with id and findings")])
        lines, problems = {}, []
        _walk(node, (), lines, problems, source)
        if problems:
            raise CaseError(problems)
        return loader.construct_document(node), lines
    finally:
        if loader is not None:
            loader.dispose()


def _read_fast(text: str, source: str):
    """(data, lines) from libyaml when it reads the document without any problem, else None."""
    if _FastCaseLoader is None or _PURE_ONLY.search(text):
        return None
    try:
        return _load(_FastCaseLoader, text, source)
    except Exception:  # noqa: BLE001 - whatever it is, the pure-Python reading words it
        return None


def _walk(node, path, lines, problems, source):
    """Record the line of every key path and report duplicate or non-scalar keys."""
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(source, ".".join(map(str, path)), "keys must be plain names", line))
                continue
            key = key_node.value
            if key == "<<" and not key_node.style:  # plain: None from PyYAML, "" from libyaml
                problems.append(Problem(source, ".".join(map(str, path + (key,))),
                                        "merge keys (<<) are not allowed in case files: write each key once", line))
                continue
            if key in seen:
                problems.append(Problem(source, ".".join(map(str, path + (key,))),
                                        f"duplicate key (first at line {seen[key]})", line))
                continue
            seen[key] = line
            lines[path + (key,)] = line
            _walk(value_node, path + (key,), lines, problems, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            _walk(item, path + (index,), lines, problems, source)


def read_yaml_text(text: str, source: str) -> tuple[object, dict]:
    """Parse one YAML document; return the data and a map from key path to line number.

    Raises CaseError for syntax errors (with line), aliases, deep nesting, duplicate keys and more
    than one document.
    """
    fast = _read_fast(text, source)
    return fast if fast is not None else _read_pure(text, source)


def _read_pure(text: str, source: str) -> tuple[object, dict]:
    """`read_yaml_text` on PyYAML's pure-Python parser: the reading whose errors users see."""
    try:
        return _load(_CaseLoader, text, source)  # its reader rejects control characters already
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(m) for m in (exc.context, exc.problem) if m)
        raise CaseError([Problem(source, "", f"YAML syntax error: {message}", line)]) from None
    except yaml.YAMLError as exc:
        raise CaseError([Problem(source, "", f"not valid YAML text: {exc}")]) from None
    except RecursionError:
        raise CaseError([Problem(source, "", "the document is nested too deeply")]) from None


def _tag_name(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def read_bounded(path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; FIFOs, devices and folders are refused before
    anything is read, so no input can block or stream without end."""
    source = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise CaseError([Problem(source, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise CaseError([Problem(source, "", "not a regular file (a folder, FIFO or device): "
                                                 "expected a YAML file")])
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CaseError([Problem(source, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        raise CaseError([Problem(source, "", f"the file is larger than {MAX_BYTES // 1024} KiB")])
    return raw


def decode_yaml_bytes(raw: bytes, source: str) -> str:
    """UTF-8 text without NUL bytes, or CaseError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseError([Problem(source, "", f"not UTF-8 text (byte {exc.start})")]) from None
    if "\x00" in text:
        raise CaseError([Problem(source, "", "binary content (NUL byte): expected YAML text")])
    return text


def read_yaml_file(path) -> tuple[object, dict]:
    """Read a YAML file: a regular file of at most 1 MiB of UTF-8 text, then `read_yaml_text`."""
    return read_yaml_text(decode_yaml_bytes(read_bounded(path), str(path)), str(path))
