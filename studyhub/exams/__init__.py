"""Exams: definitions from a YAML spec, papers, the attempt engine and grading."""

from __future__ import annotations

from typing import Any


def has_paper(paper: dict[str, Any] | None) -> bool:
    """Whether a stored paper draws any question (a 补考 of an outside exam has none)."""
    return bool(paper and (paper.get("rules") or paper.get("fixed")))
