"""What an output says about its figures as a whole (:class:`ReportMeta`): the day they
are counted to, whether they are provisional, and the database they come from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from studyhub.i18n import t
from studyhub.reports.table import ReportMeta

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.reports.rates import RateRow

__all__ = ["describe_source", "exam_meta", "rates_meta", "report_meta"]


def describe_source(database: Database) -> str:
    """The database as a reader can name it: the SQLite file, or server and database of a
    PostgreSQL URL (never a user name or password)."""
    url = database.engine.url
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    host = url.host or "localhost"
    port = f":{url.port}" if url.port else ""
    return f"{host}{port}/{url.database or ''}"


def _today(database: Database) -> str:
    from studyhub.db import db_now
    from studyhub.timeutil import local_date

    with database.session(readonly=True) as session:
        return local_date(db_now(session)).isoformat()


def report_meta(database: Database, *, as_of: str = "", notes: Sequence[str] = ()) -> ReportMeta:
    """The as-of line given (or "数据提取于 today"), the source line, and ``notes``."""
    return ReportMeta(
        as_of or t("report.as_of.extracted", day=_today(database)),
        t("report.source", source=describe_source(database)),
        list(notes),
    )


def rates_meta(database: Database, rows: Sequence[RateRow], *, year: int | None) -> ReportMeta:
    """For rates: 截至 today（考试进行中，数字为阶段性结果） when an exam counted is still
    open, else the close dates counted on; a year without an exam says so."""
    today = _today(database)
    notes = [t("report.no_exam", year=year)] if not rows and year is not None else []
    if any(row.provisional for row in rows):
        as_of = t("report.as_of.provisional", day=today)
    elif rows:
        days = sorted({row.counted_on.isoformat() for row in rows if row.counted_on})
        as_of = t("report.as_of.closed", days="、".join(days), day=today)
    else:
        as_of = ""
    return report_meta(database, as_of=as_of, notes=notes)


def exam_meta(database: Database, exam: str) -> ReportMeta:
    """For the lists and analyses of one exam: provisional while it is open, else counted
    on its close date."""
    from studyhub.db import db_now
    from studyhub.exams.definitions import exam_by_key
    from studyhub.reports.scope import exam_scope

    with database.session(readonly=True) as session:
        scope = exam_scope(session, exam_by_key(session, exam))
        today = db_now(session)
    from studyhub.timeutil import local_date

    day = local_date(today).isoformat()
    if scope.provisional:
        return report_meta(database, as_of=t("report.as_of.provisional", day=day))
    return report_meta(
        database, as_of=t("report.as_of.closed", days=scope.close_day.isoformat(), day=day)
    )
