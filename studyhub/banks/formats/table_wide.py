"""The wide table layout: one row per question, with its options in columns ``选项A``..``选项H``
and the key in ``答案`` (see :mod:`studyhub.banks.formats.table`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.answers import (
    is_no_option,
    match_answer,
    strip_inline_options,
    strip_number,
)
from studyhub.banks.formats.table_cells import (
    _TYPE_LOOKUP,
    Rows,
    _Cells,
    _common,
    _data_rows,
    _Header,
    _is_judge_pair,
    _judge_word,
    _key,
    _unknown_type,
)
from studyhub.banks.record import LETTERS, QuestionRecord
from studyhub.i18n import msg, msgn

_BLANK_MARK = re.compile(r"[（(]\s*[)）]|_{3,}|＿{3,}")
_BLANK = "____"
_ALT_SEPARATORS = "|｜"
_BLANK_SEPARATORS = ";；"
_ESCAPABLE = "\\|｜;；"


def _wide_options(cells: _Cells) -> list[str]:
    """The option cells; a cell that is empty is no option, and so is a cell holding only
    its own letter under a bare letter heading (``D`` under ``D``) or after the last real
    option. Under ``选项A`` (studyhub's own export) a cell ``A`` before a real option is the
    option text "A"."""
    texts = [cells.get(f"opt{i}") for i in range(len(LETTERS))]
    real = [i for i, text in enumerate(texts) if text and not is_no_option(text, i)]
    end = max(real, default=-1)

    def placeholder(i: int, text: str) -> bool:
        bare = (cells.header.names.get(f"opt{i}") or "").strip().upper() == LETTERS[i]
        return is_no_option(text, i) and (bare or i > end or not text.strip())

    texts = ["" if placeholder(i, text) else text for i, text in enumerate(texts)]
    last = max((i for i, text in enumerate(texts) if text), default=-1)
    for i in range(last):
        if not texts[i]:
            cells.error(
                f"opt{i}",
                msg(
                    "option {letter} is empty but option {last} is filled",
                    letter=LETTERS[i],
                    last=LETTERS[last],
                ),
            )
    return texts[: last + 1]


def _choice_type(answer: str, options: list[str]) -> str:
    indexes = match_answer(answer, options) or []
    return "multiple" if len(set(indexes)) > 1 else "single"


def _infer_type(options: list[str], answer: str, stem: str) -> str | None:
    """The type of a question without 题型, from its options, answer and stem."""
    if options:
        if _is_judge_pair(options) and _judge_truth(answer, options) is not None:
            return "judge"
        return _choice_type(answer, options) if match_answer(answer, options) else None
    if _judge_truth(answer, []) is not None:
        return "judge"
    if _BLANK_MARK.search(stem):
        return "fill"
    return None


def _wide_type(cells: _Cells, options: list[str], answer: str) -> str | None:
    text = cells.get("type")
    if text:
        qtype = _TYPE_LOOKUP.get(_key(text))
        if qtype is None:
            problem = msg(
                "unknown question type {type} (expected 单选, 多选, 判断 or 填空)", type=text
            )
            _unknown_type(cells, text, problem)
            return None
        if not answer:
            cells.error("answer", msg("the answer is empty"))
            return None
        return _choice_type(answer, options) if qtype == "choice" else qtype
    if not answer:
        cells.error("answer", msg("the answer is empty"))
        return None
    qtype = _infer_type(options, answer, cells.get("stem"))
    if qtype is not None:
        cells.ctx.guessed_types += 1  # said once per file, after the import
    if qtype is None:
        where = "type" if "type" in cells.header.columns else "answer"
        cells.error(
            where,
            msg("cannot tell the question type from the answer {answer}; give 题型", answer=answer),
        )
    return qtype


def _judge_truth(answer: str, options: list[str]) -> bool | None:
    """A judge key: a word (对/错, T/F...) or A/B (also ``B、错误``), which name the options
    if they are words, whatever their order."""
    truth = _judge_word(answer)
    if truth is not None:
        return truth
    named = match_answer(answer, options) if options else None
    if named is not None and len(named) == 1 and named[0] < len(options):
        truth = _judge_word(options[named[0]])
        if truth is not None:
            return truth
    key = _key(answer).rstrip("、.．,，")
    if key not in ("a", "b"):
        return None
    index = "ab".index(key)
    if index < len(options):
        named = _judge_word(options[index])
        if named is not None:
            return named
    return index == 0


def _split_blanks(text: str) -> list[list[str]]:
    """``a|b；c`` -> ``[["a", "b"], ["c"]]``; a backslash makes a separator literal."""
    blanks: list[list[str]] = []
    alternatives: list[str] = []
    chars: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            chars.append(text[i + 1])
            i += 2
            continue
        if ch in _ALT_SEPARATORS or ch in _BLANK_SEPARATORS:
            alternatives.append("".join(chars))
            chars = []
            if ch in _BLANK_SEPARATORS:
                blanks.append(alternatives)
                alternatives = []
        else:
            chars.append(ch)
        i += 1
    alternatives.append("".join(chars))
    blanks.append(alternatives)
    return [[a.strip() for a in blank if a.strip()] for blank in blanks]


def _join_blanks(blanks: list[list[str]]) -> str:
    """The inverse of :func:`_split_blanks`."""

    def escape(text: str) -> str:
        return "".join("\\" + ch if ch in _ESCAPABLE else ch for ch in text)

    return "；".join("|".join(escape(a) for a in blank) for blank in blanks)


def _fill_answer(cells: _Cells, record: QuestionRecord, answer: str) -> None:
    record.stem = _BLANK_MARK.sub(_BLANK, record.stem)
    blanks = _split_blanks(answer)
    if len(blanks) > 1 and not blanks[-1]:
        blanks.pop()  # a trailing separator
    for number, blank in enumerate(blanks, 1):
        if not blank:
            cells.error("answer", msg("blank {number} has no accepted answer", number=number))
    count = record.stem.count(_BLANK)
    if count == 0:
        cells.error("stem", msg("the stem has no blank (mark each blank with ____ or （  ）)"))
    elif count != len(blanks):
        cells.error(
            "answer",
            msgn(
                "the stem has {n} blank but the answer gives {answers}",
                "the stem has {n} blanks but the answer gives {answers}",
                count,
                answers=len(blanks),
            ),
        )
    record.blanks = blanks


def _set_answer(cells: _Cells, record: QuestionRecord, answer: str) -> None:
    if record.type in ("single", "multiple"):
        indexes = match_answer(answer, record.options)
        if indexes is None:
            cells.error(
                "answer",
                msg(
                    "answer {answer} is neither option letters A-H nor the text of an option",
                    answer=answer,
                ),
            )
        else:
            record.correct = sorted(set(indexes))
    elif record.type == "judge":
        record.truth = _judge_truth(answer, record.options)
        record.options = []
        if record.truth is None:
            cells.error(
                "answer",
                msg("answer {answer} is not 正确/错误 (对/错, √/×, T/F, A/B)", answer=answer),
            )
    else:
        record.options = []
        _fill_answer(cells, record, answer)


def _wide_record(cells: _Cells) -> QuestionRecord | None:
    options = _wide_options(cells)
    answer = cells.get("answer")
    qtype = _wide_type(cells, options, answer)
    common = _common(cells)
    if qtype is None or not cells.ok:
        return None
    # a stem's leading number (12、) is the file's numbering, not the question: dropped,
    # except in a table whose ids are names (studyhub's own exports, "q-421"), which
    # keeps a stem exactly as written
    ident = cells.get("id").strip()
    stem = common["stem"] if ident and not ident.isdigit() else strip_number(common["stem"])
    common["stem"] = strip_inline_options(stem, options)
    record = QuestionRecord(
        type=qtype, options=options, external_id=cells.get("id") or None, **common
    )
    _set_answer(cells, record, answer)
    return record if cells.ok else None


def _wide_records(
    ctx: ParseContext, header: _Header, rows: Rows, sheet: str | None
) -> Iterator[QuestionRecord]:
    for _row, cells in _data_rows(ctx, header, rows, sheet):
        record = _wide_record(cells)
        if record is not None:
            yield record
