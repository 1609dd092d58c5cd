"""Practice and the wrong-answer book (错题本)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

# the modules of the tables its foreign keys name (studyhub.models imports table
# modules lazily, and a flush resolves every foreign key of the table)
import studyhub.models.content
import studyhub.models.org  # noqa: F401
from studyhub.models.base import Base, UTCDateTime


class BookEntry(Base):
    """A question in a person's wrong-answer book, scheduled by FSRS."""

    __tablename__ = "book_entries"
    __table_args__ = (
        UniqueConstraint("staff_id", "question_id"),
        CheckConstraint("wrong_count >= 0 AND right_count >= 0", name="counts"),
        Index("ix_book_entries_staff_due", "staff_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    #: the FSRS card (Card.to_dict())
    card: Mapped[dict[str, Any]] = mapped_column(JSON)
    due: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    wrong_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    right_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_wrong_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_review_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PracticeAnswer(Base):
    """One answer given in practice (never counted in rates)."""

    __tablename__ = "practice_answers"
    __table_args__ = (
        CheckConstraint("source IN ('practice', 'book')", name="source"),
        Index("ix_practice_answers_staff_at", "staff_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    question_version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="RESTRICT"), index=True
    )
    response: Mapped[Any] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(8), default="practice")
    answered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
