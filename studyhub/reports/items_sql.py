"""The queries behind the item analysis (:mod:`studyhub.reports.items`).

Which attempts are analysed follows Moodle's statistics report
(mod/quiz/report/statistics/statisticslib.php, quiz_statistics_attempts_sql, with the
conditions of mod/quiz/report/reportlib.php, quiz_report_grade_method_sql): per person the
first, the highest-scoring (the earliest of equal scores) or the last submitted attempt, or
every one. Only attempts with item data count: a result imported from elsewhere has a score
and no questions, and is left out (and counted, to say so). An attempt submitted with no
answer saved is left out when the person has one with answers (README, "The figures").

SQL does the aggregation: per question version one GROUP BY gives n, Σx, Σx², Σr, Σr², Σxr
and Σ points (``x`` the item's score, ``r`` the rest of the attempt's), and a join of the two
rankings (window functions) gives Σ x₍ᵢ₎r₍ᵢ₎ for the largest covariance. Scores are integer
hundredths. The attempts' totals (for the median and the higher moments) and the responses
(for the option shares: JSON answers and normalised blanks, which no portable SQL reads)
are fetched once, row by row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Select

__all__ = [
    "ATTEMPT_CHOICES",
    "attempt_totals_query",
    "attempts_query",
    "item_aggregates_query",
    "paper_aggregates_query",
    "responses_query",
    "without_items_query",
]

#: which attempts ``report items --attempts`` analyses
ATTEMPT_CHOICES = ("first", "highest", "last", "all")


def _cents(column: Any) -> Any:
    """A Hundredths column as its stored integer (NULL as 0), widened for products."""
    import sqlalchemy as sa

    return sa.cast(sa.type_coerce(sa.func.coalesce(column, 0), sa.Integer), sa.BigInteger)


def _has_items() -> Any:
    import sqlalchemy as sa

    from studyhub.models import Attempt, AttemptItem

    return sa.exists(sa.select(AttemptItem.id).where(AttemptItem.attempt_id == Attempt.id))


def attempts_query(exam_id: int, method: str = "first") -> Select[Any]:
    """Ids of the attempts analysed: per person the ``method`` one (first, highest, last) of
    the submitted attempts with item data, or ``all`` of them."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    if method not in ATTEMPT_CHOICES:
        raise ValueError(f"unknown attempts {method!r}")
    empty = sa.case((Attempt.answered == 0, 1), else_=0)
    order = {
        "first": (empty, Attempt.number),
        "last": (empty, Attempt.number.desc()),
        # Moodle: no other attempt scores more, nor the same with a lower number
        "highest": (empty, _cents(Attempt.score).desc(), Attempt.number),
        "all": (empty, Attempt.number),
    }[method]
    ranked = (
        sa.select(
            Attempt.id,
            empty.label("empty"),
            sa.func.min(empty).over(partition_by=Attempt.staff_id).label("all_empty"),
            sa.func.row_number().over(partition_by=Attempt.staff_id, order_by=order).label("rn"),
        )
        .where(Attempt.exam_id == exam_id, Attempt.status == "submitted", _has_items())
        .subquery("analysed")
    )
    if method == "all":
        return sa.select(ranked.c.id).where(sa.or_(ranked.c.empty == 0, ranked.c.all_empty == 1))
    return sa.select(ranked.c.id).where(ranked.c.rn == 1)


def without_items_query(exam_id: int) -> Select[Any]:
    """The number of submitted attempts with no item data (imported results)."""
    import sqlalchemy as sa

    from studyhub.models import Attempt

    return sa.select(sa.func.count()).where(
        Attempt.exam_id == exam_id, Attempt.status == "submitted", ~_has_items()
    )


def _attempt_totals(exam_id: int, method: str) -> Any:
    import sqlalchemy as sa

    from studyhub.models import AttemptItem

    return (
        sa.select(
            AttemptItem.attempt_id,
            sa.func.sum(_cents(AttemptItem.awarded)).label("total"),
            sa.func.sum(_cents(AttemptItem.points)).label("max_total"),
            sa.func.count().label("n_items"),
        )
        .where(AttemptItem.attempt_id.in_(attempts_query(exam_id, method)))
        .group_by(AttemptItem.attempt_id)
        .subquery("totals")
    )


def item_aggregates_query(exam_id: int, method: str = "first") -> Select[Any]:
    """Per question version: question id, version, type, stem, options, key, first position
    shown, and (in hundredths) n, Σx, Σx², Σr, Σr², Σxr, Σ points and Σ of the sorted pairs."""
    import sqlalchemy as sa

    from studyhub.models import AttemptItem, Question, QuestionVersion

    totals = _attempt_totals(exam_id, method)
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
            QuestionVersion.stem, QuestionVersion.options, QuestionVersion.answer, sums,
            sorted_pairs.c.sxr_max,
        )
        .join(QuestionVersion, QuestionVersion.id == sums.c.qv)
        .join(Question, Question.id == QuestionVersion.question_id)
        .join(sorted_pairs, sorted_pairs.c.qv == sums.c.qv)
        .order_by(sums.c.position, Question.external_id, QuestionVersion.version)
    )  # fmt: skip


def paper_aggregates_query(exam_id: int, method: str = "first") -> Select[Any]:
    """Over the attempts analysed (hundredths): N, Σ total, Σ total², Σ maximum, the fewest
    and most items on a paper, and the number of distinct question versions shown."""
    import sqlalchemy as sa

    from studyhub.models import AttemptItem

    totals = _attempt_totals(exam_id, method)
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


def attempt_totals_query(exam_id: int, method: str = "first") -> Select[Any]:
    """Each analysed attempt's total (hundredths), lowest first (for the median and the
    third and fourth moments)."""
    import sqlalchemy as sa

    totals = _attempt_totals(exam_id, method)
    return sa.select(totals.c.total).order_by(totals.c.total, totals.c.attempt_id)


def responses_query(exam_id: int, method: str = "first") -> Select[Any]:
    """Each analysed item: question version, response, points awarded and whether its
    attempt is in the top third of the attempts analysed (NTILE(3) by the share of the
    paper's points scored, highest first, ties by attempt id)."""
    import sqlalchemy as sa

    from studyhub.models import AttemptItem

    totals = _attempt_totals(exam_id, method)
    share = sa.case(
        (totals.c.max_total > 0, sa.cast(totals.c.total, sa.Float) / totals.c.max_total),
        else_=0.0,
    )
    thirds = sa.select(
        totals.c.attempt_id,
        sa.func.ntile(3).over(order_by=(share.desc(), totals.c.attempt_id)).label("third"),
    ).subquery("thirds")
    return (
        sa.select(
            AttemptItem.question_version_id.label("qv"),
            AttemptItem.response,
            _cents(AttemptItem.awarded).label("x"),
            _cents(AttemptItem.points).label("p"),
            (thirds.c.third == 1).label("top"),
        )
        .join(thirds, thirds.c.attempt_id == AttemptItem.attempt_id)
        .order_by(AttemptItem.question_version_id, AttemptItem.attempt_id)
    )
