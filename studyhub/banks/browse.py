"""Looking at banks: lists, questions, counts. Queries are built as ``Select`` statements
and aggregated in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyhub.errors import NotFoundError
from studyhub.i18n import msg

if TYPE_CHECKING:
    from sqlalchemy import Select

    from studyhub.db import Database

__all__ = ["BankRow", "QuestionRow", "bank_list", "bank_questions", "bank_stats", "stats_query"]


def _current_join() -> Any:
    import sqlalchemy as sa

    from studyhub.models import Question, QuestionVersion

    return sa.and_(
        QuestionVersion.question_id == Question.id,
        QuestionVersion.version == Question.current_version,
    )


def stats_query() -> Select[Any]:
    """Counts of current questions per bank, topic, type, difficulty and status."""
    import sqlalchemy as sa

    from studyhub.models import Bank, Question, QuestionVersion, Topic

    return (
        sa.select(
            Bank.key.label("bank"),
            Topic.key.label("topic"),
            QuestionVersion.type.label("type"),
            QuestionVersion.difficulty.label("difficulty"),
            Question.status.label("status"),
            sa.func.count().label("count"),
        )
        .select_from(Question)
        .join(Bank, Bank.id == Question.bank_id)
        .join(QuestionVersion, _current_join())
        .outerjoin(Topic, Topic.id == Question.topic_id)
        .group_by(Bank.key, Topic.key, QuestionVersion.type, QuestionVersion.difficulty,
                  Question.status)
        .order_by(Bank.key, Topic.key, QuestionVersion.type, QuestionVersion.difficulty,
                  Question.status)
    )  # fmt: skip


def bank_stats(database: Database) -> list[dict[str, Any]]:
    """``[{bank, topic, type, difficulty, status, count}, ...]`` for every combination."""
    with database.session(readonly=True) as session:
        return [dict(row._mapping) for row in session.execute(stats_query())]


@dataclass
class BankRow:
    key: str
    title: str
    topic: str | None
    version: str
    single: int
    multiple: int
    judge: int
    fill: int
    ready: int
    hidden: int
    draft: int

    @property
    def total(self) -> int:
        return self.ready + self.hidden + self.draft


def bank_list(database: Database) -> list[BankRow]:
    """Every bank with its topic and counts by type (ready questions) and status."""
    import sqlalchemy as sa

    from studyhub.models import Bank, Question, QuestionVersion, Topic

    def count_if(condition: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    ready = Question.status == "ready"
    query = (
        sa.select(
            Bank.key, Bank.title, Topic.key.label("topic"), Bank.version,
            *(count_if(sa.and_(ready, QuestionVersion.type == t)).label(t)
              for t in ("single", "multiple", "judge", "fill")),
            *(count_if(Question.status == s).label(s) for s in ("ready", "hidden", "draft")),
        )
        .select_from(Bank)
        .outerjoin(Topic, Topic.id == Bank.topic_id)
        .outerjoin(Question, Question.bank_id == Bank.id)
        .outerjoin(QuestionVersion, _current_join())
        .group_by(Bank.id, Bank.key, Bank.title, Topic.key, Bank.version)
        .order_by(Bank.key)
    )  # fmt: skip
    with database.session(readonly=True) as session:
        return [BankRow(**row._mapping) for row in session.execute(query)]


@dataclass
class QuestionRow:
    id: str
    version: int
    status: str
    type: str
    difficulty: int | None
    stem: str
    source: str
    tags: list[str]


def bank_questions(
    database: Database,
    key: str,
    *,
    type: str | None = None,
    tag: str | None = None,
    include_hidden: bool = False,
) -> list[QuestionRow]:
    """The current questions of a bank (no answer keys), optionally of a type or tag."""
    import sqlalchemy as sa

    from studyhub.models import Bank, Question, QuestionTag, QuestionVersion

    with database.session(readonly=True) as session:
        bank_id = session.scalar(sa.select(Bank.id).where(Bank.key == key))
        if bank_id is None:
            raise NotFoundError(
                msg("no bank {key}", key=key), hint=msg("studyhub bank list shows the banks")
            )
        query = (
            sa.select(Question.external_id, Question.current_version, Question.status,
                      QuestionVersion.id.label("vid"), QuestionVersion.type,
                      QuestionVersion.difficulty, QuestionVersion.stem, QuestionVersion.source)
            .join(QuestionVersion, _current_join())
            .where(Question.bank_id == bank_id)
            .order_by(Question.external_id)
        )  # fmt: skip
        if not include_hidden:
            query = query.where(Question.status != "hidden")
        if type:
            query = query.where(QuestionVersion.type == type)
        if tag:
            query = query.where(
                sa.exists().where(
                    QuestionTag.version_id == QuestionVersion.id, QuestionTag.tag == tag
                )
            )
        rows = session.execute(query).all()
        tags: dict[int, list[str]] = {}
        vids = [r.vid for r in rows]
        for start in range(0, len(vids), 500):
            chunk = vids[start : start + 500]
            for vid, name in session.execute(
                sa.select(QuestionTag.version_id, QuestionTag.tag)
                .where(QuestionTag.version_id.in_(chunk))
                .order_by(QuestionTag.tag)
            ):
                tags.setdefault(vid, []).append(name)
    return [
        QuestionRow(r.external_id, r.current_version, r.status, r.type, r.difficulty, r.stem,
                    r.source, tags.get(r.vid, []))
        for r in rows
    ]  # fmt: skip
