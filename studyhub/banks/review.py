"""The review queue: the questions a law's new version put in doubt (``studyhub bank review``).

A question enters the queue when a new text of a law it cites becomes current and the text
changed, renumbered or removed a cited article (:mod:`studyhub.laws.doubt`). Until it is
reviewed, no paper draws it (unless the exam says ``allow_unreviewed: true``). An admin
reviews it one of three ways:

- still right: :func:`resolve_reviews` with ``"ok"``;
- rewritten: a bank import that gives the question a new version closes its reviews
  (:func:`close_rewritten`, called by the bank writer);
- retired: :func:`resolve_reviews` with ``"retired"`` hides the question.

Attempts keep the question versions they showed: nothing here changes a version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError
from studyhub.i18n import msg
from studyhub.laws.citations import parse_citation
from studyhub.laws.doubt import PREAMBLE
from studyhub.numerals import int_to_cn, parse_number

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database

__all__ = [
    "ReviewArticle",
    "ReviewItem",
    "close_rewritten",
    "resolve_reviews",
    "retired_in_review",
    "review_queue",
    "suggest_source",
]

OUTCOMES = ("ok", "retired")


@dataclass
class ReviewArticle:
    #: "changed", "renumbered" or "removed"
    kind: str
    old_label: str
    old_text: str
    new_label: str | None = None
    new_text: str | None = None


@dataclass
class ReviewItem:
    id: int
    bank: str
    question: str
    #: "open", "ok", "rewritten" or "retired"
    status: str
    law: str
    #: the dates of the law's versions before and after (None: undated)
    old_date: dt.date | None
    new_date: dt.date | None
    #: the question's version in doubt, as it is now
    version: int
    type: str
    stem: str
    options: list[str]
    answer: Any
    explanation: str
    source: str
    articles: list[ReviewArticle] = field(default_factory=list)
    #: the source with the renumbered articles' new numbers (None: nothing to renumber, or
    #: a citation too intricate to rewrite)
    suggested_source: str | None = None


def review_queue(
    database: Database, *, banks: Sequence[str] = (), include_closed: bool = False
) -> list[ReviewItem]:
    """The questions awaiting review (all reviews with ``include_closed``), by bank and
    question, each with the old and new text of the articles in doubt, its key and 解析."""
    import sqlalchemy as sa
    from sqlalchemy.orm import aliased

    from studyhub.models import (
        Bank,
        Law,
        LawArticle,
        LawVersion,
        Question,
        QuestionReview,
        QuestionVersion,
    )

    old_v = aliased(LawVersion)
    new_v = aliased(LawVersion)
    with database.session(readonly=True) as session:
        _check_banks(session, banks)
        query = (
            sa.select(QuestionReview, Bank.key, Question.external_id, Law.short_name,
                      old_v.dated, new_v.dated, QuestionVersion)
            .join(Question, Question.id == QuestionReview.question_id)
            .join(Bank, Bank.id == Question.bank_id)
            .join(Law, Law.id == QuestionReview.law_id)
            .join(old_v, sa.and_(old_v.law_id == Law.id,
                                 old_v.version == QuestionReview.from_version))
            .join(new_v, sa.and_(new_v.law_id == Law.id,
                                 new_v.version == QuestionReview.to_version))
            .join(QuestionVersion, sa.and_(
                QuestionVersion.question_id == Question.id,
                QuestionVersion.version == QuestionReview.question_version))
            .order_by(Bank.key, Question.external_id, QuestionReview.id)
        )  # fmt: skip
        if banks:
            query = query.where(Bank.key.in_(banks))
        if not include_closed:
            query = query.where(QuestionReview.status == "open")
        rows = session.execute(query).all()
        wanted = {
            (review.law_id, version, number, sub)
            for review, *_ in rows
            for entry in review.articles
            for version, ref in ((review.from_version, entry["old"]),
                                 (review.to_version, entry["new"]))
            if ref is not None
            for number, sub in [ref]
        }  # fmt: skip
        texts = _article_texts(session, wanted, LawArticle, LawVersion)
    items = []
    for review, bank, question, law, old_date, new_date, version in rows:
        articles = []
        moves: dict[tuple[int, int], tuple[int, int]] = {}
        for entry in review.articles:
            old = tuple(entry["old"])
            new = tuple(entry["new"]) if entry["new"] is not None else None
            old_label, old_text = texts.get((review.law_id, review.from_version, *old), ("", ""))
            new_label, new_text = (
                texts.get((review.law_id, review.to_version, *new), ("", ""))
                if new is not None
                else (None, None)
            )
            articles.append(ReviewArticle(entry["kind"], old_label, old_text, new_label, new_text))
            if entry["kind"] == "renumbered" and new is not None:
                moves[old] = new  # type: ignore[index]
        items.append(
            ReviewItem(
                review.id, bank, question, review.status, law, old_date, new_date,
                version.version, version.type, version.stem, list(version.options or []),
                version.answer, version.explanation, version.source, articles,
                suggest_source(version.source, law, moves) if moves else None,
            )
        )  # fmt: skip
    return items


def _check_banks(session: Session, banks: Sequence[str]) -> None:
    import sqlalchemy as sa

    from studyhub.models import Bank

    if not banks:
        return
    known = set(session.scalars(sa.select(Bank.key).where(Bank.key.in_(banks))))
    for key in banks:
        if key not in known:
            raise NotFoundError(
                msg("no bank {key}", key=key), hint=msg("studyhub bank list shows the banks")
            )


def _article_texts(
    session: Session, wanted: set[tuple[int, int, int, int]], LawArticle: Any, LawVersion: Any
) -> dict[tuple[int, int, int, int], tuple[str, str]]:
    """(label, text) of each (law, version, number, sub) wanted; (0, 0) is the preamble."""
    import sqlalchemy as sa

    found: dict[tuple[int, int, int, int], tuple[str, str]] = {}
    articles = [key for key in wanted if key[2:] != PREAMBLE]
    for start in range(0, len(articles), 300):
        chunk = articles[start : start + 300]
        for row in session.execute(
            sa.select(LawArticle.law_id, LawArticle.version, LawArticle.number, LawArticle.sub,
                      LawArticle.label, LawArticle.text)
            .where(sa.tuple_(LawArticle.law_id, LawArticle.version, LawArticle.number,
                             LawArticle.sub).in_(chunk))
        ):  # fmt: skip
            found[tuple(row[:4])] = (row.label, row.text)  # type: ignore[index]
    preambles = {key[:2] for key in wanted if key[2:] == PREAMBLE}
    for law_id, version in preambles:
        text = session.scalar(
            sa.select(LawVersion.preamble).where(
                LawVersion.law_id == law_id, LawVersion.version == version
            )
        )
        found[(law_id, version, *PREAMBLE)] = ("序言", text or "")
    return found


_ARTICLE_RE = re.compile(
    r"第([零〇一二三四五六七八九十百千0-9]+)条(?:之([一二三四五六七八九十]+))?"
)


def suggest_source(
    source: str, law: str, moves: dict[tuple[int, int], tuple[int, int]]
) -> str | None:
    """``source`` with the articles of ``law`` that moved given their new numbers, in the
    numerals the source used (``第5条`` -> ``第4条``, ``第五条`` -> ``第四条``); None when a
    moved article is named in a way this cannot rewrite (a range, a list)."""
    parts = re.split(r"([；;])", source)
    for index in range(0, len(parts), 2):
        part = parts[index]
        try:
            cited = parse_citation(part)[0] if part.strip() else None
        except InputError:
            continue
        if cited is None or cited.law != law or not any(ref in moves for ref in cited.refs):
            continue

        def renumber(match: re.Match[str]) -> str:
            number = parse_number(match.group(1))
            sub = parse_number(match.group(2)) if match.group(2) else 0
            new = moves.get((number or 0, sub or 0))
            if new is None:
                return match.group(0)
            digits = match.group(1).isdigit()
            shown = str(new[0]) if digits else int_to_cn(new[0])
            return f"第{shown}条" + (f"之{int_to_cn(new[1])}" if new[1] else "")

        rewritten = _ARTICLE_RE.sub(renumber, part)
        expected = [moves.get(ref, ref) for ref in cited.refs]
        if list(parse_citation(rewritten)[0].refs) != expected:
            return None
        parts[index] = rewritten
    return "".join(parts)


def resolve_reviews(
    database: Database, ids: Sequence[int], outcome: str, *, actor: str = "system"
) -> int:
    """Close open reviews: ``"ok"`` (the question is still right) or ``"retired"`` (the
    question is hidden: no paper or practice shows it again). Returns how many were
    closed; NotFoundError for an id that is not an open review (nothing is closed then)."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.db import db_now
    from studyhub.models import Bank, Question, QuestionReview

    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    wanted = sorted(set(ids))
    with database.session() as session:
        rows = session.execute(
            sa.select(QuestionReview.id, QuestionReview.question_id, Bank.key,
                      Question.external_id)
            .join(Question, Question.id == QuestionReview.question_id)
            .join(Bank, Bank.id == Question.bank_id)
            .where(QuestionReview.id.in_(wanted), QuestionReview.status == "open")
        ).all()  # fmt: skip
        missing = [i for i in wanted if i not in {row.id for row in rows}]
        if missing:
            raise NotFoundError(
                msg("no open review {id}", id=missing[0]),
                hint=msg("studyhub bank review lists the open ones"),
            )
        now = db_now(session)
        session.execute(
            sa.update(QuestionReview)
            .where(QuestionReview.id.in_(wanted))
            .values(status=outcome, resolved_at=now, resolved_by=actor)
        )
        if outcome == "retired":
            questions = {row.question_id for row in rows}
            session.execute(
                sa.update(Question).where(Question.id.in_(questions)).values(status="hidden")
            )
            # the question's other open reviews are settled by retiring it too
            session.execute(
                sa.update(QuestionReview)
                .where(QuestionReview.question_id.in_(questions), QuestionReview.status == "open")
                .values(status=outcome, resolved_at=now, resolved_by=actor)
            )
        for row in rows:
            record_event(session, actor=actor, action=f"review.{outcome}",
                         object_type="question", object_key=f"{row.key}/{row.external_id}",
                         details={"review": row.id}, at=now)  # fmt: skip
    return len(rows)


def retired_in_review(session: Session, versions: Sequence[tuple[int, int]]) -> set[int]:
    """The questions of ``(question id, current version)`` that a review retired as they
    are: importing them again unchanged does not bring them back."""
    import sqlalchemy as sa

    from studyhub.models import QuestionReview

    if not versions:
        return set()
    return set(
        session.scalars(
            sa.select(QuestionReview.question_id).where(
                QuestionReview.status == "retired",
                sa.tuple_(QuestionReview.question_id, QuestionReview.question_version).in_(
                    list(versions)
                ),
            )
        )
    )


def close_rewritten(session: Session, question_ids: Sequence[int]) -> None:
    """Close the open reviews of questions that a bank import gave a new version."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.models import QuestionReview

    if not question_ids:
        return
    session.execute(
        sa.update(QuestionReview)
        .where(QuestionReview.question_id.in_(list(question_ids)), QuestionReview.status == "open")
        .values(status="rewritten", resolved_at=db_now(session), resolved_by="import")
    )
