"""Text that shows what it holds: control and invisible formatting characters made visible.

A title with `ESC[8m` would hide the rest of a terminal screen (the red-flag section with it), and a
carriage return can overwrite a line; XML (JUnit, SVG) cannot hold most control characters at all.
Every text output and every error message goes through `printable`.

>>> printable("ok\\x1b[8mhidden\\r\\u202eevil\\ttab\\nnext")
'ok\\\\x1b[8mhidden\\\\r\\\\u202eevil\\ttab\\nnext'
"""
from __future__ import annotations

import re

__all__ = ["printable"]

# C0 and C1 controls except tab and newline, DEL, bidirectional and zero-width formatting characters,
# the byte-order mark, surrogates and the two XML non-characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
                     "\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match) -> str:
    return match.group().encode("unicode_escape", "backslashreplace").decode("ascii")


def printable(text: str) -> str:
    """`text` with every unsafe character written as a Python escape (`\\x1b`, `\\u202e`)."""
    return _UNSAFE.sub(_escape, text)
