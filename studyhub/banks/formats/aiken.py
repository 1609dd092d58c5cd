"""Aiken, Moodle's simplest question format: :func:`parse_aiken` and :func:`export_aiken`.

A question is its text (one line or more), its options and an answer line::

    成年人是指已满多少周岁的自然人？
    A. 十六周岁
    B) 十八周岁
    C、二十周岁
    D．二十二周岁
    ANSWER: B

Options are labelled ``A)`` or ``A.`` (followed by a space, as Moodle wants, or by
non-ASCII text), ``A、`` ``A．`` ``A）``, also with full-width letters (``Ａ．``), in order
from A. The answer line is ``ANSWER: B`` (also ``答案：B``, ``答案: B``, ``ANSWER：B``).
Before the first option of a question, a line that looks like an option (``A、B两公司...``)
or an answer is question text when an option A follows it (an option-like line also when
more text follows). Questions are separated by blank lines (the answer line also ends a
question). Classic
Aiken has single choice only; as an extension, several letters (``ANSWER: AC``, also
``A,C`` ``A、C``) make a multiple-choice question. Aiken carries nothing but stem, options
and answer.

The exporter writes classic Aiken for single choice and ``ANSWER: AC`` for multiple
choice. Judge and fill questions cannot be written in Aiken: they are skipped without any
output (as are questions whose stem is empty or whose answer is not among the options).
Option texts are written on one line; empty lines in a stem are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.textio import read_lines
from studyhub.banks.record import BankHeader, QuestionRecord
from studyhub.errors import Location
from studyhub.i18n import Lazy, msg, msgn
from studyhub.labels import Word

__all__ = ["export_aiken", "parse_aiken"]

_OPTION_RE = re.compile(r"([A-ZＡ-Ｚ])\s*(?:[.)](?=\s|$|[^\x00-\x7f])|[、．）])\s*(.*)", re.S)
_ANSWER_RE = re.compile(r"(?:(?i:answer)|答案)\s*[:：]\s*(.*)", re.S)
_SEPARATORS = " ,，、;；/|"
#: what this parser and Moodle's split lines on
_LINE_BREAK_RE = re.compile(r"\r\n|[\r\n]")


@dataclass
class _Question:
    """A question being read."""

    location: Location
    stem: list[str]
    options: list[str] = field(default_factory=list)
    #: an option was out of order: the question is reported and not yielded
    broken: bool = False


@dataclass
class _Line:
    """A non-blank line, trimmed, with what it looks like."""

    number: int
    text: str
    blank_before: bool
    answer: re.Match[str] | None = None
    option: re.Match[str] | None = None

    @classmethod
    def of(cls, number: int, text: str, blank_before: bool) -> _Line:
        line = cls(number, text, blank_before, _ANSWER_RE.fullmatch(text))
        if line.answer is None:
            line.option = _OPTION_RE.fullmatch(text)
        return line

    @property
    def letter(self) -> str | None:
        return unicodedata.normalize("NFKC", self.option.group(1)) if self.option else None

    def reads_as_text(self, following: _Line | None) -> bool:
        """Whether a line that looks like an option or an answer is question text: it is
        when an option A follows it (or, for an option-like line, more text)."""
        if following is None:
            return False
        if following.letter == "A":
            return True
        return self.option is not None and following.answer is None and following.option is None


@dataclass
class _Reader:
    ctx: ParseContext
    question: _Question | None = None
    #: options without a question are being skipped (reported once)
    skipping: bool = False

    def line(self, line: _Line, following: _Line | None) -> QuestionRecord | None:
        self.ctx.add_raw(line.text, line.number)
        in_stem = self.question is None or not self.question.options
        if in_stem and not self.skipping and line.reads_as_text(following):
            self.text(line.number, line.text, line.blank_before)
        elif line.answer:
            return self.answer(line.number, line.answer.group(1).strip())
        elif line.option:
            self.option(line.number, line.letter or "", line.option.group(2))
        else:
            self.text(line.number, line.text, line.blank_before)
        return None

    def text(self, number: int, text: str, blank: bool) -> None:
        self.skipping = False
        question = self.question
        if question is not None and (question.options or blank):
            self.missing_answer()
            question = None
        if question is None:
            self.question = _Question(self.ctx.at(number), [text])
            self.ctx.begin_record(text, number)
        else:
            question.stem.append(text)

    def option(self, number: int, letter: str, text: str) -> None:
        if self.skipping:
            return
        question = self.question
        if question is None:
            self.ctx.error(
                self.ctx.at(number), msg("option {letter} before any question", letter=letter)
            )
            self.skipping = True
            return
        expected = chr(ord("A") + len(question.options))
        if letter != expected and not question.broken:
            self.ctx.error(
                self.ctx.at(number),
                msg(
                    "option {letter} out of order (expected {expected})",
                    letter=letter,
                    expected=expected,
                ),
            )
            question.broken = True
        question.options.append(text.strip())

    def answer(self, number: int, value: str) -> QuestionRecord | None:
        question, self.question = self.question, None
        if self.skipping:
            self.skipping = False
            return None
        if question is None:
            self.ctx.error(self.ctx.at(number), msg("ANSWER before any question"))
            return None
        if question.broken:
            return None
        if not question.options:
            self.ctx.error(question.location, msg("question without options"))
            return None
        correct = self.letters(number, value, len(question.options))
        if correct is None:
            return None
        return QuestionRecord(
            type="single" if len(correct) == 1 else "multiple",
            stem="\n".join(question.stem),
            options=question.options,
            correct=correct,
            location=question.location,
        )

    def letters(self, number: int, value: str, count: int) -> list[int] | None:
        """The option indexes of an ANSWER value (reported and None if it is not letters
        or names a letter that is not an option)."""
        tokens = re.split(f"[{re.escape(_SEPARATORS)}]+", unicodedata.normalize("NFKC", value))
        tokens = [t.upper() for t in tokens if t]
        letters = "".join(tokens)
        words = len(tokens) > 1 and any(len(t) > 1 for t in tokens)  # "A or B"
        if not letters or words or not all("A" <= c <= "Z" for c in letters):
            self.ctx.error(
                self.ctx.at(number), msg('ANSWER "{value}" is not option letters', value=value)
            )
            return None
        last = chr(ord("A") + count - 1)
        for letter in letters:
            if ord(letter) - ord("A") >= count:
                self.ctx.error(
                    self.ctx.at(number),
                    msg(
                        "ANSWER {letter} is not one of the options A-{last}",
                        letter=letter,
                        last=last,
                    ),
                )
                return None
        return sorted({ord(c) - ord("A") for c in letters})

    def missing_answer(self) -> None:
        if self.question is not None:
            self.ctx.error(self.question.location, msg("question without ANSWER"))
            self.question = None


def parse_aiken(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """The questions of an Aiken file (see the module docstring)."""
    reader = _Reader(ctx)
    current: _Line | None = None
    for line in _lines(ctx):
        if current is not None:
            record = reader.line(current, line)
            if record is not None:
                yield record
        current = line
    if current is not None:
        record = reader.line(current, None)
        if record is not None:
            yield record
    reader.missing_answer()


def _lines(ctx: ParseContext) -> Iterator[_Line]:
    """The non-blank lines, trimmed."""
    blank = False
    for number, text in read_lines(ctx):
        text = text.strip()
        if text:
            yield _Line.of(number, text, blank)
        blank = not text


# --- export ----------------------------------------------------------------------------------


def export_aiken(records: Iterable[QuestionRecord], header: BankHeader, stream: BinaryIO) -> None:
    """Write the choice questions of ``records`` as Aiken (UTF-8); judge and fill questions
    (which Aiken cannot express) are skipped without output."""
    for record in records:
        text = aiken_question(record)
        if text:
            stream.write(text.encode("utf-8"))


def unwritable(record: QuestionRecord) -> Lazy | None:
    """Why Aiken cannot express a record, or None."""
    if record.type not in ("single", "multiple"):
        kind = Word(" ".join(record.type.split()))
        return msg("{type} questions cannot be written as Aiken", type=kind)
    count = len(record.options)
    if not 0 < count <= 26:
        return msgn(
            "a choice question with {n} option cannot be written as Aiken",
            "a choice question with {n} options cannot be written as Aiken",
            count,
        )
    correct = set(record.correct)
    if not correct or any(not 0 <= i < len(record.options) for i in correct):
        return msg("answer is not one of the options")
    if not record.stem.strip():
        return msg("a question without a stem cannot be written as Aiken")
    return None


def aiken_question(record: QuestionRecord) -> str | None:
    """One question as Aiken, with the blank line after it; None if Aiken cannot express it."""
    if unwritable(record):
        return None
    correct = sorted(set(record.correct))
    stem = [line.strip() for line in _LINE_BREAK_RE.split(record.stem) if line.strip()]
    lines = stem + [
        f"{chr(ord('A') + i)}. {_LINE_BREAK_RE.sub(' ', option).strip()}"
        for i, option in enumerate(record.options)
    ]
    lines.append("ANSWER: " + "".join(chr(ord("A") + i) for i in correct))
    return "\n".join(lines) + "\n\n"
