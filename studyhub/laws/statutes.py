"""Reading a statute file into its articles.

A statute file is plain Markdown as in ``../shared/statutes/*.md``: a ``#`` title, date lines
(``2020年5月28日 第十三届全国人民代表大会第三次会议通过``), ``##``... headings for 编 / 分编 / 章 /
节 (and 序言), and paragraphs starting ``第X条`` (Chinese numerals) that open an article; the
paragraphs after one belong to it. A text without 第X条 articles but with a numbered list
(``1. ...``), such as the note on the "十一个坚持", is stored item by item (unit 项).

"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from studyhub.errors import InputError, LocatedError, Location
from studyhub.numerals import parse_number
from studyhub.values import NUL_MESSAGE, too_long

__all__ = ["ParsedArticle", "ParsedLaw", "parse_law", "short_name"]

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
