"""Statutes and citations: import a statute's articles, resolve a question's ``source``.

A statute file is plain Markdown as in ``../shared/statutes/*.md``: a ``#`` title, date lines
(``2020年5月28日 第十三届全国人民代表大会第三次会议通过``), ``##``... headings for 编 / 分编 / 章 /
节 (and 序言), and paragraphs starting ``第X条`` (Chinese numerals) that open an article; the
paragraphs after one belong to it. A text without 第X条 articles but with a numbered list
(``1. ...``), such as the note on the "十一个坚持", is stored item by item (unit 项).

A citation names a law and, optionally, articles: ``《民法典》第一百八十八条``, ``民法典第188条``,
``科学技术进步法 第2、3条``, ``民法典 第1127-1129条``, ``宪法 序言``, ``习近平法治思想 第3项``, or
the law alone; several are separated by ``；``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from studyhub.errors import InputError, LocatedError, Location, NotFoundError
from studyhub.numerals import parse_number
from studyhub.values import NUL_MESSAGE, too_long

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = [
    "Citation",
    "ParsedLaw",
    "UnresolvedCitation",
    "check_citations",
    "import_law",
    "parse_citation",
    "parse_law",
    "short_name",
]

#: the lengths of the laws and articles columns (PostgreSQL enforces them)
MAX_TITLE_LENGTH = 200
MAX_SHORT_NAME_LENGTH = 100
MAX_LABEL_LENGTH = 32
MAX_PATH_LENGTH = 500

_ARTICLE_RE = re.compile(
    r"^第([零〇一二三四五六七八九十百千0-9]+)条(?:之[一二三四五六七八九十]+)?[\s　]*(.*)$"
)
_ITEM_RE = re.compile(r"^(\d+)\.\s+(.+)$")
_HEADING_RE = re.compile(r"^(#{2,6})\s*(.+?)\s*$")
_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_EFFECTIVE_RE = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起施行")


@dataclass
class ParsedArticle:
    number: int
    label: str
    path: str
    text: str


@dataclass
class ParsedLaw:
    title: str
    short_name: str
    unit: str = "条"
    adopted: dt.date | None = None
    effective: dt.date | None = None
    preamble: str | None = None
    articles: list[ParsedArticle] = field(default_factory=list)


def short_name(title: str) -> str:
    """The name citations use.

    中华人民共和国民法典 -> 民法典; 习近平法治思想：“十一个坚持” -> 习近平法治思想. Full and half
    width are folded, spaces and book-title marks (《》〈〉) removed, so that every spelling of
    one law gives one name: 《中华人民共和国民法典》, 民 法 典 and 中华人民共和国民法典 -> 民法典.
    """
    name = unicodedata.normalize("NFKC", title)
    name = "".join(name.split())
    name = re.split(r"[:：]", name, maxsplit=1)[0]
    name = re.sub(r"[(（][^)）]*[)）]$", "", name)
    name = re.sub(r"[《》〈〉<>]", "", name)
    if name.startswith("中华人民共和国") and len(name) > len("中华人民共和国"):
        name = name[len("中华人民共和国") :]
    return name


def parse_law(path: Path) -> ParsedLaw:
    """Read a statute file; raises LocatedError with the line of anything it cannot place."""
    display = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{display}: no such file") from None
    except UnicodeDecodeError:
        raise LocatedError(Location(display), "not UTF-8 text") from None
    except OSError as err:
        raise InputError(f"{display}: cannot read: {err.strerror}") from None
    lines = text.replace("\r\n", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise LocatedError(Location(display, number), NUL_MESSAGE)
    title_line, title = next(
        ((n, ln[2:].strip()) for n, ln in enumerate(lines, start=1) if ln.startswith("# ")),
        (1, ""),
    )
    if not title:
        raise LocatedError(Location(display, 1), "no title line (# 法律名称)")
    law = ParsedLaw(title=title, short_name=short_name(title))
    message = too_long("the title", title, MAX_TITLE_LENGTH) or too_long(
        "the short name", law.short_name, MAX_SHORT_NAME_LENGTH
    )
    if message:
        raise LocatedError(Location(display, title_line), message)
    _read_articles(law, lines, display)
    if not law.articles:
        _read_items(law, lines, display)
    if not law.articles:
        raise LocatedError(Location(display, 1), "no articles (第X条) and no numbered items found")
    _read_dates(law, lines)
    return law


def _read_articles(law: ParsedLaw, lines: list[str], display: str) -> None:
    headings: dict[int, str] = {}
    preamble: list[str] = []
    in_preamble = False
    in_comment = False
    current: ParsedArticle | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if in_comment or line.startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if not line or line.startswith("# "):
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            level = len(heading.group(1))
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = heading.group(2)
            in_preamble = heading.group(2) == "序言"
            current = None
            continue
        article = _ARTICLE_RE.match(line)
        if article:
            value = parse_number(article.group(1))
            if value is None:
                raise LocatedError(
                    Location(display, number), f"bad article number {article.group(1)}"
                )
            expected = (law.articles[-1].number + 1) if law.articles else 1
            if value != expected:
                raise LocatedError(
                    Location(display, number), f"article {value} where {expected} was expected"
                )
            path = " / ".join(headings[k] for k in sorted(headings) if headings[k] != "序言")
            current = ParsedArticle(value, f"第{article.group(1)}条", path, article.group(2))
            _check_article(current, Location(display, number))
            law.articles.append(current)
            in_preamble = False
            continue
        if in_preamble:
            preamble.append(line)
        elif current is not None:
            current.text += "\n" + line
    law.preamble = "\n".join(preamble) or None


def _check_article(article: ParsedArticle, where: Location) -> None:
    """The label and heading path fit their columns."""
    message = too_long("the article number", article.label, MAX_LABEL_LENGTH) or too_long(
        "the headings above this article", article.path, MAX_PATH_LENGTH
    )
    if message:
        raise LocatedError(where, message)


def _read_items(law: ParsedLaw, lines: list[str], display: str) -> None:
    """A numbered list (the first run of 1. 2. 3. ...) as items of unit 项."""
    items: list[ParsedArticle] = []
    heading = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        match = _HEADING_RE.match(line)
        if match and not items:
            heading = match.group(2)
        item = _ITEM_RE.match(line)
        if item and int(item.group(1)) == len(items) + 1:
            items.append(
                ParsedArticle(len(items) + 1, f"第{item.group(1)}项", heading, item.group(2))
            )
            _check_article(items[-1], Location(display, number))
        elif items and line:
            break
    if items:
        law.unit = "项"
        law.articles = items


def _read_dates(law: ParsedLaw, lines: list[str]) -> None:
    for raw in lines:
        line = raw.strip()
        if line.startswith("#") or line.startswith("第"):
            continue
        match = _DATE_RE.match(line)
        if match and ("通过" in line or "修订" in line or "修正" in line):
            law.adopted = dt.date(*map(int, match.groups()))
    for article in reversed(law.articles):
        effective = _EFFECTIVE_RE.search(article.text)
        if effective:
            law.effective = dt.date(*map(int, effective.groups()))
            break


@dataclass
class LawImportSummary:
    title: str
    short_name: str
    unit: str
    articles: int
    replaced: bool


def import_law(database: Database, path: str | Path, *, actor: str = "system") -> LawImportSummary:
    """Store a statute's articles (replacing an earlier import of the same law)."""
    import sqlalchemy as sa

    from studyhub.audit import record_event
    from studyhub.models import Law, LawArticle

    parsed = parse_law(Path(path))
    with database.session() as session:
        law = session.scalar(sa.select(Law).where(Law.short_name == parsed.short_name))
        replaced = law is not None
        if law is None:
            law = Law(title=parsed.title, short_name=parsed.short_name)
            session.add(law)
        law.title = parsed.title
        law.unit = parsed.unit
        law.adopted = parsed.adopted
        law.effective = parsed.effective
        law.preamble = parsed.preamble
        law.article_count = len(parsed.articles)
        session.flush()
        session.execute(sa.delete(LawArticle).where(LawArticle.law_id == law.id))
        session.execute(
            sa.insert(LawArticle),
            [
                {
                    "law_id": law.id,
                    "number": a.number,
                    "label": a.label,
                    "path": a.path,
                    "text": a.text,
                }
                for a in parsed.articles
            ],
        )
        record_event(
            session,
            actor=actor,
            action="law.import",
            object_type="law",
            object_key=parsed.short_name,
            details={"articles": len(parsed.articles)},
        )
    return LawImportSummary(
        parsed.title, parsed.short_name, parsed.unit, len(parsed.articles), replaced
    )


@dataclass(frozen=True)
class Citation:
    """A parsed citation: a law, and the articles (or items, or the preamble) it names."""

    law: str
    unit: str | None = None
    numbers: tuple[int, ...] = ()
    preamble: bool = False


_PART_RE = re.compile(r"第([^条项]+?)(条|项)(?:第[^条项款第]+款)?")
_RANGE_RE = re.compile(r"^(.+?)\s*[-–—~～至到]\s*(?:第)?(.+)$")


def parse_citation(text: str) -> list[Citation]:
    """The citations in a ``source`` text; raises InputError when one cannot be read."""
    citations = []
    for part in re.split(r"[；;]", text):
        part = part.strip()
        if part:
            citations.append(_parse_one(part))
    if not citations:
        raise InputError("empty citation")
    return citations


def _parse_one(text: str) -> Citation:
    normal = unicodedata.normalize("NFKC", text).replace("《", "").replace("》", "").strip()
    match = re.match(r"^([^第]+?)\s*(第.*|序言)?$", normal)
    if not match:
        raise InputError(f"cannot read citation {text!r}")
    law = short_name(match.group(1).strip())
    rest = (match.group(2) or "").replace(" ", "")
    if not law:
        raise InputError(f"citation {text!r} names no law")
    if not rest:
        return Citation(law)
    if rest == "序言":
        return Citation(law, preamble=True)
    # 第二条至第四条 -> 第二至四条
    rest = re.sub(r"第([^条项第]+)(条|项)[-–—~～至到]第([^条项第]+)\2", r"第\1至\3\2", rest)
    numbers: list[int] = []
    unit = None
    position = 0
    for part in _PART_RE.finditer(rest):
        if rest[position : part.start()].strip("、，,和及与") != "":
            raise InputError(f"cannot read citation {text!r}")
        position = part.end()
        unit = part.group(2)
        numbers.extend(_numbers(part.group(1), text))
    if position != len(rest) or not numbers:
        raise InputError(f"cannot read citation {text!r}")
    return Citation(law, unit, tuple(numbers))


def _numbers(group: str, text: str) -> Iterator[int]:
    for piece in re.split(r"[、，,和及与]", group):
        piece = piece.strip().removeprefix("第")
        if not piece:
            continue
        span = _RANGE_RE.match(piece)
        if span:
            start, end = parse_number(span.group(1)), parse_number(span.group(2))
            if start is None or end is None or end < start or end - start > 500:
                raise InputError(f"cannot read citation {text!r}")
            yield from range(start, end + 1)
            continue
        value = parse_number(piece)
        if value is None:
            raise InputError(f"cannot read citation {text!r}")
        yield value


@dataclass
class UnresolvedCitation:
    bank: str
    question: str
    source: str
    reason: str


def check_citations(database: Database) -> list[UnresolvedCitation]:
    """Every citation of a current question that does not resolve to stored articles."""
    import sqlalchemy as sa

    from studyhub.models import Bank, Law, LawArticle, Question, QuestionVersion

    with database.session(readonly=True) as session:
        laws = {
            row.short_name: row
            for row in session.execute(
                sa.select(Law.id, Law.title, Law.short_name, Law.unit, Law.preamble)
            )
        }
        by_title = {short_name(row.title): row for row in laws.values()}
        numbers: dict[int, set[int]] = {}
        for law_id, number in session.execute(sa.select(LawArticle.law_id, LawArticle.number)):
            numbers.setdefault(law_id, set()).add(number)
        rows = session.execute(
            sa.select(Bank.key, Question.external_id, QuestionVersion.source)
            .join(Question, Question.bank_id == Bank.id)
            .join(
                QuestionVersion,
                sa.and_(
                    QuestionVersion.question_id == Question.id,
                    QuestionVersion.version == Question.current_version,
                ),
            )
            .where(Question.status != "hidden")
            .order_by(Bank.key, Question.external_id)
        ).all()
    problems: list[UnresolvedCitation] = []
    cache: dict[str, str | None] = {}
    for bank, question, source in rows:
        if source not in cache:
            cache[source] = _resolve(source, laws, by_title, numbers)
        reason = cache[source]
        if reason is not None:
            problems.append(UnresolvedCitation(bank, question, source, reason))
    return problems


def _resolve(source: str, laws: dict, by_title: dict, numbers: dict[int, set[int]]) -> str | None:
    if not source.strip():
        return "no source"
    try:
        citations = parse_citation(source)
    except InputError as err:
        return err.reason
    for citation in citations:
        law = laws.get(citation.law) or by_title.get(citation.law)
        if law is None:
            return f"unknown law {citation.law}"
        if citation.preamble and not law.preamble:
            return f"{citation.law} has no preamble"
        if citation.unit and citation.unit != law.unit:
            return f"{citation.law} is cited by {law.unit}, not {citation.unit}"
        stored = numbers.get(law.id, set())
        missing = [n for n in citation.numbers if n not in stored]
        if missing:
            top = max(stored) if stored else 0
            return f"{citation.law} has no {law.unit} {missing[0]} (it has 1-{top})"
    return None


def find_law(database: Database, name: str) -> tuple[str, str, int]:
    """(title, short name, article count) of a stored law, by short name or title."""
    import sqlalchemy as sa

    from studyhub.models import Law

    key = short_name(name)
    with database.session(readonly=True) as session:
        law = session.scalar(sa.select(Law).where(Law.short_name == key))
    if law is None:
        raise NotFoundError(f"no law {name} (import it with: studyhub law import FILE)")
    return law.title, law.short_name, law.article_count


def law_list(database: Database) -> list[dict[str, object]]:
    """The stored statutes: short name, title, article count, dates."""
    import sqlalchemy as sa

    from studyhub.models import Law

    with database.session(readonly=True) as session:
        rows = session.execute(sa.select(Law).order_by(Law.short_name)).scalars().all()
        return [
            {"short_name": law.short_name, "title": law.title,
             "articles": f"{law.article_count} {law.unit}", "adopted": law.adopted,
             "effective": law.effective}
            for law in rows
        ]  # fmt: skip


def cited_articles(database: Database, citation: str) -> list[tuple[str, str]]:
    """``[(heading, text), ...]`` for what a citation points to; NotFoundError if nothing."""
    import sqlalchemy as sa

    from studyhub.models import Law, LawArticle

    found: list[tuple[str, str]] = []
    with database.session(readonly=True) as session:
        for item in parse_citation(citation):
            law = session.scalar(sa.select(Law).where(Law.short_name == item.law))
            if law is None:
                raise NotFoundError(f"no law {item.law} (import it with: studyhub law import FILE)")
            if item.preamble:
                found.append((f"{law.title} 序言", law.preamble or ""))
                continue
            if not item.numbers:
                found.append((law.title, f"{law.article_count} {law.unit}"))
                continue
            articles = session.scalars(
                sa.select(LawArticle)
                .where(LawArticle.law_id == law.id, LawArticle.number.in_(item.numbers))
                .order_by(LawArticle.number)
            ).all()
            if len(articles) != len(set(item.numbers)):
                raise NotFoundError(f"{law.short_name} has no such {law.unit}: {citation}")
            found.extend((f"{law.title} {a.label}（{a.path}）", a.text) for a in articles)
    return found
