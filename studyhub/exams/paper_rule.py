"""One rule of a drawn paper (topic, type, count, points, filters), as an exam spec gives it
and as the exam stores it; and :class:`Joined`, the texts a description is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from studyhub.i18n import Lazy, get_language, msg, render
from studyhub.labels import Word

__all__ = ["Joined", "PaperRule"]


class Joined(Lazy):
    """Texts (plain or Messages) shown one after another, separated by ``english`` or
    ``chinese`` (a rule's description, several problems in one error)."""

    __slots__ = ("chinese", "english", "parts")

    def __init__(self, parts: list[str | Lazy], english: str = ", ", chinese: str = "，") -> None:
        self.parts = parts
        self.english = english
        self.chinese = chinese

    def render(self, language: str | None = None) -> str:
        language = language or get_language()
        separator = self.english if language == "en" else self.chinese
        return separator.join(render(part, language) for part in self.parts)


@dataclass
class PaperRule:
    """Draw ``count`` ready questions of ``topic`` and ``type`` (optionally a difficulty range,
    tags that must all be present, a bank), each worth ``points``."""

    topic: str
    type: str
    count: int
    points: Decimal
    difficulty: tuple[int, int] | None = None
    tags: list[str] = field(default_factory=list)
    bank: str | None = None
    line: int | None = None
    #: draw questions awaiting review after a law changed too (the exam's allow_unreviewed)
    allow_unreviewed: bool = False

    def describe(self) -> Joined:
        """``civil-code, multiple choice, difficulty 2-4, tags 总则+物权, bank B`` (in the
        language shown)."""
        parts: list[str | Lazy] = [self.topic, Word(self.type)]
        if self.difficulty:
            low, high = self.difficulty
            parts.append(
                msg("difficulty {low}", low=low)
                if low == high
                else msg("difficulty {low}-{high}", low=low, high=high)
            )
        if self.tags:
            parts.append(msg("tags {tags}", tags="+".join(self.tags)))
        if self.bank:
            parts.append(msg("bank {bank}", bank=self.bank))
        return Joined(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic, "type": self.type, "count": self.count,
            "points": str(self.points),
            "difficulty": list(self.difficulty) if self.difficulty else None,
            "tags": list(self.tags), "bank": self.bank,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PaperRule:
        difficulty = data.get("difficulty")
        return cls(
            topic=data["topic"], type=data["type"], count=int(data["count"]),
            points=Decimal(data["points"]),
            difficulty=(int(difficulty[0]), int(difficulty[1])) if difficulty else None,
            tags=list(data.get("tags") or []), bank=data.get("bank"),
        )  # fmt: skip
