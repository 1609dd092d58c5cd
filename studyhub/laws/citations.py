"""Citations: read a question's ``source`` (:mod:`studyhub.laws.check` checks that it resolves).

A citation names a law and, optionally, articles: ``《民法典》第一百八十八条``, ``民法典第188条``,
``科学技术进步法 第2、3条``, ``民法典 第1127-1129条``, ``刑法 第120条之一`` (an inserted
article), ``宪法 序言``, ``习近平法治思想 第3项``, ``党的二十大报告 第七部分`` (a part's lead) or
``党的二十大报告 第七部分（二）`` (its numbered item), or the law alone; several are separated by
``；``. A 款 or 项 after an article (``第8条第2款``) narrows the citation for a reader and is
not checked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from studyhub.errors import InputError
from studyhub.i18n import msg
from studyhub.laws.statutes import short_name
from studyhub.numerals import parse_number

__all__ = ["Citation", "parse_citation"]


@dataclass(frozen=True)
class Citation:
    """A parsed citation: a law, and the articles (or items, or the preamble) it names."""

    law: str
    unit: str | None = None
    numbers: tuple[int, ...] = ()
    preamble: bool = False
    #: (X, N) for 第X条之N and for part X's numbered item （N）
    subs: tuple[tuple[int, int], ...] = ()

    @property
    def refs(self) -> tuple[tuple[int, int], ...]:
        """Every unit named, as (number, sub): 第8条 is (8, 0), 第20条之一 (20, 1)."""
        return tuple((number, 0) for number in self.numbers) + self.subs


_SUB = "[一二三四五六七八九十]+"
_PART_RE = re.compile(
    rf"第([^条项部]+?)(条|项|部分)(?:之({_SUB})|\(({_SUB})\))?(?:第[^条项款第]+[款项])*"
)
_RANGE_RE = re.compile(r"^(.+?)\s*[-–—~～至到]\s*(?:第)?(.+)$")


def parse_citation(text: str) -> list[Citation]:
    """The citations in a ``source`` text; raises InputError when one cannot be read."""
    citations = []
    for part in re.split(r"[；;]", text):
        part = part.strip()
        if part:
            citations.append(_parse_one(part))
    if not citations:
        raise InputError(msg("empty citation"))
    return citations


def _parse_one(text: str) -> Citation:
    normal = unicodedata.normalize("NFKC", text).replace("《", "").replace("》", "").strip()
    match = re.match(r"^([^第]+?)\s*(第.*|序言)?$", normal)
    if not match:
        raise InputError(msg("cannot read citation {text!r}", text=text))
    law = short_name(match.group(1).strip())
    rest = (match.group(2) or "").replace(" ", "")
    if not law:
        raise InputError(msg("citation {text!r} names no law", text=text))
    if not rest:
        return Citation(law)
    if rest == "序言":
        return Citation(law, preamble=True)
    # 第二条至第四条 -> 第二至四条
    rest = re.sub(r"第([^条项第]+)(条|项)[-–—~～至到]第([^条项第]+)\2", r"第\1至\3\2", rest)
    numbers: list[int] = []
    subs: list[tuple[int, int]] = []
    units = set()
    position = 0
    for part in _PART_RE.finditer(rest):
        if rest[position : part.start()].strip("、，,和及与") != "":
            raise InputError(msg("cannot read citation {text!r}", text=text))
        position = part.end()
        units.add(part.group(2))
        found = list(_numbers(part.group(1), text))
        suffix = part.group(3) or part.group(4)
        if suffix:
            sub = parse_number(suffix)
            if len(found) != 1 or not sub:
                raise InputError(msg("cannot read citation {text!r}", text=text))
            subs.append((found[0], sub))
        else:
            numbers.extend(found)
    if position != len(rest) or not (numbers or subs) or len(units) != 1:
        raise InputError(msg("cannot read citation {text!r}", text=text))
    return Citation(law, units.pop(), tuple(numbers), subs=tuple(subs))


def _numbers(group: str, text: str) -> Iterator[int]:
    for piece in re.split(r"[、，,和及与]", group):
        piece = piece.strip().removeprefix("第")
        if not piece:
            continue
        span = _RANGE_RE.match(piece)
        if span:
            start, end = parse_number(span.group(1)), parse_number(span.group(2))
            if start is None or end is None or end < start or end - start > 500:
                raise InputError(msg("cannot read citation {text!r}", text=text))
            yield from range(start, end + 1)
            continue
        value = parse_number(piece)
        if value is None:
            raise InputError(msg("cannot read citation {text!r}", text=text))
        yield value
