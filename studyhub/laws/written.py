"""The version of a law a question version cites: the one in force when it was written.

A citation (``测试法 第8条``) names no version; the question version citing it was written
for one text of the law, and 第8条 of 2010 need not be 第8条 of 2024. For each law a question
version cites, the version it cites is, in this order:

1. the text its reviews name as the one it was written for (a review records the law's
   current text when the new one came, the oldest when there are several): a review settled
   as still right (``bank review --ok``) confirms its content for the new text, not its
   article numbers;
2. else the version in force on the day the question version was created
   (``question_versions.created_at``, the day of its import, Asia/Shanghai): the newest
   version (by date, as the law's versions are ordered) that had started by then. A version
   starts on its 施行 date (``effective``) or, when the file gives none, on its date
   (``dated``), whichever of the two known is later; a version with neither has always
   started. When none had started, the oldest.

A citation that does not resolve in the version it cites but does in the current text is
read in the current text (the question names an article the new text has: it was written
for it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError
from studyhub.laws.citations import Citation, parse_citation
from studyhub.laws.statutes import short_name

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database

__all__ = [
    "LawVersions",
    "StoredVersion",
    "cited_versions",
    "law_versions",
    "question_articles",
    "reviewed_versions",
    "starts",
]


@dataclass(frozen=True)
class StoredVersion:
    version: int
    dated: dt.date | None
    effective: dt.date | None
    title: str

    @property
    def starts(self) -> dt.date:
        return starts(self.dated, self.effective)


def starts(dated: dt.date | None, effective: dt.date | None) -> dt.date:
    """The day a version comes into force: the later of its date and its 施行 date (those
    known); ``date.min`` with neither."""
    known = [day for day in (dated, effective) if day is not None]
    return max(known) if known else dt.date.min


@dataclass
class LawVersions:
    """A stored law and its versions, oldest first (undated first, then by date)."""

    id: int
    short_name: str
    title: str
    unit: str
    current: int
    versions: list[StoredVersion] = field(default_factory=list)

    def in_force(self, day: dt.date) -> int:
        """The version in force on ``day`` (the oldest when none had started)."""
        started = [v.version for v in self.versions if v.starts <= day]
        return started[-1] if started else self.versions[0].version

    def get(self, version: int) -> StoredVersion:
        return next(v for v in self.versions if v.version == version)


def law_versions(session: Session) -> dict[int, LawVersions]:
    """Every stored law with its versions, by law id (laws are few: read whole)."""
    import sqlalchemy as sa

    from studyhub.laws.store import version_order
    from studyhub.models import Law, LawVersion

    laws = {
        law.id: LawVersions(law.id, law.short_name, law.title, law.unit, law.current_version)
        for law in session.scalars(sa.select(Law))
    }
    for version in sorted(session.scalars(sa.select(LawVersion)), key=version_order):
        if version.law_id in laws:
            laws[version.law_id].versions.append(
                StoredVersion(version.version, version.dated, version.effective, version.title)
            )
    return {key: law for key, law in laws.items() if law.versions}


def by_name(laws: dict[int, LawVersions]) -> dict[str, LawVersions]:
    """The laws by the names citations give them: short name, and the short name of the
    title of every version."""
    named: dict[str, LawVersions] = {}
    for law in laws.values():
        for version in law.versions:
            named.setdefault(short_name(version.title), law)
    for law in laws.values():
        named[law.short_name] = law
    return named


def _citations(source: str) -> list[Citation]:
    try:
        return parse_citation(source) if source.strip() else []
    except InputError:
        return []


def reviewed_versions(
    session: Session, pairs: Iterable[tuple[int, int]], laws: dict[int, LawVersions]
) -> dict[tuple[int, int, int], tuple[int, int | None]]:
    """For each ``(question id, question version)`` with reviews: ``{(question id, version,
    law id): (the text it was written for, the newest text a review settled it as still
    right for or None)}``."""
    import sqlalchemy as sa

    from studyhub.models import QuestionReview

    found: dict[tuple[int, int, int], tuple[int, int | None]] = {}
    wanted = sorted(set(pairs))
    for start in range(0, len(wanted), 400):
        for question_id, version, law_id, before, after, status in session.execute(
            sa.select(QuestionReview.question_id, QuestionReview.question_version,
                      QuestionReview.law_id, QuestionReview.from_version,
                      QuestionReview.to_version, QuestionReview.status)
            .where(sa.tuple_(QuestionReview.question_id, QuestionReview.question_version)
                   .in_(wanted[start : start + 400]))
        ):  # fmt: skip
            law = laws.get(law_id)
            if law is None:
                continue
            order = [v.version for v in law.versions]
            key = (question_id, version, law_id)
            written, ok = found.get(key, (before, None))
            if order.index(before) < order.index(written):
                written = before
            if status == "ok" and (ok is None or order.index(after) > order.index(ok)):
                ok = after
            found[key] = (written, ok)
    return found


def cited_versions(
    session: Session,
    rows: Sequence[tuple[int, int, int, str, dt.datetime | None]],
    laws: dict[int, LawVersions] | None = None,
    reviewed: dict[tuple[int, int, int], tuple[int, int | None]] | None = None,
) -> dict[int, dict[int, int]]:
    """For each question version ``(version id, question id, version, source, created_at)``:
    the version of each stored law it cites, ``{version id: {law id: law version}}`` (see the
    module's rules; ``reviewed`` as :func:`reviewed_versions` gives it, read when None)."""
    from studyhub.timeutil import local_date

    if laws is None:
        laws = law_versions(session)
    if reviewed is None:
        reviewed = reviewed_versions(session, [(row[1], row[2]) for row in rows], laws)
    named = by_name(laws)
    found: dict[int, dict[int, int]] = {}
    for version_id, question_id, version, source, created in rows:
        cited: dict[int, int] = {}
        for citation in _citations(source):
            law = named.get(citation.law)
            if law is None or law.id in cited:
                continue
            review = reviewed.get((question_id, version, law.id))
            if review is not None:
                cited[law.id] = review[0]
            else:
                day = local_date(created) if created is not None else dt.date.max
                cited[law.id] = law.in_force(day)
        found[version_id] = cited
    return found


def question_articles(
    database: Database, version_ids: Iterable[int], *, paragraphs: bool = False
) -> dict[int, list[tuple[str, str]] | None]:
    """``{question version id: [(heading, text), ...]}``: the articles each question
    version's citation points to, in the version of each law it cites (see the module's
    rules); the heading names that version's date when it is not the current one. None
    for a version whose citation does not read or resolve (or that has no source). With
    ``paragraphs``, an article the citation narrows to one paragraph is cut to it."""
    import sqlalchemy as sa

    from studyhub.errors import StudyhubError
    from studyhub.laws.store import citation_articles
    from studyhub.models import QuestionVersion

    wanted = sorted(set(version_ids))
    found: dict[int, list[tuple[str, str]] | None] = {}
    with database.session(readonly=True) as session:
        rows: list[Any] = []
        for start in range(0, len(wanted), 500):
            rows.extend(
                session.execute(
                    sa.select(QuestionVersion.id, QuestionVersion.question_id,
                              QuestionVersion.version, QuestionVersion.source,
                              QuestionVersion.created_at)
                    .where(QuestionVersion.id.in_(wanted[start : start + 500]))
                ).all()
            )  # fmt: skip
        laws = law_versions(session)
        cited = cited_versions(session, [tuple(row) for row in rows], laws)
        stored: dict[tuple[int, int], Any] = {}
        for row in rows:
            if not (row.source or "").strip():
                found[row.id] = None
                continue
            versions = {laws[law_id].short_name: v for law_id, v in cited[row.id].items()}
            try:
                found[row.id] = citation_articles(
                    session, row.source, versions, stored, paragraphs=paragraphs
                )
            except StudyhubError:  # the law is not stored, or the citation does not resolve
                found[row.id] = None
    return found
