"""Exams: definitions from a YAML spec, papers, the attempt engine and grading."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def has_paper(paper: dict[str, Any] | None) -> bool:
    """Whether a stored paper draws any question (a 补考 of an outside exam has none)."""
    return bool(paper and (paper.get("rules") or paper.get("fixed")))


def fixed_questions(paper: dict[str, Any]) -> list[tuple[str, Decimal]]:
    """(question id, points) of each question of a fixed paper, in order: a question's own
    points (``item_points``) or the paper's ``points`` (2 when not given)."""
    default = Decimal(str(paper.get("points", "2")))
    own = paper.get("item_points") or {}
    return [
        (str(qid), Decimal(str(own[str(qid)])) if str(qid) in own else default)
        for qid in paper.get("fixed") or []
    ]
