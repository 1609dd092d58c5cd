"""Dates and times as users write them: Asia/Shanghai unless an offset is given."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from studyhub.i18n import msg

__all__ = ["LOCAL_TZ", "local_date", "parse_date", "parse_datetime", "parse_duration", "to_local"]

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_DURATION_RE = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?$", re.I)


def parse_date(text: str | dt.date) -> dt.date:
    """``2026-03-05``, ``2026/3/5``, ``2026年3月5日`` or a date; ValueError otherwise (carrying
    a Message: :func:`studyhub.values.reason_of`)."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    match = _DATE_RE.match(str(text).strip())
    if not match:
        raise ValueError(msg("{value!r} is not a date (write it as 2026-03-05)", value=text))
    return dt.date(*map(int, match.groups()))


def parse_datetime(value: str | dt.date | dt.datetime, *, end_of_day: bool = False) -> dt.datetime:
    """An aware datetime. A bare date means its start (or, with ``end_of_day``, the start of
    the next day: "closes 2026-11-30" lets people sit it all that day). Without an offset the
    time is Asia/Shanghai."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value + dt.timedelta(days=1 if end_of_day else 0), dt.time())
    else:
        text = str(value).strip()
        try:
            day = parse_date(text)
        except ValueError:
            try:
                moment = dt.datetime.fromisoformat(text.replace("/", "-"))
            except ValueError:
                raise ValueError(
                    msg(
                        "{value!r} is not a date or time (write 2026-11-30 or 2026-11-30 18:00)",
                        value=value,
                    )
                ) from None
        else:
            return parse_datetime(day, end_of_day=end_of_day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment


def parse_duration(value: str | int) -> dt.timedelta:
    """``90m``, ``1h30m``, ``5400s``, ``90`` (minutes); ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(msg("{value!r} is not a duration", value=value))
    if isinstance(value, int):
        minutes = value
        if minutes <= 0:
            raise ValueError(msg("a duration must be positive"))
        return dt.timedelta(minutes=minutes)
    text = str(value).strip()
    if text.isdigit():
        return parse_duration(int(text))
    match = _DURATION_RE.match(text)
    if not text or not match or not any(match.groups()):
        raise ValueError(
            msg("{value!r} is not a duration (write 90m, 1h30m or 5400s)", value=value)
        )
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    duration = dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if duration <= dt.timedelta(0):
        raise ValueError(msg("a duration must be positive"))
    return duration


def to_local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LOCAL_TZ)


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar date in Asia/Shanghai of an instant."""
    return to_local(moment).date()
