"""The knowledge's data files (kb/*.yaml, kb/rules/*.yaml) read once, then from a cache as Python
reads its modules from bytecode.

Parsing YAML is most of the cost of starting ptkb, so the parsed data is kept beside the file, in
`__pycache__/NAME.<content hash>.marshal`: a changed file has another hash, so a stale cache is never
read. Nothing is written when Python writes no bytecode (`PYTHONDONTWRITEBYTECODE`) or the folder is
read-only; the file is then parsed each time.

>>> data = load_data(path_of("citations.yaml"))
>>> isinstance(data, list) and "key" in data[0]
True
"""
from __future__ import annotations

import fnmatch
import marshal
import os
import sys

from kb.errors import PtkbError

try:  # blake2 without loading OpenSSL (hashlib's import is a few ms of every start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

__all__ = ["load_data", "path_of", "DataFileError"]

_HERE = os.path.dirname(os.path.abspath(__file__))

_FORMAT = b"ptkb-data-2"  # part of the hash: a change of what is cached invalidates every cache


class DataFileError(PtkbError, ValueError):
    """A data file of the knowledge is not valid YAML; the message names the file and line."""


def path_of(name: str) -> str:
    """The path of a data file of the kb package, e.g. "rules/hamstring.yaml"."""
    return os.path.join(_HERE, *name.split("/"))


def load_data(path: str, mark_lines: bool = False):
    """The YAML document at `path`; with `mark_lines`, every mapping that has an `id` also gets its
    line number as `__line__` (what lint and definition errors point at)."""
    with open(path, "rb") as handle:
        raw = handle.read()
    tag = f"{sys.implementation.cache_tag}:{mark_lines}".encode()  # marshal's format follows the version
    digest = blake2b(raw + _FORMAT + tag, digest_size=10).hexdigest()
    folder, name = os.path.split(path)
    stem = f"{name}.lines" if mark_lines else name  # the two readings of one file are cached apart
    cache = os.path.join(folder, "__pycache__", f"{stem}.{digest}.marshal")
    try:
        with open(cache, "rb") as handle:
            return marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    data = _parse(raw.decode("utf-8"), path, mark_lines)
    if not sys.dont_write_bytecode:
        _store(cache, data)
    return data


def _parse(text: str, path: str, mark_lines: bool):
    import yaml
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present

    class Loader(base):
        pass

    def mapping(loader, node):
        """A mapping, refusing a key written twice (YAML would keep the last one silently: a rule with
        two `when:` would lose the first)."""
        seen = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in seen:
                raise DataFileError(f"{path}:{key_node.start_mark.line + 1}: {key!r} is given twice in one entry "
                                    f"(first at line {seen[key]})")
            seen[key] = key_node.start_mark.line + 1
        value = loader.construct_mapping(node, deep=True)
        if mark_lines and "id" in value:
            value["__line__"] = node.start_mark.line + 1
        return value

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        raise DataFileError(f"{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None


def _store(cache: str, data) -> None:
    """Write the cache atomically (a half-written file is never read); give up quietly when the
    folder cannot be written or the data is not marshallable."""
    temporary = f"{cache}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(temporary, "wb") as handle:
            marshal.dump(data, handle)
        os.replace(temporary, cache)
        folder, name = os.path.split(cache)
        stem, digest, _ = name.rsplit(".", 2)
        for old in fnmatch.filter(os.listdir(folder), f"{stem}.{'?' * len(digest)}.marshal"):
            if old != name:  # the cache of an earlier version of the file
                os.remove(os.path.join(folder, old))
    except (OSError, ValueError):
        try:
            os.remove(temporary)
        except OSError:
            pass
