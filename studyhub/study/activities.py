"""Study records: activities with their topics and laws, attendance, and the year's totals.

An activity is identified by its date, title and kind; recording the same one again (an
import run twice) merges into it instead of duplicating it. The laws and regulations an
activity covers are stored by their normalised name (:func:`studyhub.laws.short_name`), so
《中华人民共和国民法典》 and 民法典 are one law and a year's distinct count is right. Imports
from files live in :mod:`studyhub.study.imports`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError
from studyhub.i18n import Lazy, Message, get_language, msg
from studyhub.laws import short_name
from studyhub.models.enums import STUDY_KINDS
from studyhub.values import parse_date, parse_hours, reason_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database

__all__ = [
    "ActivitySpec",
    "activity_detail",
    "activity_list",
    "add_activity",
    "law_key",
    "law_titles",
    "parse_kind",
    "study_totals",
    "year_range",
]

#: other names admins use for the kinds
KIND_ALIASES = {
    "理论学习中心组": "central_group",
    "中心组学习": "central_group",
    "党组会": "party_group",
    "党组理论学习": "party_group",
    "集中学习": "staff_meeting",
    "干部职工会": "staff_meeting",
    "研讨": "seminar",
    "讲座": "lecture",
    "网课": "online_course",
    "网络学习": "online_course",
    "在线学习": "online_course",
}


def parse_kind(value: Any) -> str:
    """The kind key from its English key or its Chinese name (党组会学习, 专题研讨...)."""
    text = "".join(unicodedata.normalize("NFKC", str(value)).split())
    if text.lower() in STUDY_KINDS:
        return text.lower()
    for key, name in STUDY_KINDS.items():
        if text in (name, name.removesuffix("学习")):
            return key
    if text in KIND_ALIASES:
        return KIND_ALIASES[text]
    raise ValueError(
        msg("unknown kind {value} (expected one of {choices})", value=text, choices=_Kinds())
    )


class _Kinds(Lazy):
    """The kinds an input accepts: their Chinese names (党组会学习、专题研讨...) in Chinese,
    their keys in English."""

    def render(self, language: str | None = None) -> str:
        if (language or get_language()) == "en":
            return ", ".join(STUDY_KINDS)
        return "、".join(STUDY_KINDS.values())


def law_key(title: str) -> str:
    """The name a law is counted under (see :func:`studyhub.laws.short_name`)."""
    name = short_name(title)
    if not name:
        raise ValueError(msg("bad law title {title!r}", title=title))
    if len(name) > 200:
        raise ValueError(msg("law title longer than 200 characters"))
    return name


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass
class ActivitySpec:
    """An activity as given (validated by :meth:`check`)."""

    kind: str
    held_on: dt.date
    title: str
    hours: Decimal
    topics: list[str] = field(default_factory=list)
    laws: list[str] = field(default_factory=list)
    organiser: str = ""
    place: str = ""
    notes: str = ""
    #: staff id -> hours credited (None: the activity's hours)
    attendance: dict[int, Decimal | None] = field(default_factory=dict)
    #: staff id -> day of completion (online courses)
    completed: dict[int, dt.date] = field(default_factory=dict)


def check_title(title: str) -> str:
    title = " ".join(str(title).split())
    if not title:
        raise ValueError(msg("missing title"))
    if len(title) > 300:
        raise ValueError(msg("title longer than 300 characters"))
    return title


def text_too_long(name: str, limit: int) -> Message:
    """The message for an organiser or place longer than its column (``limit``)."""
    if name == "organiser":
        return msg("organiser is longer than {limit} characters", limit=limit)
    return msg("place is longer than {limit} characters", limit=limit)


def check_topic(key: str) -> str:
    key = key.strip()
    if not key or len(key) > 64 or any(ch.isspace() for ch in key):
        raise ValueError(msg("bad topic key {key!r} (no spaces, at most 64 characters)", key=key))
    return key


def find_activity(session: Session, kind: str, held_on: dt.date, title: str) -> Any:
    import sqlalchemy as sa

    from studyhub.models import StudyActivity

    return session.scalar(
        sa.select(StudyActivity).where(
            StudyActivity.kind == kind,
            StudyActivity.held_on == held_on,
            StudyActivity.title == title,
        )
    )


def ensure_topics(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """Topic ids by key, creating missing topics (named as the shipped ones, else by key)."""
    import sqlalchemy as sa

    from studyhub.banks.importer import KNOWN_TOPICS
    from studyhub.models import Topic

    keys = sorted(set(keys))
    if not keys:
        return {}
    found = dict(session.execute(sa.select(Topic.key, Topic.id).where(Topic.key.in_(keys))).all())
    for key in keys:
        if key not in found:
            topic = Topic(key=key, name=KNOWN_TOPICS.get(key, key))
            session.add(topic)
            session.flush()
            found[key] = topic.id
    return found


@dataclass
class StoreResult:
    activity_id: int
    created: bool
    attendance_added: int = 0
    attendance_updated: int = 0


def store_activity(session: Session, spec: ActivitySpec, *, merge: bool) -> StoreResult:
    """Write an activity (or merge into the same date+title+kind) with its topics, laws
    and attendance. Everything in ``spec`` has been validated."""
    import sqlalchemy as sa

    from studyhub.models import ActivityLaw, ActivityTopic, Attendance, StudyActivity

    activity = find_activity(session, spec.kind, spec.held_on, spec.title)
    created = activity is None
    if activity is not None and not merge:
        raise InputError(
            msg(
                "activity {day} {title} ({kind}) is already recorded (id {id})",
                day=spec.held_on,
                title=spec.title,
                kind=spec.kind,
                id=activity.id,
            )
        )
    if activity is None:
        activity = StudyActivity(kind=spec.kind, held_on=spec.held_on, title=spec.title,
                                 hours=spec.hours)  # fmt: skip
        session.add(activity)
    activity.hours = spec.hours
    activity.organiser = spec.organiser or activity.organiser or ""
    activity.place = spec.place or activity.place or ""
    activity.notes = spec.notes or activity.notes or ""
    session.flush()
    result = StoreResult(activity.id, created)
    topic_ids = ensure_topics(session, spec.topics)
    have_topics = set(
        session.scalars(
            sa.select(ActivityTopic.topic_id).where(ActivityTopic.activity_id == activity.id)
        )
    )
    for topic_id in sorted(set(topic_ids.values()) - have_topics):
        session.add(ActivityTopic(activity_id=activity.id, topic_id=topic_id))
    have_laws = set(
        session.scalars(
            sa.select(ActivityLaw.law_name).where(ActivityLaw.activity_id == activity.id)
        )
    )
    for name in sorted(set(spec.laws) - have_laws):
        session.add(ActivityLaw(activity_id=activity.id, law_name=name))
    have = {
        a.staff_id: a
        for a in session.scalars(sa.select(Attendance).where(Attendance.activity_id == activity.id))
    }
    new_rows = []
    for staff_id, hours in spec.attendance.items():
        completed = spec.completed.get(staff_id)
        current = have.get(staff_id)
        if current is None:
            new_rows.append({"activity_id": activity.id, "staff_id": staff_id, "hours": hours,
                             "completed_on": completed})  # fmt: skip
        elif (current.hours, current.completed_on) != (hours, completed) and (
            hours is not None or completed is not None
        ):
            current.hours = hours if hours is not None else current.hours
            current.completed_on = completed or current.completed_on
            result.attendance_updated += 1
    if new_rows:
        session.execute(sa.insert(Attendance), new_rows)
    result.attendance_added = len(new_rows)
    return result


def add_activity(
    database: Database,
    *,
    kind: str,
    held_on: dt.date | str,
    title: str,
    hours: Decimal | str | float,
    topics: Sequence[str] = (),
    laws: Sequence[str] = (),
    organiser: str = "",
    place: str = "",
    notes: str = "",
    attendees: Sequence[str] = (),
    departments: Sequence[str] = (),
    actor: str = "system",
) -> StoreResult:
    """Record a study activity. ``attendees`` are staff numbers; ``departments`` (codes or
    names) add everyone in post in them (sub-departments included) on the day."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Staff
    from studyhub.org.roster import find_department, staff_in_post

    try:
        spec = ActivitySpec(
            kind=parse_kind(kind), held_on=parse_date(held_on), title=check_title(title),
            hours=parse_hours(hours), topics=[check_topic(k) for k in topics],
            laws=sorted({law_key(name) for name in laws}),
            organiser=organiser.strip(), place=place.strip(), notes=notes.strip(),
        )  # fmt: skip
    except ValueError as err:
        raise InputError(reason_of(err)) from None
    for name, value, limit in (("organiser", spec.organiser, 100), ("place", spec.place, 200)):
        if len(value) > limit:  # the column's length: refused, never cut short
            raise InputError(text_too_long(name, limit))
    with database.session() as session:
        numbers = [n.strip() for n in attendees if n.strip()]
        query = sa.select(Staff.staff_no, Staff.id).where(Staff.staff_no.in_(numbers))
        ids = dict(session.execute(query).all()) if numbers else {}
        unknown = [n for n in numbers if n not in ids]
        if unknown:
            raise NotFoundError(msg("no staff member {staff_no}", staff_no=", ".join(unknown)))
        for number in numbers:
            spec.attendance[ids[number]] = None
        for dept in departments:
            department = find_department(session, dept)
            for staff_id in session.scalars(staff_in_post(spec.held_on, department.id)):
                spec.attendance.setdefault(staff_id, None)
        result = store_activity(session, spec, merge=False)
        record_event(
            session, actor=actor, action="study.add", object_type="study_activity",
            object_key=str(result.activity_id),
            details={"kind": spec.kind, "held_on": spec.held_on.isoformat(), "title": spec.title,
                     "attendees": len(spec.attendance)},
        )  # fmt: skip
    return result


def _attendance_counts() -> Any:
    import sqlalchemy as sa

    from studyhub.models import Attendance

    return (
        sa.select(Attendance.activity_id, sa.func.count().label("n"))
        .group_by(Attendance.activity_id)
        .subquery()
    )


def activity_list(
    database: Database, *, year: int | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    """Activities by date: id, date, kind, title, hours, organiser, attendee count, topics
    and the number of laws covered."""
    import sqlalchemy as sa

    from studyhub.models import ActivityLaw, ActivityTopic, StudyActivity, Topic

    attendance = _attendance_counts()
    laws = (
        sa.select(ActivityLaw.activity_id, sa.func.count().label("n"))
        .group_by(ActivityLaw.activity_id)
        .subquery()
    )
    topics = (
        sa.select(
            ActivityTopic.activity_id, sa.func.aggregate_strings(Topic.key, ",").label("topic_keys")
        )
        .join(Topic, Topic.id == ActivityTopic.topic_id)
        .group_by(ActivityTopic.activity_id)
        .subquery()
    )
    query = (
        sa.select(
            StudyActivity.id, StudyActivity.held_on, StudyActivity.kind, StudyActivity.title,
            StudyActivity.hours, StudyActivity.organiser,
            sa.func.coalesce(attendance.c.n, 0), topics.c.topic_keys, sa.func.coalesce(laws.c.n, 0),
        )
        .outerjoin(attendance, attendance.c.activity_id == StudyActivity.id)
        .outerjoin(laws, laws.c.activity_id == StudyActivity.id)
        .outerjoin(topics, topics.c.activity_id == StudyActivity.id)
        .order_by(StudyActivity.held_on, StudyActivity.id)
    )  # fmt: skip
    if year is not None:
        query = query.where(StudyActivity.held_on.between(*year_range(year)))
    if kind is not None:
        try:
            query = query.where(StudyActivity.kind == parse_kind(kind))
        except ValueError as err:
            raise InputError(reason_of(err)) from None
    with database.session(readonly=True) as session:
        rows = session.execute(query).all()
    keys = ("id", "date", "kind", "title", "hours", "organiser", "attendees", "topics", "laws")
    result = []
    for row in rows:
        item = dict(zip(keys, row, strict=True))
        item["topics"] = sorted(item["topics"].split(",")) if item["topics"] else []
        result.append(item)
    return result


def activity_detail(database: Database, activity_id: int) -> dict[str, Any]:
    """One activity with its topics, laws and attendance (staff number, name, hours)."""
    import sqlalchemy as sa

    from studyhub.models import ActivityLaw, ActivityTopic, Attendance, Staff, StudyActivity, Topic

    with database.session(readonly=True) as session:
        activity = session.get(StudyActivity, activity_id)
        if activity is None:
            raise NotFoundError(msg("no study activity {id}", id=activity_id))
        topics = session.scalars(
            sa.select(Topic.key).join(ActivityTopic, ActivityTopic.topic_id == Topic.id)
            .where(ActivityTopic.activity_id == activity_id).order_by(Topic.key)
        ).all()  # fmt: skip
        laws = session.scalars(
            sa.select(ActivityLaw.law_name).where(ActivityLaw.activity_id == activity_id)
            .order_by(ActivityLaw.law_name)
        ).all()  # fmt: skip
        attendance = session.execute(
            sa.select(Staff.staff_no, Staff.name,
                      Attendance.hours, Attendance.completed_on)
            .join(Staff, Staff.id == Attendance.staff_id)
            .where(Attendance.activity_id == activity_id).order_by(Staff.staff_no)
        ).all()  # fmt: skip
    return {
        "id": activity.id, "date": activity.held_on, "kind": activity.kind,
        "title": activity.title, "hours": activity.hours, "organiser": activity.organiser,
        "place": activity.place, "notes": activity.notes, "topics": list(topics),
        "laws": list(laws),
        "attendance": [
            {"staff_no": no, "name": name, "completed_on": completed,
             "hours": activity.hours if hours is None else hours}
            for no, name, hours, completed in attendance
        ],
    }  # fmt: skip


def law_titles(database: Database, *, year: int | None = None) -> list[dict[str, Any]]:
    """The distinct laws and regulations studied (in a year): for each, the number of
    activities that covered it and their dates, most studied first."""
    import sqlalchemy as sa

    from studyhub.models import ActivityLaw, StudyActivity

    base = sa.select(ActivityLaw.law_name, ActivityLaw.activity_id, StudyActivity.held_on).join(
        StudyActivity, StudyActivity.id == ActivityLaw.activity_id
    )
    if year is not None:
        base = base.where(StudyActivity.held_on.between(*year_range(year)))
    base_sq = base.subquery()
    days = sa.select(base_sq.c.law_name, base_sq.c.held_on).distinct().subquery()
    dates = (
        sa.select(
            days.c.law_name,
            sa.func.aggregate_strings(sa.cast(days.c.held_on, sa.String), ",").label("dates"),
        )
        .group_by(days.c.law_name)
        .subquery()
    )
    counts = (
        sa.select(base_sq.c.law_name, sa.func.count(base_sq.c.activity_id.distinct()).label("n"))
        .group_by(base_sq.c.law_name)
        .subquery()
    )
    query = (
        sa.select(counts.c.law_name, counts.c.n, dates.c.dates)
        .join(dates, dates.c.law_name == counts.c.law_name)
        .order_by(counts.c.n.desc(), counts.c.law_name)
    )
    with database.session(readonly=True) as session:
        rows = session.execute(query).all()
    return [
        {"law": name, "activities": count, "dates": sorted(str(dates).split(","))}
        for name, count, dates in rows
    ]


def study_totals(database: Database, year: int) -> dict[str, Any]:
    """The study figures of a year (DESIGN §5), each from one GROUP BY query: activities
    and hours by kind, distinct laws, seminars per topic, attendance and person-hours."""
    import sqlalchemy as sa

    from studyhub.models import ActivityLaw, ActivityTopic, Attendance, StudyActivity, Topic

    first, last = year_range(year)
    in_year = StudyActivity.held_on.between(first, last)
    with database.session(readonly=True) as session:
        by_kind = session.execute(
            sa.select(StudyActivity.kind, sa.func.count(), sa.func.sum(StudyActivity.hours))
            .where(in_year).group_by(StudyActivity.kind).order_by(StudyActivity.kind)
        ).all()  # fmt: skip
        laws = session.scalar(
            sa.select(sa.func.count(ActivityLaw.law_name.distinct()))
            .join(StudyActivity, StudyActivity.id == ActivityLaw.activity_id).where(in_year)
        )  # fmt: skip
        seminars = session.execute(
            sa.select(Topic.key, sa.func.count())
            .join(ActivityTopic, ActivityTopic.topic_id == Topic.id)
            .join(StudyActivity, StudyActivity.id == ActivityTopic.activity_id)
            .where(in_year, StudyActivity.kind == "seminar")
            .group_by(Topic.key).order_by(Topic.key)
        ).all()  # fmt: skip
        credited = sa.func.coalesce(Attendance.hours, StudyActivity.hours)
        attendance = session.execute(
            sa.select(sa.func.count(), sa.func.count(Attendance.staff_id.distinct()),
                      sa.func.sum(credited))
            .join(StudyActivity, StudyActivity.id == Attendance.activity_id).where(in_year)
        ).one()  # fmt: skip
    return {
        "year": year,
        "by_kind": {kind: {"activities": n, "hours": hours} for kind, n, hours in by_kind},
        "activities": sum(n for _, n, _ in by_kind),
        "laws": laws or 0,
        "seminars_by_topic": dict(seminars),
        "attendance": attendance[0],
        "people": attendance[1],
        "person_hours": attendance[2] if attendance[2] is not None else Decimal("0.00"),
    }
