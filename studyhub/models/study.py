"""Study records: activities with their topics and laws, attendance, and outreach (普法)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

# the modules of the tables its foreign keys name (studyhub.models imports table
# modules lazily, and a flush resolves every foreign key of the table)
import studyhub.models.content
import studyhub.models.org  # noqa: F401
from studyhub.models.base import Base, Hundredths, UTCDateTime
from studyhub.models.enums import STUDY_KINDS, sql_in


class StudyActivity(Base):
    __tablename__ = "study_activities"
    __table_args__ = (
        CheckConstraint(sql_in("kind", list(STUDY_KINDS)), name="kind"),
        CheckConstraint("hours >= 0", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    hours: Mapped[Decimal] = mapped_column(Hundredths)
    organiser: Mapped[str] = mapped_column(String(100), default="", server_default="")
    place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())


class ActivityTopic(Base):
    __tablename__ = "activity_topics"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("study_activities.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="RESTRICT"), primary_key=True, index=True
    )


class ActivityLaw(Base):
    """A law or regulation covered by an activity (counted for "学习法律法规N部")."""

    __tablename__ = "activity_laws"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("study_activities.id", ondelete="CASCADE"), primary_key=True
    )
    law_name: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("activity_id", "staff_id"),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("study_activities.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="RESTRICT"), index=True)
    #: hours credited; NULL means the activity's hours
    hours: Mapped[Decimal | None] = mapped_column(Hundredths)
    #: the day this person completed it (online courses); NULL: the activity's date
    completed_on: Mapped[dt.date | None] = mapped_column(Date)


class OutreachEvent(Base):
    """普法宣传: an event for the public."""

    __tablename__ = "outreach_events"
    __table_args__ = (
        CheckConstraint("materials >= 0", name="materials"),
        CheckConstraint("consultations >= 0", name="consultations"),
        CheckConstraint("participants IS NULL OR participants >= 0", name="participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(300))
    place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    materials: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    consultations: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    participants: Mapped[int | None] = mapped_column(Integer)
    partners: Mapped[str] = mapped_column(String(300), default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())
