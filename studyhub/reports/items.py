"""Item analysis of an exam: Moodle's quiz statistics report, and a little beyond.

Which attempts: per person the first, the highest-scoring, the last, or all of them (by
default the exam's grading method decides, as in Moodle: ``average`` analyses all); only
attempts with item data count, so an imported outside result is left out, and said to be.
The queries are in :mod:`studyhub.reports.items_sql`, the formulas (Moodle's, with the files
they come from) in :mod:`studyhub.reports.item_stats`, the tables in
:mod:`studyhub.reports.items_tables`.

For the paper: the attempts, mean, median, SD, skewness, kurtosis, CIC (Cronbach's α as a
percentage), error ratio and standard error, each only where Moodle computes it (s > 1,
s > 2, s > 3; CIC only when every attempt had the same questions). Per question version:
facility, SD, intended and effective weight, discrimination index and discriminative
efficiency; the share of the attempts choosing each option (and the top third's count), the
most common wrong answers to each blank of a 填空; and why a question is to be reviewed.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from studyhub.reports.item_stats import (
    FACILITY_HIGH,
    FACILITY_LOW,
    ItemStats,
    PaperStats,
    effective_weights,
    item_figures,
    response_analysis,
    round_figure,
    test_statistics,
)
from studyhub.reports.items_sql import (
    ATTEMPT_CHOICES,
    attempt_totals_query,
    item_aggregates_query,
    paper_aggregates_query,
    responses_query,
    without_items_query,
)

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.reports.table import ReportTable

__all__ = [
    "ATTEMPT_CHOICES",
    "GRADING_ATTEMPTS",
    "ItemStats",
    "PaperStats",
    "attempts_for",
    "item_analysis",
    "item_report",
]

#: the attempts analysed by default, by the exam's grading method (Moodle's choice)
GRADING_ATTEMPTS = {"first": "first", "highest": "highest", "last": "last", "average": "all"}


def attempts_for(grading: str, attempts: str | None = None) -> str:
    """The attempts analysed: ``attempts`` when given, else by the grading method."""
    if attempts is not None:
        if attempts not in ATTEMPT_CHOICES:
            raise ValueError(f"unknown attempts {attempts!r}")
        return attempts
    return GRADING_ATTEMPTS.get(grading, "all")


def _review(figures: ItemStats) -> list[tuple[str, dict[str, Any]]]:
    reasons: list[tuple[str, dict[str, Any]]] = []
    if figures.discrimination is not None and figures.discrimination < 0:
        reasons.append(("negative", {"value": figures.discrimination}))
    if figures.facility is not None and figures.facility > FACILITY_HIGH:
        reasons.append(("easy", {"value": figures.facility, "limit": FACILITY_HIGH}))
    if figures.facility is not None and figures.facility < FACILITY_LOW:
        reasons.append(("hard", {"value": figures.facility, "limit": FACILITY_LOW}))
    return reasons


def item_analysis(
    database: Database, exam_key: str, *, attempts: str | None = None,
    all_attempts: bool = False,
) -> tuple[Any, PaperStats, list[ItemStats]]:  # fmt: skip
    """The exam, the paper's statistics and each question version's. ``attempts``: first,
    highest, last or all (default: by the exam's grading method); ``all_attempts`` is the
    older spelling of ``attempts="all"``."""
    from studyhub.exams.definitions import exam_by_key

    if all_attempts:
        attempts = attempts or "all"
    with database.session(readonly=True) as session:
        exam = exam_by_key(session, exam_key)
        session.expunge(exam)
        method = attempts_for(exam.grading, attempts)
        rows = session.execute(item_aggregates_query(exam.id, method)).all()
        paper_row = session.execute(paper_aggregates_query(exam.id, method)).one()
        totals = [Fraction(int(t or 0), 100) for t in
                  session.scalars(attempt_totals_query(exam.id, method))]  # fmt: skip
        answers: dict[int, list[tuple[Any, bool]]] = defaultdict(list)
        for answer in session.execute(responses_query(exam.id, method)):
            answers[answer.qv].append((answer.response, bool(answer.top)))
        left_out = int(session.scalar(without_items_query(exam.id)) or 0)
    n = int(paper_row.n or 0)
    paper_points = Fraction(int(paper_row.smax or 0), n) if n else None
    items = []
    for row in rows:
        figures = item_figures(row, paper_points)
        stats = ItemStats(
            question=row.external_id, version=row.version, qtype=row.type,
            stem=" ".join(str(row.stem).split()), position=int(row.position),
            attempts=figures.s, points=figures.points, facility=figures.facility,
            sd=figures.sd, intended_weight=figures.intended_weight, effective_weight=None,
            discrimination=figures.discrimination, efficiency=figures.efficiency,
            sum_squares=figures.sum_squares,
        )  # fmt: skip
        stats.responses, flagged = response_analysis(
            row.type, list(row.options or []), row.answer, answers.get(row.qv, [])
        )
        stats.reasons = _review(stats) + flagged
        items.append((stats, figures))
    versions = int(paper_row.versions or 0)
    fixed = (
        bool(n)
        and int(paper_row.min_items) == int(paper_row.max_items) == versions
        and all(i.attempts == n for i, _ in items)
    )
    if fixed:
        for (stats, _), weight in zip(items, effective_weights([f for _, f in items]),
                                      strict=True):  # fmt: skip
            stats.effective_weight = weight
    variance = None
    if fixed and n > 1:
        variance = sum((i.sum_squares / (n - 1) for i, _ in items), Fraction(0)) / 10000
    paper = PaperStats(
        **vars(test_statistics(totals, versions, variance)), method=method, left_out=left_out,
        questions=versions, fixed_paper=fixed, default_method=attempts is None,
        max_score=round_figure(paper_points / 100) if paper_points is not None else None,
    )  # fmt: skip
    return exam, paper, [stats for stats, _ in items]


def item_report(
    database: Database, exam_key: str, *, attempts: str | None = None,
    all_attempts: bool = False,
) -> list[ReportTable]:  # fmt: skip
    """The item analysis of an exam as tables: the paper, the questions, the options chosen
    and the questions to review (see :mod:`studyhub.reports.items_tables`)."""
    from studyhub.reports.items_tables import item_tables

    exam, paper, items = item_analysis(
        database, exam_key, attempts=attempts, all_attempts=all_attempts
    )
    return item_tables(exam, paper, items)
