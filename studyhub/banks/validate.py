"""Checks every format shares, run on each parsed record before anything is written."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from studyhub.banks.context import ParseContext
from studyhub.banks.record import LETTERS, QuestionRecord
from studyhub.errors import Location
from studyhub.i18n import N_, Lazy, Message, msg, msgn
from studyhub.values import has_nul, unstorable

__all__ = ["BLANK", "HEADER_LIMITS", "DuplicateCheck", "blank_count", "check_record", "conflicts"]

#: how a blank is written in a fill question's stem
BLANK = "____"
_BLANK_RE = re.compile(r"_{4}")
Report = Callable[[str, str | Lazy], None]
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


def unstorable_field(field: str, value: object) -> Message | None:
    """Why the value of ``field`` cannot be stored (a NUL character or a lone surrogate in
    it), as a whole sentence naming the field; None when it can."""
    if has_nul(value):
        return msg("{field} contains a NUL character (U+0000), which cannot be stored", field=field)
    if unstorable(value) is not None:
        return msg(
            "{field} contains a lone surrogate (U+D800-U+DFFF), which is not a character",
            field=field,
        )
    return None


#: field -> the message for a text of it longer than MAX_TEXT_LENGTH
_TOO_LONG_TEXT = {
    "stem": N_("stem is longer than {limit} characters ({length})"),
    "options": N_("options is longer than {limit} characters ({length})"),
    "explanation": N_("explanation is longer than {limit} characters ({length})"),
}


class _Place(Lazy):
    """A location shown in the language of the message it is part of."""

    __slots__ = ("location",)

    def __init__(self, location: Location | None) -> None:
        self.location = location

    def render(self, language: str | None = None) -> str:
        return str(self.location) if self.location is None else self.location.render(language)


def check_record(ctx: ParseContext, record: QuestionRecord) -> bool:
    """Report what is wrong with ``record`` to ``ctx``; True when nothing is."""
    base = record.location or ctx.at()
    errors_before = len(ctx.errors)

    def error(field: str, message: str | Lazy) -> None:
        ctx.error(base.with_field(field), message)

    if not record.stem.strip():
        error("stem", msg("empty stem"))
    for name, value in _texts(record):
        problem = unstorable(value)
        if problem:
            error(name, problem)
    for name, texts in (("stem", [record.stem]), ("options", record.options),
                        ("explanation", [record.explanation])):  # fmt: skip
        longest = max((len(text) for text in texts if isinstance(text, str)), default=0)
        if longest > MAX_TEXT_LENGTH:
            error(name, msg(_TOO_LONG_TEXT[name], limit=MAX_TEXT_LENGTH, length=longest))
    if record.external_id is not None and len(record.external_id) > MAX_ID_LENGTH:
        error("id", msg("id is longer than {limit} characters", limit=MAX_ID_LENGTH))
    if record.difficulty is not None and not 1 <= record.difficulty <= 5:
        error(
            "difficulty",
            msg("difficulty {difficulty} is out of range 1-5", difficulty=record.difficulty),
        )
    if record.points is not None and record.points <= 0:
        error("points", msg("points must be above 0 (got {points})", points=record.points))
    if len(record.source) > MAX_SOURCE_LENGTH:
        error("source", msg("source is longer than {limit} characters", limit=MAX_SOURCE_LENGTH))
    if record.topic is not None and len(record.topic) > MAX_KEY_LENGTH:
        error("topic", msg("topic is longer than {limit} characters", limit=MAX_KEY_LENGTH))
    for tag in record.tags:
        if len(tag) > MAX_TAG_LENGTH:
            error(
                "tags",
                msg(
                    "tag {tag}... is longer than {limit} characters",
                    tag=tag[:20],
                    limit=MAX_TAG_LENGTH,
                ),
            )
    if record.type in ("single", "multiple"):
        _check_choice(record, error)
    elif record.type == "judge":
        if record.truth is None:
            error("answer", msg("missing answer (true or false)"))
    elif record.type == "fill":
        _check_fill(record, error)
    else:
        error("type", msg("unknown type {type}", type=record.type))
    return len(ctx.errors) == errors_before


def _check_choice(record: QuestionRecord, report: Report) -> None:
    count = len(record.options)
    if count < 2:
        report(
            "options", msg("a choice question needs at least 2 options (has {count})", count=count)
        )
        return
    if count > len(LETTERS):
        report(
            "options",
            msg(
                "a choice question has at most {most} options (has {count})",
                most=len(LETTERS),
                count=count,
            ),
        )
        return
    for index, option in enumerate(record.options):
        if not option.strip():
            report("options", msg("option {letter} is empty", letter=LETTERS[index]))
    if not record.correct:
        report("answer", msg("missing answer"))
        return
    last = LETTERS[count - 1]
    for index in record.correct:
        if index >= count:
            report(
                "answer",
                msg(
                    "answer letter {letter} is beyond the options (A-{last})",
                    letter=LETTERS[index],
                    last=last,
                ),
            )
            return
    answer = _letters(record.correct)
    if len(set(record.correct)) != len(record.correct):
        report("answer", msg("answer {answer} repeats a letter", answer=answer))
    elif record.type == "single" and len(record.correct) != 1:
        report(
            "answer", msg("a single-choice question has one answer (got {answer})", answer=answer)
        )
    elif record.type == "multiple" and len(record.correct) < 2:
        report(
            "answer",
            msg(
                "a multiple-choice question needs two or more answers (got {answer})", answer=answer
            ),
        )
    if record.weights is not None and len(record.weights) != count:
        report(
            "weights",
            msgn(
                "{n} weight for {count} options",
                "{n} weights for {count} options",
                len(record.weights),
                count=count,
            ),
        )
    if record.feedback is not None and len(record.feedback) != count:
        report(
            "feedback",
            msgn(
                "{n} feedback text for {count} options",
                "{n} feedback texts for {count} options",
                len(record.feedback),
                count=count,
            ),
        )


def _check_fill(record: QuestionRecord, report: Report) -> None:
    if record.options:
        report("options", msg("a fill question has no options"))
    if not record.blanks:
        report("answer", msg("missing answer"))
        return
    if any(not [a for a in blank if a.strip()] for blank in record.blanks):
        report("answer", msg("each blank needs one or more accepted answers"))
    count = blank_count(record.stem)
    if count != len(record.blanks):
        report(
            "answer",
            msgn(
                "the stem has {n} blank ({blank}) but the answer gives {answers}",
                "the stem has {n} blanks ({blank}) but the answer gives {answers}",
                count,
                blank=BLANK,
                answers=len(record.blanks),
            ),
        )


#: (bank, identity) -> each place the question is found: (location, content hash, answer)
Places = dict[tuple[str, str], list[tuple[Location | None, str, str]]]


class DuplicateCheck:
    """A question seen twice in one import (in one bank), with both locations.

    The exact same question again (or again with only other details: explanation, source,
    tags...) is kept once, with a warning; the same question with another answer, or an id
    given to two different questions, is an error. Call it on valid records only, with
    ``record.digest`` set.

    ``conflicts`` (from :func:`conflicts`, a first reading of the files under
    --skip-invalid) names the questions in conflict before their first place is reached:
    every place of such a question is an error, not only the later ones, since nobody can
    tell which answer is right.
    """

    def __init__(self, conflicts: Places | None = None) -> None:
        #: (bank, identity) -> (first location, content hash, answer)
        self.seen: dict[tuple[str, str], tuple[Location | None, str, str]] = {}
        self.conflicts: Places = conflicts or {}

    def check(self, ctx: ParseContext, bank_key: str, record: QuestionRecord) -> bool:
        """True when ``record`` is to be written (its first time)."""
        key, digest, answer = _key(bank_key, record)
        where = record.location or ctx.at()
        places = self.conflicts.get(key)
        if places is not None:
            other = next(p[0] for p in places if _what(p) != _what((None, digest, answer)))
            self._conflict(ctx, record, where, _Place(other), later=False)
            return False
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = (record.location, digest, answer)
            return True
        place = _Place(first[0])
        if first[1] == digest:
            ctx.warn(where, msg("repeated question, kept once (first at {first})", first=place))
        elif record.external_id or first[2] != answer:
            self._conflict(ctx, record, where, place, later=True)
        else:
            ctx.warn(
                where,
                msg(
                    "repeated question, written differently (spacing, explanation, source...):"
                    " the first is kept (first at {first})",
                    first=place,
                ),
            )
        return False

    @staticmethod
    def _conflict(
        ctx: ParseContext, record: QuestionRecord, where: Location, other: Lazy, *, later: bool
    ) -> None:
        """``record`` at ``where`` is in conflict with the one at ``other`` (an earlier place
        when ``later``)."""
        if record.external_id:
            if later:
                message = msg(
                    "duplicate id {id} (first at {first})", id=record.external_id, first=other
                )
            else:
                message = msg(
                    "id {id} is given to another question too (at {other})",
                    id=record.external_id,
                    other=other,
                )
            ctx.error(where.with_field("id"), message)
        else:
            ctx.error(
                where.with_field("answer"),
                msg(
                    "the same question and options as at {first} with another answer",
                    first=other,
                ),
            )


def conflicts(records: Iterable[tuple[str, QuestionRecord]]) -> Places:
    """The questions of ``(bank key, valid record)`` that are in conflict: an id given to
    two different questions, or the same question and options with two answers."""
    places: Places = {}
    for bank_key, record in records:
        key, digest, answer = _key(bank_key, record)
        places.setdefault(key, []).append((record.location, digest, answer))
    return {key: found for key, found in places.items() if len({_what(p) for p in found}) > 1}


def _key(bank_key: str, record: QuestionRecord) -> tuple[tuple[str, str], str, str]:
    """A record's (bank, identity), content hash and answer; an id names one question, so
    only questions known by their content compare answers (the answer is "" for the
    others)."""
    digest = record.digest or record.content_hash()
    answer = "" if record.external_id else json.dumps(record.answer_json())
    return (bank_key, record.identity()), digest, answer


def _what(place: tuple[Location | None, str, str]) -> str:
    """What must agree between two places of a question: the answer of a question known by
    its content, the whole content of one known by its id."""
    return place[2] or place[1]
