"""Text of the quiz: headers, menu rows, summaries and results (no terminal control).

Columns holding Chinese text are aligned by display width (a Chinese character takes two
columns) through :mod:`studyhub.render`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.i18n import t
from studyhub.render import display_width, key_value_lines, pad

if TYPE_CHECKING:
    from studyhub.exams.attempts import AttemptView
    from studyhub.exams.menu import OpenExam

__all__ = [
    "format_points",
    "format_time_left",
    "intro_line",
    "menu_labels",
    "question_header",
    "response_text",
    "summary_lines",
]

LETTERS = "ABCDEFGH"


def format_points(value: Decimal) -> str:
    """``2`` for 2.00, ``1.5`` for 1.50."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_time_left(left: dt.timedelta | None) -> str:
    """``41:12`` (minutes:seconds, up to 99 minutes), ``2:05:00`` beyond; empty without a
    deadline."""
    if left is None:
        return ""
    seconds = max(0, int(left.total_seconds()))
    if seconds >= 100 * 60:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def question_header(
    number: int, total: int, qtype: str, points: Decimal, left: dt.timedelta | None,
    flagged: bool = False,
) -> str:  # fmt: skip
    """``第 3/50 题 · 多选 · 2 分 · 剩余 41:12``."""
    text = t("quiz.header", n=number, total=total, type=t(f"quiz.type.{qtype}"),
             points=format_points(points))  # fmt: skip
    if left is not None:
        text += " · " + t("quiz.header_time", time=format_time_left(left))
    if flagged:
        text += " · " + t("quiz.header_flag")
    return text


def intro_line(view: AttemptView) -> str:
    limit = ""
    if view.deadline is not None:
        minutes = -(-int((view.deadline - view.started_at).total_seconds()) // 60)
        limit = t("quiz.intro_limit", minutes=minutes)
    return t("quiz.intro", title=view.exam_title, questions=len(view.items),
             points=format_points(view.total_points), limit=limit, number=view.number)  # fmt: skip


def menu_labels(exams: Sequence[OpenExam]) -> list[str]:
    """One aligned line per exam: title, attempts left (or resume), best score."""
    if not exams:
        return []
    titles = [f"{e.title}（{e.key}）" for e in exams]
    statuses = []
    for e in exams:
        if e.open_attempt_id is not None:
            statuses.append(t("quiz.menu.resume"))
        elif e.attempts_left is None:
            statuses.append(t("quiz.menu.unlimited"))
        elif e.attempts_left == 0:
            statuses.append(t("quiz.menu.none_left"))
        else:
            statuses.append(t("quiz.menu.left", count=e.attempts_left))
    from studyhub.reports.cells import points_and_percent

    bests = [
        t("quiz.menu.best", score=points_and_percent(e.best_score, e.best_percent))
        if e.best_score is not None
        else t("quiz.menu.no_score")
        for e in exams
    ]
    title_width = max(display_width(x) for x in titles)
    status_width = max(display_width(x) for x in statuses)
    return [
        f"{pad(title, title_width)}  {pad(status, status_width)}  {best}"
        for title, status, best in zip(titles, statuses, bests, strict=True)
    ]


def _numbers(positions: Sequence[int]) -> str:
    shown = ", ".join(str(p) for p in positions[:20])
    return shown + (" …" if len(positions) > 20 else "")


def summary_lines(
    view: AttemptView, flagged: Sequence[int], left: dt.timedelta | None
) -> list[str]:
    """Answered, unanswered and flagged counts (with question numbers) before submitting."""
    unanswered = [i.position for i in view.items if not i.answered]
    rows: list[tuple[str, str]] = [
        (t("quiz.summary.answered"), f"{view.answered}/{len(view.items)}"),
        (t("quiz.summary.unanswered"), _with_numbers(unanswered)),
        (t("quiz.summary.flagged"), _with_numbers(sorted(flagged))),
    ]
    if left is not None:
        rows.append((t("quiz.summary.time"), format_time_left(left)))
    return [t("quiz.summary"), *("  " + line for line in key_value_lines(rows))]


def _with_numbers(positions: Sequence[int]) -> str:
    if not positions:
        return "0"
    questions = t("quiz.summary.questions", numbers=_numbers(positions))
    return f"{len(positions)}（{questions}）"


def response_text(qtype: str, options: Sequence[str], response: Any) -> str:
    """An answer in shown terms as the taker reads it: ``B. 乙``, ``正确``, ``甲；乙``."""
    if response is None:
        return t("quiz.review.none")
    if qtype in ("single", "multiple"):
        return "；".join(f"{LETTERS[i]}. {options[i]}" for i in response if 0 <= i < len(options))
    if qtype == "judge":
        return t("quiz.true") if response else t("quiz.false")
    if isinstance(response, str):
        return response
    parts = []
    for part in response:
        # a key lists the accepted answers of each blank
        parts.append(" / ".join(part) if isinstance(part, list) else str(part))
    return "；".join(parts)
