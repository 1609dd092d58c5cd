"""The annual summary: study totals, each exam's rates, the change on last year, and a draft
paragraph for the 法治政府建设情况报告 in which every number comes from those figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

from studyhub.reports.rates import RateRow, rate, rates

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.reports.table import ReportMeta

__all__ = ["AnnualSummary", "annual_summary"]

#: the kinds counted as 集中学习 (collective study sessions)
COLLECTIVE = ("party_group", "central_group", "staff_meeting")


@dataclass
class YearRates:
    required: int = 0
    participants: int = 0
    passed: int = 0

    @property
    def participation_rate(self) -> Decimal | None:
        return rate(self.participants, self.required)

    @property
    def pass_rate(self) -> Decimal | None:
        return rate(self.passed, self.participants)


@dataclass
class AnnualSummary:
    year: int
    study: dict[str, Any]
    outreach: dict[str, int]
    exams: list[RateRow]
    this_year: YearRates
    last_year: YearRates
    #: the figures the paragraph is written from (counts, hours, rates as fractions, changes
    #: in percentage points), by name
    figures: dict[str, Any] = field(default_factory=dict)
    #: the two most studied laws (short names), named in the paragraph
    top_laws: list[str] = field(default_factory=list)
    #: (topic key, topic name, seminars) most first
    seminar_topics: list[tuple[str, str, int]] = field(default_factory=list)
    #: (topic key, topic name) the year's exams tested and no activity of the year covered
    unstudied_topics: list[tuple[str, str]] = field(default_factory=list)
    required_hours: Decimal | None = None
    below_required: int = 0
    approximate: bool = False
    paragraph: str = ""
    #: each number of the paragraph: its text, the exact value and the figure it came from
    numbers: list[dict[str, Any]] = field(default_factory=list)
    next_steps: str | None = None
    next_numbers: list[dict[str, Any]] = field(default_factory=list)

    def paragraphs(self) -> list[str]:
        """The paragraph, and the next steps when they were asked for."""
        return [self.paragraph] + ([self.next_steps] if self.next_steps else [])

    def as_json(self) -> dict[str, Any]:
        data = {
            "year": self.year,
            "approximate": self.approximate,
            "paragraph": self.paragraph,
            "numbers": self.numbers,
            "figures": _plain(self.figures),
            "study": _plain(self.study),
            "outreach": _plain(self.outreach),
            "exams": [row.as_json() for row in self.exams],
        }
        if self.next_steps is not None:
            data |= {"next_steps": self.next_steps, "next_steps_numbers": self.next_numbers,
                     "gaps": _plain({
                         "required_hours": self.required_hours,
                         "below_required_hours": self.below_required,
                         "unstudied_topics": [
                             {"topic": key, "name": name} for key, name in self.unstudied_topics
                         ],
                     })}  # fmt: skip
        return data


def _plain(value: Any) -> Any:
    """``value`` for JSON, numbers as numbers (a Decimal as an int or a float)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _points(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """The change in percentage points (truncated to one decimal), or None."""
    if now is None or before is None:
        return None
    return ((now - before) * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def _year_rates(rows: list[RateRow]) -> YearRates:
    total = YearRates()
    for row in rows:
        total.required += row.required
        total.participants += row.participants
        total.passed += row.passed
    return total


def annual_summary(
    database: Database,
    year: int,
    *,
    approximate: bool = False,
    next_steps: bool = False,
    required_hours: Decimal | str | float | None = None,
) -> AnnualSummary:
    """Every figure of the year, and the paragraph written from them (numbers exact, or
    rounded down to 50余 style with ``approximate``); with ``next_steps``, the 下一步工作打算
    from the gaps the figures show (``required_hours``: the hours each person should have)."""
    from studyhub.errors import InputError
    from studyhub.i18n import msg
    from studyhub.reports.annual_text import Writer, draft_next_steps, draft_paragraph
    from studyhub.study.activities import law_titles, study_totals
    from studyhub.study.outreach import outreach_totals
    from studyhub.values import parse_hours, reason_of

    required: Decimal | None = None
    if required_hours is not None:
        try:
            required = parse_hours(required_hours)
        except ValueError as err:
            raise InputError(msg("required hours: {detail}", detail=reason_of(err))) from None
    study = study_totals(database, year)
    outreach = outreach_totals(database, year)
    exams = rates(database, year=year)
    before = rates(database, year=year - 1)
    summary = AnnualSummary(year, study, outreach, exams, _year_rates(exams), _year_rates(before))
    summary.approximate = approximate
    summary.required_hours = required
    laws = sorted(law_titles(database, year=year), key=lambda r: (-r["activities"], r["law"]))
    summary.top_laws = [row["law"] for row in laws[:2]]  # ties by code point on any database
    extra = _study_extra(database, year, required)
    summary.seminar_topics = extra["seminar_topics"]
    summary.below_required = extra["below"]
    summary.figures = _figures(summary, extra)
    writer = Writer(approximate=approximate)
    summary.paragraph = draft_paragraph(summary, writer)
    summary.numbers = writer.numbers
    if next_steps:
        tested = rates(database, year=year, by="topic")
        seen: dict[str, str] = {}
        for row in tested:
            if row.participants and row.group not in extra["studied_topics"]:
                seen.setdefault(row.group, row.group_name)
        summary.unstudied_topics = sorted(seen.items())
        writer = Writer()
        summary.next_steps = draft_next_steps(summary, writer)
        summary.next_numbers = writer.numbers
    return summary


def _study_extra(database: Database, year: int, required: Decimal | None) -> dict[str, Any]:
    """What study_totals does not give: the topics of the seminars with their names and the
    number of seminars with no topic, the topics any activity of the year covered, and how
    many people are below ``required`` hours."""
    import sqlalchemy as sa

    from studyhub.models import ActivityTopic, StudyActivity, Topic
    from studyhub.reports.study import hours_stats_query
    from studyhub.study.activities import year_range

    in_year = StudyActivity.held_on.between(*year_range(year))
    with database.session(readonly=True) as session:
        seminar_topics = session.execute(
            sa.select(Topic.key, Topic.name, sa.func.count())
            .join(ActivityTopic, ActivityTopic.topic_id == Topic.id)
            .join(StudyActivity, StudyActivity.id == ActivityTopic.activity_id)
            .where(in_year, StudyActivity.kind == "seminar")
            .group_by(Topic.key, Topic.name)
            .order_by(sa.func.count().desc(), Topic.key)
        ).all()  # fmt: skip
        without_topic = session.scalar(
            sa.select(sa.func.count()).select_from(StudyActivity).where(
                in_year, StudyActivity.kind == "seminar",
                ~sa.exists().where(ActivityTopic.activity_id == StudyActivity.id),
            )
        )  # fmt: skip
        studied = set(session.scalars(
            sa.select(Topic.key).distinct()
            .join(ActivityTopic, ActivityTopic.topic_id == Topic.id)
            .join(StudyActivity, StudyActivity.id == ActivityTopic.activity_id).where(in_year)
        ))  # fmt: skip
        below = 0
        if required is not None:
            row = session.execute(hours_stats_query(year, below_cents=int(required * 100))).one()
            below = int(row.below or 0)
    return {
        "seminar_topics": [(key, name, n) for key, name, n in seminar_topics],
        "seminars_without_topic": without_topic or 0,
        "studied_topics": studied,
        "below": below,
    }


def _figures(summary: AnnualSummary, extra: dict[str, Any]) -> dict[str, Any]:
    study = summary.study
    by_kind = study.get("by_kind", {})

    def kind(name: str, what: str = "activities") -> Any:
        return by_kind.get(name, {}).get(what) or 0

    return {
        "collective_sessions": sum(kind(k) for k in COLLECTIVE),
        "collective_hours": sum((Decimal(kind(k, "hours")) for k in COLLECTIVE), Decimal(0)),
        "lectures": kind("lecture"),
        "seminars": kind("seminar"),
        "seminars_without_topic": extra["seminars_without_topic"],
        "seminars_by_topic": {key: n for key, _, n in summary.seminar_topics},
        "online_courses": kind("online_course"),
        "laws": study.get("laws", 0),
        "attendance": study.get("attendance", 0),
        "people": study.get("people", 0),
        "person_hours": study.get("person_hours", Decimal(0)),
        "outreach_events": summary.outreach.get("events", 0),
        "materials": summary.outreach.get("materials", 0),
        "consultations": summary.outreach.get("consultations", 0),
        "outreach_participants": summary.outreach.get("participants", 0),
        "exams": len(summary.exams),
        "required": summary.this_year.required,
        "participants": summary.this_year.participants,
        "passed": summary.this_year.passed,
        "participation_rate": summary.this_year.participation_rate,
        "pass_rate": summary.this_year.pass_rate,
        "participation_change": _points(summary.this_year.participation_rate,
                                        summary.last_year.participation_rate),
        "pass_change": _points(summary.this_year.pass_rate, summary.last_year.pass_rate),
    }  # fmt: skip


def render_annual(summary: AnnualSummary, fmt: str, meta: ReportMeta | None = None) -> bytes:
    """The summary as Markdown, JSON or a Word document laid out as an official document
    (:mod:`studyhub.reports.docx_writer`): the title, the as-of and source lines (``meta``),
    the paragraph, the next steps when asked for, each exam's figures, the definitions."""
    if fmt == "json":
        import json

        return (json.dumps(summary.as_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    from studyhub.i18n import t
    from studyhub.reports.export import render_tables
    from studyhub.reports.views import rates_table

    tables = [rates_table(summary.exams)] if summary.exams else []
    title = t("rates.annual", year=summary.year)
    if fmt == "docx":
        from studyhub.reports.docx_writer import Heading, render_docx

        paragraphs: list[Any] = [Heading(t("rates.annual.paragraph"), 1), summary.paragraph]
        if summary.next_steps is not None:
            paragraphs += [Heading(t("annual.next.heading"), 1), summary.next_steps]
        return render_docx(tables, meta, title=title, paragraphs=paragraphs)
    text = f"# {title}\n\n"
    if meta is not None and meta.lines():
        text += "\n".join(f"{line}  " for line in meta.lines()).rstrip() + "\n\n"
    text += f"## {t('rates.annual.paragraph')}\n\n{summary.paragraph}\n\n"
    if summary.next_steps is not None:
        text += f"## {t('annual.next.heading')}\n\n{summary.next_steps}\n\n"
    if tables:
        body = render_tables(tables, "md").decode("utf-8")
        text += body.split("\n", 2)[2] if body.startswith("# ") else body  # no second title
    return text.encode("utf-8")
