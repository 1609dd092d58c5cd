"""Chapters for practice: the 编 and 章 of the statute a question cites.

A question's chapter is read from its citation (``民法典 第188条``) and the stored article's
heading path (``第一编 总则 / 第九章 诉讼时效``): the 编 and the 章 above the article (分编 and
节 are finer than practice needs). A question citing a law alone, a law stored without
chapters (a numbered note, a report in parts) or a law not imported has none. A question
citing articles of several chapters belongs to each of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyhub.errors import InputError, NotFoundError
from studyhub.i18n import msg
from studyhub.numerals import parse_number

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["ChapterCount", "Division", "count_divisions", "parse_division", "sources_in"]

_NUMBER = "[零〇一二三四五六七八九十百千0-9]+"
_HEADING_RE = re.compile(rf"^第({_NUMBER})(编|章)(?:\s|$)")
_QUERY_RE = re.compile(rf"第({_NUMBER})(编|章)")


@dataclass(frozen=True, order=True)
class Division:
    """A law (part and chapter 0), one of its 编 (chapter 0) or one of its 章; in a law
    without 编, part is 0. As a query, 0 means "any"."""

    law: str
    part: int = 0
    chapter: int = 0

    def matches(self, other: Division) -> bool:
        """Whether ``other`` (an article's division) lies within this one."""
        return (
            self.law == other.law
            and self.part in (0, other.part)
            and self.chapter in (0, other.chapter)
        )

    def levels(self) -> tuple[Division, ...]:
        """This article division and those containing it: the law, the 编, the 章."""
        return (Division(self.law), Division(self.law, self.part), self)


@dataclass
class ChapterCount:
    division: Division
    #: the law's title, ``第一编 总则`` or ``第二章 自然人``
    heading: str
    #: the practisable questions citing it
    count: int


def parse_division(text: str) -> Division:
    """``民法典 第一编 第二章``, ``行政处罚法 第3章``, ``《民法典》第一编`` or a law alone; the
    names after the numbers (``第一编 总则``) may be given and are not checked."""
    from studyhub.laws import short_name

    normal = unicodedata.normalize("NFKC", text).strip()
    found = list(_QUERY_RE.finditer(normal))
    law = short_name(normal[: found[0].start()] if found else normal)
    numbers = {unit: parse_number(number) for number, unit in (m.groups() for m in found)}
    if not law or len(numbers) != len(found) or None in numbers.values():
        raise InputError(
            msg("cannot read the chapter {text!r}", text=text),
            hint=msg("name a law and, if you like, a 编 and a 章: 民法典 第一编 第二章"),
        )
    return Division(law, numbers.get("编") or 0, numbers.get("章") or 0)


def _article_divisions(
    session: Session,
) -> tuple[dict[tuple[str, int, int], Division], dict[Division, str], dict[str, str]]:
    """Every stored article's division by (law, number, sub), the headings of the
    divisions, and each law's short name by the short name of its title."""
    import sqlalchemy as sa

    from studyhub.laws import short_name
    from studyhub.models import Law, LawArticle

    by_article: dict[tuple[str, int, int], Division] = {}
    headings: dict[Division, str] = {}
    names: dict[str, str] = {}
    for law, title in session.execute(sa.select(Law.short_name, Law.title)):
        headings[Division(law)] = title
        names[law] = names[short_name(title)] = law
    rows = session.execute(
        sa.select(Law.short_name, LawArticle.number, LawArticle.sub, LawArticle.path)
        .join(LawArticle, LawArticle.law_id == Law.id)
        .where(Law.unit == "条", LawArticle.version == Law.current_version)
    )
    for law, number, sub, path in rows:
        part = chapter = 0
        for heading in (path or "").split(" / "):
            match = _HEADING_RE.match(heading.strip())
            if not match:
                continue
            value = parse_number(match.group(1)) or 0
            if match.group(2) == "编":
                part = value
                headings.setdefault(Division(law, part), heading.strip())
            else:
                chapter = value
                headings.setdefault(Division(law, part, chapter), heading.strip())
        by_article[(law, number, sub)] = Division(law, part, chapter)
    return by_article, headings, names


def _divisions_of(
    source: str, by_article: dict[tuple[str, int, int], Division], names: dict[str, str]
) -> set[Division]:
    from studyhub.laws import parse_citation

    try:
        citations = parse_citation(source)
    except InputError:
        return set()
    found: set[Division] = set()
    for citation in citations:
        law = names.get(citation.law)
        if law is None or citation.unit not in (None, "条"):
            continue
        for number, sub in citation.refs:
            division = by_article.get((law, number, sub))
            if division is not None:
                found.add(division)
    return found


def count_divisions(session: Session, counts: Iterable[tuple[str, int]]) -> list[ChapterCount]:
    """The laws, 编 and 章 cited by questions, given (source, questions) pairs: how many
    questions each holds (a question counted once in each), in the statutes' order."""
    by_article, headings, names = _article_divisions(session)
    totals: dict[Division, int] = {}
    for source, number in counts:
        levels = {
            level for d in _divisions_of(source or "", by_article, names) for level in d.levels()
        }
        for level in levels:
            totals[level] = totals.get(level, 0) + int(number)
    return [ChapterCount(d, headings.get(d, ""), totals[d]) for d in sorted(totals)]


def sources_in(session: Session, division: Division, sources: Iterable[str]) -> list[str]:
    """The ``sources`` citing an article in ``division``; NotFoundError when its law is not
    stored, InputError when it names no 编 or 章 of that law or a 章 of several 编."""
    by_article, _, names = _article_divisions(session)
    law = names.get(division.law)
    if law is None:
        raise NotFoundError(
            msg("no law {name} (import it with: studyhub law import FILE)", name=division.law)
        )
    wanted = Division(law, division.part, division.chapter)
    articles = [d for d in set(by_article.values()) if wanted.matches(d)]
    if not articles:
        raise InputError(
            msg("{law} has no such 编 or 章: {text}", law=law, text=_label(division)),
            hint=msg("studyhub practice without options shows the chapters to choose from"),
        )
    if wanted.part == 0 and wanted.chapter and len({d.part for d in articles}) > 1:
        raise InputError(
            msg(
                "{law} has a {chapter} in several 编; name the 编 too",
                law=law,
                chapter=_label(Division("", 0, wanted.chapter)).strip(),
            ),
            hint=msg('for example: studyhub practice --chapter "{law} 第一编 第二章"', law=law),
        )
    return [
        s
        for s in set(sources)
        if any(wanted.matches(d) for d in _divisions_of(s or "", by_article, names))
    ]


def _label(division: Division) -> str:
    from studyhub.numerals import int_to_cn

    parts = [division.law]
    if division.part:
        parts.append(f"第{int_to_cn(division.part)}编")
    if division.chapter:
        parts.append(f"第{int_to_cn(division.chapter)}章")
    return " ".join(parts)
