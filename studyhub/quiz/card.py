"""What a taker sees around the questions: the start page of an exam (before an attempt is
started, nothing is started by a stray key) and the answer card (答题卡), a grid of question
numbers marked answered, unanswered and flagged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from studyhub.i18n import t
from studyhub.labels import label
from studyhub.quiz.render import format_points, key_value_lines

if TYPE_CHECKING:
    from studyhub.exams.attempts import AttemptView
    from studyhub.exams.definitions import ExamInfo
    from studyhub.exams.limits import Limits
    from studyhub.exams.menu import OpenExam

__all__ = [
    "CARD_COLUMNS",
    "card_lines",
    "grid",
    "grid_lines",
    "parse_card_choice",
    "start_page_lines",
]

#: question numbers per row of the answer card
CARD_COLUMNS = 10
#: the marks of the answer card: answered, unanswered, flagged
ANSWERED, UNANSWERED, FLAGGED = "●", "○", "⚑"


def _local(moment: object) -> str:
    from studyhub.timeutil import to_local

    return to_local(moment).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]


def _window(opens: object, closes: object) -> str:
    if opens is None and closes is None:
        return t("quiz.start.always")
    if closes is None:
        return t("quiz.start.from", opens=_local(opens))
    if opens is None:
        return t("quiz.start.until", closes=_local(closes))
    return t("quiz.start.window_value", opens=_local(opens), closes=_local(closes))


def start_page_lines(info: ExamInfo, entry: OpenExam, limits: Limits | None = None) -> list[str]:
    """Everything to know before starting: questions and points, time limit and what
    happens at time-out, the window, attempts used and left, grading, pass mark, bands;
    with ``limits`` the person's own window, attempts and time limit (an override), marked
    as theirs."""
    minutes = limits.time_limit_minutes if limits is not None else info.time_limit_minutes
    opens, closes = (
        (limits.opens, limits.closes) if limits is not None else (info.opens, info.closes)
    )
    allowed = limits.attempts_allowed if limits is not None else entry.attempts_allowed
    left = limits.attempts_left if limits is not None else entry.attempts_left
    own = limits.own if limits is not None else frozenset()
    mine = t("quiz.start.own")
    limit = t("quiz.start.limit", minutes=minutes) if minutes else t("quiz.start.unlimited")
    if left is None:
        attempts = t("quiz.start.attempts_unlimited", used=entry.used)
    else:
        attempts = t("quiz.start.attempts", used=entry.used, left=left, allowed=allowed)
    bands = "，".join(f"{name} ≥{format_points(floor)}%" for name, floor in info.bands)
    rows = [
        (t("quiz.start.questions"),
         t("quiz.start.questions_value", questions=info.questions,
           points=format_points(info.total_points))),
        (t("quiz.start.time_limit"), limit + (mine if "time_limit" in own else "")),
        (t("quiz.start.window"),
         _window(opens, closes) + (mine if {"opens", "closes"} & own else "")),
        (t("quiz.start.attempts_label"), attempts + (mine if "attempts" in own else "")),
        (t("quiz.start.grading"), str(label(info.grading))),
        (t("quiz.start.pass_mark"), f"{format_points(info.pass_mark)}%"),
    ]  # fmt: skip
    if bands:
        rows.append((t("quiz.start.bands"), bands))
    lines = ["", t("quiz.start.title", title=info.title, key=info.key)]
    lines += ["  " + line for line in key_value_lines(rows)]
    lines.append(t("quiz.start.timeout") if minutes else t("quiz.start.closing"))
    return lines


def card_lines(view: AttemptView, flagged: Sequence[int], current: int | None = None) -> list[str]:
    """The answer card of an attempt (see :func:`grid_lines`)."""
    return grid_lines([(item.position, item.answered) for item in view.items], flagged, current)


def grid_lines(
    items: Sequence[tuple[int, bool]], flagged: Sequence[int], current: int | None = None
) -> list[str]:
    """The answer card: every question number (with whether it is answered) and its mark,
    the current question in brackets, then the legend and the counts."""
    flagged_set = set(flagged)
    cells = [
        (position, FLAGGED if position in flagged_set else (ANSWERED if answered else UNANSWERED))
        for position, answered in items
    ]
    legend = t("quiz.card.legend", answered=ANSWERED, unanswered=UNANSWERED, flagged=FLAGGED)
    counts = t("quiz.card.counts", answered=sum(answered for _, answered in items),
               total=len(items), flagged=len(flagged_set))  # fmt: skip
    return [t("quiz.card.title"), *grid(cells, current), legend, counts]


def grid(cells: Sequence[tuple[int, str]], current: int | None = None) -> list[str]:
    """Question numbers with their marks, CARD_COLUMNS to a row, the current one in
    brackets: the grid of the exam's answer card and of the review's."""
    shown = []
    for position, mark in cells:
        cell = f"{position:>3}{mark}"
        shown.append(f"[{cell}] " if position == current else f" {cell}  ")
    return [
        "".join(shown[i : i + CARD_COLUMNS]).rstrip() for i in range(0, len(shown), CARD_COLUMNS)
    ]


def parse_card_choice(text: str, total: int) -> int | None:
    """The question number typed at the card (1..total), or None (an empty line: back)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= total:
        raise ValueError(text)
    return int(text)
