"""What is studied and asked: topics, statutes, banks, questions and their versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from studyhub.models.base import Base, Hundredths, UTCDateTime
from studyhub.models.enums import QUESTION_STATUSES, QUESTION_TYPES, REVIEW_STATUSES, sql_in


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")


class Law(Base):
    """A statute (or a numbered policy text) whose articles questions cite. Its columns are
    those of its current version (the newest by date), whose articles citations resolve to."""

    __tablename__ = "laws"
    __table_args__ = (
        CheckConstraint("article_count >= 0", name="article_count"),
        CheckConstraint("unit IN ('条', '项', '部分')", name="unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    #: the name citations use, e.g. 民法典 for 中华人民共和国民法典
    short_name: Mapped[str] = mapped_column(String(100), unique=True)
    unit: Mapped[str] = mapped_column(String(2), default="条", server_default="条")
    adopted: Mapped[dt.date | None] = mapped_column(Date)
    effective: Mapped[dt.date | None] = mapped_column(Date)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    preamble: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())
    #: the version in force (:class:`LawVersion`.version): the newest by date
    current_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class LawVersion(Base):
    """One text of a law, as amended on a date; its articles keep that text for good."""

    __tablename__ = "law_versions"
    __table_args__ = (
        UniqueConstraint("law_id", "version"),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint("article_count >= 0", name="article_count"),
        CheckConstraint("unit IN ('条', '项', '部分')", name="unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("laws.id", ondelete="CASCADE"))
    #: 1, 2, ... in the order the versions were imported (the newest by date is current)
    version: Mapped[int] = mapped_column(Integer)
    #: the text's date: its last 通过/公布/修订/修正 date, or the one given on import; None
    #: for a text without one (older than any dated text)
    dated: Mapped[dt.date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(2), default="条", server_default="条")
    adopted: Mapped[dt.date | None] = mapped_column(Date)
    effective: Mapped[dt.date | None] = mapped_column(Date)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    preamble: Mapped[str | None] = mapped_column(Text)
    #: a hash of the text (title, preamble, articles): the same text is never stored twice
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())


class LawArticle(Base):
    __tablename__ = "law_articles"
    __table_args__ = (
        UniqueConstraint("law_id", "version", "number", "sub"),
        ForeignKeyConstraint(
            ["law_id", "version"],
            ["law_versions.law_id", "law_versions.version"],
            ondelete="CASCADE",
        ),
        CheckConstraint("number >= 1", name="number"),
        CheckConstraint("sub >= 0", name="sub"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("laws.id", ondelete="CASCADE"))
    #: the law version whose text this is
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    number: Mapped[int] = mapped_column(Integer)
    #: 0 for 第X条; N for 第X条之N (an article inserted by an amendment), or for part X's
    #: numbered item （N） in a text cited by part (unit 部分)
    sub: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    label: Mapped[str] = mapped_column(String(32))
    #: the divisions above the article (编 / 分编 / 章 / 节), joined by " / "
    path: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text)


class Bank(Base):
    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="RESTRICT"), index=True
    )
    version: Mapped[str] = mapped_column(String(32), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, server_default=func.now(), onupdate=func.now()
    )


class Question(Base):
    """A question's identity in its bank; its content lives in immutable versions."""

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("bank_id", "external_id"),
        CheckConstraint(sql_in("status", QUESTION_STATUSES), name="status"),
        CheckConstraint("current_version >= 1", name="current_version"),
        # drawing a paper counts and picks from this index alone (it also serves lookups by
        # topic and status, which had an index of their own before migration 0005)
        Index("ix_questions_draw", "topic_id", "status", "type", "difficulty", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="RESTRICT"))
    external_id: Mapped[str] = mapped_column(String(128))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(8), default="ready", server_default="ready")
    current_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: the current version's type and difficulty, kept here so papers draw from one index
    type: Mapped[str | None] = mapped_column(String(8))
    difficulty: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, server_default=func.now(), onupdate=func.now()
    )


class QuestionVersion(Base):
    """One immutable content of a question; attempts pin the version they showed."""

    __tablename__ = "question_versions"
    __table_args__ = (
        UniqueConstraint("question_id", "version"),
        CheckConstraint(sql_in("type", QUESTION_TYPES), name="type"),
        CheckConstraint("difficulty IS NULL OR difficulty BETWEEN 1 AND 5", name="difficulty"),
        CheckConstraint("points IS NULL OR points > 0", name="points"),
        CheckConstraint("version >= 1", name="version"),
        Index("ix_question_versions_type_difficulty", "type", "difficulty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="RESTRICT"))
    version: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(8))
    stem: Mapped[str] = mapped_column(Text)
    #: option texts in their canonical order (choice questions); [] otherwise
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: choice: list of correct option indexes; judge: true/false; fill: accepted answers per blank
    answer: Mapped[Any] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="", server_default="")
    source: Mapped[str] = mapped_column(String(200), default="", server_default="")
    difficulty: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[Decimal | None] = mapped_column(Hundredths)
    #: what a format carries beyond the canonical fields (GIFT weights and feedback...)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())


class QuestionTag(Base):
    __tablename__ = "question_tags"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class QuestionReview(Base):
    """A question a new version of a law put in doubt: its current version cites an article
    that the new text changed, renumbered or removed. Open until an admin marks it still
    right, rewrites it (a new version imported) or retires it; open ones are not drawn."""

    __tablename__ = "question_reviews"
    __table_args__ = (
        UniqueConstraint("question_id", "law_id", "to_version"),
        CheckConstraint(sql_in("status", REVIEW_STATUSES), name="status"),
        Index("ix_question_reviews_question_status", "question_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="RESTRICT"))
    #: the question's version that cites the old text
    question_version: Mapped[int] = mapped_column(Integer)
    law_id: Mapped[int] = mapped_column(ForeignKey("laws.id", ondelete="CASCADE"))
    #: the law's versions before and after (:class:`LawVersion`.version)
    from_version: Mapped[int] = mapped_column(Integer)
    to_version: Mapped[int] = mapped_column(Integer)
    #: the cited articles in doubt: ``[{"kind": "changed" | "renumbered" | "removed",
    #: "old": [number, sub], "new": [number, sub] | None}]`` (``[0, 0]`` is the preamble)
    articles: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
