"""One question from loosely named fields, as exam systems, APIs and hand-made files give
them: the stem, the options (as texts), the answer as written, and optionally the
explanation, the type (a code or a word) and an id. Shared by the JSON layouts and the
tab-separated lines (see :mod:`~studyhub.banks.formats.records`,
:mod:`~studyhub.banks.formats.tablines`).

The type, when given, is a code (1 单选, 2 多选, 3 判断, 4 填空) or a word (single,
multiple, judge, fill, 单选, 多选题, 判断, 填空...); otherwise it is told from the options and
the answer as in the table formats: two options 正确/错误 (对/错, √/×, 是/否) make a 判断
question; a fill question's answer separates blanks with ``；`` and alternatives with ``|``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.answers import match_answer, strip_inline_options, strip_number
from studyhub.banks.formats.table_cells import _TYPE_LOOKUP, _judge_word, _key
from studyhub.banks.formats.table_wide import _BLANK, _BLANK_MARK, _split_blanks
from studyhub.banks.record import LETTERS, QuestionRecord
from studyhub.errors import Location
from studyhub.i18n import msg

__all__ = ["Loose", "loose_record"]

_TYPE_CODES = {"1": "single", "2": "multiple", "3": "judge", "4": "fill"}
_MORE_TYPES = {"judgment": "judge", "judgement": "judge", "tf": "judge", "blank": "fill",
               "completion": "fill", "radio": "single", "checkbox": "multiple"}  # fmt: skip
_LETTERED = re.compile(r"^\s*[（(]?\s*([A-HＡ-Ｈ])\s*[)）]?\s*[、.．:：)）]\s*")


@dataclass
class Loose:
    """A question's fields as found (texts), before they are understood."""

    stem: str
    options: list[str]
    answer: str
    explanation: str = ""
    type: str = ""
    external_id: str | None = None


def _unletter(options: list[str]) -> list[str]:
    """``["A、甲", "B、乙"]`` -> ``["甲", "乙"]`` when every option carries its own letter."""
    matches = [_LETTERED.match(o) for o in options]
    if options and all(
        m is not None
        and m[1].upper().translate({0xFF21 + i: 0x41 + i for i in range(8)}) == LETTERS[i]
        for i, m in enumerate(matches)
    ):
        return [o[m.end() :].strip() for o, m in zip(options, matches, strict=True) if m]
    return options


def _type_of(text: str) -> str | None:
    key = _key(text)
    if key in _TYPE_CODES:
        return _TYPE_CODES[key]
    qtype = _TYPE_LOOKUP.get(key) or _MORE_TYPES.get(key)
    return qtype


def loose_record(ctx: ParseContext, where: Location, loose: Loose) -> QuestionRecord | None:
    """The record of ``loose``, or None after reporting why it cannot be read."""

    def error(field: str, message: object) -> None:
        ctx.error(where.with_field(field), message)  # type: ignore[arg-type]

    options = _unletter([o.strip() for o in loose.options if o.strip()])
    stem = strip_inline_options(strip_number(loose.stem.strip()), options)
    answer = loose.answer.strip()
    if not stem:
        error("stem", msg("empty stem"))
        return None
    if not answer:
        error("answer", msg("missing answer"))
        return None
    qtype: str | None = None
    if loose.type.strip():
        qtype = _type_of(loose.type)
        if qtype is None:
            error("type", msg("unknown question type {type}", type=loose.type))
            return None
    judge_pair = len(options) == 2 and all(_judge_word(o) is not None for o in options)
    if qtype is None:
        ctx.guessed_types += 1  # said once per file, after the import
    if qtype is None or qtype == "choice":
        if judge_pair and qtype is None:
            qtype = "judge"
        elif options:
            indexes = match_answer(answer, options) or []
            qtype = "multiple" if len(indexes) > 1 else "single"
        elif _judge_word(answer) is not None:
            qtype = "judge"
        else:
            qtype = "fill"
    record = QuestionRecord(
        type=qtype,
        stem=stem,
        explanation=loose.explanation.strip(),
        external_id=loose.external_id or None,
        location=where,
    )
    if qtype in ("single", "multiple"):
        indexes = match_answer(answer, options)
        if indexes is None:
            error(
                "answer",
                msg(
                    "answer {answer} is neither option letters A-H nor the text of an option",
                    answer=answer,
                ),
            )
            return None
        record.options, record.correct = options, indexes
        if qtype == "single" and len(indexes) > 1:
            record.type = "multiple"
    elif qtype == "judge":
        truth = _judge_word(answer)
        named = match_answer(answer, options) if options else None
        if truth is None and named and len(named) == 1 and named[0] < len(options):
            truth = _judge_word(options[named[0]])
        if truth is None:
            error(
                "answer",
                msg("answer {answer} is not 正确/错误 (对/错, √/×, T/F, A/B)", answer=answer),
            )
            return None
        record.truth = truth
    else:
        record.stem = _BLANK_MARK.sub(_BLANK, stem)
        record.blanks = [b for b in _split_blanks(answer) if b]
        if record.stem.count(_BLANK) == 0 and len(record.blanks) == 1:
            record.stem += _BLANK
    return record
