"""The annual summary: study totals, each exam's rates, the change on last year, and a draft
paragraph for the 法治政府建设情况报告 in which every number comes from those figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

from studyhub.reports.rates import RateRow, percent_text, rate, rates

if TYPE_CHECKING:
    from studyhub.db import Database

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
    paragraph: str = ""
    figures: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return {
            "year": self.year,
            "study": plain(self.study),
            "outreach": plain(self.outreach),
            "exams": [row.as_json() for row in self.exams],
            "figures": plain(self.figures),
            "paragraph": self.paragraph,
        }


def _points(now: Decimal | None, before: Decimal | None) -> str | None:
    """The change in percentage points (truncated to one decimal), or None."""
    if now is None or before is None:
        return None
    change = ((now - before) * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return f"{change:+}"


def _year_rates(rows: list[RateRow]) -> YearRates:
    total = YearRates()
    for row in rows:
        total.required += row.required
        total.participants += row.participants
        total.passed += row.passed
    return total


def annual_summary(database: Database, year: int) -> AnnualSummary:
    """Every figure of the year, and the paragraph written from them."""
    from studyhub.study.activities import study_totals
    from studyhub.study.outreach import outreach_totals

    study = study_totals(database, year)
    outreach = outreach_totals(database, year)
    exams = rates(database, year=year)
    before = rates(database, year=year - 1)
    summary = AnnualSummary(year, study, outreach, exams, _year_rates(exams), _year_rates(before))
    _write(summary)
    return summary


def _write(summary: AnnualSummary) -> None:
    study = summary.study
    by_kind = study.get("by_kind", {})
    collective = sum(by_kind.get(kind, {}).get("activities", 0) for kind in COLLECTIVE)
    seminars = sum(study.get("seminars_by_topic", {}).values())
    xi_seminars = study.get("seminars_by_topic", {}).get("xi-rule-of-law", 0)
    lectures = by_kind.get("lecture", {}).get("activities", 0)
    online = by_kind.get("online_course", {}).get("activities", 0)
    figures: dict[str, Any] = {
        "collective_sessions": collective,
        "lectures": lectures,
        "seminars": seminars,
        "xi_seminars": xi_seminars,
        "online_courses": online,
        "laws": study.get("laws", 0),
        "people": study.get("people", 0),
        "person_hours": study.get("person_hours", Decimal(0)),
        "outreach_events": summary.outreach.get("events", 0),
        "materials": summary.outreach.get("materials", 0),
        "consultations": summary.outreach.get("consultations", 0),
        "required": summary.this_year.required,
        "participants": summary.this_year.participants,
        "passed": summary.this_year.passed,
        "participation_rate": percent_text(summary.this_year.participation_rate),
        "pass_rate": percent_text(summary.this_year.pass_rate),
        "participation_change": _points(summary.this_year.participation_rate,
                                        summary.last_year.participation_rate),
        "pass_change": _points(summary.this_year.pass_rate, summary.last_year.pass_rate),
    }  # fmt: skip
    summary.figures = figures
    year = summary.year
    parts = [
        f"{year}年，本单位共组织集中学习{collective}次，开展专题讲座{lectures}次，"
        f"专题研讨{seminars}次"
        + (f"（其中专题研讨习近平法治思想{xi_seminars}次）" if xi_seminars else "")
        + f"，学习法律法规{figures['laws']}部"
        + (f"，组织网络课程学习{online}门" if online else "")
        + f"，累计{figures['people']}人参加学习，共计{figures['person_hours']}学时。"
    ]
    if figures["outreach_events"]:
        parts.append(
            f"开展普法宣传活动{figures['outreach_events']}次，发放宣传资料{figures['materials']}份，"
            f"接受群众法律咨询{figures['consultations']}人次。"
        )
    if summary.exams:
        names = "、".join(f"《{row.title or row.exam}》" for row in summary.exams)
        sentence = (
            f"组织干部职工参加学法考试（{names}），应参考{figures['required']}人，"
            f"实际参考{figures['participants']}人，及格{figures['passed']}人，"
            f"参考率{figures['participation_rate']}，及格率{figures['pass_rate']}"
        )
        changes = []
        if figures["participation_change"] is not None:
            changes.append(f"参考率{_said(figures['participation_change'])}")
        if figures["pass_change"] is not None:
            changes.append(f"及格率{_said(figures['pass_change'])}")
        if changes:
            sentence += "，与上年相比" + "，".join(changes)
        parts.append(sentence + "。")
    summary.paragraph = "".join(parts)


def _said(change: str) -> str:
    value = Decimal(change)
    if value > 0:
        return f"提高{value}个百分点"
    if value < 0:
        return f"下降{-value}个百分点"
    return "持平"


def render_annual(summary: AnnualSummary, fmt: str) -> bytes:
    """The summary as Markdown, JSON or a Word document."""
    if fmt == "json":
        import json

        return (json.dumps(summary.as_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    from studyhub.i18n import t
    from studyhub.reports.export import render_tables
    from studyhub.reports.views import rates_table

    tables = [rates_table(summary.exams)]
    if fmt == "docx":
        return _docx(summary, tables)
    body = render_tables(tables, "md").decode("utf-8")
    text = (
        f"# {t('rates.annual', year=summary.year)}\n\n"
        f"## {t('rates.annual.paragraph')}\n\n{summary.paragraph}\n\n{body}"
    )
    return text.encode("utf-8")


def _docx(summary: AnnualSummary, tables: list[Any]) -> bytes:
    import io

    import docx

    from studyhub.i18n import t

    document = docx.Document()
    document.add_heading(t("rates.annual", year=summary.year), level=1)
    document.add_heading(t("rates.annual.paragraph"), level=2)
    document.add_paragraph(summary.paragraph)
    for table in tables:
        document.add_heading(table.title, level=2)
        grid = document.add_table(rows=1, cols=len(table.columns))
        for cell, (_, heading) in zip(grid.rows[0].cells, table.columns, strict=True):
            cell.text = heading
        for row in table.shown_rows():
            cells = grid.add_row().cells
            for cell, (key, _) in zip(cells, table.columns, strict=True):
                cell.text = "" if row.get(key) is None else str(row.get(key))
        for heading, words in table.definition_lines():
            document.add_paragraph(f"{heading}：{words}", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
