"""Writing GIFT: :func:`export_gift`.

The exporter writes GIFT that both Moodle and
:func:`~studyhub.banks.formats.gift.parse_gift` read back: ``$CATEGORY`` from the
bank's title, the id as the title, ``[plain]`` where Moodle would render ``<`` or ``&`` as
HTML, weights where the record has them (multiple choice without weights gets the correct
options sharing 100% and -100% for each wrong one, as Moodle requires). Fill questions
with more than one blank (and other questions GIFT cannot express) are skipped with a
``// skipped <id>: <reason>`` comment line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, BinaryIO

from studyhub.banks.formats.gift_syntax import _FORMAT_RE, BLANK, WS, _escape
from studyhub.banks.formats.moodle_grades import is_moodle_grade
from studyhub.banks.record import BankHeader, QuestionRecord
from studyhub.i18n import Lazy, msg, msgn


def export_gift(records: Iterable[QuestionRecord], header: BankHeader, stream: BinaryIO) -> None:
    """Write ``records`` as GIFT (UTF-8). Questions GIFT cannot express are skipped with a
    ``// skipped <id>: <reason>`` comment line."""
    category = header.title or header.key
    if category:
        name = " ".join(category.replace("/", "//").split())
        stream.write(f"$CATEGORY: $course$/top/{name}\n\n".encode())
    for record in records:
        stream.write(gift_question(record).encode("utf-8"))


def gift_question(record: QuestionRecord) -> str:
    """One question as GIFT, with the blank line after it."""
    reason = unwritable(record)
    if reason:
        # the file keeps the English reason (a comment for whoever reads the file)
        return f"// skipped {_one_line(record.identity())}: {reason!s}\n\n"
    derived = False
    if record.type == "fill":
        body = _fill_body(record)
    elif record.type == "judge":
        body = "{" + ("TRUE" if record.truth else "FALSE") + _general(record) + "}"
    else:
        answers, derived = _choice_answers(record)
        body = "{\n" + "".join(line + "\n" for line in answers)
        if record.explanation:
            body += _general(record) + "\n"
        body += "}"
    if record.type != "fill":
        body = _escape(record.stem) + body
    return _comments(record, derived) + _title(record) + _plain_prefix(record) + body + "\n\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def unwritable(record: QuestionRecord) -> Lazy | None:
    """Why GIFT cannot express a record, or None."""
    if record.type == "fill":
        return _unwritable_fill(record)
    if record.type == "judge":
        return None if record.truth is not None else msg("judge question without an answer")
    if record.type not in ("single", "multiple"):
        return msg("question type {type} cannot be written as GIFT", type=_one_line(record.type))
    if len(record.options) < 2:
        return msg("choice question with fewer than 2 options cannot be written as GIFT")
    if any(not 0 <= i < len(record.options) for i in record.correct):
        return msg("answer is not one of the options")
    wanted = 1 if record.type == "single" else 2
    correct = len(set(record.correct))
    if correct < wanted or (wanted == 1 and correct > 1):
        if record.type == "single":
            return msgn(
                "single choice question with {n} correct option",
                "single choice question with {n} correct options",
                correct,
            )
        return msgn(
            "multiple choice question with {n} correct option",
            "multiple choice question with {n} correct options",
            correct,
        )
    if any(not o.strip(WS) for o in record.options):
        return msg("empty option cannot be written as GIFT")
    return None


def _unwritable_fill(record: QuestionRecord) -> Lazy | None:
    count = len(record.blanks)
    if count != 1 or record.stem.count(BLANK) != 1:
        count = max(count, record.stem.count(BLANK))
        return msgn(
            "fill question with {n} blank cannot be written as GIFT",
            "fill question with {n} blanks cannot be written as GIFT",
            count,
        )
    accepted = record.blanks[0]
    if not accepted or any(not a.strip(WS) for a in accepted):
        return msg("fill question with an empty accepted answer cannot be written as GIFT")
    if any("->" in a for a in accepted):
        return msg("fill answer with -> cannot be written as GIFT")
    return None


def _comments(record: QuestionRecord, derived: bool) -> str:
    own: dict[str, Any] = {
        "source": record.source,
        "difficulty": record.difficulty,
        "tags": list(record.tags),
    }
    if record.topic is not None:
        own["topic"] = record.topic
    if derived:
        own["derived_weights"] = True
    text = "// studyhub: " + json.dumps(own, ensure_ascii=False) + "\n"
    if record.tags:
        hints = (_one_line(t).replace("]", "\\]") for t in record.tags)
        text += "// " + " ".join(f"[tag:{t}]" for t in hints if t) + "\n"
    return text


def _title(record: QuestionRecord) -> str:
    return f"::{_escape(record.external_id)}::" if record.external_id else ""


def _plain_prefix(record: QuestionRecord) -> str:
    """``[plain]`` where the stem would be misread (a comment, a format tag) or where Moodle
    would render ``<`` and ``&`` as HTML."""
    texts = [record.stem, record.explanation, *record.options, *(record.feedback or [])]
    texts += [a for blank in record.blanks for a in blank]
    if (
        _FORMAT_RE.match(record.stem)
        or (not record.external_id and record.stem.startswith("//"))
        or any("<" in t or "&" in t for t in texts)
    ):
        return "[plain]"
    return ""


def _protect(text: str) -> str:
    """A text escaped, with ``[plain]`` before a text that starts like a format tag."""
    return ("[plain]" if _FORMAT_RE.match(text) else "") + _escape(text)


def _general(record: QuestionRecord) -> str:
    return "####" + _protect(record.explanation) if record.explanation else ""


def _fill_body(record: QuestionRecord) -> str:
    """A one-blank fill question as a short answer: ``text{=a =b}`` (blank at the end) or
    ``before{=a =b}after`` (Moodle's missing-word format)."""
    before, _, after = record.stem.partition(BLANK)
    answers = " ".join("=" + _weight_guard(a, "%100%") + _protect(a) for a in record.blanks[0])
    return _escape(before) + "{" + answers + _general(record) + "}" + _escape(after)


#: a text that Moodle or this parser could read as a weight ``%50%``
_WEIGHT_LIKE_RE = re.compile(r"%-*\d[\d.]*%")


def _weight_guard(text: str, weight: str) -> str:
    return weight if _WEIGHT_LIKE_RE.match(text) else ""


def _choice_answers(record: QuestionRecord) -> tuple[list[str], bool]:
    """The answer lines of a choice question, and whether weights had to be made up."""
    weights = _usable_weights(record)
    derived = False
    wrong = [o for i, o in enumerate(record.options) if i not in record.correct]
    needs = record.type == "multiple" or any(_WEIGHT_LIKE_RE.match(o) for o in wrong)
    if weights is None and needs:
        weights, derived = _derived_weights(record), True
    feedback = (
        record.feedback if record.feedback and len(record.feedback) == len(record.options) else None
    )
    lines = []
    for index, option in enumerate(record.options):
        if record.type == "single" and index in record.correct:
            mark = "="
        elif weights is None:
            mark = "~"
        else:
            mark = f"~%{_format_weight(weights[index])}%"
        line = mark + _protect(option)
        if feedback and feedback[index]:
            line += "#" + _protect(feedback[index])
        lines.append(line)
    return lines, derived


def _usable_weights(record: QuestionRecord) -> list[Decimal] | None:
    """The record's weights if they agree with its answer and are all grades Moodle accepts
    (else they are dropped)."""
    weights = record.weights
    if weights is None or len(weights) != len(record.options):
        return None
    if not all(w.is_finite() and is_moodle_grade(w) for w in weights):
        return None  # Moodle would refuse the file
    if record.type == "single":
        key = record.correct[0]
        others = [w for i, w in enumerate(weights) if i != key]
        return weights if weights[key] == 100 and all(w < 100 for w in others) else None
    positive = {i for i, w in enumerate(weights) if w > 0}
    return weights if positive == set(record.correct) else None


def _derived_weights(record: QuestionRecord) -> list[Decimal]:
    """Weights for a record without them: the correct options share 100%, a wrong one
    costs 100% (single choice: 100% and 0%)."""
    correct = set(record.correct)
    if record.type == "single":
        return [Decimal(100 if i in correct else 0) for i in range(len(record.options))]
    share = (Decimal(100) / len(correct)).quantize(Decimal("0.00001")).normalize()
    return [share if i in correct else Decimal(-100) for i in range(len(record.options))]


def _format_weight(weight: Decimal) -> str:
    return format(weight.normalize(), "f")
