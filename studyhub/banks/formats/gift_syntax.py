"""The GIFT text syntax that the parser and the exporter share: Moodle's white space, the
blank, the backslash escapes and the ``[html]`` ``[moodle]`` ``[plain]`` ``[markdown]`` format
tags (see :mod:`studyhub.banks.formats.gift`)."""

from __future__ import annotations

import html
import re

#: white space that Moodle's trim() removes (full-width spaces are text)
WS = " \t\n\r\0\x0b"
BLANK = "____"


# --- escapes ---------------------------------------------------------------------------------

#: an escaped character is held as _ESC + a code letter, so that the search for the special
#: characters ~ = # { } : never finds it; a literal _ESC in the input is escaped as well
_ESC = "\ufdd0"
_CODES = {":": "c", "#": "h", "=": "e", "{": "o", "}": "x", "~": "t", "n": "n", "\\": "b"}
_DECODED = {"c": ":", "h": "#", "e": "=", "o": "{", "x": "}", "t": "~", "n": "\n", "b": "\\"}
_DECODED["z"] = _ESC
_ESCAPE_RE = re.compile(r"\\([:#={}~n\\])|" + _ESC)
_DECODE_RE = re.compile(_ESC + "(.)", re.S)


def _encode(line: str) -> str:
    """``\\{`` and friends as placeholders (see _ESC)."""

    def code(match: re.Match[str]) -> str:
        return _ESC + (_CODES[match.group(1)] if match.group(1) else "z")

    return _ESCAPE_RE.sub(code, line)


def _decode(text: str) -> str:
    return _DECODE_RE.sub(lambda m: _DECODED.get(m.group(1), m.group(1)), text)


_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "~": "\\~",
        "=": "\\=",
        "#": "\\#",
        "{": "\\{",
        "}": "\\}",
        ":": "\\:",
        "\n": "\\n",
    }
)


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


# --- text formats ----------------------------------------------------------------------------

_FORMAT_RE = re.compile(r"\[(html|moodle|plain|markdown)\]")
_BREAK_RE = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6])\s*>")
_TAG_RE = re.compile(r"<[^>]*>")


def _text(encoded: str, default: str) -> tuple[str, str]:
    """An encoded text as plain text, and its format (from a leading ``[format]`` tag)."""
    text = encoded.strip(WS)
    fmt = default
    match = _FORMAT_RE.match(text)
    if match:
        fmt = match.group(1)
        text = text[match.end() :]
    text = _decode(text)
    if fmt == "html":
        text = html.unescape(_TAG_RE.sub("", _BREAK_RE.sub("\n", text)))
    return text.strip(WS), fmt
