"""合格证书: one row per certificate issued, never deleted, its serial never reused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

# the modules of the tables its foreign keys name (studyhub.models imports table
# modules lazily, and a flush resolves every foreign key of the table)
import studyhub.models.exams
import studyhub.models.org  # noqa: F401
from studyhub.models.base import Base, Hundredths, UTCDateTime


class Certificate(Base):
    """A certificate of a passed exam: the result as it stood when it was issued (score,
    band, the day passed), a serial (exam key, year, sequence) and a verification code.
    A re-issue after a changed result is a new row; the old one records when it was
    superseded. Revoked certificates keep their row (and serial)."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("exam_id", "sequence"),
        CheckConstraint("sequence >= 1", name="sequence"),
        CheckConstraint("percent BETWEEN 0 AND 10000", name="percent"),
        CheckConstraint("revoked_at IS NULL OR revoked_reason <> ''", name="revoked_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="RESTRICT"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="RESTRICT"), index=True)
    #: the number within the exam: 1, 2, 3... (never reused)
    sequence: Mapped[int] = mapped_column(Integer)
    #: exam key, year and sequence, as printed: fx-2026-2026-0001
    serial: Mapped[str] = mapped_column(String(100), unique=True)
    #: the short code printed for checking it (derived with HMAC from the database's secret)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    #: the counted score when issued: a percentage, and points when the paper has them
    percent: Mapped[Decimal] = mapped_column(Hundredths)
    points: Mapped[Decimal | None] = mapped_column(Hundredths)
    band: Mapped[str | None] = mapped_column(String(32))
    passed_on: Mapped[dt.date] = mapped_column(Date)
    #: the person's name and department as printed
    name: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(100), default="", server_default="")
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[str] = mapped_column(String(100))
    #: a later certificate replaced this one (the result changed)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
