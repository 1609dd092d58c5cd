"""What a person may practise now, for the practice menu: topics, question types and the
chapters of the statutes cited, each with the number of questions open to practice, and
the state of their wrong-answer book. Counted in SQL over the questions practice may show
(ready, outside the pools closed by open exams, not awaiting review after a law changed),
with the questions awaiting review counted per topic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from studyhub.practice.chapters import ChapterCount, count_divisions
from studyhub.practice.drill import BookStatus, book_status, staff_id_of
from studyhub.practice.guard import closed_pool_filter, refuse_during_an_attempt

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = ["PracticeChoices", "practice_choices"]


@dataclass
class PracticeChoices:
    #: (topic key, topic name (its bank's title when the topic has no name of its own),
    #: questions), by name
    topics: list[tuple[str, str, int]] = field(default_factory=list)
    #: (question type, questions), in the order single, multiple, judge, fill
    types: list[tuple[str, int]] = field(default_factory=list)
    #: every law, 编 and 章 cited, in the statutes' order
    chapters: list[ChapterCount] = field(default_factory=list)
    book: BookStatus | None = None
    #: questions left out because they await review after a law changed, by topic key (a
    #: topic all of whose questions await review is in ``topics`` with 0)
    waiting: dict[str, int] = field(default_factory=dict)

    @property
    def waiting_total(self) -> int:
        return sum(self.waiting.values())

    @property
    def total(self) -> int:
        return sum(count for _, count in self.types)


def practice_choices(database: Database, staff_no: str) -> PracticeChoices:
    """The practice menu's choices; PermissionDenied while the person sits an exam."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.exams.paper import in_review
    from studyhub.models import Bank, Question, QuestionVersion, Topic
    from studyhub.models.enums import QUESTION_TYPES

    choices = PracticeChoices()
    with database.session(readonly=True) as session:
        now = db_now(session)
        refuse_during_an_attempt(session, staff_id_of(session, staff_no), now)
        practisable = (
            sa.select(
                Question.topic_id,
                QuestionVersion.type,
                QuestionVersion.source,
                sa.func.count().label("n"),
            )
            .join(
                QuestionVersion,
                sa.and_(
                    QuestionVersion.question_id == Question.id,
                    QuestionVersion.version == Question.current_version,
                ),
            )
            .where(Question.status == "ready", closed_pool_filter(session, now),
                   ~in_review(Question.id))
            .group_by(Question.topic_id, QuestionVersion.type, QuestionVersion.source)
            .subquery("practisable")
        )  # fmt: skip
        choices.waiting = {
            key: int(n)
            for key, n in session.execute(
                sa.select(Topic.key, sa.func.count())
                .join(Question, Question.topic_id == Topic.id)
                .join(QuestionVersion, sa.and_(
                    QuestionVersion.question_id == Question.id,
                    QuestionVersion.version == Question.current_version))
                .where(Question.status == "ready", closed_pool_filter(session, now),
                       in_review(Question.id))
                .group_by(Topic.key)
            )
        }  # fmt: skip
        total = sa.func.sum(practisable.c.n)
        bank_title = (
            sa.select(sa.func.min(Bank.title)).where(Bank.topic_id == Topic.id).scalar_subquery()
        )
        rows = session.execute(
            sa.select(Topic.key, Topic.name, bank_title, total)
            .join(practisable, practisable.c.topic_id == Topic.id)
            .group_by(Topic.id, Topic.key, Topic.name)
        ).all()
        # a topic created by a bank import is named by its key: show the bank's title
        named = [
            (key, title if name == key and title else name, int(n)) for key, name, title, n in rows
        ]
        # a topic whose every question awaits review is still listed, with 0
        listed = {key for key, _, _ in named}
        if set(choices.waiting) - listed:
            for key, name, title in session.execute(
                sa.select(Topic.key, Topic.name, bank_title).where(
                    Topic.key.in_(set(choices.waiting) - listed)
                )
            ):
                named.append((key, title if name == key and title else name, 0))
        choices.topics = sorted(named, key=lambda row: (row[1], row[0]))
        by_type = dict(
            session.execute(sa.select(practisable.c.type, total).group_by(practisable.c.type)).all()
        )
        choices.types = [(t, int(by_type[t])) for t in QUESTION_TYPES if by_type.get(t)]
        by_source = session.execute(
            sa.select(practisable.c.source, total).group_by(practisable.c.source)
        ).all()
        choices.chapters = count_divisions(session, [(s or "", int(n)) for s, n in by_source])
    choices.book = book_status(database, staff_no)
    return choices
