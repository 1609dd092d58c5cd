"""The canonical question record: every format parses into it and every exporter writes
from it. Plain data, no ORM."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from studyhub.errors import Location

__all__ = [
    "LETTERS",
    "QUESTION_TYPES",
    "BankHeader",
    "QuestionRecord",
    "letters_to_indexes",
    "normalise_text",
]

QUESTION_TYPES = ("single", "multiple", "judge", "fill")
#: option letters; at most 8 options (A-H)
LETTERS = "ABCDEFGH"


@dataclass
class BankHeader:
    """What a native file says about its bank (other formats carry none of it)."""

    key: str | None = None
    title: str | None = None
    topic: str | None = None
    version: str | None = None


@dataclass
class QuestionRecord:
    """One question, as every format reads and writes it.

    Answers are canonical: ``correct`` holds 0-based option indexes (single: one, multiple:
    two or more), ``truth`` the key of a judge question, ``blanks`` the accepted answers of
    each blank of a fill question (in the order of the blanks in the stem).
    """

    type: str
    stem: str
    options: list[str] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    truth: bool | None = None
    blanks: list[list[str]] = field(default_factory=list)
    external_id: str | None = None
    explanation: str = ""
    source: str = ""
    difficulty: int | None = None
    tags: list[str] = field(default_factory=list)
    topic: str | None = None
    points: Decimal | None = None
    #: per-option credit in percent (GIFT ``%50%``, Moodle fraction); may be negative
    weights: list[Decimal] | None = None
    #: per-option feedback (GIFT ``#...``, Moodle XML)
    feedback: list[str] | None = None
    #: where the record was read from; not part of its content
    location: Location | None = field(default=None, compare=False, repr=False)
    #: the record's lines as they stood in the file (for the rejects file); not content
    raw: list[Any] | None = field(default=None, compare=False, repr=False)
    #: set when ``external_id`` is a title (GIFT ``::name::``) rather than an id: the
    #: category it is a title in. A title identifies the question only when no other
    #: question of the file has it in the same category; else the content does.
    title_scope: str | None = field(default=None, compare=False, repr=False)
    #: the content hash, once the importer has computed it (not content)
    digest: str | None = field(default=None, compare=False, repr=False)

    def content(self) -> dict[str, Any]:
        """The content as plain JSON-able data (what the content hash covers)."""
        return {
            "type": self.type,
            "stem": self.stem,
            "options": list(self.options),
            "answer": self.answer_json(),
            "explanation": self.explanation,
            "source": self.source,
            "difficulty": self.difficulty,
            "tags": sorted(set(self.tags)),
            "points": None if self.points is None else str(self.points.normalize()),
            "extra": self.extra_json(),
        }

    def answer_json(self) -> Any:
        """The answer as stored: option indexes, true/false, or accepted answers per blank."""
        if self.type in ("single", "multiple"):
            return sorted(self.correct)
        if self.type == "judge":
            return self.truth
        return [list(b) for b in self.blanks]

    def extra_json(self) -> dict[str, Any] | None:
        extra: dict[str, Any] = {}
        if self.weights is not None:
            extra["weights"] = [str(w.normalize()) for w in self.weights]
        if self.feedback is not None and any(self.feedback):
            extra["feedback"] = list(self.feedback)
        return extra or None

    def content_hash(self) -> str:
        """A stable hash of the content: equal content, equal hash (whatever the format)."""
        text = json.dumps(self.content(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def stem_hash(self) -> str:
        """The id studyhub gave questions without ids before version 0.20: a hash of the
        normalised stem and type (kept to find questions imported under it)."""
        folded = unicodedata.normalize("NFKC", self.stem).casefold()
        text = self.type + "\n" + "".join(folded.split())
        return "h-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def content_id(self) -> str:
        """An id for formats without ids: a hash of the type, the normalised stem and
        options and, for a fill question, the accepted answers. Two questions with the same
        stem and other options are two questions; the answer of a choice or judge question
        is not part of it (the same question with another key is a conflict)."""
        parts = [self.type, normalise_text(self.stem)]
        parts += [normalise_text(option) for option in self.options]
        if self.type == "fill":
            parts += ["|".join(sorted(normalise_text(a) for a in blank)) for blank in self.blanks]
        text = "\x1f".join(parts)
        return "c-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def identity(self) -> str:
        return self.external_id or self.content_id()


_MARKUP = re.compile(r"(<[^<>]*>)")


def normalise_text(text: str) -> str:
    """NFKC (full width to half width), case-folded, without white space; markup (an
    ``<img src=...>``, an HTML attribute) is kept as written but for its spaces, so that
    two stems with different images stay two questions."""
    folded = unicodedata.normalize("NFKC", text)
    if "<" not in folded:
        return "".join(folded.casefold().split())
    parts = _MARKUP.split(folded)
    return "".join(
        " ".join(part.split()) if index % 2 else "".join(part.casefold().split())
        for index, part in enumerate(parts)
    )


def letters_to_indexes(letters: str) -> list[int] | None:
    """``"ABD"`` -> ``[0, 1, 3]``; None if anything but option letters is there.

    Accepts lower case, full-width letters and separators (``A,B`` ``A、B`` ``A B``).
    """
    text = unicodedata.normalize("NFKC", letters).upper()
    indexes: list[int] = []
    for ch in text:
        if ch in " ,，、;；/|":
            continue
        if ch not in LETTERS:
            return None
        indexes.append(LETTERS.index(ch))
    return indexes or None
