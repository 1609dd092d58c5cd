"""The words of ``report annual``: the paragraph on learning and testing for the annual
法治政府建设情况报告, and the 下一步工作打算 drawn from the gaps the figures show.

Every number written goes through :meth:`Writer.number`, which records the figure it came
from (its name and exact value) next to the text shown, so the JSON output and the tests can
trace each number of the paragraph back to study_totals, outreach_totals and rates. A part
whose figure is 0 (or missing) is left out: the paragraph never says "集中学习0次".

Numbers are exact by default. With ``approximate`` the study and outreach quantities of 20 or
more are written as reports round them: cut down to their two leading digits and marked 余
("56" -> "50余", "195" -> "190余", "2345" -> "2300余"); a number already on that grid stays as it
is ("2000"). Exam head counts, rates and changes in points are always exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from studyhub.i18n import N_, get_language, t, tn

#: a :class:`studyhub.reports.annual.AnnualSummary` (not imported: annual imports this module)
AnnualSummary = Any

__all__ = ["Writer", "approximate", "draft_next_steps", "draft_paragraph", "plain_number"]

#: below this a number is always written exactly
APPROXIMATE_FROM = 20


def approximate(value: int | Decimal) -> tuple[int | Decimal, bool]:
    """``value`` cut down to its two leading digits (of its whole part) when it is 20 or more,
    and whether that lost anything (the text then says 余 / "over")."""
    if value < APPROXIMATE_FROM:
        return value, False
    whole = int(value)
    step = 10 ** (len(str(whole)) - 2)
    shown = whole // step * step
    return shown, Decimal(shown) < Decimal(value)


def plain_number(value: int | Decimal) -> str:
    """An exact number as reports write it: ``440.50`` -> ``440.5``, ``6.00`` -> ``6``."""
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def percent(value: Decimal) -> str:
    """A rate (a fraction) as a percent truncated to one decimal, without a trailing .0:
    ``1`` -> ``100%``, ``0.9655`` -> ``96.5%``."""
    shown = (value * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return plain_number(shown) + "%"


@dataclass
class Writer:
    """Writes numbers into sentences and keeps, for each, the figure it came from."""

    approximate: bool = False
    numbers: list[dict[str, Any]] = field(default_factory=list)
    #: whether a sentence has begun (the first names the year and the unit)
    begun: bool = False

    def number(self, value: int | Decimal, figure: str, *, exact: bool = False) -> str:
        text = plain_number(value)
        if self.approximate and not exact:
            shown, cut = approximate(value)
            text = t("annual.approx", num=plain_number(shown)) if cut else plain_number(shown)
        self.numbers.append({"text": text, "value": _json_number(value), "figure": figure})
        return text

    def rate(self, value: Decimal, *figures: str) -> str:
        text = percent(value)
        self.numbers.append({"text": text, "value": _json_number(value), "figure": figures[0]}
                            | ({"figures": list(figures)} if len(figures) > 1 else {}))  # fmt: skip
        return text

    def points(self, change: Decimal, figure: str) -> str:
        """A change in percentage points, in words (提高/下降 X 个百分点, 持平)."""
        if change == 0:
            self.numbers.append({"text": "", "value": 0.0, "figure": figure})
            return t("annual.change.same")
        text = plain_number(abs(change))
        self.numbers.append({"text": text, "value": _json_number(change), "figure": figure})
        if change > 0:
            return t("annual.change.up", points=text)
        return t("annual.change.down", points=text)


def _json_number(value: int | Decimal) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _join(items: list[str], separator: str | None = None) -> str:
    """``items`` joined by ``separator`` (default: the list separator, 、 or a comma)."""
    return (t("annual.sep.list") if separator is None else separator).join(items)


def _sentences(bodies: list[str]) -> str:
    sentences = [t("annual.sentence", body=body) for body in bodies]
    return ("" if get_language() == "zh" else " ").join(sentences)


# --- the paragraph ------------------------------------------------------------------------------


def draft_paragraph(summary: AnnualSummary, writer: Writer) -> str:
    """The paragraph of ``summary``'s year; a sentence saying there is nothing to report
    when the year has no study, exam or outreach figures."""
    bodies = [
        body
        for body in (_study(summary, writer), _exams(summary, writer), _outreach(summary, writer))
        if body
    ]
    if not bodies:
        return t("annual.nothing", year=writer.number(summary.year, "year", exact=True))
    return _sentences(bodies)


def _lead(summary: AnnualSummary, writer: Writer) -> str:
    if not writer.begun:
        writer.begun = True
        return t("annual.lead.first", year=writer.number(summary.year, "year", exact=True))
    return t("annual.lead.next")


#: the study figures the first sentence is written from
STUDY_FIGURES = ("collective_sessions", "lectures", "seminars", "laws", "online_courses",
                 "attendance")  # fmt: skip


def _study(summary: AnnualSummary, w: Writer) -> str:
    f = summary.figures
    if not any(f[figure] for figure in STUDY_FIGURES):
        return ""
    lead = _lead(summary, w)
    parts = []
    if f["collective_sessions"]:
        n = w.number(f["collective_sessions"], "collective_sessions")
        hours = w.number(f["collective_hours"], "collective_hours")
        parts.append(tn("held {num} collective study session ({hours} h)",
                        "held {num} collective study sessions ({hours} h)",
                        f["collective_sessions"], num=n, hours=hours))  # fmt: skip
    if f["lectures"]:
        n = w.number(f["lectures"], "lectures")
        parts.append(tn("held {num} lecture", "held {num} lectures", f["lectures"], num=n))
    if f["seminars"]:
        parts.append(_seminars(summary, w))
    if f["laws"]:
        names = _join([f"《{name}》" for name in summary.top_laws[:2]])
        n = w.number(f["laws"], "laws")
        if f["laws"] > 2:
            parts.append(t("annual.laws.many", num=n, names=names))
        else:
            parts.append(tn("studied {num} law or regulation ({names})",
                            "studied {num} laws and regulations ({names})",
                            f["laws"], num=n, names=names))  # fmt: skip
    if f["online_courses"]:
        n = w.number(f["online_courses"], "online_courses")
        parts.append(tn("offered {num} online course", "offered {num} online courses",
                        f["online_courses"], num=n))  # fmt: skip
    if f["attendance"]:
        people = w.number(f["people"], "people")
        n = w.number(f["attendance"], "attendance")
        hours = w.number(f["person_hours"], "person_hours")
        parts.append(tn("{people} staff attended {num} time in all, {hours} person-hours",
                        "{people} staff attended {num} times in all, {hours} person-hours",
                        f["attendance"], people=people, num=n, hours=hours))  # fmt: skip
    return t("annual.clause", lead=lead, body=_join(parts, t("annual.sep.part")))


def _seminars(summary: AnnualSummary, w: Writer) -> str:
    f = summary.figures
    topics = summary.seminar_topics  # [(key, name, count)] most first
    if topics and not f["seminars_without_topic"] and sum(n for *_, n in topics) == f["seminars"]:
        # each seminar has exactly one topic: 专题研讨习近平法治思想2次、民法典1次
        items = [
            t("annual.seminars.topic", topic=name, num=w.number(n, f"seminars.{key}"))
            for key, name, n in topics
        ]
        return t("annual.seminars.by_topic", topics=_join(items))
    n = w.number(f["seminars"], "seminars")
    if not topics:
        return tn("held {num} seminar", "held {num} seminars", f["seminars"], num=n)
    items = [
        t("annual.seminars.topic", topic=name, num=w.number(count, f"seminars.{key}"))
        for key, name, count in topics
    ]
    return tn("held {num} seminar (among them {topics})",
              "held {num} seminars (among them {topics})",
              f["seminars"], num=n, topics=_join(items))  # fmt: skip


def _exam_figures(row: Any, w: Writer, prefix: str) -> str:
    text = t(
        "annual.exam.counts",
        required=w.number(row.required, f"{prefix}.required", exact=True),
        participants=w.number(row.participants, f"{prefix}.participants", exact=True),
        passed=w.number(row.passed, f"{prefix}.passed", exact=True),
    )
    # an exam still open: its figures are provisional, and the paragraph says so
    still = t("annual.exam.provisional") if getattr(row, "provisional", False) else ""
    joined = row.participation_rate, row.pass_rate
    if joined == (Decimal(1), Decimal(1)):
        both = w.rate(Decimal(1), f"{prefix}.participation_rate", f"{prefix}.pass_rate")
        return text + t("annual.sep.part") + t("annual.exam.both", rate=both) + still
    parts = [t("annual.exam.participation",
               rate=w.rate(row.participation_rate, f"{prefix}.participation_rate"))]  # fmt: skip
    if row.pass_rate is not None:
        parts.append(t("annual.exam.pass", rate=w.rate(row.pass_rate, f"{prefix}.pass_rate")))
    return _join([text, *parts], t("annual.sep.part")) + still


def _exams(summary: AnnualSummary, w: Writer) -> str:
    exams = [row for row in summary.exams if row.required]
    if not exams:
        return ""
    lead = _lead(summary, w)
    if len(exams) == 1:
        [row] = exams
        body = t("annual.exam.one", title=f"《{row.title or row.exam}》",
                 figures=_exam_figures(row, w, f"exams.{row.exam}"))  # fmt: skip
    else:
        count = w.number(len(exams), "exams", exact=True)
        items = [
            t("annual.exam.item", title=f"《{row.title or row.exam}》",
              figures=_exam_figures(row, w, f"exams.{row.exam}"))
            for row in exams
        ]  # fmt: skip
        listed = _join(items, t("annual.sep.clause"))
        body = tn("had its staff sit {num} exam: {items}", "had its staff sit {num} exams: {items}",
                  len(exams), num=count, items=listed)  # fmt: skip
    changes = []
    for key, figure in ((N_("annual.change.participation"), "participation_change"),
                        (N_("annual.change.pass"), "pass_change")):  # fmt: skip
        change = summary.figures.get(figure)
        if change is not None:
            changes.append(t(key, said=w.points(change, figure)))
    if changes:
        changes_text = _join(changes, t("annual.sep.part"))
        body += t("annual.sep.part") + t("annual.change.year", changes=changes_text)
    return t("annual.clause", lead=lead, body=body)


def _outreach(summary: AnnualSummary, w: Writer) -> str:
    f = summary.figures
    if not f["outreach_events"]:
        return ""
    lead = _lead(summary, w)
    n = w.number(f["outreach_events"], "outreach_events")
    parts = [tn("held {num} legal-awareness event", "held {num} legal-awareness events",
                f["outreach_events"], num=n)]  # fmt: skip
    if f["materials"]:
        n = w.number(f["materials"], "materials")
        parts.append(tn("handed out {num} copy of materials",
                        "handed out {num} copies of materials", f["materials"], num=n))  # fmt: skip
    if f["consultations"]:
        n = w.number(f["consultations"], "consultations")
        parts.append(tn("answered {num} legal consultation", "answered {num} legal consultations",
                        f["consultations"], num=n))  # fmt: skip
    if f["outreach_participants"]:
        n = w.number(f["outreach_participants"], "outreach_participants")
        parts.append(tn("reached {num} person", "reached {num} people",
                        f["outreach_participants"], num=n))  # fmt: skip
    return t("annual.clause", lead=lead, body=_join(parts, t("annual.sep.part")))


# --- 下一步工作打算 ------------------------------------------------------------------------


def draft_next_steps(summary: AnnualSummary, writer: Writer) -> str:
    """What to do next, one clause per gap the figures show: people who did not sit or did
    not pass each exam, people below the required hours (when given), topics the exams
    tested that nobody studied in the year, and rates that fell on the year before."""
    f = summary.figures
    w = writer
    items = []
    for row in summary.exams:
        prefix = f"exams.{row.exam}"
        title = f"《{row.title or row.exam}》"
        absent = row.required - row.participants
        if absent > 0:
            n = w.number(absent, f"{prefix}.absent", exact=True)
            items.append(tn("see that the {num} person who did not sit {title} takes the resit",
                            "see that the {num} people who did not sit {title} take the resit",
                            absent, num=n, title=title))  # fmt: skip
        failed = row.participants - row.passed
        if failed > 0:
            n = w.number(failed, f"{prefix}.failed", exact=True)
            items.append(tn("help the {num} person who failed {title} to study and resit it",
                            "help the {num} people who failed {title} to study and resit it",
                            failed, num=n, title=title))  # fmt: skip
    if summary.below_required:
        hours = w.number(summary.required_hours, "required_hours", exact=True)
        n = w.number(summary.below_required, "below_required_hours", exact=True)
        items.append(tn("see that the {num} person below {hours} study hours makes up the hours",
                        "see that the {num} people below {hours} study hours make up the hours",
                        summary.below_required, num=n, hours=hours))  # fmt: skip
    if summary.unstudied_topics:
        names = _join([name for _, name in summary.unstudied_topics])
        items.append(t("annual.next.topics", topics=names))
    for key, figure in ((N_("annual.next.fell.participation"), "participation_change"),
                        (N_("annual.next.fell.pass"), "pass_change")):  # fmt: skip
        change = f.get(figure)
        if change is not None and change < 0:
            items.append(t(key, points=w.number(-change, figure, exact=True)))
    if not items:
        if not any(b for b in (summary.exams, f["attendance"], f["outreach_events"])):
            return t("annual.next.no_data")
        return t("annual.next.none")
    return t("annual.next.body", items=_join(items, t("annual.sep.clause")))
