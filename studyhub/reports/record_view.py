"""A person's record (:mod:`studyhub.reports.record`) as report tables, for every writer
(terminal text, Markdown, JSON, Word, Excel): one section of tables per person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from studyhub.i18n import N_, t
from studyhub.reports.table import ReportTable

if TYPE_CHECKING:
    from studyhub.reports.record import ExamEntry, PersonRecord

__all__ = ["record_tables", "records_tables"]

#: the column headings
COLUMNS = {
    "item": N_("record.col.item"),
    "value": N_("record.col.value"),
    "department": N_("record.col.department"),
    "department_name": N_("record.col.department_name"),
    "from": N_("record.col.from"),
    "to": N_("record.col.to"),
    "date": N_("record.col.date"),
    "kind": N_("record.col.kind"),
    "title": N_("record.col.title"),
    "hours": N_("record.col.hours"),
    "topics": N_("record.col.topics"),
    "laws": N_("record.col.laws"),
    "law": N_("record.col.law"),
    "activities": N_("record.col.activities"),
    "exam": N_("record.col.exam"),
    "exam_title": N_("record.col.exam_title"),
    "status": N_("record.col.status"),
    "score": N_("record.col.score"),
    "points": N_("record.col.points"),
    "band": N_("record.col.band"),
    "reason": N_("record.col.reason"),
    "makeup": N_("record.col.makeup"),
    "number": N_("record.col.number"),
    "imported": N_("record.col.imported"),
}
#: the figures of the summary
FIGURES = {
    "name": N_("record.fig.name"),
    "staff_no": N_("record.fig.staff_no"),
    "department": N_("record.fig.department"),
    "hours": N_("record.fig.hours"),
    "activity_hours": N_("record.fig.activity_hours"),
    "online_hours": N_("record.fig.online_hours"),
    "required_hours": N_("record.fig.required_hours"),
    "shortfall": N_("record.fig.shortfall"),
    "activities": N_("record.fig.activities"),
    "laws": N_("record.fig.laws"),
    "exams": N_("record.fig.exams"),
    "exams_passed": N_("record.fig.exams_passed"),
}


def _columns(*keys: str) -> list[tuple[str, str]]:
    return [(key, t(COLUMNS[key])) for key in keys]


def _kind_name(kind: str) -> str:
    from studyhub.i18n import get_language
    from studyhub.models.enums import STUDY_KINDS

    return STUDY_KINDS.get(kind, kind) if get_language() == "zh" else kind


def _status(exam: ExamEntry) -> str:
    if exam.exempt:
        return t("record.exam.exempt")
    if not exam.participated:
        return t("record.exam.absent")
    return t("record.exam.passed") if exam.passed else t("record.exam.failed")


def records_tables(records: Sequence[PersonRecord]) -> list[ReportTable]:
    """The tables of every record, one person after the other."""
    return [table for record in records for table in record_tables(record)]


def record_tables(record: PersonRecord) -> list[ReportTable]:
    """One person's year: a summary, postings, activities, online courses, laws, exams,
    every attempt, and practice. A part with nothing to show says so in a note."""
    who = t("record.who", name=record.name, staff_no=record.staff_no)
    department = record.department_name or record.department or "-"
    summary = [
        ("name", record.name),
        ("staff_no", record.staff_no),
        ("department", department),
        ("hours", record.hours),
        ("activity_hours", record.activity_hours),
        ("online_hours", record.online_hours),
        ("required_hours", record.required_hours),
        ("shortfall", record.shortfall),
        ("activities", len(record.activities)),
        ("laws", len(record.laws)),
        ("exams", sum(1 for e in record.exams if e.participated)),
        ("exams_passed", sum(1 for e in record.exams if e.passed)),
    ]
    tables = [
        ReportTable(
            title=t("record.title", who=who, year=record.year),
            columns=_columns("item", "value"),
            rows=[
                {"item": t(FIGURES[key]), "value": _figure(key, value)} for key, value in summary
            ],
            definitions={t(FIGURES["hours"]): t("record.def.hours")},
        ),
        ReportTable(
            title=t("record.postings", who=who),
            columns=_columns("department", "department_name", "from", "to"),
            rows=[
                {
                    "department": p.department,
                    "department_name": p.department_name,
                    "from": p.valid_from,
                    "to": p.valid_to or t("record.still"),
                }
                for p in record.postings
            ],
            notes=[] if record.postings else [t("record.none")],
        ),
        ReportTable(
            title=t("record.activities", who=who),
            columns=_columns("date", "kind", "title", "hours", "topics", "laws"),
            rows=[
                {
                    "date": a.held_on,
                    "kind": _kind_name(a.kind),
                    "title": a.title,
                    "hours": a.hours,
                    "topics": a.topics,
                    "laws": a.laws,
                }
                for a in record.activities
            ],
            kinds={"hours": "number"},
            total=_hours_total(record.activity_hours) if record.activities else None,
            notes=[] if record.activities else [t("record.none")],
        ),
        ReportTable(
            title=t("record.online", who=who),
            columns=_columns("date", "title", "hours"),
            rows=[
                {"date": a.completed_on or a.held_on, "title": a.title, "hours": a.hours}
                for a in record.online
            ],
            kinds={"hours": "number"},
            total=_hours_total(record.online_hours) if record.online else None,
            notes=[] if record.online else [t("record.none")],
        ),
        ReportTable(
            title=t("record.laws", who=who, count=len(record.laws)),
            columns=_columns("law", "activities"),
            rows=[{"law": law, "activities": n} for law, n in record.laws],
            kinds={"activities": "count"},
            notes=[] if record.laws else [t("record.none")],
        ),
        _exams_table(record, who),
        _attempts_table(record, who),
        _practice_table(record, who),
    ]
    return tables


def _figure(key: str, value: Any) -> Any:
    """Hours as the other tables write them (8, 2.5); anything else as it is."""
    from studyhub.reports.cells import cell_text

    if value is None or not key.endswith(("hours", "shortfall")):
        return value
    return cell_text(value, "number")


def _hours_total(hours: Any) -> dict[str, Any]:
    return {"date": t("report.total"), "hours": hours}


def _exams_table(record: PersonRecord, who: str) -> ReportTable:
    notes = [] if record.exams else [t("record.no_exams", year=record.year)]
    if any(e.provisional for e in record.exams):
        notes.append(t("record.provisional"))
    return ReportTable(
        title=t("record.exams", who=who, year=record.year),
        columns=_columns("exam", "exam_title", "status", "score", "points", "band", "reason"),
        rows=[
            {
                "exam": e.key,
                "exam_title": e.title,
                "status": _status(e),
                "score": e.score,
                "points": e.points,
                "band": e.band if e.participated else None,
                "reason": e.reason,
            }
            for e in record.exams
        ],
        definitions={"score": t("record.def.score"), "status": t("record.def.status")},
        kinds={"score": "score", "points": "points"},
        notes=notes,
    )


def _attempts_table(record: PersonRecord, who: str) -> ReportTable:
    rows = [
        {"exam": a.exam, "makeup": t("record.makeup") if a.makeup else "", "number": a.number,
         "date": a.submitted_on, "score": a.percent, "band": a.band,
         "imported": t("record.imported") if a.imported else ""}
        for e in record.exams
        for a in e.attempts
    ]  # fmt: skip
    return ReportTable(
        title=t("record.attempts", who=who),
        columns=_columns("exam", "makeup", "number", "date", "score", "band", "imported"),
        rows=rows,
        definitions={"makeup": t("record.def.makeup")},
        kinds={"number": "count", "score": "score"},
        notes=[] if rows else [t("record.none")],
    )


def _practice_table(record: PersonRecord, who: str) -> ReportTable:
    practice = record.practice
    weakest = [
        t("record.weak_topic", topic=name, entries=entries, wrong=wrong)
        for _, name, entries, wrong in practice.weakest
    ]
    rows = [
        {"item": t("record.fig.answered"), "value": practice.answered},
        {"item": t("record.fig.right"), "value": practice.right},
        {"item": t("record.fig.share_right"),
         "value": None if practice.share_right is None else f"{practice.share_right * 100:.2f}%"},
        {"item": t("record.fig.weakest"), "value": weakest or None},
    ]  # fmt: skip
    return ReportTable(
        title=t("record.practice", who=who, year=record.year),
        columns=_columns("item", "value"),
        rows=rows,
        definitions={t("record.fig.weakest"): t("record.def.practice")},
    )
