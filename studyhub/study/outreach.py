"""Outreach (普法宣传): events for the public, with materials handed out and consultations.

An event is identified by its date and title: importing the same file again updates the
events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError
from studyhub.i18n import msg
from studyhub.study.activities import check_title, year_range
from studyhub.tabular import Column, read_rows
from studyhub.values import CellReader, parse_count, parse_date, reason_of

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = [
    "OutreachImportSummary",
    "add_outreach",
    "import_outreach",
    "outreach_list",
    "outreach_totals",
]

OUTREACH_COLUMNS = [
    Column("date", ("日期", "date", "活动日期"), required=True),
    Column("title", ("标题", "title", "活动名称", "主题"), required=True),
    Column("place", ("地点", "place")),
    Column("materials", ("发放资料", "materials", "发放资料份数", "资料")),
    Column("consultations", ("接受咨询", "consultations", "咨询人次", "咨询")),
    Column("participants", ("参与人数", "participants", "参加人数")),
    Column("partners", ("合作单位", "partners", "联合单位")),
    Column("notes", ("备注", "notes")),
]
FIELDS = ("place", "materials", "consultations", "participants", "partners", "notes")


def _check(values: dict[str, Any]) -> None:
    if len(values.get("place") or "") > 200:
        raise ValueError(msg("place longer than {limit} characters", limit=200))
    if len(values.get("partners") or "") > 300:
        raise ValueError(msg("partners longer than {limit} characters", limit=300))


def add_outreach(
    database: Database,
    *,
    held_on: dt.date | str,
    title: str,
    place: str = "",
    materials: int | str = 0,
    consultations: int | str = 0,
    participants: int | str | None = None,
    partners: str = "",
    notes: str = "",
    actor: str = "system",
) -> int:
    """Record an outreach event; returns its id. Refused when the same date and title is
    recorded already."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import OutreachEvent

    try:
        values: dict[str, Any] = {
            "held_on": parse_date(held_on), "title": check_title(title), "place": place.strip(),
            "materials": parse_count(materials), "consultations": parse_count(consultations),
            "participants": None if participants in (None, "") else parse_count(participants),
            "partners": partners.strip(), "notes": notes.strip(),
        }  # fmt: skip
        _check(values)
    except ValueError as err:
        raise InputError(reason_of(err)) from None
    with database.session() as session:
        found = session.scalar(
            sa.select(OutreachEvent.id).where(
                OutreachEvent.held_on == values["held_on"], OutreachEvent.title == values["title"]
            )
        )
        if found is not None:
            raise InputError(
                msg(
                    "outreach event {day} {title} is already recorded (id {id})",
                    day=values["held_on"],
                    title=values["title"],
                    id=found,
                )
            )
        event = OutreachEvent(**values)
        session.add(event)
        session.flush()
        record_event(
            session, actor=actor, action="outreach.add", object_type="outreach_event",
            object_key=str(event.id),
            details={"held_on": values["held_on"].isoformat(), "title": values["title"]},
        )  # fmt: skip
        return event.id


@dataclass
class OutreachImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def import_outreach(
    database: Database, path: str | Path, *, actor: str = "system"
) -> OutreachImportSummary:
    """Add or update the outreach events of a file (日期, 标题, 地点, 发放资料, 接受咨询,
    参与人数, 合作单位, 备注), matched by date and title."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import OutreachEvent

    reader = CellReader()
    events: dict[tuple[dt.date, str], dict[str, Any]] = {}
    rows: dict[tuple[dt.date, str], int] = {}
    for row in read_rows(path, OUTREACH_COLUMNS):
        before = len(reader.errors)
        values = {
            "held_on": reader.get(row, "date", parse_date, required=True),
            "title": reader.get(row, "title", check_title, required=True),
            "place": row.text("place"),
            "materials": reader.get(row, "materials", parse_count) or 0,
            "consultations": reader.get(row, "consultations", parse_count) or 0,
            "participants": reader.get(row, "participants", parse_count),
            "partners": row.text("partners"),
            "notes": row.text("notes"),
        }
        try:
            _check(values)
        except ValueError as err:
            reader.fail(row, None, reason_of(err))
        if len(reader.errors) != before:
            continue
        key = (values["held_on"], values["title"])
        if key in rows:
            reader.fail(
                row, None, msg("duplicate row (the same event as row {row})", row=rows[key])
            )
            continue
        rows[key] = row.number
        events[key] = values
    reader.raise_if_any(msg("outreach import"))
    summary = OutreachImportSummary()
    with database.session() as session:
        for key, values in events.items():
            found = session.scalar(
                sa.select(OutreachEvent).where(
                    OutreachEvent.held_on == key[0], OutreachEvent.title == key[1]
                )
            )
            if found is None:
                session.add(OutreachEvent(**values))
                summary.added += 1
            elif all(getattr(found, name) == values[name] for name in FIELDS):
                summary.unchanged += 1
            else:
                for name in FIELDS:
                    setattr(found, name, values[name])
                summary.updated += 1
        record_event(
            session, actor=actor, action="outreach.import", object_type="file",
            object_key=Path(path).name[:128],
            details={"added": summary.added, "updated": summary.updated},
        )  # fmt: skip
    return summary


def outreach_list(database: Database, *, year: int | None = None) -> list[dict[str, Any]]:
    """Outreach events by date."""
    import sqlalchemy as sa

    from studyhub.models import OutreachEvent

    query = sa.select(OutreachEvent).order_by(OutreachEvent.held_on, OutreachEvent.id)
    if year is not None:
        query = query.where(OutreachEvent.held_on.between(*year_range(year)))
    with database.session(readonly=True) as session:
        return [
            {"id": e.id, "date": e.held_on, "title": e.title, "place": e.place,
             "materials": e.materials, "consultations": e.consultations,
             "participants": e.participants, "partners": e.partners}
            for e in session.scalars(query)
        ]  # fmt: skip


def outreach_totals(database: Database, year: int) -> dict[str, int]:
    """A year's outreach: events, materials handed out, consultations, participants."""
    import sqlalchemy as sa

    from studyhub.models import OutreachEvent

    with database.session(readonly=True) as session:
        events, materials, consultations, participants = session.execute(
            sa.select(
                sa.func.count(), sa.func.coalesce(sa.func.sum(OutreachEvent.materials), 0),
                sa.func.coalesce(sa.func.sum(OutreachEvent.consultations), 0),
                sa.func.coalesce(sa.func.sum(OutreachEvent.participants), 0),
            ).where(OutreachEvent.held_on.between(*year_range(year)))
        ).one()  # fmt: skip
    return {"events": events, "materials": int(materials), "consultations": int(consultations),
            "participants": int(participants)}  # fmt: skip
