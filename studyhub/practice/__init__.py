"""Practice and the wrong-answer book (错题本). Practice never counts in rates.

- :mod:`~studyhub.practice.drill`: draw practice questions (at random, by topic, type or
  chapter), check an answer at once; the book's questions, due or all of them
- :mod:`~studyhub.practice.book`: the wrong-answer book (FSRS), fed by exams and practice;
  questions many people get wrong
- :mod:`~studyhub.practice.chapters`: the 编 and 章 of the statute a question cites
- :mod:`~studyhub.practice.choices`: what the practice menu offers, with counts
- :mod:`~studyhub.practice.mock`: mock exams by an exam's paper rules, counted nowhere
- :mod:`~studyhub.practice.guard`: what practice may not show (during an exam, closed pools)

The terminal flow of practice is :mod:`studyhub.quiz.practice`.
"""

from __future__ import annotations

from studyhub.practice.book import FlaggedQuestion, flagged_questions, record_attempt_in_book
from studyhub.practice.chapters import ChapterCount, Division, parse_division
from studyhub.practice.choices import PracticeChoices, practice_choices
from studyhub.practice.drill import (
    BookStatus,
    PracticeDraw,
    PracticeFeedback,
    PracticeItem,
    answer_practice,
    book_all,
    book_due,
    book_status,
    draw_practice,
    draw_round,
)
from studyhub.practice.mock import (
    MockExam,
    MockPaper,
    MockResult,
    draw_mock,
    grade_mock,
    mock_exams,
)

__all__ = [
    "BookStatus",
    "ChapterCount",
    "Division",
    "FlaggedQuestion",
    "MockExam",
    "MockPaper",
    "MockResult",
    "PracticeChoices",
    "PracticeDraw",
    "PracticeFeedback",
    "PracticeItem",
    "answer_practice",
    "book_all",
    "book_due",
    "book_status",
    "draw_mock",
    "draw_practice",
    "draw_round",
    "flagged_questions",
    "grade_mock",
    "mock_exams",
    "parse_division",
    "practice_choices",
    "record_attempt_in_book",
]
