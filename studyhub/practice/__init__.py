"""Practice and the wrong-answer book (错题本). Practice never counts in rates.

- :mod:`~studyhub.practice.drill`: draw practice questions, check an answer at once
- :mod:`~studyhub.practice.book`: the wrong-answer book (FSRS), fed by exams and practice;
  questions many people get wrong

The terminal flow of practice is :mod:`studyhub.quiz.practice`.
"""

from __future__ import annotations

from studyhub.practice.book import FlaggedQuestion, flagged_questions, record_attempt_in_book
from studyhub.practice.drill import (
    PracticeFeedback,
    PracticeItem,
    answer_practice,
    book_due,
    draw_practice,
)

__all__ = [
    "FlaggedQuestion",
    "PracticeFeedback",
    "PracticeItem",
    "answer_practice",
    "book_due",
    "draw_practice",
    "flagged_questions",
    "record_attempt_in_book",
]
