"""One person's review of one attempt as a report table (``studyhub report review``), for
printing or filing: the same review the person sees (the exam's review setting decides what
it holds), with the options in the order they were shown and the 解析's option letters
rewritten to that order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from studyhub.i18n import N_, t
from studyhub.reports.table import ReportTable

if TYPE_CHECKING:
    from studyhub.exams.views import AttemptResult

__all__ = ["REVIEW_KEYS", "review_table"]

#: the columns: key -> heading
REVIEW_COLUMNS = {
    "position": N_("review.col.position"), "type": N_("review.col.type"),
    "stem": N_("review.col.stem"), "options": N_("review.col.options"),
    "response": N_("review.col.response"), "key": N_("review.col.key"),
    "outcome": N_("review.col.outcome"), "awarded": N_("review.col.awarded"),
    "points": N_("review.col.points"), "explanation": N_("review.col.explanation"),
    "source": N_("review.col.source"),
}  # fmt: skip
REVIEW_KEYS = tuple(REVIEW_COLUMNS)
OUTCOMES = {"right": N_("review.right"), "partly": N_("review.partly"),
            "wrong": N_("review.wrong")}  # fmt: skip
#: what the review holds, by the exam's review setting
LEVELS = {"score": N_("review.export.level_score"), "wrong": N_("review.export.level_wrong"),
          "full": N_("review.export.level_full")}  # fmt: skip
LETTERS = "ABCDEFGH"


def review_table(result: AttemptResult, staff_no: str) -> ReportTable:
    from studyhub.quiz.render import format_points, response_text

    rows = []
    for item in result.items:
        outcome = "right" if item.correct else ("partly" if item.awarded > 0 else "wrong")
        rows.append({
            "position": item.position,
            "type": t(f"quiz.type.{item.type}"),
            "stem": item.stem,
            "options": "\n".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(item.options)),
            "response": response_text(item.type, item.options, item.response),
            "key": "" if item.key is None else response_text(item.type, item.options, item.key),
            "outcome": t(OUTCOMES[outcome]),
            "awarded": format_points(item.awarded),
            "points": format_points(item.points),
            "explanation": item.explanation or "",
            "source": item.source or "",
        })  # fmt: skip
    passed = t("quiz.result.passed") if result.passed else t("quiz.result.failed")
    notes = [
        t("review.export.score", score=format_points(result.score),
          total=format_points(result.max_score), percent=format_points(result.percent),
          band=result.band or t("quiz.result.no_band"), outcome=passed),
        t(LEVELS[result.review]),
    ]  # fmt: skip
    return ReportTable(
        t("review.export.title", exam=result.exam_key, staff_no=staff_no, number=result.number),
        [(key, t(heading)) for key, heading in REVIEW_COLUMNS.items()],
        rows,
        {"list": t("review.export.definition")},
        notes,
    )
