"""Stored statutes: import a statute's articles, list them, show what a citation points to."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, LocatedError, Location, NotFoundError
from studyhub.i18n import msg, t
from studyhub.laws.citations import parse_citation
from studyhub.laws.diff import ArticleText
from studyhub.laws.statutes import ParsedLaw, parse_law, short_name

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.models import Law, LawVersion

__all__ = [
    "LawImportSummary",
    "citation_articles",
    "cited_articles",
    "find_law",
    "import_law",
    "law_list",
    "law_version",
    "parse_version_date",
]


@dataclass
class LawImportSummary:
    title: str
    short_name: str
    unit: str
    articles: int
    #: the law was stored already (this text is a new version of it, or one it has)
    replaced: bool
    #: "new" (the law's first text), "version" (a new version), "corrected" (the text of a
    #: stored version of this date replaced) or "unchanged" (a text stored already)
    outcome: str = "new"
    #: the version's date (None: undated)
    dated: dt.date | None = None
    #: the text imported is the law's current version (the newest by date)
    current: bool = True
    #: questions put in doubt by the change of the current text (queued for review)
    queued: int = 0


def parse_version_date(text: str) -> dt.date:
    """A version's date as given on the command line: 2024-12-25 or 2024年12月25日."""
    value = text.strip()
    match = re.fullmatch(r"(\d{4})(?:-|年)(\d{1,2})(?:-|月)(\d{1,2})日?", value)
    try:
        if match is None:
            raise ValueError(value)
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise InputError(
            msg("{value!r} is not a date (give it as 2024-12-25)", value=text)
        ) from None


def import_law(
    database: Database,
    path: str | Path,
    *,
    version: dt.date | str | None = None,
    actor: str = "system",
) -> LawImportSummary:
    """Store a statute's text. A law not stored yet is stored; a law stored already with
    another text gets a new version, dated by the file's last 通过/修订/修正 date or by
    ``version`` (which wins); the text of a stored version of that date is corrected; a
    text stored already changes nothing. The newest version by date is the current one:
    when the current text changes, the questions that cite an article it changed,
    renumbered or removed go into the review queue (:mod:`studyhub.laws.doubt`)."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.laws.doubt import queue_reviews
    from studyhub.models import Law, LawVersion

    parsed = parse_law(Path(path))
    if isinstance(version, str):
        version = parse_version_date(version)
    dated = version or parsed.adopted
    digest = _digest(parsed)
    summary = LawImportSummary(
        parsed.title, parsed.short_name, parsed.unit, len(parsed.articles), False, "new", dated
    )
    with database.session() as session:
        law = session.scalar(sa.select(Law).where(Law.short_name == parsed.short_name))
        if law is None:
            law = Law(title=parsed.title, short_name=parsed.short_name, current_version=1)
            session.add(law)
            session.flush()
            stored = LawVersion(law_id=law.id, version=1)
            session.add(stored)
            _fill(session, stored, parsed, dated, digest)
            _make_current(law, stored)
        else:
            summary.replaced = True
            versions = list(
                session.scalars(sa.select(LawVersion).where(LawVersion.law_id == law.id))
            )
            before = next(v for v in versions if v.version == law.current_version)
            before_text = version_articles(session, law.id, before.version), before.preamble
            stored = _store_version(session, law, versions, parsed, dated, digest, summary,
                                    str(path))  # fmt: skip
            newest = max(versions, key=version_order)
            _make_current(law, newest)
            summary.current = newest is stored
            changed = newest is not before or (summary.outcome == "corrected" and stored is before)
            if changed:
                after_text = version_articles(session, law.id, newest.version), newest.preamble
                names = {law.short_name, short_name(before.title), short_name(newest.title)}
                summary.queued = queue_reviews(
                    session, law.id, names, (before.version, *before_text),
                    (newest.version, *after_text),
                )  # fmt: skip
        summary.dated = stored.dated
        record_event(
            session,
            actor=actor,
            action="law.import",
            object_type="law",
            object_key=parsed.short_name,
            details={
                "articles": len(parsed.articles),
                "version": stored.version,
                "dated": stored.dated.isoformat() if stored.dated else None,
                "outcome": summary.outcome,
                "queued": summary.queued,
            },
        )
    return summary


def version_order(version: LawVersion) -> tuple[bool, dt.date, int]:
    """The order of a law's versions: undated first, then by date (then import order)."""
    return version.dated is not None, version.dated or dt.date.min, version.version


def _digest(parsed: ParsedLaw) -> str:
    content = [parsed.title, parsed.unit, parsed.preamble or ""] + [
        [a.number, a.sub, a.label, a.path, a.text] for a in parsed.articles
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _store_version(
    session: Session,
    law: Law,
    versions: list[LawVersion],
    parsed: ParsedLaw,
    dated: dt.date | None,
    digest: str,
    summary: LawImportSummary,
    display: str,
) -> LawVersion:
    """The version the text goes to (added to ``versions`` when new), its outcome set;
    ``display`` names the file in an error."""
    from studyhub.models import LawVersion

    same_text = next((v for v in versions if v.content_hash == digest), None)
    if same_text is not None:
        summary.outcome = "unchanged"
        return same_text
    same_date = next((v for v in versions if v.dated == dated), None)
    if same_date is None:
        stored = LawVersion(law_id=law.id, version=max(v.version for v in versions) + 1)
        session.add(stored)
        versions.append(stored)
        summary.outcome = "version"
    elif dated is None:
        raise LocatedError(
            Location(display),
            msg("{law} is stored already with another text, and this file gives no date",
                law=parsed.short_name),
            hint=msg("give the date of this text: studyhub law import FILE --version 2024-12-25"),
        )  # fmt: skip
    else:
        stored = same_date
        if _same_text(session, stored, parsed):  # stored before versions had a hash
            stored.content_hash = digest
            summary.outcome = "unchanged"
            return stored
        summary.outcome = "corrected"
    _fill(session, stored, parsed, dated, digest)
    return stored


def _same_text(session: Session, stored: LawVersion, parsed: ParsedLaw) -> bool:
    articles = [(a.number, a.sub, a.label, a.path, a.text) for a in parsed.articles]
    return (stored.title, stored.unit, stored.preamble) == (
        parsed.title, parsed.unit, parsed.preamble
    ) and _rows(session, stored.law_id, stored.version) == articles  # fmt: skip


def _fill(
    session: Session, stored: LawVersion, parsed: ParsedLaw, dated: dt.date | None, digest: str
) -> None:
    """The version's fields and articles from the parsed text (its old articles deleted)."""
    import sqlalchemy as sa

    from studyhub.models import LawArticle

    stored.dated = dated
    stored.title = parsed.title
    stored.unit = parsed.unit
    stored.adopted = parsed.adopted
    stored.effective = parsed.effective
    stored.preamble = parsed.preamble
    stored.article_count = len(parsed.articles)
    stored.content_hash = digest
    session.flush()
    session.execute(
        sa.delete(LawArticle).where(
            LawArticle.law_id == stored.law_id, LawArticle.version == stored.version
        )
    )
    session.execute(
        sa.insert(LawArticle),
        [
            {"law_id": stored.law_id, "version": stored.version, "number": a.number,
             "sub": a.sub, "label": a.label, "path": a.path, "text": a.text}
            for a in parsed.articles
        ],
    )  # fmt: skip


def _make_current(law: Law, version: LawVersion) -> None:
    """The law's columns are those of its current version."""
    law.current_version = version.version
    law.title = version.title
    law.unit = version.unit
    law.adopted = version.adopted
    law.effective = version.effective
    law.preamble = version.preamble
    law.article_count = version.article_count


def _rows(session: Session, law_id: int, version: int) -> list[tuple[int, int, str, str, str]]:
    import sqlalchemy as sa

    from studyhub.models import LawArticle

    return [
        tuple(row)  # type: ignore[misc]
        for row in session.execute(
            sa.select(LawArticle.number, LawArticle.sub, LawArticle.label, LawArticle.path,
                      LawArticle.text)
            .where(LawArticle.law_id == law_id, LawArticle.version == version)
            .order_by(LawArticle.number, LawArticle.sub)
        )
    ]  # fmt: skip


def version_articles(session: Session, law_id: int, version: int) -> list[ArticleText]:
    """A version's articles, in the law's order."""
    return [
        ArticleText(number, sub, label, text)
        for number, sub, label, _, text in _rows(session, law_id, version)
    ]


def find_law(database: Database, name: str) -> tuple[str, str, int]:
    """(title, short name, article count) of a stored law, by short name or title."""
    import sqlalchemy as sa

    from studyhub.models import Law

    key = short_name(name)
    with database.session(readonly=True) as session:
        law = session.scalar(sa.select(Law).where(Law.short_name == key))
    if law is None:
        raise NotFoundError(
            msg("no law {name} (import it with: studyhub law import FILE)", name=name)
        )
    return law.title, law.short_name, law.article_count


def law_list(database: Database) -> list[dict[str, object]]:
    """Every version of every stored statute, oldest first: short name, title, the version's
    date (None: undated), article count, dates, and whether it is the current one."""
    import sqlalchemy as sa

    from studyhub.models import Law, LawVersion

    with database.session(readonly=True) as session:
        rows = session.execute(
            sa.select(Law.short_name, Law.current_version, LawVersion)
            .join(LawVersion, LawVersion.law_id == Law.id)
            .order_by(Law.short_name)
        ).all()
        by_law: dict[str, list[tuple[int, LawVersion]]] = {}
        for name, current, version in rows:
            by_law.setdefault(name, []).append((current, version))
        return [
            {"short_name": name, "title": v.title, "version": v.dated,
             "articles": f"{v.article_count} {v.unit}", "adopted": v.adopted,
             "effective": v.effective, "current": v.version == current}
            for name, versions in by_law.items()
            for current, v in sorted(versions, key=lambda pair: version_order(pair[1]))
        ]  # fmt: skip


def law_version(session: Session, law: Law, dated: dt.date | str | None) -> LawVersion:
    """The version of ``law`` of that date (None: the current one); NotFoundError if none."""
    import sqlalchemy as sa

    from studyhub.models import LawVersion

    query = sa.select(LawVersion).where(LawVersion.law_id == law.id)
    if dated is None:
        query = query.where(LawVersion.version == law.current_version)
    else:
        if isinstance(dated, str):
            dated = parse_version_date(dated)
        query = query.where(LawVersion.dated == dated)
    found = session.scalar(query)
    if found is None:
        raise NotFoundError(
            msg("{law} has no version of {date}", law=law.short_name, date=dated),
            hint=msg("studyhub law list shows the versions"),
        )
    return found


def cited_articles(
    database: Database,
    citation: str,
    *,
    paragraphs: bool = False,
    version: dt.date | str | None = None,
) -> list[tuple[str, str]]:
    """``[(heading, text), ...]`` for what a citation points to; NotFoundError if nothing.
    With ``paragraphs``, an article the citation narrows to one paragraph (``第8条第2款``)
    is cut to that paragraph, and its heading names it. With ``version`` (a date), the
    articles of the laws' version of that date, and the headings name it; else the current
    ones."""
    with database.session(readonly=True) as session:
        return citation_articles(session, citation, paragraphs=paragraphs, dated=version)


def citation_articles(
    session: Session,
    citation: str,
    versions: dict[str, int] | None = None,
    stored: dict[tuple[int, int], LawVersion] | None = None,
    *,
    paragraphs: bool = False,
    dated: dt.date | str | None = None,
) -> list[tuple[str, str]]:
    """:func:`cited_articles` in a session. ``versions`` gives the version (number) to read
    of a law by short name (a law not named: the current one; an article the version lacks
    but the current text has: the current one), the heading naming its date when it is not
    the current one; ``stored`` caches the versions read."""
    import sqlalchemy as sa

    from studyhub.laws.paragraphs import cited_paragraphs, paragraph
    from studyhub.models import Law, LawArticle, LawVersion
    from studyhub.numerals import int_to_cn

    cache = {} if stored is None else stored

    def text_version(law: Law, number: int) -> LawVersion:
        if (law.id, number) not in cache:
            found = session.scalar(
                sa.select(LawVersion).where(LawVersion.law_id == law.id,
                                            LawVersion.version == number)
            )  # fmt: skip
            if found is None:
                return law_version(session, law, None)
            cache[(law.id, number)] = found
        return cache[(law.id, number)]

    def read(law: Law, text_of: LawVersion, refs: tuple[tuple[int, int], ...]) -> list[Any]:
        return list(
            session.scalars(
                sa.select(LawArticle)
                .where(
                    LawArticle.law_id == law.id,
                    LawArticle.version == text_of.version,
                    sa.tuple_(LawArticle.number, LawArticle.sub).in_(refs),
                )
                .order_by(LawArticle.number, LawArticle.sub)
            )
        )

    cut = cited_paragraphs(citation) if paragraphs else {}
    found: list[tuple[str, str]] = []
    for item in parse_citation(citation):
        law = session.scalar(sa.select(Law).where(Law.short_name == item.law))
        if law is None:
            raise NotFoundError(
                msg("no law {name} (import it with: studyhub law import FILE)", name=item.law)
            )
        chosen = (versions or {}).get(law.short_name)
        if chosen is not None:
            text_of = text_version(law, chosen)
        else:
            text_of = law_version(session, law, dated)
        articles = read(law, text_of, item.refs) if item.refs else []
        if chosen is not None and len(articles) != len(set(item.refs)):
            text_of = text_version(law, law.current_version)  # written for the new text
            articles = read(law, text_of, item.refs)
        title = text_of.title
        if dated is not None or text_of.version != law.current_version:
            title = t("law.version_title", title=title, date=text_of.dated or t("law.undated"))
        if item.preamble:
            found.append((f"{title} 序言", text_of.preamble or ""))
            continue
        if not item.refs:
            found.append((title, f"{text_of.article_count} {text_of.unit}"))
            continue
        if len(articles) != len(set(item.refs)):
            raise NotFoundError(
                msg(
                    "{law} has no such {unit}: {citation}",
                    law=law.short_name,
                    unit=law.unit,
                    citation=citation,
                )
            )
        for a in articles:
            number = cut.get((law.short_name, a.number, a.sub))
            text = paragraph(a.text, number) if number else None
            if text is None:
                found.append((f"{title} {a.label}（{a.path}）", a.text))
            else:
                label = f"{a.label}第{int_to_cn(number)}款"
                found.append((f"{title} {label}（{a.path}）", text))
    return found
