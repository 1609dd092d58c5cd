"""Citations: read a question's ``source`` and check that it resolves to stored articles.

A citation names a law and, optionally, articles: ``《民法典》第一百八十八条``, ``民法典第188条``,
``科学技术进步法 第2、3条``, ``民法典 第1127-1129条``, ``刑法 第120条之一`` (an inserted
article), ``宪法 序言``, ``习近平法治思想 第3项``, ``党的二十大报告 第七部分`` (a part's lead) or
``党的二十大报告 第七部分（二）`` (its numbered item), or the law alone; several are separated by
``；``. A 款 or 项 after an article (``第8条第2款``) narrows the citation for a reader and is
not checked.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError
from studyhub.i18n import Lazy, msg
from studyhub.laws.statutes import short_name
from studyhub.numerals import int_to_cn, parse_number

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = ["Citation", "UnresolvedCitation", "check_citations", "parse_citation"]


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


@dataclass
class UnresolvedCitation:
    bank: str
    question: str
    source: str
    #: why it does not resolve (English as ``str()``, shown in the UI language)
    reason: str | Lazy


def check_citations(database: Database) -> list[UnresolvedCitation]:
    """Every citation of a current question that does not resolve to the articles of the
    laws' current versions; a citation that resolves only in an older version of a law
    (written against that text) says so, with that version's date. A question written for an
    older text (one a new version put in doubt) that cites an article the new text renumbered
    or removed is listed too, with the article's new number, even when its number still
    resolves (to another article)."""
    import sqlalchemy as sa

    from studyhub.models import Bank, Law, LawArticle, LawVersion, Question, QuestionVersion

    with database.session(readonly=True) as session:
        laws = {
            row.short_name: row
            for row in session.execute(
                sa.select(Law.id, Law.title, Law.short_name, Law.unit, Law.preamble)
            )
        }
        by_title = {short_name(row.title): row for row in laws.values()}
        numbers: dict[int, set[tuple[int, int]]] = {}
        older: dict[int, dict[tuple[dt.date | None, int], set[tuple[int, int]]]] = {}
        for law_id, current, version, dated, number, sub in session.execute(
            sa.select(LawArticle.law_id, Law.current_version, LawArticle.version,
                      LawVersion.dated, LawArticle.number, LawArticle.sub)
            .join(Law, Law.id == LawArticle.law_id)
            .join(LawVersion, sa.and_(LawVersion.law_id == LawArticle.law_id,
                                      LawVersion.version == LawArticle.version))
        ):  # fmt: skip
            if version == current:
                numbers.setdefault(law_id, set()).add((number, sub))
            else:
                older.setdefault(law_id, {}).setdefault((dated, version), set()).add((number, sub))
        moved = _moved_since_written(session)
        rows = session.execute(
            sa.select(Bank.key, Question.external_id, QuestionVersion.source, Question.id)
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
    cache: dict[str, str | Lazy | None] = {}
    for bank, question, source, question_id in rows:
        if source not in cache:
            cache[source] = _resolve(source, laws, by_title, numbers, older)
        reason = moved.get(question_id) or cache[source]
        if reason is not None:
            problems.append(UnresolvedCitation(bank, question, source, reason))
    return problems


def _moved_since_written(session: Any) -> dict[int, Lazy]:
    """For each question whose current version was written for an older text of a law (it
    has a review from that text, settled or not) and cites an article that text renumbered
    or removed: what became of the article. The citation may still resolve, to another
    article: 第8条 of 2010 is not 第8条 of 2024."""
    import sqlalchemy as sa

    from studyhub.models import Law, LawVersion, Question, QuestionReview

    found: dict[int, Lazy] = {}
    rows = session.execute(
        sa.select(QuestionReview.question_id, QuestionReview.articles, Law.short_name,
                  Law.unit, LawVersion.dated)
        .join(Question, sa.and_(Question.id == QuestionReview.question_id,
                                Question.current_version == QuestionReview.question_version))
        .join(Law, Law.id == QuestionReview.law_id)
        .join(LawVersion, sa.and_(LawVersion.law_id == QuestionReview.law_id,
                                  LawVersion.version == QuestionReview.from_version))
        .where(Question.status != "hidden")
        .order_by(QuestionReview.id)
    )  # fmt: skip
    for question_id, articles, law, unit, dated in rows:
        for entry in articles:
            if question_id in found or entry["kind"] == "changed":
                continue
            old = _label(unit, *entry["old"])
            if entry["new"] is None:
                found[question_id] = msg(
                    "{law} {old} of the version of {date} is not in the current text",
                    law=law, old=old, date=dated or "-",
                )  # fmt: skip
            else:
                found[question_id] = msg(
                    "{law} {old} of the version of {date} is {new} in the current text",
                    law=law, old=old, date=dated or "-", new=_label(unit, *entry["new"]),
                )  # fmt: skip
    return found


def _label(unit: str, number: int, sub: int) -> str:
    """第八条, 第二条之一, 第七部分（二）, or 序言 for (0, 0)."""
    if number == 0:
        return "序言"
    label = f"第{int_to_cn(number)}{unit}"
    if sub:
        label += f"之{int_to_cn(sub)}" if unit == "条" else f"（{int_to_cn(sub)}）"
    return label


def _resolve(
    source: str,
    laws: dict,
    by_title: dict,
    numbers: dict[int, set[tuple[int, int]]],
    older: dict[int, dict[tuple[dt.date | None, int], set[tuple[int, int]]]],
) -> str | Lazy | None:
    if not source.strip():
        return msg("no source")
    try:
        citations = parse_citation(source)
    except InputError as err:
        return err.message_text
    for citation in citations:
        law = laws.get(citation.law) or by_title.get(citation.law)
        if law is None:
            return msg("unknown law {law}", law=citation.law)
        if citation.preamble and not law.preamble:
            return msg("{law} has no preamble", law=citation.law)
        if citation.unit and citation.unit != law.unit:
            return msg(
                "{law} is cited by {unit}, not {cited}",
                law=citation.law,
                unit=law.unit,
                cited=citation.unit,
            )
        stored = numbers.get(law.id, set())
        missing = [ref for ref in citation.refs if ref not in stored]
        if missing:
            top = max(number for number, _ in stored) if stored else 0
            number, sub = missing[0]
            name = (
                f"{number}之{sub}"
                if sub and law.unit == "条"
                else (f"{number}（{sub}）" if sub else str(number))
            )
            earlier = [
                key for key, refs in older.get(law.id, {}).items()
                if all(ref in refs for ref in citation.refs)
            ]  # fmt: skip
            if earlier:
                dated = max(earlier, key=lambda key: (key[0] is not None, key[0] or dt.date.min))
                return msg(
                    "{law} {unit} {name} is only in the older version of {date} "
                    "(the current text has 1-{top})",
                    law=citation.law,
                    unit=law.unit,
                    name=name,
                    date=dated[0] or "-",
                    top=top,
                )
            return msg(
                "{law} has no {unit} {name} (it has 1-{top})",
                law=citation.law,
                unit=law.unit,
                name=name,
                top=top,
            )
    return None
