"""Exams, attempts with the items they showed, exemptions (免考) and per-person overrides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

# the modules of the tables its foreign keys name (studyhub.models imports table
# modules lazily, and a flush resolves every foreign key of the table)
import studyhub.models.content
import studyhub.models.org  # noqa: F401
from studyhub.models.base import Base, Hundredths, UTCDateTime
from studyhub.models.enums import (
    ATTEMPT_ORIGINS,
    ATTEMPT_STATUSES,
    CHOICE_SCORING,
    EXAM_KINDS,
    EXAM_STATUSES,
    GRADING_METHODS,
    REVIEW_MODES,
    SUBMIT_REASONS,
    sql_in,
)


class Exam(Base):
    __tablename__ = "exams"
    __table_args__ = (
        CheckConstraint(sql_in("kind", EXAM_KINDS), name="kind"),
        CheckConstraint(sql_in("grading", GRADING_METHODS), name="grading"),
        CheckConstraint(sql_in("choice_scoring", CHOICE_SCORING), name="choice_scoring"),
        CheckConstraint(sql_in("review", REVIEW_MODES), name="review"),
        CheckConstraint(sql_in("status", EXAM_STATUSES), name="status"),
        CheckConstraint("kind <> 'makeup' OR parent_id IS NOT NULL", name="makeup_parent"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
        CheckConstraint("attempts_allowed >= 1", name="attempts_allowed"),
        CheckConstraint("time_limit_s IS NULL OR time_limit_s > 0", name="time_limit"),
        # pass_mark is a percentage stored in hundredths: 0..100 %
        CheckConstraint("pass_mark BETWEEN 0 AND 10000", name="pass_mark"),
        CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at", name="window"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(10), default="exam")
    #: the exam a 补考 (makeup) belongs to; its results count for the parent's rates
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("exams.id", ondelete="RESTRICT"), index=True
    )
    opens_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    time_limit_s: Mapped[int | None] = mapped_column(Integer)
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=3)
    grading: Mapped[str] = mapped_column(String(8), default="highest")
    pass_mark: Mapped[Decimal] = mapped_column(Hundredths, default=Decimal(60))
    #: [[name, minimum percent], ...] from the highest band down
    bands: Mapped[list[Any]] = mapped_column(JSON, default=list)
    choice_scoring: Mapped[str] = mapped_column(String(16), default="all_or_nothing")
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    shuffle_options: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    review: Mapped[str] = mapped_column(String(8), default="wrong")
    review_after_close: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the paper: {"rules": [...]} drawn per attempt, or {"fixed": [question ids]}
    paper: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(8), default="open", server_default="open")
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: the specification the exam was created from, kept for `exam show`
    spec: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, server_default=func.now(), onupdate=func.now()
    )


class ExamAudience(Base):
    """The departments an exam is for (no rows: everyone)."""

    __tablename__ = "exam_audience"

    exam_id: Mapped[int] = mapped_column(
        ForeignKey("exams.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), primary_key=True, index=True
    )


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        # two terminals racing for the same (last) attempt: only one insert can win
        UniqueConstraint("exam_id", "staff_id", "number"),
        CheckConstraint("number >= 1", name="number"),
        CheckConstraint(sql_in("status", ATTEMPT_STATUSES), name="status"),
        CheckConstraint(sql_in("origin", ATTEMPT_ORIGINS), name="origin"),
        CheckConstraint(
            "submit_reason IS NULL OR " + sql_in("submit_reason", SUBMIT_REASONS),
            name="submit_reason",
        ),
        CheckConstraint("status <> 'submitted' OR submitted_at IS NOT NULL", name="submitted_at"),
        CheckConstraint("score IS NULL OR score >= 0", name="score"),
        CheckConstraint(
            "score IS NULL OR max_score IS NULL OR score <= max_score", name="score_max"
        ),
        CheckConstraint("percent IS NULL OR percent BETWEEN 0 AND 10000", name="percent"),
        Index("ix_attempts_exam_status", "exam_id", "status"),
        Index("ix_attempts_staff_exam", "staff_id", "exam_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="RESTRICT"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="RESTRICT"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="in_progress")
    origin: Mapped[str] = mapped_column(String(8), default="local", server_default="local")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    submit_reason: Mapped[str | None] = mapped_column(String(8))
    score: Mapped[Decimal | None] = mapped_column(Hundredths)
    max_score: Mapped[Decimal | None] = mapped_column(Hundredths)
    #: score as a percentage of max_score (what pass mark and bands compare against)
    percent: Mapped[Decimal | None] = mapped_column(Hundredths)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    #: the random seed the paper and option order were drawn with
    seed: Mapped[int] = mapped_column(BigInteger, default=0)
    #: how many questions had an answer saved when it was submitted (None: not submitted
    #: yet, or imported). An attempt with 0 answers never counts when the person has another
    #: one with answers (README, "The figures")
    answered: Mapped[int | None] = mapped_column(Integer)


class AttemptItem(Base):
    """One question of an attempt's paper: the pinned version, order shown, answer given."""

    __tablename__ = "attempt_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        CheckConstraint("position >= 1", name="position"),
        CheckConstraint("points >= 0", name="points"),
        CheckConstraint("awarded IS NULL OR (awarded >= 0 AND awarded <= points)", name="awarded"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)
    question_version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="RESTRICT"), index=True
    )
    points: Mapped[Decimal] = mapped_column(Hundredths)
    #: canonical option indexes in the order they were shown
    option_order: Mapped[list[int] | None] = mapped_column(JSON)
    #: the answer given, in canonical terms (option indexes, true/false, blank texts)
    response: Mapped[Any | None] = mapped_column(JSON)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    awarded: Mapped[Decimal | None] = mapped_column(Hundredths)
    #: the taker flagged the question to come back to it (kept across a resume)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Exemption(Base):
    """免考: a person excused from an exam, out of its denominator."""

    __tablename__ = "exemptions"
    __table_args__ = (
        UniqueConstraint("exam_id", "staff_id"),
        CheckConstraint("reason <> ''", name="reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="RESTRICT"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="RESTRICT"))
    reason: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())


class ExamOverride(Base):
    """One person's (or a department's) own limits for an exam, as Moodle's user and group
    overrides: another window, more attempts or a longer time limit. A field left NULL keeps
    the exam's own value."""

    __tablename__ = "exam_overrides"
    __table_args__ = (
        UniqueConstraint("exam_id", "staff_id"),
        UniqueConstraint("exam_id", "department_id"),
        CheckConstraint(
            "(staff_id IS NULL) <> (department_id IS NULL)", name="one_person_or_department"
        ),
        CheckConstraint(
            "opens_at IS NOT NULL OR closes_at IS NOT NULL OR attempts_allowed IS NOT NULL "
            "OR time_limit_s IS NOT NULL",
            name="changes_something",
        ),
        CheckConstraint(
            "attempts_allowed IS NULL OR attempts_allowed BETWEEN 1 AND 100", name="attempts"
        ),
        CheckConstraint("time_limit_s IS NULL OR time_limit_s > 0", name="time_limit"),
        CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at", name="window"
        ),
        CheckConstraint("reason <> ''", name="reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="RESTRICT"), index=True)
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="RESTRICT"), index=True
    )
    #: a department's override covers it and its sub-departments
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT")
    )
    opens_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attempts_allowed: Mapped[int | None] = mapped_column(Integer)
    time_limit_s: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    #: who set it (as shown in the audit trail)
    created_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, server_default=func.now(), onupdate=func.now()
    )


class ExamResult(Base):
    """Per exam and person, the result that counts (studyhub.exams.counted): written in the
    transaction of each submission, results import, exam update and override, so that the
    reports read one row per person instead of every attempt."""

    __tablename__ = "exam_results"
    __table_args__ = (
        CheckConstraint("passed IN (0, 1)", name="passed"),
        CheckConstraint("attempts >= 1", name="attempts"),
    )

    exam_id: Mapped[int] = mapped_column(
        ForeignKey("exams.id", ondelete="CASCADE"), primary_key=True
    )
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: the counted percentage, in hundredths (as the reports compare it)
    pct: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[int] = mapped_column(Integer)
    #: the submitted attempts that count (within the person's own window)
    attempts: Mapped[int] = mapped_column(Integer)
    band: Mapped[str | None] = mapped_column(String(64))
    #: the latest submission that counts
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
