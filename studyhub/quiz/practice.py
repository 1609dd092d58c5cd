"""Practice in the terminal: questions at random or from the wrong-answer book, each
answered with immediate feedback (the key, the 解析 and the cited article). Practice never
counts in rates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.exams.attempts import ItemView
from studyhub.i18n import t
from studyhub.quiz import render
from studyhub.quiz.prompter import Nav, Prompter, QuestionPrompt

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.practice import PracticeFeedback, PracticeItem

__all__ = ["PracticeOutcome", "PracticeSession"]


@dataclass
class PracticeOutcome:
    asked: int = 0
    answered: int = 0
    right: int = 0
    into_book: int = 0


class PracticeSession:
    """The practice flow; every decision goes through the prompter."""

    def __init__(self, database: Database, prompter: Prompter, staff_no: str) -> None:
        self.database = database
        self.prompter = prompter
        self.staff_no = staff_no
        self.articles: dict[str, list[tuple[str, str]] | None] = {}

    def run(
        self,
        *,
        topic: str | None = None,
        type: str | None = None,
        count: int = 10,
        wrong: bool = False,
        seed: int | None = None,
    ) -> PracticeOutcome:
        from studyhub.practice import book_due, draw_practice

        if wrong:
            items = book_due(self.database, self.staff_no, count=count, seed=seed)
            if not items:
                self.prompter.show(t("practice.book_empty"))
                return PracticeOutcome()
        else:
            items = draw_practice(self.database, self.staff_no, topic=topic, type=type,
                                  count=count, seed=seed)  # fmt: skip
        outcome = PracticeOutcome(asked=len(items))
        self.prompter.show(t("practice.intro", count=len(items)))
        try:
            for n, item in enumerate(items, start=1):
                self._one(n, len(items), item, outcome, "book" if wrong else "practice")
        except KeyboardInterrupt:
            self.prompter.show(t("practice.stopped"))
        self.prompter.show(t("practice.summary", answered=outcome.answered, right=outcome.right,
                             book=outcome.into_book))  # fmt: skip
        return outcome

    def _one(self, n: int, total: int, item: PracticeItem, outcome: PracticeOutcome,
             source: str) -> None:  # fmt: skip
        from studyhub.practice import answer_practice

        view = ItemView(n, item.type, item.stem, item.options, Decimal(1))
        header = t("practice.header", n=n, total=total, type=t(f"quiz.type.{item.type}"))
        reply = self.prompter.ask_question(QuestionPrompt(header, view, navigable=False))
        if isinstance(reply, Nav):
            self.prompter.show(t("practice.skipped"))
            return
        feedback = answer_practice(self.database, self.staff_no, item, reply, source=source)
        outcome.answered += 1
        outcome.right += feedback.correct
        outcome.into_book += (not feedback.correct) and feedback.in_book
        for line in self.feedback_lines(item, reply, feedback):
            self.prompter.show(line)

    def feedback_lines(
        self, item: PracticeItem, reply: Any, feedback: PracticeFeedback
    ) -> list[str]:
        from studyhub.render import key_value_lines

        mark = t("practice.right") if feedback.correct else t("practice.wrong")
        rows = [(t("quiz.review.yours"), render.response_text(item.type, item.options, reply))]
        if not feedback.correct:
            rows.append((t("quiz.review.key"),
                         render.response_text(item.type, item.options, feedback.key)))  # fmt: skip
        if feedback.explanation:
            rows.append((t("quiz.review.explanation"), feedback.explanation))
        if feedback.source:
            rows.append((t("quiz.review.source"), feedback.source))
        lines = [mark, *key_value_lines(rows)]
        for heading, text in self._articles(feedback.source):
            lines.append(f"  {heading}")
            lines.extend(f"    {line}" for line in text.splitlines()[:6] if line.strip())
        return lines

    def _articles(self, source: str) -> list[tuple[str, str]]:
        if not source:
            return []
        if source not in self.articles:
            from studyhub.errors import StudyhubError
            from studyhub.laws import cited_articles

            try:
                self.articles[source] = cited_articles(self.database, source)
            except StudyhubError:
                self.articles[source] = None
        return self.articles[source] or []
