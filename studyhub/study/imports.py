"""Importing study records from CSV/XLSX: activities, and online-course completions.

``import_activities`` reads one row per activity or one row per attendance: rows sharing a
date, title and kind are one activity (their topics, laws and attendees are combined).
``import_online`` reads an export of an online academy (工号, 课程, 学时, 完成时间): one
activity per course title and calendar year, one attendance per completion. Both validate
every row before writing anything, and merge into activities already recorded, so running an
import twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError
from studyhub.i18n import msg
from studyhub.study.activities import (
    ActivitySpec,
    check_title,
    check_topic,
    law_key,
    parse_kind,
    store_activity,
    text_too_long,
)
from studyhub.tabular import Column, ReadThenWrite, read_rows
from studyhub.values import CellReader, parse_date, parse_hours, split_list, split_numbers

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.tabular import Row

__all__ = ["StudyImportSummary", "import_activities", "import_online"]

ACTIVITY_COLUMNS = [
    Column("date", ("日期", "date", "学习日期", "held_on"), required=True),
    Column("kind", ("形式", "kind", "类型", "学习形式")),
    Column("title", ("标题", "title", "主题", "学习内容"), required=True),
    Column("topics", ("专题", "topics", "topic")),
    Column("laws", ("法律法规", "laws", "学习法律法规")),
    Column("hours", ("学时", "hours")),
    Column("organiser", ("组织者", "organiser", "organizer", "主办")),
    Column("place", ("地点", "place")),
    Column("attendees", ("参加人员", "attendees")),
    Column("departments", ("参加部门", "departments")),
    Column("staff_no", ("工号", "staff_no")),
    Column("name", ("姓名", "name")),
    Column("credited", ("个人学时", "credited_hours")),
    Column("notes", ("备注", "notes")),
]
ONLINE_COLUMNS = [
    Column("staff_no", ("工号", "staff_no"), required=True),
    Column("name", ("姓名", "name")),
    Column("course", ("课程", "course", "课程名称"), required=True),
    Column("hours", ("学时", "hours"), required=True),
    Column("completed_at", ("完成时间", "completed_at", "完成日期"), required=True),
    Column("department", ("部门", "department", "单位")),
]


@dataclass
class StudyImportSummary:
    activities_added: int = 0
    activities_merged: int = 0
    attendance_added: int = 0
    attendance_updated: int = 0


def _staff_ids(session: Session, numbers: set[str]) -> dict[str, int]:
    from studyhub.org.lookups import staff_ids_by_number

    return staff_ids_by_number(session, numbers)


#: the lengths of the activities table's text columns (PostgreSQL enforces them)
TEXT_LIMITS = {"organiser": 100, "place": 200}


@dataclass
class _Group:
    first: Row
    spec: ActivitySpec
    hours_row: int | None = None
    bare_row: int | None = None
    #: staff number -> the row that listed it
    listed: dict[str, int] | None = None
    departments: list[tuple[Row, str]] | None = None


def _merge_field(reader: CellReader, group: _Group, row: Row, name: str, value: str) -> None:
    current = getattr(group.spec, name)
    if value and current and value != current:
        reader.fail(
            row,
            name,
            msg(
                "{value} differs from row {row} ({current})",
                value=value,
                row=group.first.number,
                current=current,
            ),
        )
    elif value:
        setattr(group.spec, name, value)


def import_activities(
    database: Database,
    path: str | Path,
    *,
    actor: str = "system",
    progress: Callable[[int, int], None] | None = None,
) -> StudyImportSummary:
    """Record the study activities of a file (see the module notes)."""
    from studyhub.admin.audit import record_event
    from studyhub.org.roster import find_department, staff_in_post

    reader = CellReader()
    groups: dict[tuple[str, dt.date, str], _Group] = {}
    numbers: list[tuple[Row, str, str, Decimal | None, _Group]] = []
    phases = ReadThenWrite(progress)
    for row in read_rows(path, ACTIVITY_COLUMNS, progress=phases.reading):
        before = len(reader.errors)
        held_on = reader.get(row, "date", parse_date, required=True)
        kind = reader.get(row, "kind", parse_kind, required=True)
        title = reader.get(row, "title", check_title, required=True)
        hours = reader.get(row, "hours", parse_hours)
        topics = reader.get(row, "topics", _topics) or []
        laws = reader.get(row, "laws", _laws) or []
        credited = reader.get(row, "credited", parse_hours)
        attendees = split_numbers(row.text("attendees"))
        staff_no = row.text("staff_no")
        departments = split_list(row.text("departments"))
        if len(reader.errors) != before or held_on is None or kind is None or title is None:
            continue
        key = (kind, held_on, title)
        group = groups.get(key)
        if group is None:
            group = _Group(row, ActivitySpec(kind, held_on, title, Decimal(0)), listed={},
                           departments=[])  # fmt: skip
            groups[key] = group
        if hours is not None:
            if group.hours_row is not None and hours != group.spec.hours:
                reader.fail(row, "hours", msg("{value} differs from row {row} ({current})",
                                              value=hours, row=group.hours_row,
                                              current=group.spec.hours))  # fmt: skip
            elif group.hours_row is None:
                group.spec.hours, group.hours_row = hours, row.number
        for name in ("organiser", "place", "notes"):
            value = row.text(name)
            limit = TEXT_LIMITS.get(name)
            if limit is not None and len(value) > limit:
                reader.fail(row, name, text_too_long(name, limit))
                continue
            _merge_field(reader, group, row, name, value)
        group.spec.topics = sorted(set(group.spec.topics) | set(topics))
        group.spec.laws = sorted(set(group.spec.laws) | set(laws))
        if not attendees and not staff_no and not departments:
            if group.bare_row is not None:
                reader.fail(row, None, msg("duplicate row (the same activity as row {row})",
                                           row=group.bare_row))  # fmt: skip
            group.bare_row = row.number
        for number in [*attendees, *([staff_no] if staff_no else [])]:
            assert group.listed is not None
            field = "staff_no" if number == staff_no else "attendees"
            if number in group.listed:
                reader.fail(row, field, msg("duplicate row: {staff_no} is already listed for "
                                            "this activity in row {row}", staff_no=number,
                                            row=group.listed[number]))  # fmt: skip
                continue
            group.listed[number] = row.number
            numbers.append((row, field, number, credited if field == "staff_no" else None, group))
        assert group.departments is not None
        group.departments.extend((row, d) for d in departments)
    for group in groups.values():
        if group.hours_row is None:
            reader.fail(group.first, "hours", msg("missing value (the activity's hours)"))
    summary = StudyImportSummary()
    with database.session() as session:
        ids = _staff_ids(session, {number for _, _, number, _, _ in numbers})
        for row, field, number, credited, group in numbers:
            if number not in ids:
                reader.fail(row, field, msg("no staff member {staff_no}", staff_no=number))
            else:
                group.spec.attendance[ids[number]] = credited
        found: dict[str, int | None] = {}
        for group in groups.values():
            assert group.departments is not None
            for row, text in group.departments:
                if text not in found:
                    try:
                        found[text] = find_department(session, text).id
                    except (NotFoundError, InputError) as err:
                        found[text] = None
                        reader.fail(row, "departments", err.message_text)
                        continue
                dept_id = found[text]
                if dept_id is None:
                    reader.fail(
                        row, "departments", msg("no department {department}", department=text)
                    )
                    continue
                for staff_id in session.scalars(staff_in_post(group.spec.held_on, dept_id)):
                    group.spec.attendance.setdefault(staff_id, None)
        reader.raise_if_any(msg("study import"))
        # writing is measured in attendances (an activity may have one or a thousand)
        count, done = sum(len(g.spec.attendance) + 1 for g in groups.values()), 0
        for group in groups.values():
            done += len(group.spec.attendance) + 1
            phases.written(done, count)
            result = store_activity(session, group.spec, merge=True)
            summary.activities_added += result.created
            summary.activities_merged += not result.created
            summary.attendance_added += result.attendance_added
            summary.attendance_updated += result.attendance_updated
        _audit(session, record_event, actor, "study.import", path, summary)
    return summary


def _topics(value: Any) -> list[str]:
    return [check_topic(key) for item in split_list(value) for key in item.split()]


def _laws(value: Any) -> list[str]:
    return sorted({law_key(name) for name in split_list(value)})


def _audit(
    session: Session, record: Any, actor: str, action: str, path: str | Path,
    summary: StudyImportSummary,
) -> None:  # fmt: skip
    record(
        session, actor=actor, action=action, object_type="file",
        object_key=Path(path).name[:128],
        details={"activities_added": summary.activities_added,
                 "activities_merged": summary.activities_merged,
                 "attendance_added": summary.attendance_added,
                 "attendance_updated": summary.attendance_updated},
    )  # fmt: skip


def import_online(
    database: Database,
    path: str | Path,
    *,
    actor: str = "system",
    progress: Callable[[int, int], None] | None = None,
) -> StudyImportSummary:
    """Record online-course completions: one activity (kind online_course) per course and
    calendar year, dated by its first completion; one attendance per completion, crediting
    the row's hours, with the completion date."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import StudyActivity
    from studyhub.study.activities import year_range

    reader = CellReader()
    rows: list[tuple[Row, str, str, Decimal, dt.date]] = []
    seen: dict[tuple[str, int, str], int] = {}
    phases = ReadThenWrite(progress)
    for row in read_rows(path, ONLINE_COLUMNS, progress=phases.reading):
        before = len(reader.errors)
        staff_no = reader.get(row, "staff_no", required=True)
        course = reader.get(row, "course", check_title, required=True)
        hours = reader.get(row, "hours", parse_hours, required=True)
        completed = reader.get(row, "completed_at", parse_date, required=True)
        if len(reader.errors) != before:
            continue
        key = (course, completed.year, staff_no)
        if key in seen:
            reader.fail(row, None, msg("duplicate row: {staff_no} completed {course} in {year} "
                                       "already (row {row})", staff_no=staff_no, course=course,
                                       year=completed.year, row=seen[key]))  # fmt: skip
            continue
        seen[key] = row.number
        rows.append((row, staff_no, course, hours, completed))
    summary = StudyImportSummary()
    with database.session() as session:
        ids = _staff_ids(session, {r[1] for r in rows})
        specs: dict[tuple[str, int], ActivitySpec] = {}
        for row, staff_no, course, hours, completed in rows:
            if staff_no not in ids:
                reader.fail(row, "staff_no", msg("no staff member {staff_no}", staff_no=staff_no))
                continue
            spec = specs.get((course, completed.year))
            if spec is None:
                spec = ActivitySpec("online_course", completed, course, hours)
                specs[(course, completed.year)] = spec
            spec.held_on = min(spec.held_on, completed)
            spec.hours = max(spec.hours, hours)
            spec.attendance[ids[staff_no]] = hours
            spec.completed[ids[staff_no]] = completed
        reader.raise_if_any(msg("online course import"))
        count, done = sum(len(spec.attendance) + 1 for spec in specs.values()), 0
        for (course, year), spec in specs.items():
            done += len(spec.attendance) + 1
            phases.written(done, count)
            existing = session.scalar(
                sa.select(StudyActivity).where(
                    StudyActivity.kind == "online_course", StudyActivity.title == course,
                    StudyActivity.held_on.between(*year_range(year)),
                ).order_by(StudyActivity.held_on).limit(1)
            )  # fmt: skip
            if existing is not None:
                spec.hours = max(spec.hours, existing.hours)
                if spec.held_on < existing.held_on:
                    existing.held_on = spec.held_on
                spec.held_on = existing.held_on
            result = store_activity(session, spec, merge=True)
            summary.activities_added += result.created
            summary.activities_merged += not result.created
            summary.attendance_added += result.attendance_added
            summary.attendance_updated += result.attendance_updated
        _audit(session, record_event, actor, "study.import_online", path, summary)
    return summary
