"""Stored statutes: import a statute's articles, list them, show what a citation points to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studyhub.errors import NotFoundError
from studyhub.i18n import msg
from studyhub.laws.citations import parse_citation
from studyhub.laws.statutes import parse_law, short_name

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = ["LawImportSummary", "cited_articles", "find_law", "import_law", "law_list"]


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

    from studyhub.admin.audit import record_event
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
                    "sub": a.sub,
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


def cited_articles(
    database: Database, citation: str, *, paragraphs: bool = False
) -> list[tuple[str, str]]:
    """``[(heading, text), ...]`` for what a citation points to; NotFoundError if nothing.
    With ``paragraphs``, an article the citation narrows to one paragraph (``第8条第2款``)
    is cut to that paragraph, and its heading names it."""
    import sqlalchemy as sa

    from studyhub.laws.paragraphs import cited_paragraphs, paragraph
    from studyhub.models import Law, LawArticle
    from studyhub.numerals import int_to_cn

    cut = cited_paragraphs(citation) if paragraphs else {}
    found: list[tuple[str, str]] = []
    with database.session(readonly=True) as session:
        for item in parse_citation(citation):
            law = session.scalar(sa.select(Law).where(Law.short_name == item.law))
            if law is None:
                raise NotFoundError(
                    msg("no law {name} (import it with: studyhub law import FILE)", name=item.law)
                )
            if item.preamble:
                found.append((f"{law.title} 序言", law.preamble or ""))
                continue
            if not item.refs:
                found.append((law.title, f"{law.article_count} {law.unit}"))
                continue
            articles = session.scalars(
                sa.select(LawArticle)
                .where(
                    LawArticle.law_id == law.id,
                    sa.tuple_(LawArticle.number, LawArticle.sub).in_(item.refs),
                )
                .order_by(LawArticle.number, LawArticle.sub)
            ).all()
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
                    found.append((f"{law.title} {a.label}（{a.path}）", a.text))
                else:
                    label = f"{a.label}第{int_to_cn(number)}款"
                    found.append((f"{law.title} {label}（{a.path}）", text))
    return found
