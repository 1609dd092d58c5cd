"""Option letters named in an explanation (解析), and how they read when the options are shown
in another order.

A bank's explanation is written against the bank's option order: ``A、C、E分别是第一、二、四项``,
``故A项错误``, ``选项B``, ``A和C``, ``答案为AB``. When an exam or practice shows the options
shuffled, those letters must name the options as shown, or the review contradicts the screen.
:func:`remap` rewrites them; :func:`problems` says which cannot be mapped (for ``studyhub bank
check``).

What counts as a letter reference: a run of capital letters A-H (ASCII or full-width) that no
other Latin letter or digit touches (``AI``, ``GDP``, ``A4``, ``3A`` are words, not
references), and that is not followed by a word that makes it a name (``A股``, ``B超``,
``A级``, ``C类``...). Each letter is mapped on its own, so order is kept (``A、C、E分别是`` stays
a correspondence); a run written in alphabetical order (``ACD``, an answer) is put back in
alphabetical order after mapping, unless it follows 依次 or 顺序.

Cannot be mapped (left as written, and reported): a letter beyond the question's options
(``E`` in a four-option question), a run repeating a letter (``AA``), and a range (``A-C``,
``A至C``) that does not span every option.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from studyhub.i18n import Lazy, msg

__all__ = ["LETTERS", "Reference", "problems", "references", "remap"]

LETTERS = "ABCDEFGH"
_FULL_WIDTH_OFFSET = ord("Ａ") - ord("A")
_LATIN_OR_DIGIT = "A-Za-zＡ-Ｚａ-ｚ0-9０-９"
_RUN_RE = re.compile(rf"(?<![{_LATIN_OR_DIGIT}])[A-Za-zＡ-Ｚａ-ｚ]+(?![{_LATIN_OR_DIGIT}])")
#: a letter followed by one of these is a name, not an option (A股, B超, A级, C类, B型...)
_NAME_SUFFIXES = (*"股超级类型轮证照档区座栋楼端调族肝", "计划", "字头")
#: a range between two letters: A-C, A～C, A至C, A到C
_RANGE_RE = re.compile(r"\s*[-–—~～至到]\s*")
#: words before a run that make its order matter (依次为BEC), so it is not sorted
_ORDERED_BEFORE = ("依次", "顺序", "排列", "先后")


@dataclass(frozen=True)
class Reference:
    """A run of option letters in a text: where it is, the letters (A-H, ASCII) and whether
    it is written full-width; ``range_with`` is the index of the other end of a range."""

    start: int
    end: int
    letters: str
    full_width: bool
    range_with: int | None = None

    def indexes(self) -> list[int]:
        return [LETTERS.index(ch) for ch in self.letters]


def references(text: str) -> list[Reference]:
    """The option-letter references in ``text``, in order."""
    found: list[Reference] = []
    for match in _RUN_RE.finditer(text):
        raw = match.group()
        letters = unicodedata.normalize("NFKC", raw)
        if any(ch not in LETTERS for ch in letters):
            continue  # a word (AI, GDP, Word) or lower case
        if text.startswith(_NAME_SUFFIXES, match.end()):
            continue
        found.append(Reference(match.start(), match.end(), letters, raw != letters))
    linked = list(found)
    for n in range(len(found) - 1):
        left, right = found[n], found[n + 1]
        between = text[left.end : right.start]
        if len(left.letters) == len(right.letters) == 1 and _RANGE_RE.fullmatch(between):
            linked[n] = _with_range(linked[n], n + 1)
            linked[n + 1] = _with_range(linked[n + 1], n)
    return linked


def _with_range(ref: Reference, other: int) -> Reference:
    return Reference(ref.start, ref.end, ref.letters, ref.full_width, other)


def _range_spans_all(refs: list[Reference], ref: Reference, count: int) -> bool:
    assert ref.range_with is not None
    ends = sorted((ref.letters, refs[ref.range_with].letters))
    return ends == ["A", LETTERS[count - 1]]


def _problem(refs: list[Reference], ref: Reference, count: int) -> Lazy | None:
    """Why ``ref`` cannot be mapped for a question of ``count`` options (None if it can)."""
    beyond = [ch for ch in ref.letters if LETTERS.index(ch) >= count]
    if beyond:
        last = LETTERS[max(count, 1) - 1]
        return msg(
            "names option {letter}, but the question has {count} options (A-{last})",
            letter=beyond[0], count=count, last=last,
        )  # fmt: skip
    if len(set(ref.letters)) != len(ref.letters):
        return msg("{letters} repeats a letter", letters=ref.letters)
    if ref.range_with is not None and not _range_spans_all(refs, ref, count):
        other = refs[ref.range_with]
        first, last = sorted((ref.letters, other.letters))
        return msg(
            "the range {first}-{last} cannot be kept when the options are shuffled",
            first=first, last=last,
        )  # fmt: skip
    return None


def problems(text: str, count: int) -> list[Lazy]:
    """Why letter references in ``text`` cannot be mapped, for a question of ``count``
    options (each problem once)."""
    refs = references(text)
    found: list[Lazy] = []
    seen: set[str] = set()
    for ref in refs:
        problem = _problem(refs, ref, count)
        if problem is not None and str(problem) not in seen:
            seen.add(str(problem))
            found.append(problem)
    return found


def _shown(letters: str, full_width: bool) -> str:
    if not full_width:
        return letters
    return "".join(chr(ord(ch) + _FULL_WIDTH_OFFSET) for ch in letters)


def remap(text: str, order: Sequence[int] | None) -> str:
    """``text`` with each option letter naming the option as shown, where ``order[i]`` is
    the bank index of the option shown at ``i``. References that cannot be mapped are left
    as written; without an order (or in bank order) the text is returned as it is."""
    if not text or not order or list(order) == list(range(len(order))):
        return text
    count = len(order)
    if sorted(order) != list(range(count)):
        return text  # not a permutation: nothing can be said
    refs = references(text)
    shown_at = {bank: shown for shown, bank in enumerate(order)}
    pieces: list[str] = []
    position = 0
    for ref in refs:
        pieces.append(text[position : ref.start])
        position = ref.end
        written = text[ref.start : ref.end]
        if _problem(refs, ref, count) is not None:
            pieces.append(written)
            continue
        if ref.range_with is not None:  # a range over every option stays as written
            pieces.append(written)
            continue
        mapped = "".join(LETTERS[shown_at[i]] for i in ref.indexes())
        before = text[max(0, ref.start - 4) : ref.start]
        alphabetical = list(ref.letters) == sorted(ref.letters)
        if len(mapped) > 1 and alphabetical and not any(w in before for w in _ORDERED_BEFORE):
            mapped = "".join(sorted(mapped))
        pieces.append(_shown(mapped, ref.full_width))
    pieces.append(text[position:])
    return "".join(pieces)
