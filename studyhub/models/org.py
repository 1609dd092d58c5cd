"""The organisation: departments (a tree), staff, and dated postings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from studyhub.models.base import Base, UTCDateTime
from studyhub.models.enums import ROLES, sql_in


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint(sql_in("role", ROLES), name="role"),
        CheckConstraint(
            "in_post_to IS NULL OR in_post_from IS NULL OR in_post_to >= in_post_from",
            name="post_dates",
        ),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), default="employee", server_default="employee")
    #: the current department; the dated history is in staff_postings
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), index=True
    )
    in_post_from: Mapped[dt.date | None] = mapped_column(Date)
    in_post_to: Mapped[dt.date | None] = mapped_column(Date)
    #: scrypt hash with its parameters and salt; never printed
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    pin_must_change: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    pin_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, server_default=func.now(), onupdate=func.now()
    )


class StaffPosting(Base):
    """A staff member's department from ``valid_from`` up to (not including) ``valid_to``."""

    __tablename__ = "staff_postings"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="dates"),
        Index("ix_staff_postings_staff_from", "staff_id", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), index=True
    )
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
