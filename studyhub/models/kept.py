"""Per exam and close day, who is in its scope and where (studyhub.reports.kept_scope): kept
so that a province's rates read one row per person instead of the roster's history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, SmallInteger, func
from sqlalchemy.orm import Mapped, mapped_column

# the modules of the tables its foreign keys name (studyhub.models imports table
# modules lazily, and a flush resolves every foreign key of the table)
import studyhub.models.exams  # noqa: F401
from studyhub.models.base import Base, UTCDateTime


class RosterVersion(Base):
    """One row: a number raised by every change to what decides an exam's scope (staff in
    post, postings, departments, audiences). A kept scope is valid while it matches."""

    __tablename__ = "roster_version"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class RosterChange(Base):
    """Whom one raise of the roster version was about: one person (``staff_id``), everyone
    counted for one exam (``exam_id``: its audience changed), or everyone (both empty: the
    department tree, or more people than are worth listing). A kept scope at an older
    version is brought up to date by working out again only the people named since."""

    __tablename__ = "roster_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, index=True)
    staff_id: Mapped[int | None] = mapped_column(Integer)
    exam_id: Mapped[int | None] = mapped_column(Integer)
    logged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())


class KeptScope(Base):
    """One exam's scope worked out for one close day, as of a roster version."""

    __tablename__ = "kept_scopes"

    exam_id: Mapped[int] = mapped_column(
        ForeignKey("exams.id", ondelete="CASCADE"), primary_key=True
    )
    close_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    roster_version: Mapped[int] = mapped_column(Integer)
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())


class KeptScopePerson(Base):
    """A person counted for the exam (with a department, not the demo person): their
    department on the close day, whether they are in the audience and in post that day (the
    required, unless exempt; someone outside it who sat is in scope too), and whether they
    are exempt."""

    __tablename__ = "kept_scope_people"
    __table_args__ = (
        CheckConstraint("candidate IN (0, 1)", name="candidate"),
        CheckConstraint("exempt IN (0, 1)", name="exempt"),
    )

    # no foreign keys: checking them row by row took 9 of the 11 s of keeping a million
    # people's scope on PostgreSQL. Rows are read only under a current KeptScope (which
    # goes with its exam), a person's removal raises the roster version, and keeping a scope
    # first deletes every row of its exam not under a current KeptScope.
    exam_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    close_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    staff_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int | None] = mapped_column(Integer)
    candidate: Mapped[int] = mapped_column(SmallInteger)
    #: exempt from the exam (免考): set and cleared with the exemption itself
    exempt: Mapped[int] = mapped_column(SmallInteger)
