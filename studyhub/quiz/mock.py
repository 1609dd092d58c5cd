"""A mock exam (模拟考试) in the terminal: a start page that states the rules and that it
counts nowhere, the questions as in an exam (← back, → skip, f flag) against the exam's
time limit, a summary before handing in, then the score, the band and the review of every
question not fully right. Nothing is written until it is handed in (see
:mod:`studyhub.practice.mock`); leaving before that records nothing at all.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from studyhub.exams.attempts import ItemView
from studyhub.i18n import t
from studyhub.quiz import render
from studyhub.quiz.feedback import Articles, answer_lines, show_lines
from studyhub.quiz.prompter import Nav, Prompter, QuestionPrompt
from studyhub.render import key_value_lines

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.practice import MockPaper, MockResult

__all__ = ["MockSession"]


class MockSession:
    """The mock exam flow; ``clock`` (seconds, monotonic) is replaceable for tests."""

    def __init__(
        self,
        database: Database,
        prompter: Prompter,
        staff_no: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.database = database
        self.prompter = prompter
        self.staff_no = staff_no
        self.clock = clock

    def run(self, exam_key: str, *, seed: int | None = None) -> MockResult | None:
        """Sit a mock of ``exam_key``: its result, or None when it was not handed in."""
        from studyhub.practice import draw_mock, grade_mock

        paper = draw_mock(self.database, self.staff_no, exam_key, seed=seed)
        for line in self._start_page(paper):
            self.prompter.show(line)
        try:
            if not self.prompter.confirm(t("mock.start"), default=False):
                self.prompter.show(t("mock.not_started"))
                return None
        except KeyboardInterrupt:
            self.prompter.show(t("mock.not_started"))
            return None
        deadline = None
        if paper.time_limit is not None:
            deadline = self.clock() + paper.time_limit.total_seconds()
        responses = self._sit(paper, deadline)
        if responses is None:
            self.prompter.show(t("mock.left"))
            return None
        result = grade_mock(self.database, self.staff_no, paper, responses)
        self._show_result(paper, result)
        return result

    def _start_page(self, paper: MockPaper) -> list[str]:
        rows = [
            (t("mock.page.questions"), str(len(paper.items))),
            (t("mock.page.points"), render.format_points(paper.total)),
            (
                t("mock.page.time"),
                t("mock.page.minutes", minutes=_minutes(paper.time_limit))
                if paper.time_limit
                else t("mock.page.no_limit"),
            ),
            (t("mock.page.pass"), f"{render.format_points(paper.pass_mark)}%"),
        ]
        if paper.bands:
            bands = "，".join(f"{name} ≥ {render.format_points(low)}%" for name, low in paper.bands)
            rows.append((t("mock.page.bands"), bands))
        return [
            t("mock.page.title", title=paper.title, exam=paper.exam_key),
            *("  " + line for line in key_value_lines(rows)),
            t("mock.page.counts_nowhere"),
        ]

    def _left(self, deadline: float | None) -> dt.timedelta | None:
        if deadline is None:
            return None
        return dt.timedelta(seconds=max(0.0, deadline - self.clock()))

    def _sit(self, paper: MockPaper, deadline: float | None) -> dict[int, Any] | None:
        """The answers by position, when handed in or when time is up; None when left.
        A question gone back to from the summary leads back to the summary."""
        responses: dict[int, Any] = {}
        flagged: set[int] = set()
        position = 0
        checking = False  # gone back from the summary
        while True:
            if deadline is not None and self.clock() >= deadline:
                self.prompter.show(t("mock.time_up"))
                return responses
            try:
                if position >= len(paper.items):
                    position = self._summary(paper, responses, flagged, deadline)
                    if position < 0:
                        return responses
                    checking = True
                    continue
                reply = self._ask(paper, position, responses.get(position), flagged, deadline)
            except KeyboardInterrupt:
                if self._leave():
                    return None
                continue
            if reply is Nav.TIMEUP or (deadline is not None and self.clock() >= deadline):
                continue  # time is up: an answer given late is not kept
            if reply is Nav.CARD:
                position = self._card(paper, responses, flagged, position)
            elif reply is Nav.BACK:
                position = max(0, position - 1)
            elif reply is Nav.FLAG:
                flagged.symmetric_difference_update({position})
            else:
                if reply is not Nav.SKIP:
                    responses[position] = reply
                position = len(paper.items) if checking else position + 1

    def _ask(self, paper: MockPaper, position: int, saved: Any, flagged: set[int],
             deadline: float | None) -> Any:  # fmt: skip
        item = paper.items[position]
        points = paper.points[position]
        mark = position in flagged
        view = ItemView(position + 1, item.type, item.stem, item.options, points,
                        response=saved, flagged=mark)  # fmt: skip
        header = render.question_header(position + 1, len(paper.items), item.type, points,
                                        self._left(deadline), mark)  # fmt: skip
        prompt = QuestionPrompt(t("mock.header", header=header), view, flagged=mark,
                                time_left=lambda: self._left(deadline),
                                timed=deadline is not None)  # fmt: skip
        return self.prompter.ask_question(prompt)

    @staticmethod
    def _card_lines(paper: MockPaper, responses: dict[int, Any], flagged: set[int],
                    current: int | None = None) -> list[str]:  # fmt: skip
        from studyhub.quiz.card import grid_lines

        items = [(n + 1, n in responses) for n in range(len(paper.items))]
        return grid_lines(items, sorted(n + 1 for n in flagged),
                          None if current is None else current + 1)  # fmt: skip

    def _card(self, paper: MockPaper, responses: dict[int, Any], flagged: set[int],
              position: int) -> int:  # fmt: skip
        """The answer card, as in an exam: the position of the number typed (Enter: stay)."""
        from studyhub.quiz.card import parse_card_choice

        total = len(paper.items)
        current = position if position < total else None
        for line in self._card_lines(paper, responses, flagged, current):
            self.prompter.show(line)
        while True:
            text = self.prompter.ask_text(t("quiz.card.ask", total=total))
            try:
                number = parse_card_choice(str(text), total)
            except ValueError:
                self.prompter.show(t("quiz.card.bad", total=total))
                continue
            return position if number is None else number - 1

    def _leave(self) -> bool:
        try:
            return self.prompter.confirm(t("mock.leave"), default=False)
        except KeyboardInterrupt:
            return True

    def _summary(
        self, paper: MockPaper, responses: dict[int, Any], flagged: set[int], deadline: float | None
    ) -> int:
        """The summary before handing in: -1 to hand in, else the position to go back to."""
        total = len(paper.items)
        unanswered = [n for n in range(total) if n not in responses]
        rows = [
            (t("quiz.summary.answered"), f"{len(responses)}/{total}"),
            (t("quiz.summary.unanswered"), _numbers(unanswered)),
            (t("quiz.summary.flagged"), _numbers(sorted(flagged))),
        ]
        left = self._left(deadline)
        if left is not None:
            rows.append((t("quiz.summary.time"), render.format_time_left(left)))
        self.prompter.show(t("quiz.summary"))
        for line in key_value_lines(rows):
            self.prompter.show("  " + line)
        for line in self._card_lines(paper, responses, flagged):
            self.prompter.show(line)
        back = min([*unanswered, *flagged], default=0)
        choices = [
            (t("mock.hand_in"), -1),
            (t("mock.back_to", n=back + 1), back),
            (t("quiz.goto_card"), -2),
        ]
        step = self.prompter.select_menu(t("mock.summary_menu"), choices, default=-1)
        if step == -2:
            return self._card(paper, responses, flagged, total)
        self.prompter.discard_typeahead()
        if step < 0 and self.prompter.confirm(t("mock.hand_in_confirm"), default=False):
            return -1
        return back if step >= 0 else total

    def _show_result(self, paper: MockPaper, result: MockResult) -> None:
        outcome = t("quiz.result.passed") if result.passed else t("quiz.result.failed")
        rows = [
            (
                t("quiz.result.score"),
                f"{render.format_points(result.score)}/{render.format_points(result.max_score)}",
            ),
            (t("quiz.result.percent"), f"{render.format_points(result.percent)}%"),
            (t("quiz.result.band"), result.band or t("quiz.result.no_band")),
            (t("quiz.result.outcome"), outcome),
        ]
        self.prompter.show(t("mock.result", title=paper.title))
        for line in key_value_lines(rows):
            self.prompter.show("  " + line)
        self.prompter.show(t("mock.counted_nowhere", book=result.into_book))
        wrong = [item for item in result.items if not item.correct]
        if not wrong:
            self.prompter.show(t("quiz.review.all_right"))
            return
        self.prompter.show("")
        self.prompter.show(t("mock.review"))
        articles = Articles(self.database)
        for review in wrong:
            self.prompter.show("")
            self.prompter.show(
                t(
                    "quiz.review.item",
                    n=review.position,
                    type=t(f"quiz.type.{review.item.type}"),
                    mark="✗",
                    awarded=render.format_points(review.awarded),
                    points=render.format_points(review.points),
                )
            )
            self.prompter.show(review.item.stem)
            show_lines(
                self.prompter,
                answer_lines(
                    review.item.type,
                    review.item.options,
                    review.response,
                    review.key,
                    correct=False,
                    explanation=review.explanation,
                    source=review.source,
                    articles=articles,
                    version_id=review.item.version_id,
                ),
            )


def _minutes(limit: dt.timedelta | None) -> int:
    return -(-int(limit.total_seconds()) // 60) if limit else 0


def _numbers(positions: list[int]) -> str:
    if not positions:
        return "0"
    shown = "、".join(str(p + 1) for p in positions[:20]) + ("…" if len(positions) > 20 else "")
    return t("mock.numbers", count=len(positions), numbers=shown)
