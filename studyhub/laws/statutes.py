"""Reading a statute file into its articles.

A statute file is plain Markdown as in ``../shared/statutes/*.md``: a ``#`` title, date lines
(``2020年5月28日 第十三届全国人民代表大会第三次会议通过``), ``##``... headings for 编 / 分编 / 章 /
节 (and 序言), and paragraphs starting ``第X条`` (Chinese numerals) that open an article; the
paragraphs after one belong to it. ``第X条之一`` (an article an amendment inserted after 第X条)
is an article of its own. A text without 第X条 articles but with a numbered list (``1. ...``),
such as the note on the "十一个坚持", is stored item by item (unit 项); a text divided into
numbered parts (``## 七、...`` with ``### （一）...`` under it), such as a chapter of a party
congress report, is stored part by part (unit 部分: part 七 as a whole is its lead paragraphs,
``第七部分（二）`` its second numbered item).

A Word document (.docx) as the national law database (国家法律法规数据库) offers it is read too:
the title paragraph, the dates in parentheses, a 目录 to skip, and 编/分编/章/节 headings and
第X条 articles as plain paragraphs (:mod:`studyhub.laws.word`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from studyhub.errors import InputError, LocatedError, Location
from studyhub.i18n import Message, msg
from studyhub.numerals import parse_number
from studyhub.values import NUL_MESSAGE, describe

__all__ = ["ParsedArticle", "ParsedLaw", "parse_law", "short_name"]

#: the lengths of the laws and articles columns (PostgreSQL enforces them)
MAX_TITLE_LENGTH = 200
MAX_SHORT_NAME_LENGTH = 100
MAX_LABEL_LENGTH = 32
MAX_PATH_LENGTH = 500

_ARTICLE_RE = re.compile(
    r"^第([零〇一二三四五六七八九十百千0-9]+)条(?:之([一二三四五六七八九十]+))?[\s　]*(.*)$"
)
_PART_RE = re.compile(r"^([零〇一二三四五六七八九十百]+)、")
_SUBPART_RE = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")
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
    #: N for 第X条之N (and for the numbered item （N） of a part); 0 otherwise
    sub: int = 0


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
    if path.suffix.lower() == ".docx":
        from studyhub.laws.word import statute_lines

        lines = statute_lines(path, display)
    else:
        lines = _text_lines(path, display)
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise LocatedError(Location(display, number), NUL_MESSAGE)
    title_line, title = next(
        ((n, ln[2:].strip()) for n, ln in enumerate(lines, start=1) if ln.startswith("# ")),
        (1, ""),
    )
    if not title:
        raise LocatedError(Location(display, 1), msg("no title line (# 法律名称)"))
    law = ParsedLaw(title=title, short_name=short_name(title))
    if len(title) > MAX_TITLE_LENGTH:
        message: Message | None = msg(
            "the title is longer than {limit} characters", limit=MAX_TITLE_LENGTH
        )
    elif len(law.short_name) > MAX_SHORT_NAME_LENGTH:
        message = msg(
            "the short name is longer than {limit} characters", limit=MAX_SHORT_NAME_LENGTH
        )
    else:
        message = None
    if message:
        raise LocatedError(Location(display, title_line), message)
    _read_articles(law, lines, display)
    if not law.articles:
        _read_items(law, lines, display)
    if not law.articles:
        _read_parts(law, lines, display)
    if not law.articles:
        raise LocatedError(
            Location(display, 1), msg("no articles (第X条), numbered items or numbered parts found")
        )
    _read_dates(law, lines)
    return law


def _text_lines(path: Path, display: str) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(msg("{path}: no such file", path=display)) from None
    except UnicodeDecodeError:
        raise LocatedError(Location(display), msg("not UTF-8 text")) from None
    except OSError as err:
        raise InputError(
            msg("{path}: cannot read: {detail}", path=display, detail=describe(err))
        ) from None
    return text.replace("\r\n", "\n").split("\n")


def _next_expected(previous: ParsedArticle | None, sub: int) -> tuple[int, int] | None:
    """The (number, sub) a new article may have after ``previous``: 第X条 follows the last
    whole number, 第X条之N follows 第X条 (or 之N-1)."""
    if previous is None:
        return (1, 0) if sub == 0 else None
    if sub == 0:
        return previous.number + 1, 0
    return previous.number, previous.sub + 1


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
            sub = parse_number(article.group(2)) if article.group(2) else 0
            if value is None or sub is None:
                raise LocatedError(
                    Location(display, number),
                    msg("bad article number {number}", number=article.group(1)),
                )
            expected = _next_expected(law.articles[-1] if law.articles else None, sub)
            if (value, sub) != expected:
                found = _article_name(value, sub)
                if expected is None:
                    problem = msg("article {found} where article 1 was expected", found=found)
                else:
                    problem = msg(
                        "article {found} where {expected} was expected",
                        found=found,
                        expected=_article_name(*expected),
                    )
                raise LocatedError(Location(display, number), problem)
            path = " / ".join(headings[k] for k in sorted(headings) if headings[k] != "序言")
            label = f"第{article.group(1)}条" + (f"之{article.group(2)}" if sub else "")
            current = ParsedArticle(value, label, path, article.group(3), sub)
            _check_article(current, Location(display, number))
            law.articles.append(current)
            in_preamble = False
            continue
        if in_preamble:
            preamble.append(line)
        elif current is not None:
            current.text += "\n" + line
    law.preamble = "\n".join(preamble) or None


def _article_name(number: int, sub: int) -> str:
    return f"{number}" + (f"之{sub}" if sub else "")


def _check_article(article: ParsedArticle, where: Location) -> None:
    """The label and heading path fit their columns."""
    if len(article.label) > MAX_LABEL_LENGTH:
        raise LocatedError(
            where,
            msg("the article number is longer than {limit} characters", limit=MAX_LABEL_LENGTH),
        )
    if len(article.path) > MAX_PATH_LENGTH:
        raise LocatedError(
            where,
            msg(
                "the headings above this article is longer than {limit} characters",
                limit=MAX_PATH_LENGTH,
            ),
        )


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


def _read_parts(law: ParsedLaw, lines: list[str], display: str) -> None:
    """Numbered parts (``## 七、title``) and their numbered items (``### （一）title``), with
    the paragraphs under each, as units of 部分: (7, 0) is part 七's lead, (7, 2) its （二）."""
    parts: list[ParsedArticle] = []
    part: int | None = None
    part_title = part_label = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        heading = _HEADING_RE.match(line)
        if heading:
            title = heading.group(2)
            whole = _PART_RE.match(title)
            item = _SUBPART_RE.match(title)
            if whole:
                part, part_title = parse_number(whole.group(1)), title
                if part is None:
                    raise LocatedError(
                        Location(display, number), msg("bad part number in {title}", title=title)
                    )
                part_label = f"第{whole.group(1)}部分"
                parts.append(ParsedArticle(part, part_label, title, ""))
            elif item and part is not None:
                sub = parse_number(item.group(1)) or 0
                if sub != parts[-1].sub + 1:
                    raise LocatedError(
                        Location(display, number),
                        msg(
                            "part item {found} where {expected} was expected",
                            found=sub,
                            expected=parts[-1].sub + 1,
                        ),
                    )
                label = f"{part_label}（{item.group(1)}）"
                parts.append(ParsedArticle(part, label, f"{part_title} / {title}", "", sub))
            if parts:
                _check_article(parts[-1], Location(display, number))
            continue
        if parts and line and not line.startswith(("<!--", "# ")):
            target = parts[-1]
            target.text = f"{target.text}\n{line}" if target.text else line
    if parts:
        law.unit = "部分"
        law.articles = parts


def _read_dates(law: ParsedLaw, lines: list[str]) -> None:
    for raw in lines:
        line = raw.strip()
        if line.startswith("#") or line.startswith("第"):
            continue
        # one date per line in the Markdown files; all of them in one paragraph in Word's
        if _DATE_RE.match(line) and any(w in line for w in ("通过", "公布", "修订", "修正")):
            law.adopted = dt.date(*map(int, _DATE_RE.findall(line)[-1]))
    for article in reversed(law.articles):
        effective = _EFFECTIVE_RE.search(article.text)
        if effective:
            law.effective = dt.date(*map(int, effective.groups()))
            break
