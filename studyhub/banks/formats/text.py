"""Word-style question banks: plain text (.txt, .md) and Word documents (.docx).

This is how question banks are typed in Word in Chinese offices::

    一、单项选择题（每题2分，共20分）
    1. 我国的根本大法是（  ）。
    A.宪法  B.民法典  C.刑法  D.行政法
    答案：A
    解析：宪法具有最高的法律效力。
    出处：《宪法》序言
    难度：2

Section headings (``一、单选题``, ``二、多项选择题``, ``三、判断题``, ``四、填空题``...) set the
type of the questions below them and, with a ``每题N分`` trailer, their points. Questions are
numbered (``1.`` ``1、`` ``（1）`` ``1)``), options lettered (``A.`` ``A、`` ``（A）`` ``A)``,
one a line or several on one line), and the key follows on an ``答案：`` line (or, when there
is none, inside the stem's bracket: ``（B）``). Questions under no heading get their type from
their answer. Headings of types studyhub cannot ask (简答题, 论述题...) make the questions
below them unsupported.

A .docx document is read paragraph by paragraph (a line break inside a paragraph splits it
into several lines of the same paragraph number). Tables are not read: banks kept in Word
tables must be saved as Excel/CSV or typed as paragraphs.

This module holds the parser; :mod:`~studyhub.banks.formats.text_syntax` recognises the kinds
of line and :mod:`~studyhub.banks.formats.text_docx` reads the lines of a Word document.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.answers import match_answer
from studyhub.banks.formats.text_docx import _docx_lines, _paragraph
from studyhub.banks.formats.text_syntax import (
    _ANSWER,
    _EXPLANATION,
    _INLINE_EXPLANATION,
    _META,
    _OPTION,
    _QUESTION,
    _bracket_answer,
    _clean,
    _heading,
    _letter,
    _out_of_order,
    _Section,
    _split_options,
    mark_blanks,
    parse_truth,
)
from studyhub.banks.formats.textio import Line, read_lines
from studyhub.banks.record import LETTERS, QuestionRecord, letters_to_indexes
from studyhub.errors import Location
from studyhub.i18n import Lazy, Message, msg, msgn

__all__ = ["mark_blanks", "parse_docx", "parse_text", "parse_truth"]


#: (line or paragraph number, text)
Where = Callable[[int], Location]
#: an answer glued to the end of an option line: ``D、xxx答案：B``
_GLUED_ANSWER = re.compile(r"(?:[【\[]\s*)?(?:正确|参考|标准)?答\s*案\s*(?:[】\]]\s*[:：]?|[:：])")
#: an option marked with a lower-case letter: ``c、``
_LOWER_OPTION = re.compile(r"^([a-h])\s*[.、．)）]")


# --- the parser --------------------------------------------------------------------------


@dataclass
class _Draft:
    """A question being read."""

    line: int
    section: _Section
    stem: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    answer: str | None = None
    answer_line: int = 0
    explanation: list[str] = field(default_factory=list)
    source: str = ""
    difficulty: int | None = None
    #: what a plain line continues: stem, option, explanation, or nothing
    last: str = "stem"
    broken: bool = False


class _WordParser:
    def __init__(self, ctx: ParseContext, where: Where) -> None:
        self.ctx = ctx
        self.where = where
        self.section = _Section()
        self.draft: _Draft | None = None

    def error(self, number: int, message: str | Lazy) -> None:
        self.ctx.error(self.where(number), message)

    def run(self, lines: Iterable[Line]) -> Iterator[QuestionRecord]:
        for number, raw in lines:
            yield from self.line(number, _clean(raw))
        yield from self.finish()

    def line(self, number: int, text: str) -> Iterator[QuestionRecord]:
        if not text:
            return
        section = _heading(text)
        if section is not None:
            yield from self.finish()
            self.section = section
            return
        match = _QUESTION.match(text)
        if match:
            yield from self.finish()
            self.ctx.begin_record(text, number)
            self.draft = _Draft(number, self.section)
            self.add_stem(match["text"])
            return
        self.ctx.add_raw(text, number)
        if self.draft is not None and (self.draft.broken or self.draft.section.unsupported):
            return
        for handler in (self.answer, self.explanation, self.meta, self.options):
            if handler(number, text):
                return
        self.plain(number, text)

    def add_stem(self, text: str) -> None:
        text = text.strip()
        if text and self.draft is not None:
            self.draft.stem.append(text)

    def question_for(self, number: int, orphan: Lazy) -> _Draft | None:
        """The question a line belongs to, or None (after reporting ``orphan``, the line
        before any question) if there is none."""
        if self.draft is None:
            self.error(number, orphan)
        return self.draft

    def answer(self, number: int, text: str) -> bool:
        match = _ANSWER.match(text)
        if not match:
            return False
        draft = self.question_for(number, msg("answer before any question"))
        if draft is None:
            return True
        value, explanation = match["value"], None
        inline = _INLINE_EXPLANATION.search(value)
        if inline:
            value, explanation = value[: inline.start()], value[inline.end() :].strip()
        value = value.strip().rstrip("。.．;；,，、").strip()
        if draft.answer is not None:
            self.error(number, msg("second answer for the same question"))
            draft.broken = True
        elif not value:
            self.error(number, msg("empty answer"))
            draft.broken = True
        else:
            draft.answer, draft.answer_line, draft.last = value, number, "answer"
            if explanation is not None:
                draft.explanation.append(explanation)
                draft.last = "explanation"
        return True

    def explanation(self, number: int, text: str) -> bool:
        match = _EXPLANATION.match(text)
        if not match:
            return False
        draft = self.question_for(number, msg("explanation before any question"))
        if draft is not None:
            value = match["value"].strip()
            if value:
                draft.explanation.append(value)
            draft.last = "explanation"
        return True

    def meta(self, number: int, text: str) -> bool:
        match = _META.match(text)
        if not match:
            return False
        key = match["k1"] or match["k2"]
        draft = self.question_for(number, msg("{label} before any question", label=key))
        if draft is None:
            return True
        value = match["value"].strip()
        draft.last = "meta"
        if key != "难度":
            draft.source = value
            return True
        digits = unicodedata.normalize("NFKC", value)
        if digits.isascii() and digits.isdigit():
            draft.difficulty = int(digits)
        else:
            self.error(number, msg("difficulty {value} is not a whole number", value=value))
            draft.broken = True
        return True

    def options(self, number: int, text: str) -> bool:
        text = self.lower_marker(text)
        first = _OPTION.match(text)
        if not first:
            return False
        glued = _GLUED_ANSWER.search(text, first.end())
        if glued is not None:  # ``D、xxx答案：B``: the answer line glued to the last option
            handled = self.options(number, text[: glued.start()].rstrip())
            self.answer(number, text[glued.start() :])
            return handled
        letter = _letter(first)
        draft = self.question_for(number, msg("option {letter} before any question", letter=letter))
        if draft is None:
            return True
        problem: Message | None = None
        if draft.answer is not None:
            problem = msg("option {letter} after the answer", letter=letter)
        elif draft.section.kind == "fill":
            problem = msg("option {letter} in a fill question", letter=letter)
        for part_letter, body in [] if problem else _split_options(text):
            problem = _out_of_order(part_letter, len(draft.options))
            if problem:
                break
            draft.options.append(body)
        if problem:
            self.error(number, problem)
            draft.broken = True
        draft.last = "option"
        return True

    def lower_marker(self, text: str) -> str:
        """``c、…`` read as ``C、…`` where C is the option the question expects next."""
        draft = self.draft
        match = _LOWER_OPTION.match(text)
        if draft is None or match is None or draft.answer is not None:
            return text
        if LETTERS.index(match[1].upper()) != len(draft.options):
            return text
        return text[: match.start(1)] + match[1].upper() + text[match.end(1) :]

    def plain(self, number: int, text: str) -> None:
        """A line that is none of the marked kinds: it continues the stem, the last option
        or the explanation; text before the first question (titles...) and notes after an
        answer (``以上答案仅供参考``) are no part of any question."""
        draft = self.draft
        if draft is None or draft.last in ("answer", "meta"):
            return
        if draft.last == "stem":
            draft.stem.append(text)
        elif draft.last == "option":
            draft.options[-1] += "\n" + text
        elif draft.last == "explanation":
            draft.explanation.append(text)

    def finish(self) -> Iterator[QuestionRecord]:
        draft, self.draft = self.draft, None
        if draft is None or draft.broken:
            return
        if draft.section.unsupported:
            self.ctx.unsupported(self.where(draft.line), draft.section.unsupported)
            return
        stem = "\n".join(draft.stem)
        if draft.answer is None:
            stem, answer = _bracket_answer(stem, draft.section.kind)
            if answer is None:
                self.error(draft.line, msg("question has no answer"))
                return
            draft.answer, draft.answer_line = answer, draft.line
        record = self.record(draft, stem, draft.answer)
        if record is not None:
            yield record

    def record(self, draft: _Draft, stem: str, answer: str) -> QuestionRecord | None:
        kind = draft.section.kind or _infer(stem, draft.options, answer)
        if kind is None:
            self.error(
                draft.answer_line,
                msg(
                    "cannot tell the question type from the answer {answer}: put the question"
                    " under a heading such as 一、单选题",
                    answer=answer,
                ),
            )
            return None
        record = QuestionRecord(
            type=kind,
            stem=stem,
            explanation="\n".join(draft.explanation),
            source=draft.source,
            difficulty=draft.difficulty,
            points=draft.section.points,
            location=self.where(draft.line),
        )
        problem = _ANSWER_READERS[kind](record, draft.options, answer)
        if problem:
            self.error(draft.answer_line, problem)
            return None
        return record


def _infer(stem: str, options: list[str], answer: str) -> str | None:
    """The type of a question under no heading, from its answer (and options, blanks)."""
    truth = parse_truth(answer)
    if len(options) == 2 and all(parse_truth(o) is not None for o in options):
        return "judge"  # A、正确 B、错误 (in any order)
    letters = match_answer(answer, options) if options else letters_to_indexes(answer)
    if letters is not None and (options or truth is None):
        return "single" if len(set(letters)) == 1 else "multiple"
    if truth is not None:
        return "judge"
    if not options and mark_blanks(stem)[1]:
        return "fill"
    return None


def _read_choice(record: QuestionRecord, options: list[str], answer: str) -> Message | None:
    letters = match_answer(answer, options)
    if letters is None:
        if len(answer) == 1:
            return msg("answer {answer} is not an option letter", answer=answer)
        return msg(
            "answer {answer} is neither option letters nor the text of an option", answer=answer
        )
    record.options = list(options)
    record.correct = sorted(set(letters))
    return None


def _read_judge(record: QuestionRecord, options: list[str], answer: str) -> Message | None:
    truth = parse_truth(answer)
    letters = match_answer(answer, options) if options else None
    if truth is None and options and letters is not None and len(letters) == 1:
        # a judge question written as a choice: A.正确 B.错误
        truth = parse_truth(options[letters[0]]) if letters[0] < len(options) else None
    if truth is None:
        return msg(
            "answer {answer} does not fit a judge question (use 对/错, 正确/错误, √/× or T/F)",
            answer=answer,
        )
    record.truth = truth
    return None


def _read_fill(record: QuestionRecord, options: list[str], answer: str) -> Message | None:
    blanks = [
        [alt.strip() for alt in re.split(r"[|/｜／]", part) if alt.strip()]
        for part in re.split(r"[;；]", answer)
    ]
    blanks = [alternatives for alternatives in blanks if alternatives]
    stem, count = mark_blanks(record.stem)
    if count == 0 and len(blanks) == 1:
        stem, count = stem + "____", 1
    if count != len(blanks):
        return msgn(
            "{n} blank in the stem but {answers} answers (separate them with ；)",
            "{n} blanks in the stem but {answers} answers (separate them with ；)",
            count,
            answers=len(blanks),
        )
    record.stem = stem
    record.blanks = blanks
    return None


_ANSWER_READERS: dict[str, Callable[[QuestionRecord, list[str], str], Message | None]] = {
    "single": _read_choice,
    "multiple": _read_choice,
    "judge": _read_judge,
    "fill": _read_fill,
}


# --- entry points --------------------------------------------------------------------------


def parse_text(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions from a Word-style text file (.txt, .md; UTF-8, GB18030 or UTF-16)."""
    return _WordParser(ctx, lambda number: ctx.at(number)).run(read_lines(ctx))


def parse_docx(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions from a Word document (.docx), read paragraph by paragraph."""
    return _WordParser(ctx, lambda number: _paragraph(ctx, number)).run(_docx_lines(ctx))
