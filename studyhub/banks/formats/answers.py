"""Answers and stems as real banks write them, shared by the table and text formats.

* An answer may be option letters (``B``, ``ABD``, ``A,B,C``, ``A、B``, ``a``), a whole
  option (``B、《史记》``, ``B.《史记》``, ``B．《史记》``) or an option's text (``《史记》``).
  Option texts are compared after NFKC (full width to half width), case folding, without
  white space and without trailing punctuation.
* An option cell that is empty or holds only its own letter (``D`` in column D) is no option.
* A stem's leading number (``12、`` ``12.`` ``12．`` ``（12）`` ``(12)`` ``第12题``) is not part of
  the stem, nor is an inline ``A、… B、…`` tail repeating the options given in their columns.
"""

from __future__ import annotations

import re
import unicodedata

from studyhub.banks.record import LETTERS, letters_to_indexes

__all__ = [
    "is_no_option",
    "match_answer",
    "option_key",
    "strip_inline_options",
    "strip_number",
]

_TRAILING = " \t\u3000\xa0。.．;；,，、:：!！?？"
_NUMBER = re.compile(
    r"^\s*(?:第\s*\d{1,5}\s*题\s*[、.．:：]?|\d{1,5}\s*(?:[、．]|\.(?!\d))|[（(]\s*\d{1,5}\s*[)）])\s*"
)
#: a whole option written as the answer: ``B、《史记》``
_WHOLE = re.compile(r"^\s*([A-Ha-hＡ-Ｈａ-ｈ])\s*[、.．:：)）]\s*(.*)$", re.S)
#: where an inline option starts inside a stem: ``A、`` ``A.`` ``A．`` ``(A)``
_INLINE = re.compile(r"(?<![A-Za-z0-9])(?:[（(]\s*)?([A-HＡ-Ｈ])\s*[、.．:：)）]")


def option_key(text: str) -> str:
    """How option texts are compared: NFKC, case-folded, no white space, no trailing
    punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.split()).rstrip(_TRAILING)


def is_no_option(text: str, index: int) -> bool:
    """An option cell that is empty or holds only its own capital letter (``D``, ``D、``)."""
    key = unicodedata.normalize("NFKC", text).strip()
    if not key:
        return True
    return index < len(LETTERS) and re.fullmatch(rf"{LETTERS[index]}\s*[、.:]?", key) is not None


def strip_number(stem: str) -> str:
    """The stem without its leading question number."""
    match = _NUMBER.match(stem)
    if match and match.end() < len(stem):
        return stem[match.end() :]
    return stem


def match_answer(answer: str, options: list[str]) -> list[int] | None:
    """The option indexes an answer names, or None when it names none of them."""
    text = answer.strip().rstrip(_TRAILING)
    if not text:
        return None
    letters = letters_to_indexes(text)
    if letters is not None:
        return sorted(set(letters))
    keys = [option_key(o) for o in options]
    key = option_key(text)
    if key in keys:
        return [keys.index(key)]
    whole = _WHOLE.match(text)
    if whole:
        letter = unicodedata.normalize("NFKC", whole[1]).upper()
        index = LETTERS.index(letter)
        rest = option_key(whole[2])
        # the letter wins unless the text is that of another option (a contradiction)
        if index < len(keys) and (not rest or rest == keys[index] or rest not in keys):
            return [index]
    return None


def strip_inline_options(stem: str, options: list[str]) -> str:
    """The stem without an inline ``A、甲 B、乙`` tail that repeats ``options``."""
    if len(options) < 2:
        return stem
    for match in _INLINE.finditer(stem):
        if unicodedata.normalize("NFKC", match[1]) != "A":
            continue
        texts = _split_inline(stem[match.start() :])
        wanted = [option_key(o) for o in options]
        if [option_key(t) for t in texts] == wanted:
            return stem[: match.start()].rstrip()
    return stem


def _split_inline(tail: str, first: int = 0) -> list[str]:
    """``A、甲 B、乙 C、丙`` -> ``[甲, 乙, 丙]`` (markers in order from A, or from the letter
    of index ``first``)."""
    texts: list[str] = []
    position = 0
    starts: list[tuple[int, int]] = []
    for index, letter in enumerate(LETTERS[first:]):
        pattern = re.compile(
            rf"(?<![A-Za-z0-9])(?:[（(]\s*)?[{letter}{chr(ord(letter) + 0xFEE0)}]"
            r"\s*[、.．:：)）]"
        )
        found = pattern.search(tail, position) if index else pattern.match(tail)
        if found is None:
            break
        starts.append((found.start(), found.end()))
        position = found.end()
    for number, (_start, end) in enumerate(starts):
        stop = starts[number + 1][0] if number + 1 < len(starts) else len(tail)
        texts.append(tail[end:stop].strip())
    return texts
