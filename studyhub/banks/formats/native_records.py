"""Checking the values of a native bank (YAML or JSON, already decoded) and building its
question records and header from them: the fields and their rules
(see :mod:`studyhub.banks.formats.native`)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from studyhub.banks.context import ParseContext, RawJson
from studyhub.banks.record import LETTERS, QuestionRecord, letters_to_indexes
from studyhub.banks.validate import HEADER_LIMITS
from studyhub.errors import Location
from studyhub.i18n import msg
from studyhub.labels import Word
from studyhub.values import too_long, unstorable

FORMAT_ID = "studyhub-bank/1"
QUESTION_FIELDS = {
    "id", "type", "stem", "options", "answer", "explanation", "source", "difficulty", "tags",
    "topic", "points", "weights", "feedback",
}  # fmt: skip
HEADER_FIELDS = {"key", "title", "topic", "version", "description"}
TYPE_NAMES = {
    "single": "single", "单选": "single", "单选题": "single", "单项选择题": "single",
    "multiple": "multiple", "多选": "multiple", "多选题": "multiple", "多项选择题": "multiple",
    "judge": "judge", "判断": "judge", "判断题": "judge", "truefalse": "judge",
    "fill": "fill", "填空": "fill", "填空题": "fill",
}  # fmt: skip
TRUE_WORDS = {"对", "正确", "√", "✓", "是", "true", "t", "yes"}
FALSE_WORDS = {"错", "错误", "×", "✗", "否", "false", "f", "no"}


def _header(ctx: ParseContext, values: dict[str, Any], lines: dict[str, int]) -> None:
    for name, value in values.items():
        where = ctx.at(lines[name], field=f"bank.{name}")
        if name not in HEADER_FIELDS:
            ctx.error(where, msg("unknown field bank.{name}", name=name))
        elif value is not None and not isinstance(value, str | int | float):
            ctx.error(where, msg("bank.{name} must be text", name=name))
        elif (problem := unstorable(value)) is not None:
            ctx.error(where, problem)
        elif name in HEADER_LIMITS and (
            message := too_long(f"bank.{name}", _text(value), HEADER_LIMITS[name])
        ):
            ctx.error(where, message)
    header = ctx.header
    header.key = _text(values.get("key")) or None
    header.title = _text(values.get("title")) or None
    header.topic = _text(values.get("topic")) or None
    header.version = _text(values.get("version")) or None


def _text(value: Any) -> str:
    if type(value) is str:  # the common case first: most values are texts
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


#: a field's place in the file, asked for only when there is something to say about it
Where = Callable[[], Location]


def _record(
    ctx: ParseContext, values: dict[str, Any], lines: dict[str, int], line: int
) -> QuestionRecord | None:
    def at(name: str) -> Location:
        return ctx.at(lines.get(name, line), field=name)

    ctx.begin_record(RawJson(values))

    ok = True
    for name in values:
        if name not in QUESTION_FIELDS:
            ctx.error(at(name), msg("unknown field {field}", field=name))
            ok = False
    raw_type = _text(values.get("type"))
    qtype = TYPE_NAMES.get(raw_type.lower())
    if qtype is None:
        if raw_type:
            message = msg("unknown type {type} (single, multiple, judge or fill)", type=raw_type)
        else:
            message = msg("missing type (single, multiple, judge or fill)")
        ctx.error(at("type"), message)
        return None
    stem = values.get("stem")
    if stem is not None and not isinstance(stem, str | int | float):
        ctx.error(at("stem"), msg("stem must be text"))
        ok = False
    record = QuestionRecord(type=qtype, stem=_text(stem), location=ctx.at(line))
    record.external_id = _text(values.get("id")) or None
    record.explanation = _text(values.get("explanation"))
    record.source = _text(values.get("source"))
    record.topic = _text(values.get("topic")) or None
    # where each field is, worked out only for an error (most records have none)
    ok &= _options(ctx, record, values.get("options"), lambda: at("options"))
    ok &= _answer(ctx, record, values, lambda: at("answer"))
    ok &= _difficulty(ctx, record, values.get("difficulty"), lambda: at("difficulty"))
    ok &= _tags(ctx, record, values.get("tags"), lambda: at("tags"))
    ok &= _extras(ctx, record, values, at)
    return record if ok else None


def _options(ctx: ParseContext, record: QuestionRecord, options: Any, where: Where) -> bool:
    if options is None:
        return True
    if isinstance(options, dict):
        letters = [str(k).strip().upper() for k in options]
        if letters != list(LETTERS[: len(letters)]):
            ctx.error(where(), msg("option letters must run A, B, C... in order"))
            return False
        options = list(options.values())
    if not isinstance(options, list) or not all(isinstance(o, str | int | float) for o in options):
        ctx.error(where(), msg("options must be a list of texts"))
        return False
    if record.type in ("judge", "fill") and options:
        ctx.error(where(), msg("a {type} question has no options", type=Word(record.type)))
        return False
    record.options = [_text(o) for o in options]
    return True


def _answer(
    ctx: ParseContext, record: QuestionRecord, values: dict[str, Any], where: Where
) -> bool:
    if "answer" not in values or values["answer"] is None or values["answer"] == "":
        ctx.error(where(), msg("missing answer"))
        return False
    answer = values["answer"]
    if record.type in ("single", "multiple"):
        text = "".join(_text(a) for a in answer) if isinstance(answer, list) else _text(answer)
        indexes = letters_to_indexes(text)
        if indexes is None:
            ctx.error(where(), msg("answer {answer!r} is not option letters", answer=text))
            return False
        record.correct = indexes
        return True
    if record.type == "judge":
        if isinstance(answer, bool):
            record.truth = answer
            return True
        word = _text(answer).lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            record.truth = word in TRUE_WORDS
            return True
        ctx.error(
            where(),
            msg(
                "answer {answer!r} of a judge question must be true or false", answer=_text(answer)
            ),
        )
        return False
    blanks = answer if isinstance(answer, list) else [answer]
    result: list[list[str]] = []
    for blank in blanks:
        accepted = blank if isinstance(blank, list) else [blank]
        texts = [_text(a) for a in accepted if _text(a)]
        if not texts or any(isinstance(a, dict | list) for a in accepted):
            ctx.error(where(), msg("each blank needs one or more accepted answers"))
            return False
        result.append(texts)
    record.blanks = result
    return True


def _difficulty(ctx: ParseContext, record: QuestionRecord, value: Any, where: Where) -> bool:
    if value is None or value == "":
        return True
    if type(value) is int:  # the common case: a whole number
        record.difficulty = value
        return True
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        ctx.error(where(), msg("difficulty must be a whole number from 1 to 5"))
        return False
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        ctx.error(where(), msg("difficulty {value!r} is not a number from 1 to 5", value=value))
        return False
    if number != number.to_integral_value():
        ctx.error(where(), msg("difficulty {value} is not a whole number", value=value))
        return False
    record.difficulty = int(number)
    return True


def _tags(ctx: ParseContext, record: QuestionRecord, value: Any, where: Where) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        value = [t for t in value.replace("，", ",").replace("、", ",").split(",")]
    if not isinstance(value, list) or not all(isinstance(t, str | int | float) for t in value):
        ctx.error(where(), msg("tags must be a list of texts"))
        return False
    record.tags = [t for t in (_text(t) for t in value) if t]
    return True


def _extras(ctx: ParseContext, record: QuestionRecord, values: dict[str, Any], at: Any) -> bool:
    ok = True
    if values.get("points") is not None:
        try:
            record.points = Decimal(_text(values["points"]))
        except InvalidOperation:
            ctx.error(at("points"), msg("points {value!r} is not a number", value=values["points"]))
            ok = False
    if values.get("weights") is not None:
        weights = values["weights"]
        try:
            record.weights = [Decimal(_text(w)) for w in weights]
        except (InvalidOperation, TypeError):
            ctx.error(at("weights"), msg("weights must be a list of numbers (percent per option)"))
            ok = False
    if values.get("feedback") is not None:
        feedback = values["feedback"]
        if not isinstance(feedback, list):
            ctx.error(at("feedback"), msg("feedback must be a list of texts (one per option)"))
            ok = False
        else:
            record.feedback = [_text(f) for f in feedback]
    return ok
