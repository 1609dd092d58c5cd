"""Item analysis of an exam, with the definitions of Moodle's quiz statistics.

For each question version shown (over each person's first submitted attempt, or every
submitted attempt), with ``x`` the score on the item and ``r`` the score on the rest of the
paper (the attempt's score minus ``x``):

* facility index = mean(x) / points, as a percentage;
* discrimination index = 100 × correlation(x, r);
* discriminative efficiency = 100 × cov(x, r) / the largest covariance possible with the same
  two distributions (both sorted ascending and paired in order, as Moodle computes it).

For the paper: the number of attempts, mean, standard deviation (n-1) and Cronbach's alpha
(only when every attempt had the same questions). Questions with a negative discrimination
index or a facility above 95% or below 20% are marked for review.

SQL does the aggregation: per question version, one GROUP BY gives n, Σx, Σx², Σr, Σr², Σxr
and Σ points, and a join of the two rankings (window functions) gives Σ x₍ᵢ₎r₍ᵢ₎ for the
largest covariance. Scores are summed as integer hundredths; the formulas then run here on
exact fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from studyhub.i18n import get_language, t
from studyhub.reports.table import ReportTable

if TYPE_CHECKING:
    from sqlalchemy import Select

    from studyhub.db import Database

__all__ = [
    "ItemStats",
    "PaperStats",
    "attempts_query",
    "item_aggregates_query",
    "item_analysis",
    "item_report",
    "paper_aggregates_query",
]

TYPE_NAMES = {"single": "单选", "multiple": "多选", "judge": "判断", "fill": "填空"}
FACILITY_HIGH = 95
FACILITY_LOW = 20
STEM_WIDTH = 40


def _cents(column: Any) -> Any:
    """A Hundredths column as its stored integer (NULL as 0), widened for products."""
    import sqlalchemy as sa

    return sa.cast(sa.type_coerce(sa.func.coalesce(column, 0), sa.Integer), sa.BigInteger)


# --- queries -----------------------------------------------------------------------------------


def attempts_query(exam_id: int, *, all_attempts: bool = False) -> Select[Any]:
    """Ids of the attempts analysed: each person's first submitted attempt at the exam, or
    every submitted attempt. An attempt with no answer saved is left out when the person has
    one with answers (the rule the figures follow)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    empty = sa.case((Attempt.answered == 0, 1), else_=0)
    ranked = (
        sa.select(
            Attempt.id,
            empty.label("empty"),
            sa.func.min(empty).over(partition_by=Attempt.staff_id).label("all_empty"),
            sa.func.row_number()
            .over(partition_by=Attempt.staff_id, order_by=(empty, Attempt.number))
            .label("rn"),
        )
        .where(Attempt.exam_id == exam_id, Attempt.status == "submitted")
        .subquery("analysed")
    )
    if all_attempts:
        return sa.select(ranked.c.id).where(sa.or_(ranked.c.empty == 0, ranked.c.all_empty == 1))
    return sa.select(ranked.c.id).where(ranked.c.rn == 1)


def _attempt_totals(exam_id: int, all_attempts: bool) -> Any:
    import sqlalchemy as sa

    from studyhub.models import AttemptItem

    return (
        sa.select(
            AttemptItem.attempt_id,
            sa.func.sum(_cents(AttemptItem.awarded)).label("total"),
            sa.func.sum(_cents(AttemptItem.points)).label("max_total"),
            sa.func.count().label("n_items"),
        )
        .where(AttemptItem.attempt_id.in_(attempts_query(exam_id, all_attempts=all_attempts)))
        .group_by(AttemptItem.attempt_id)
        .subquery("totals")
    )


def item_aggregates_query(exam_id: int, *, all_attempts: bool = False) -> Select[Any]:
    """Per question version: question id, version, type, stem, first position shown, and
    (in hundredths) n, Σx, Σx², Σr, Σr², Σxr, Σ points and Σ of the sorted pairs."""
    import sqlalchemy as sa

    from studyhub.models import AttemptItem, Question, QuestionVersion

    totals = _attempt_totals(exam_id, all_attempts)
    x = _cents(AttemptItem.awarded)
    scored = (
        sa.select(
            AttemptItem.question_version_id.label("qv"),
            AttemptItem.position,
            x.label("x"),
            _cents(AttemptItem.points).label("p"),
            (totals.c.total - x).label("r"),
        )
        .join(totals, totals.c.attempt_id == AttemptItem.attempt_id)
        .subquery("scored")
    )
    by_x = sa.select(
        scored.c.qv, scored.c.x,
        sa.func.row_number().over(partition_by=scored.c.qv, order_by=scored.c.x).label("rank"),
    ).subquery("by_x")  # fmt: skip
    by_r = sa.select(
        scored.c.qv, scored.c.r,
        sa.func.row_number().over(partition_by=scored.c.qv, order_by=scored.c.r).label("rank"),
    ).subquery("by_r")  # fmt: skip
    sorted_pairs = (
        sa.select(by_x.c.qv, sa.func.sum(by_x.c.x * by_r.c.r).label("sxr_max"))
        .join(by_r, sa.and_(by_r.c.qv == by_x.c.qv, by_r.c.rank == by_x.c.rank))
        .group_by(by_x.c.qv)
        .subquery("sorted_pairs")
    )
    sums = (
        sa.select(
            scored.c.qv,
            sa.func.min(scored.c.position).label("position"),
            sa.func.count().label("n"),
            sa.func.sum(scored.c.x).label("sx"),
            sa.func.sum(scored.c.x * scored.c.x).label("sxx"),
            sa.func.sum(scored.c.r).label("sr"),
            sa.func.sum(scored.c.r * scored.c.r).label("srr"),
            sa.func.sum(scored.c.x * scored.c.r).label("sxr"),
            sa.func.sum(scored.c.p).label("sp"),
        )
        .group_by(scored.c.qv)
        .subquery("sums")
    )
    return (
        sa.select(
            Question.external_id, QuestionVersion.version, QuestionVersion.type,
            QuestionVersion.stem, sums, sorted_pairs.c.sxr_max,
        )
        .join(QuestionVersion, QuestionVersion.id == sums.c.qv)
        .join(Question, Question.id == QuestionVersion.question_id)
        .join(sorted_pairs, sorted_pairs.c.qv == sums.c.qv)
        .order_by(sums.c.position, Question.external_id, QuestionVersion.version)
    )  # fmt: skip


def paper_aggregates_query(exam_id: int, *, all_attempts: bool = False) -> Select[Any]:
    """Over the attempts analysed (hundredths): N, Σ total, Σ total², Σ maximum, the fewest
    and most items on a paper, and the number of distinct question versions shown."""
    import sqlalchemy as sa

    from studyhub.models import AttemptItem

    totals = _attempt_totals(exam_id, all_attempts)
    versions = (
        sa.select(sa.func.count(AttemptItem.question_version_id.distinct()))
        .where(AttemptItem.attempt_id.in_(sa.select(totals.c.attempt_id)))
        .scalar_subquery()
    )
    return sa.select(
        sa.func.count().label("n"),
        sa.func.sum(totals.c.total).label("st"),
        sa.func.sum(totals.c.total * totals.c.total).label("stt"),
        sa.func.sum(totals.c.max_total).label("smax"),
        sa.func.min(totals.c.n_items).label("min_items"),
        sa.func.max(totals.c.n_items).label("max_items"),
        versions.label("versions"),
    )


# --- formulas ----------------------------------------------------------------------------------


@dataclass
class ItemStats:
    question: str
    version: int
    qtype: str
    stem: str
    position: int
    attempts: int
    points: Decimal
    #: percentages / indexes, None when undefined (no variance)
    facility: Decimal | None
    discrimination: Decimal | None
    efficiency: Decimal | None
    flags: list[str]
    #: Σ(x - mean)² in hundredths², for alpha
    sum_squares: Fraction


@dataclass
class PaperStats:
    attempts: int
    questions: int
    max_score: Decimal | None
    mean: Decimal | None
    sd: Decimal | None
    alpha: Decimal | None
    fixed_paper: bool


def _round(value: Fraction | float, places: str = "0.01") -> Decimal:
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(repr(value))
    return exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _item(row: Any) -> ItemStats:
    n = int(row.n)
    sx, sxx, sr, srr, sxr = (int(v or 0) for v in (row.sx, row.sxx, row.sr, row.srr, row.sxr))
    sp, sxr_max = int(row.sp or 0), int(row.sxr_max or 0)
    ss_x = Fraction(sxx) - Fraction(sx * sx, n)
    ss_r = Fraction(srr) - Fraction(sr * sr, n)
    sp_xr = Fraction(sxr) - Fraction(sx * sr, n)
    sp_max = Fraction(sxr_max) - Fraction(sx * sr, n)
    facility = Fraction(100 * sx, sp) if sp else None
    discrimination = None
    if ss_x > 0 and ss_r > 0:
        discrimination = _round(100 * float(sp_xr) / math.sqrt(float(ss_x) * float(ss_r)))
    efficiency = _round(100 * sp_xr / sp_max) if sp_max > 0 else None
    flags = []
    if discrimination is not None and sp_xr < 0:
        flags.append("negative")
    if facility is not None and facility > FACILITY_HIGH:
        flags.append("easy")
    if facility is not None and facility < FACILITY_LOW:
        flags.append("hard")
    stem = " ".join(str(row.stem).split())
    return ItemStats(
        question=row.external_id, version=row.version, qtype=row.type, stem=stem,
        position=int(row.position), attempts=n,
        points=_round(Fraction(sp, 100 * n)) if n else Decimal(0),
        facility=_round(facility) if facility is not None else None,
        discrimination=discrimination, efficiency=efficiency, flags=flags, sum_squares=ss_x,
    )  # fmt: skip


def _paper(row: Any, items: list[ItemStats]) -> PaperStats:
    n = int(row.n or 0)
    if not n:
        return PaperStats(0, 0, None, None, None, None, False)
    st, stt, smax = int(row.st or 0), int(row.stt or 0), int(row.smax or 0)
    ss_t = Fraction(stt) - Fraction(st * st, n)
    k = int(row.versions or 0)
    fixed = int(row.min_items) == int(row.max_items) == k and all(i.attempts == n for i in items)
    alpha = None
    if fixed and k > 1 and ss_t > 0:
        alpha = _round(
            Fraction(k, k - 1) * (1 - sum((i.sum_squares for i in items), Fraction(0)) / ss_t),
            "0.0001",
        )
    sd = _round(math.sqrt(float(ss_t / (n - 1))) / 100) if n > 1 else None
    return PaperStats(
        attempts=n, questions=k, max_score=_round(Fraction(smax, 100 * n)),
        mean=_round(Fraction(st, 100 * n)), sd=sd, alpha=alpha, fixed_paper=fixed,
    )  # fmt: skip


def item_analysis(
    database: Database, exam_key: str, *, all_attempts: bool = False
) -> tuple[Any, PaperStats, list[ItemStats]]:
    """The exam, the paper's statistics and each question version's."""
    from studyhub.exams.definitions import exam_by_key

    with database.session(readonly=True) as session:
        exam = exam_by_key(session, exam_key)
        session.expunge(exam)
        rows = session.execute(item_aggregates_query(exam.id, all_attempts=all_attempts)).all()
        paper_row = session.execute(
            paper_aggregates_query(exam.id, all_attempts=all_attempts)
        ).one()
    items = [_item(row) for row in rows]
    return exam, _paper(paper_row, items), items


# --- the report --------------------------------------------------------------------------------


def _short(text: str, width: int = STEM_WIDTH) -> str:
    from studyhub.render import shorten

    return shorten(text, width)


def item_report(
    database: Database, exam_key: str, *, all_attempts: bool = False
) -> list[ReportTable]:
    """The item analysis of an exam as two tables: the paper, then one row per question
    version shown."""
    exam, paper, items = item_analysis(database, exam_key, all_attempts=all_attempts)

    def c(key: str) -> tuple[str, str]:
        return key, t(f"report.items.col.{key}")

    paper_table = ReportTable(
        title=t("report.items.paper", key=exam.key, title=exam.title),
        columns=[
            c("attempts_used"),
            c("attempts"),
            c("questions"),
            c("max_score"),
            c("mean"),
            c("sd"),
            c("alpha"),
        ],
        rows=[
            {
                "attempts_used": t("report.items.all") if all_attempts else t("report.items.first"),
                "attempts": paper.attempts,
                "questions": paper.questions,
                "max_score": paper.max_score,
                "mean": paper.mean,
                "sd": paper.sd,
                "alpha": paper.alpha if paper.alpha is not None else "-",
            }
        ],
        definitions={
            "attempts": t("report.items.def.attempts"),
            "sd": t("report.items.def.sd"),
            "alpha": t("report.items.def.alpha"),
        },
        notes=[] if paper.fixed_paper or not paper.attempts else [t("report.items.random_paper")],
    )
    zh = get_language() == "zh"
    question_table = ReportTable(
        title=t("report.items.questions", key=exam.key, title=exam.title),
        columns=[
            c("question"),
            c("version"),
            c("type"),
            c("stem"),
            c("points"),
            c("attempts"),
            c("facility"),
            c("discrimination"),
            c("efficiency"),
            c("review"),
        ],
        rows=[
            {
                "question": i.question,
                "version": i.version,
                "type": TYPE_NAMES.get(i.qtype, i.qtype) if zh else i.qtype,
                "stem": _short(i.stem),
                "points": i.points,
                "attempts": i.attempts,
                "facility": i.facility if i.facility is not None else "-",
                "discrimination": i.discrimination if i.discrimination is not None else "-",
                "efficiency": i.efficiency if i.efficiency is not None else "-",
                "review": "；".join(t(f"report.items.flag.{f}") for f in i.flags),
            }
            for i in items
        ],
        definitions={
            "facility": t("report.items.def.facility"),
            "discrimination": t("report.items.def.discrimination"),
            "efficiency": t("report.items.def.efficiency"),
            "review": t("report.items.def.review"),
        },
    )
    return [paper_table, question_table]
