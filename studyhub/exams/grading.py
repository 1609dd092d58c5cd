"""Grading, exactly as DESIGN.md §3 says: pure functions on canonical answers.

单选 and 判断 are exact; 多选 is all-or-nothing by default, or partial (no wrong choice:
points x chosen-correct / all-correct); weights imported from GIFT decide credit where a
question has them; 填空 is matched blank by blank after normalising (full/half width, spaces,
case, Chinese and English punctuation), each blank an equal share of the points.
Scores are Decimals with two places; nothing is rounded up to a pass.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

__all__ = [
    "award",
    "band_for",
    "counted_score",
    "counting",
    "is_correct",
    "normalise_answer",
    "passed",
    "percent",
]

CENT = Decimal("0.01")


def normalise_answer(text: str) -> str:
    """What a fill answer is compared as: NFKC (full width -> half width), case-folded,
    without white space or punctuation of any script."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        ch for ch in folded if not ch.isspace() and not unicodedata.category(ch).startswith("P")
    )


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_DOWN)


def award(
    qtype: str,
    key: Any,
    response: Any,
    points: Decimal,
    *,
    scoring: str = "all_or_nothing",
    weights: Sequence[Decimal] | None = None,
) -> Decimal:
    """The points a response earns. ``key`` is the stored answer (option indexes, a bool, or
    accepted answers per blank); ``response`` the canonical response (None: unanswered)."""
    if response is None:
        return Decimal(0).quantize(CENT)
    if qtype in ("single", "multiple"):
        chosen = {int(i) for i in response}
        if weights is not None:
            credit = sum((weights[i] for i in chosen if 0 <= i < len(weights)), Decimal(0))
            return _cents(min(points, max(Decimal(0), points * credit / 100)))
        correct = {int(i) for i in key}
        if chosen == correct:
            return points.quantize(CENT)
        if qtype == "multiple" and scoring == "partial" and chosen and chosen <= correct:
            return _cents(points * len(chosen) / len(correct))
        return Decimal(0).quantize(CENT)
    if qtype == "judge":
        return points.quantize(CENT) if bool(response) == bool(key) else Decimal(0).quantize(CENT)
    if qtype == "fill":
        blanks = list(key)
        given = list(response) + [""] * (len(blanks) - len(response))
        right = sum(
            1
            for accepted, answer in zip(blanks, given, strict=False)
            if normalise_answer(str(answer)) in {normalise_answer(a) for a in accepted}
            and normalise_answer(str(answer))
        )
        if right == len(blanks):
            return points.quantize(CENT)
        return _cents(points * right / len(blanks))
    raise ValueError(f"unknown question type {qtype}")


def is_correct(qtype: str, key: Any, response: Any, points: Decimal = Decimal(1)) -> bool:
    """Whether a response earns full marks (for review and the wrong-answer book)."""
    return award(qtype, key, response, points) == points.quantize(CENT)


def percent(score: Decimal, total: Decimal) -> Decimal:
    """score / total as a percentage, truncated to two places (never rounded up)."""
    if total <= 0:
        return Decimal(0).quantize(CENT)
    return _cents(score * 100 / total)


def passed(score: Decimal, total: Decimal, pass_mark: Decimal) -> bool:
    """Exact: score >= pass_mark percent of total (no rounding in between)."""
    return score * 100 >= pass_mark * total


def band_for(score: Decimal, total: Decimal, bands: Sequence[tuple[str, Decimal]]) -> str | None:
    """The highest band whose minimum percentage the score reaches (exactly), else None."""
    for name, minimum in sorted(bands, key=lambda b: b[1], reverse=True):
        if score * 100 >= minimum * total:
            return name
    return None


def counted_score(method: str, scores: Sequence[Decimal]) -> Decimal | None:
    """The score that counts, from submitted attempts' scores in attempt order."""
    if not scores:
        return None
    if method == "highest":
        return max(scores)
    if method == "last":
        return scores[-1]
    if method == "first":
        return scores[0]
    if method == "average":
        return _cents(sum(scores, Decimal(0)) / len(scores))
    raise ValueError(f"unknown grading method {method}")


def counting(attempts: Sequence[tuple[Decimal, int | None]]) -> list[Decimal]:
    """The scores the grading method is applied to, from ``(score, answered)`` of submitted
    attempts in attempt order: an attempt submitted with no answer saved (``answered`` 0)
    never counts when the person has another attempt with answers; when every attempt is
    empty they all count (the person took part, with 0). ``answered`` None (an imported
    result) is never empty."""
    answered = [score for score, count in attempts if count != 0]
    return answered if answered else [score for score, _ in attempts]
