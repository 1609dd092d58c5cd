"""Practice in the terminal: questions at random, by topic, type or chapter, or from the
wrong-answer book, each answered with immediate feedback (the options with the key marked
beside the choice, the 解析 and the cited article). Practice never counts in rates.

At a question ← goes back: to the previous question's feedback when it was answered (and
from there further back, or on), to the question itself when it was skipped. An answer
given is final: going back shows it, never asks it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.exams.attempts import ItemView
from studyhub.i18n import msg, t
from studyhub.quiz.feedback import Articles, Line, answer_lines, show_lines
from studyhub.quiz.prompter import InputEnded, Nav, Prompter, QuestionPrompt

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.practice import PracticeFeedback, PracticeItem

__all__ = ["DEFAULT_COUNT", "PracticeOutcome", "PracticeSession"]

#: questions in a practice round unless --count says otherwise
DEFAULT_COUNT = 10


@dataclass
class PracticeOutcome:
    asked: int = 0
    answered: int = 0
    right: int = 0
    into_book: int = 0


@dataclass
class _Answered:
    item: PracticeItem
    lines: list[Line]


class PracticeSession:
    """The practice flow; every decision goes through the prompter."""

    def __init__(self, database: Database, prompter: Prompter, staff_no: str) -> None:
        self.database = database
        self.prompter = prompter
        self.staff_no = staff_no
        self.articles = Articles(database)

    def run(
        self,
        *,
        topic: str | None = None,
        type: str | None = None,
        chapter: str | Any = None,
        count: int | None = None,
        wrong: bool = False,
        all_book: bool = False,
        seed: int | None = None,
    ) -> PracticeOutcome:
        """A round of practice: drawn by topic, type and chapter, or from the book (the
        questions due; with ``all_book`` every one, the most missed first)."""
        from studyhub.practice import book_all, book_due, draw_round

        if wrong:
            if all_book:
                items = book_all(self.database, self.staff_no, count=count, seed=seed)
            else:
                items = book_due(
                    self.database, self.staff_no, count=count or DEFAULT_COUNT, seed=seed
                )
                if not items and self._offer_whole_book():
                    items = book_all(self.database, self.staff_no, count=count, seed=seed)
            if not items:
                return PracticeOutcome()
        else:
            drawn = draw_round(
                self.database,
                self.staff_no,
                topic=topic,
                type=type,
                chapter=chapter,
                count=count or DEFAULT_COUNT,
                seed=seed,
            )
            items = drawn.items
            if drawn.held_back:  # the pool is smaller: some keys may no longer hold
                self.prompter.show(t("practice.held_back", count=drawn.held_back))
        return self.drill(items, "book" if wrong else "practice")

    def _offer_whole_book(self) -> bool:
        """Nothing is due: say so and offer the whole book now (False when it is empty, the
        offer is declined or input has ended)."""
        from studyhub.practice import book_status
        from studyhub.timeutil import local_date

        status = book_status(self.database, self.staff_no)
        if status.total == 0:
            self.prompter.show(t("practice.book.empty"))
            return False
        next_due = local_date(status.next_due).isoformat() if status.next_due else "-"
        self.prompter.show(t("practice.book.none_due", total=status.total, date=next_due))
        try:
            return self.prompter.confirm(
                t("practice.book.offer_all", total=status.total), default=True
            )
        except InputEnded:
            return False

    def drill(self, items: list[PracticeItem], source: str) -> PracticeOutcome:
        """Ask ``items`` one by one with feedback after each answer; Ctrl-C ends the round."""
        outcome = PracticeOutcome(asked=len(items))
        self.prompter.show(t("practice.intro", count=len(items)))
        done: dict[int, _Answered] = {}
        position = 0
        try:
            while position < len(items):
                if position in done:
                    position = max(0, position + self._again(position, len(items), done))
                    continue
                step = self._one(position, items, outcome, source, done)
                if step < 0 and position == 0:
                    self.prompter.show(t("practice.first"))
                position = max(0, position + step)
        except KeyboardInterrupt:
            self.prompter.show(t("practice.stopped"))
        except InputEnded:  # said as practice, not as an exam to resume
            raise InputEnded(
                msg("input ended before the practice was finished; the answers given so far "
                    "are recorded")
            ) from None  # fmt: skip
        self.prompter.show(
            t(
                "practice.summary",
                answered=outcome.answered,
                right=outcome.right,
                book=outcome.into_book,
            )
        )
        return outcome

    def _header(self, position: int, total: int, item: PracticeItem) -> str:
        return t("practice.header", n=position + 1, total=total, type=t(f"quiz.type.{item.type}"))

    def _one(
        self,
        position: int,
        items: list[PracticeItem],
        outcome: PracticeOutcome,
        source: str,
        done: dict[int, _Answered],
    ) -> int:
        """Ask the question at ``position``: the step to take (-1 back, 0 again, 1 on)."""
        from studyhub.practice import answer_practice

        item = items[position]
        view = ItemView(position + 1, item.type, item.stem, item.options, Decimal(1))
        header = self._header(position, len(items), item)
        reply = self.prompter.ask_question(QuestionPrompt(header, view, navigable=False))
        if reply is Nav.BACK:
            return -1
        if reply is Nav.FLAG:  # practice has no flags: the key asks the question again
            return 0
        if isinstance(reply, Nav):
            self.prompter.show(t("practice.skipped"))
            return 1
        feedback = answer_practice(self.database, self.staff_no, item, reply, source=source)
        outcome.answered += 1
        outcome.right += feedback.correct
        outcome.into_book += (not feedback.correct) and feedback.in_book
        lines = self.feedback_lines(item, reply, feedback)
        done[position] = _Answered(item, lines)
        show_lines(self.prompter, lines)
        return 1

    def _again(self, position: int, total: int, done: dict[int, _Answered]) -> int:
        """Show an answered question with its feedback again: the step to take then."""
        answered = done[position]
        self.prompter.show(
            t("practice.header_again", header=self._header(position, total, answered.item))
        )
        self.prompter.show(answered.item.stem)
        show_lines(self.prompter, answered.lines)
        choices = [(t("practice.again.on", n=position + 2), 1)]
        if position > 0:
            choices.append((t("practice.again.back", n=position), -1))
        return self.prompter.select_menu(t("practice.again.where"), choices, default=1)

    def feedback_lines(
        self, item: PracticeItem, reply: Any, feedback: PracticeFeedback
    ) -> list[Line]:
        """Right or wrong, the options with the key marked beside the choice, the 解析,
        the citation and the article."""
        mark = (
            ("right", t("practice.right")) if feedback.correct else ("wrong", t("practice.wrong"))
        )
        return [
            mark,
            *answer_lines(
                item.type,
                item.options,
                reply,
                feedback.key,
                correct=feedback.correct,
                explanation=feedback.explanation,
                source=feedback.source,
                articles=self.articles,
                version_id=item.version_id,
            ),
        ]
