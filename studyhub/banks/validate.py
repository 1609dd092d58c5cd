"""Checks every format shares, run on each parsed record before anything is written."""

from __future__ import annotations

import re
from collections.abc import Callable

from studyhub.banks.context import ParseContext
from studyhub.banks.record import LETTERS, QuestionRecord
from studyhub.errors import Location
from studyhub.values import unstorable

__all__ = ["BLANK", "HEADER_LIMITS", "DuplicateCheck", "blank_count", "check_record"]

#: how a blank is written in a fill question's stem
BLANK = "____"
_BLANK_RE = re.compile(r"_{4}")
Report = Callable[[str, str], None]
#: the lengths of the columns these go into (PostgreSQL enforces them)
MAX_ID_LENGTH = 128
MAX_TAG_LENGTH = 64
MAX_SOURCE_LENGTH = 200
MAX_KEY_LENGTH = 64
MAX_TITLE_LENGTH = 200
MAX_VERSION_LENGTH = 32
#: the longest stem, option or explanation a question may have (characters)
MAX_TEXT_LENGTH = 5000
#: what a bank header (or --bank/--topic, or a file name) may hold: field -> length
HEADER_LIMITS = {
    "key": MAX_KEY_LENGTH,
    "title": MAX_TITLE_LENGTH,
    "topic": MAX_KEY_LENGTH,
    "version": MAX_VERSION_LENGTH,
}


def blank_count(stem: str) -> int:
    return len(_BLANK_RE.findall(stem))


def _texts(record: QuestionRecord) -> list[tuple[str, object]]:
    """Every text a record stores, by the field errors name."""
    return [
        ("id", record.external_id),
        ("stem", record.stem),
        ("options", record.options),
        ("answer", record.blanks),
        ("explanation", record.explanation),
        ("source", record.source),
        ("tags", record.tags),
        ("topic", record.topic),
        ("feedback", record.feedback),
    ]


def _letters(indexes: list[int]) -> str:
    return "".join(LETTERS[i] if 0 <= i < len(LETTERS) else "?" for i in indexes)


def check_record(ctx: ParseContext, record: QuestionRecord) -> bool:
    """Report what is wrong with ``record`` to ``ctx``; True when nothing is."""
    base = record.location or ctx.at()
    errors_before = len(ctx.errors)

    def error(field: str, message: str) -> None:
        ctx.error(base.with_field(field), message)

    if not record.stem.strip():
        error("stem", "empty stem")
    for name, value in _texts(record):
        problem = unstorable(value)
        if problem:
            error(name, problem)
    for name, texts in (("stem", [record.stem]), ("options", record.options),
                        ("explanation", [record.explanation])):  # fmt: skip
        longest = max((len(text) for text in texts if isinstance(text, str)), default=0)
        if longest > MAX_TEXT_LENGTH:
            error(name, f"{name} is longer than {MAX_TEXT_LENGTH} characters ({longest})")
    if record.external_id is not None and len(record.external_id) > MAX_ID_LENGTH:
        error("id", f"id is longer than {MAX_ID_LENGTH} characters")
    if record.difficulty is not None and not 1 <= record.difficulty <= 5:
        error("difficulty", f"difficulty {record.difficulty} is out of range 1-5")
    if record.points is not None and record.points <= 0:
        error("points", f"points must be above 0 (got {record.points})")
    if len(record.source) > MAX_SOURCE_LENGTH:
        error("source", f"source is longer than {MAX_SOURCE_LENGTH} characters")
    if record.topic is not None and len(record.topic) > MAX_KEY_LENGTH:
        error("topic", f"topic is longer than {MAX_KEY_LENGTH} characters")
    for tag in record.tags:
        if len(tag) > MAX_TAG_LENGTH:
            error("tags", f"tag {tag[:20]}... is longer than {MAX_TAG_LENGTH} characters")
    if record.type in ("single", "multiple"):
        _check_choice(record, error)
    elif record.type == "judge":
        if record.truth is None:
            error("answer", "missing answer (true or false)")
    elif record.type == "fill":
        _check_fill(record, error)
    else:
        error("type", f"unknown type {record.type}")
    return len(ctx.errors) == errors_before


def _check_choice(record: QuestionRecord, report: Report) -> None:
    count = len(record.options)
    if count < 2:
        report("options", f"a choice question needs at least 2 options (has {count})")
        return
    if count > len(LETTERS):
        report("options", f"a choice question has at most {len(LETTERS)} options (has {count})")
        return
    for index, option in enumerate(record.options):
        if not option.strip():
            report("options", f"option {LETTERS[index]} is empty")
    if not record.correct:
        report("answer", "missing answer")
        return
    last = LETTERS[count - 1]
    for index in record.correct:
        if index >= count:
            report("answer", f"answer letter {LETTERS[index]} is beyond the options (A-{last})")
            return
    if len(set(record.correct)) != len(record.correct):
        report("answer", f"answer {_letters(record.correct)} repeats a letter")
    elif record.type == "single" and len(record.correct) != 1:
        report(
            "answer", f"a single-choice question has one answer (got {_letters(record.correct)})"
        )
    elif record.type == "multiple" and len(record.correct) < 2:
        report(
            "answer",
            "a multiple-choice question needs two or more answers "
            f"(got {_letters(record.correct)})",
        )
    if record.weights is not None and len(record.weights) != count:
        report("weights", f"{len(record.weights)} weights for {count} options")
    if record.feedback is not None and len(record.feedback) != count:
        report("feedback", f"{len(record.feedback)} feedback texts for {count} options")


def _check_fill(record: QuestionRecord, report: Report) -> None:
    if record.options:
        report("options", "a fill question has no options")
    if not record.blanks:
        report("answer", "missing answer")
        return
    if any(not [a for a in blank if a.strip()] for blank in record.blanks):
        report("answer", "each blank needs one or more accepted answers")
    count = blank_count(record.stem)
    if count != len(record.blanks):
        report(
            "answer",
            f"the stem has {count} blank(s) ({BLANK}) but the answer gives {len(record.blanks)}",
        )


class DuplicateCheck:
    """Reports a question seen twice in one import, with both locations."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], Location | None] = {}

    def check(self, ctx: ParseContext, bank_key: str, record: QuestionRecord) -> bool:
        key = (bank_key, record.identity())
        if key not in self.seen:
            self.seen[key] = record.location
            return True
        first = self.seen[key]
        where = (record.location or ctx.at()).with_field("id" if record.external_id else "stem")
        what = f"duplicate id {record.external_id}" if record.external_id else "duplicate question"
        ctx.error(where, f"{what} (first at {first})")
        return False
