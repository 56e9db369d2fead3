"""Safe, bounded YAML reading for case files: no aliases, no duplicate keys, limited size and depth.

>>> data, lines = read_yaml_text("id: a\\nfindings: {gait: normal}\\n", "x.yaml")
>>> data["findings"]["gait"], lines[("findings", "gait")]
('normal', 2)
"""
from __future__ import annotations

import yaml

from engine.errors import CaseError, Problem

__all__ = ["read_yaml_file", "read_yaml_text", "MAX_BYTES", "MAX_DEPTH"]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20


class _CaseLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (alias bombs) and deep nesting."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in case files",
                                              event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"nesting deeper than {MAX_DEPTH} levels",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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
    loader = None
    try:
        loader = _CaseLoader(text)  # the reader rejects control characters here already
        node = loader.get_single_node()
        if node is None:
            raise CaseError([Problem(source, "", "the file is empty: expected a mapping with id and findings")])
        lines, problems = {}, []
        _walk(node, (), lines, problems, source)
        if problems:
            raise CaseError(problems)
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(m) for m in (exc.context, exc.problem) if m)
        raise CaseError([Problem(source, "", f"YAML syntax error: {message}", line)]) from None
    except yaml.YAMLError as exc:
        raise CaseError([Problem(source, "", f"not valid YAML text: {exc}")]) from None
    except RecursionError:
        raise CaseError([Problem(source, "", "the document is nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()


def read_yaml_file(path) -> tuple[object, dict]:
    """Read a case file: at most 1 MiB of UTF-8 text, then `read_yaml_text`."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CaseError([Problem(source, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    if len(raw) > MAX_BYTES:
        raise CaseError([Problem(source, "", f"the file is larger than {MAX_BYTES // 1024} KiB")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseError([Problem(source, "", f"not UTF-8 text (byte {exc.start})")]) from None
    if "\x00" in text:
        raise CaseError([Problem(source, "", "binary content (NUL byte): expected YAML text")])
    return read_yaml_text(text, source)
