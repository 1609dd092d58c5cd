"""studyhub's native bank format, in YAML or JSON (the format of ``question_banks/``).

A mapping with ``format: studyhub-bank/1`` (optional), ``bank`` (key, title, topic,
version) and ``questions``, a list of mappings with ``id``, ``type``, ``stem``, ``options``,
``answer``, ``explanation``, ``source``, ``difficulty``, ``tags`` (and optionally ``topic``,
``points``, ``weights``, ``feedback``). A bare list of questions is accepted too. See
``question_banks/README.md`` for a full example.

Both are read as streams, so each question is built and handed on one at a time and memory
stays flat: YAML as a stream of events (every question and field keeps its line number), JSON
with the C decoder one value at a time (every question keeps its line number).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import yaml

from studyhub.banks.context import MAX_FILE_BYTES, ParseContext
from studyhub.banks.record import LETTERS, BankHeader, QuestionRecord, letters_to_indexes
from studyhub.banks.validate import HEADER_LIMITS
from studyhub.errors import Location
from studyhub.values import NUL_MESSAGE, has_nul, too_long

__all__ = ["export_json", "export_yaml", "parse_json", "parse_yaml"]

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

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_MISSING = object()


class _Events:
    """Builds plain Python values from a YAML event stream, keeping line numbers."""

    def __init__(self, ctx: ParseContext, stream: IO[bytes]) -> None:
        self.ctx = ctx
        self.events = yaml.parse(stream, Loader=_Loader)
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, Any] = {}
        #: resolved plain scalars (true, 3, null...) by their text
        self.plain_cache: dict[str, Any] = {}

    def next(self) -> yaml.Event:
        try:
            return next(self.events)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = mark.line + 1 if mark else None
            problem = err.problem or err.context or "invalid YAML"
            raise self.ctx.fail(self.ctx.at(line), f"invalid YAML/JSON: {problem}") from None
        except yaml.YAMLError as err:
            raise self.ctx.fail(self.ctx.at(), f"invalid YAML/JSON: {err}") from None
        except StopIteration:
            raise self.ctx.fail(self.ctx.at(), "unexpected end of file") from None

    @staticmethod
    def line(event: yaml.Event) -> int:
        return event.start_mark.line + 1 if event.start_mark else 0

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag == "!" or (tag is None and not event.implicit[0]):
            return event.value  # quoted or block scalar without a tag: text
        if tag is None:
            cached = self.plain_cache.get(event.value, _MISSING)
            if cached is not _MISSING:
                return cached
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag == _STR_TAG:
                return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError) as err:
            raise self.ctx.fail(self.ctx.at(self.line(event)), f"bad value: {err}") from None
        finally:
            # the constructor remembers every node it built; keep memory flat while streaming
            self.constructor.constructed_objects.clear()
        if event.tag is None and len(self.plain_cache) < 10_000 and len(event.value) <= 32:
            self.plain_cache[event.value] = value
        return value

    def value(self, event: yaml.Event) -> Any:
        """The whole value starting at ``event``."""
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise self.ctx.fail(self.ctx.at(self.line(event)), f"unknown alias *{event.anchor}")
            return self.anchors[event.anchor]
        if isinstance(event, yaml.ScalarEvent):
            result: Any = self.scalar(event)
        elif isinstance(event, yaml.SequenceStartEvent):
            result = []
            while not isinstance(item := self.next(), yaml.SequenceEndEvent):
                result.append(self.value(item))
        elif isinstance(event, yaml.MappingStartEvent):
            result, _ = self.mapping()
        else:
            raise self.ctx.fail(self.ctx.at(self.line(event)), "unexpected YAML structure")
        anchor = getattr(event, "anchor", None)
        if anchor:
            self.anchors[anchor] = result
        return result

    def mapping(self) -> tuple[dict[Any, Any], dict[str, int]]:
        """The rest of a mapping (after its start event), and the line of each key."""
        result: dict[Any, Any] = {}
        lines: dict[str, int] = {}
        while not isinstance(key_event := self.next(), yaml.MappingEndEvent):
            key = self.value(key_event)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise self.ctx.fail(self.ctx.at(self.line(key_event)), "bad mapping key")
            lines[str(key)] = self.line(key_event)
            result[str(key)] = self.value(self.next())
        return result, lines


def parse_yaml(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions of a native YAML bank file."""
    with _open(ctx) as stream:
        yield from _parse(ctx, stream)


def parse_json(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions of a native JSON bank file, decoded one question at a time."""
    with _open(ctx) as stream:
        yield from _JsonStream(ctx, stream).parse()


class _JsonStream:
    """A JSON bank read with the C decoder one value at a time from a sliding buffer, so that
    memory stays flat and each question knows its line."""

    CHUNK = 1 << 20

    def __init__(self, ctx: ParseContext, stream: IO[bytes]) -> None:
        self.ctx = ctx
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig")
        self.decoder = json.JSONDecoder()
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        try:
            chunk = self.text.read(self.CHUNK)
        except UnicodeDecodeError:
            raise self.ctx.fail(self.ctx.at(self.line), "not UTF-8 text") from None
        if not chunk:
            self.eof = True
            return False
        if self.pos > self.CHUNK:
            self.buf, self.pos = self.buf[self.pos :], 0
        self.buf += chunk
        return True

    def _advance(self, end: int) -> None:
        self.line += self.buf.count("\n", self.pos, end)
        self.pos = end

    def _skip_ws(self) -> str:
        """The next non-blank character ('' at the end), without consuming it."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                if self.buf[self.pos] == "\n":
                    self.line += 1
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def _expect(self, chars: str) -> str:
        char = self._skip_ws()
        if not char or char not in chars:
            found = repr(char) if char else "end of file"
            wanted = " or ".join(repr(c) for c in chars)
            raise self.ctx.fail(
                self.ctx.at(self.line), f"invalid JSON: expected {wanted}, found {found}"
            )
        self.pos += 1
        return char

    def _value(self) -> Any:
        self._skip_ws()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as err:
                if self._fill():
                    continue
                line = self.line + self.buf.count("\n", self.pos, err.pos)
                raise self.ctx.fail(self.ctx.at(line), f"invalid JSON: {err.msg}") from None
            if end == len(self.buf) and not isinstance(value, dict | list | str) and self._fill():
                continue  # a number or literal may go on in the next chunk
            self._advance(end)
            return value

    def parse(self) -> Iterator[QuestionRecord]:
        first = self._expect("{[")
        if first == "[":
            yield from self._questions()
        else:
            seen = False
            while True:
                if self._skip_ws() == "}":
                    self.pos += 1
                    break
                line = self.line
                key = self._value()
                self._expect(":")
                if key == "questions":
                    self._expect("[")
                    seen = True
                    yield from self._questions()
                elif key == "bank":
                    value = self._value()
                    if isinstance(value, dict):
                        _header(self.ctx, value, {k: line for k in value})
                    else:
                        self.ctx.error(self.ctx.at(line, field="bank"), "bank must be a mapping")
                elif key == "format":
                    value = self._value()
                    if value != FORMAT_ID:
                        self.ctx.error(
                            self.ctx.at(line, field="format"),
                            f"unknown format {value!r}, expected {FORMAT_ID}",
                        )
                else:
                    self._value()
                    self.ctx.error(self.ctx.at(line, field=str(key)), f"unknown field {key}")
                if self._expect(",}") == "}":
                    break
            if not seen:
                self.ctx.error(self.ctx.at(1), "no questions list")
        if self._skip_ws():
            self.ctx.error(self.ctx.at(self.line), "unexpected content after the bank")

    def _questions(self) -> Iterator[QuestionRecord]:
        if self._skip_ws() == "]":
            self.pos += 1
            return
        while True:
            self._skip_ws()
            line = self.line
            value = self._value()
            if isinstance(value, dict):
                record = _record(self.ctx, value, {}, line)
                if record is not None:
                    yield record
            else:
                self.ctx.error(self.ctx.at(line), "a question must be a mapping")
            if self._expect(",]") == "]":
                return


def _open(ctx: ParseContext) -> IO[bytes]:
    try:
        size = ctx.path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ctx.fail(ctx.at(), f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
        return ctx.path.open("rb")
    except OSError as err:
        raise ctx.fail(ctx.at(), f"cannot read file: {err.strerror}") from None


def _parse(ctx: ParseContext, stream: IO[bytes]) -> Iterator[QuestionRecord]:
    events = _Events(ctx, stream)
    first = events.next()
    while isinstance(first, yaml.StreamStartEvent | yaml.DocumentStartEvent):
        first = events.next()
    if isinstance(first, yaml.SequenceStartEvent):
        yield from _questions(ctx, events)
        _expect_end(ctx, events)
        return
    if isinstance(first, yaml.StreamEndEvent | yaml.DocumentEndEvent):
        raise ctx.fail(ctx.at(1), "the file is empty")
    if not isinstance(first, yaml.MappingStartEvent):
        raise ctx.fail(ctx.at(events.line(first)), "expected a mapping with bank and questions")
    seen_questions = False
    while not isinstance(key_event := events.next(), yaml.MappingEndEvent):
        key = events.value(key_event)
        line = events.line(key_event)
        if key == "questions":
            start = events.next()
            if not isinstance(start, yaml.SequenceStartEvent):
                events.value(start)
                ctx.error(ctx.at(line, field="questions"), "questions must be a list")
                continue
            seen_questions = True
            yield from _questions(ctx, events)
        elif key == "bank":
            start = events.next()
            if not isinstance(start, yaml.MappingStartEvent):
                events.value(start)
                ctx.error(ctx.at(line, field="bank"), "bank must be a mapping")
                continue
            values, lines = events.mapping()
            _header(ctx, values, lines)
        elif key == "format":
            value = events.value(events.next())
            if value != FORMAT_ID:
                ctx.error(
                    ctx.at(line, field="format"), f"unknown format {value!r}, expected {FORMAT_ID}"
                )
        else:
            events.value(events.next())
            ctx.error(ctx.at(line, field=str(key)), f"unknown field {key}")
    if not seen_questions:
        ctx.error(ctx.at(1), "no questions list")
    _expect_end(ctx, events)


def _expect_end(ctx: ParseContext, events: _Events) -> None:
    """Nothing may follow the bank: a second document would be silently ignored."""
    event = events.next()
    if isinstance(event, yaml.DocumentEndEvent):
        event = events.next()
    if not isinstance(event, yaml.StreamEndEvent):
        ctx.error(ctx.at(events.line(event)), "unexpected content after the bank")


def _header(ctx: ParseContext, values: dict[str, Any], lines: dict[str, int]) -> None:
    for name, value in values.items():
        where = ctx.at(lines[name], field=f"bank.{name}")
        if name not in HEADER_FIELDS:
            ctx.error(where, f"unknown field bank.{name}")
        elif value is not None and not isinstance(value, str | int | float):
            ctx.error(where, f"bank.{name} must be text")
        elif has_nul(value):
            ctx.error(where, NUL_MESSAGE)
        elif name in HEADER_LIMITS and (
            message := too_long(f"bank.{name}", _text(value), HEADER_LIMITS[name])
        ):
            ctx.error(where, message)
    header = ctx.header
    header.key = _text(values.get("key")) or None
    header.title = _text(values.get("title")) or None
    header.topic = _text(values.get("topic")) or None
    header.version = _text(values.get("version")) or None


def _questions(ctx: ParseContext, events: _Events) -> Iterator[QuestionRecord]:
    while not isinstance(item := events.next(), yaml.SequenceEndEvent):
        line = events.line(item)
        if not isinstance(item, yaml.MappingStartEvent):
            events.value(item)
            ctx.error(ctx.at(line), "a question must be a mapping")
            continue
        values, lines = events.mapping()
        record = _record(ctx, values, lines, line)
        if record is not None:
            yield record


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _record(
    ctx: ParseContext, values: dict[str, Any], lines: dict[str, int], line: int
) -> QuestionRecord | None:
    def at(name: str) -> Location:
        return ctx.at(lines.get(name, line), field=name)

    ok = True
    for name in values:
        if name not in QUESTION_FIELDS:
            ctx.error(at(name), f"unknown field {name}")
            ok = False
    raw_type = _text(values.get("type"))
    qtype = TYPE_NAMES.get(raw_type.lower())
    if qtype is None:
        message = "missing type" if not raw_type else f"unknown type {raw_type}"
        ctx.error(at("type"), message + " (single, multiple, judge or fill)")
        return None
    stem = values.get("stem")
    if stem is not None and not isinstance(stem, str | int | float):
        ctx.error(at("stem"), "stem must be text")
        ok = False
    record = QuestionRecord(type=qtype, stem=_text(stem), location=ctx.at(line))
    record.external_id = _text(values.get("id")) or None
    record.explanation = _text(values.get("explanation"))
    record.source = _text(values.get("source"))
    record.topic = _text(values.get("topic")) or None
    ok &= _options(ctx, record, values.get("options"), at("options"))
    ok &= _answer(ctx, record, values, at("answer"))
    ok &= _difficulty(ctx, record, values.get("difficulty"), at("difficulty"))
    ok &= _tags(ctx, record, values.get("tags"), at("tags"))
    ok &= _extras(ctx, record, values, at)
    return record if ok else None


def _options(ctx: ParseContext, record: QuestionRecord, options: Any, where: Location) -> bool:
    if options is None:
        return True
    if isinstance(options, dict):
        letters = [str(k).strip().upper() for k in options]
        if letters != list(LETTERS[: len(letters)]):
            ctx.error(where, "option letters must run A, B, C... in order")
            return False
        options = list(options.values())
    if not isinstance(options, list) or not all(isinstance(o, str | int | float) for o in options):
        ctx.error(where, "options must be a list of texts")
        return False
    if record.type in ("judge", "fill") and options:
        ctx.error(where, f"a {record.type} question has no options")
        return False
    record.options = [_text(o) for o in options]
    return True


def _answer(
    ctx: ParseContext, record: QuestionRecord, values: dict[str, Any], where: Location
) -> bool:
    if "answer" not in values or values["answer"] is None or values["answer"] == "":
        ctx.error(where, "missing answer")
        return False
    answer = values["answer"]
    if record.type in ("single", "multiple"):
        text = "".join(_text(a) for a in answer) if isinstance(answer, list) else _text(answer)
        indexes = letters_to_indexes(text)
        if indexes is None:
            ctx.error(where, f"answer {text!r} is not option letters")
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
        ctx.error(where, f"answer {_text(answer)!r} of a judge question must be true or false")
        return False
    blanks = answer if isinstance(answer, list) else [answer]
    result: list[list[str]] = []
    for blank in blanks:
        accepted = blank if isinstance(blank, list) else [blank]
        texts = [_text(a) for a in accepted if _text(a)]
        if not texts or any(isinstance(a, dict | list) for a in accepted):
            ctx.error(where, "each blank needs one or more accepted answers")
            return False
        result.append(texts)
    record.blanks = result
    return True


def _difficulty(ctx: ParseContext, record: QuestionRecord, value: Any, where: Location) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        ctx.error(where, "difficulty must be a whole number from 1 to 5")
        return False
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        ctx.error(where, f"difficulty {value!r} is not a number from 1 to 5")
        return False
    if number != number.to_integral_value():
        ctx.error(where, f"difficulty {value} is not a whole number")
        return False
    record.difficulty = int(number)
    return True


def _tags(ctx: ParseContext, record: QuestionRecord, value: Any, where: Location) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        value = [t for t in value.replace("，", ",").replace("、", ",").split(",")]
    if not isinstance(value, list) or not all(isinstance(t, str | int | float) for t in value):
        ctx.error(where, "tags must be a list of texts")
        return False
    record.tags = [t for t in (_text(t) for t in value) if t]
    return True


def _extras(ctx: ParseContext, record: QuestionRecord, values: dict[str, Any], at: Any) -> bool:
    ok = True
    if values.get("points") is not None:
        try:
            record.points = Decimal(_text(values["points"]))
        except InvalidOperation:
            ctx.error(at("points"), f"points {values['points']!r} is not a number")
            ok = False
    if values.get("weights") is not None:
        weights = values["weights"]
        try:
            record.weights = [Decimal(_text(w)) for w in weights]
        except (InvalidOperation, TypeError):
            ctx.error(at("weights"), "weights must be a list of numbers (percent per option)")
            ok = False
    if values.get("feedback") is not None:
        feedback = values["feedback"]
        if not isinstance(feedback, list):
            ctx.error(at("feedback"), "feedback must be a list of texts (one per option)")
            ok = False
        else:
            record.feedback = [_text(f) for f in feedback]
    return ok


def _question_data(record: QuestionRecord) -> dict[str, Any]:
    data: dict[str, Any] = {"id": record.identity(), "type": record.type, "stem": record.stem}
    if record.type in ("single", "multiple"):
        data["options"] = list(record.options)
        data["answer"] = "".join(LETTERS[i] for i in sorted(record.correct) if i < len(LETTERS))
    elif record.type == "judge":
        data["answer"] = bool(record.truth)
    else:
        data["answer"] = [list(b) for b in record.blanks]
    for name in ("explanation", "source"):
        if getattr(record, name):
            data[name] = getattr(record, name)
    if record.difficulty is not None:
        data["difficulty"] = record.difficulty
    if record.tags:
        data["tags"] = list(record.tags)
    if record.topic:
        data["topic"] = record.topic
    if record.points is not None:
        data["points"] = _number(record.points)
    if record.weights is not None:
        data["weights"] = [_number(w) for w in record.weights]
    if record.feedback is not None and any(record.feedback):
        data["feedback"] = list(record.feedback)
    return data


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _header_data(header: BankHeader) -> dict[str, str]:
    return {k: v for k, v in vars(header).items() if v}


def export_yaml(records: Iterable[QuestionRecord], header: BankHeader, stream: IO[bytes]) -> None:
    """Write a native YAML bank, one question at a time."""
    out = io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=True)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 100, "default_flow_style": False}
    out.write(f"format: {FORMAT_ID}\n")
    out.write(yaml.safe_dump({"bank": _header_data(header)}, **dump))
    empty = True
    for record in records:
        if empty:
            out.write("questions:\n")
            empty = False
        text = yaml.safe_dump([_question_data(record)], **dump)
        out.write("".join("  " + line + "\n" for line in text.splitlines()))
    if empty:
        out.write("questions: []\n")
    out.flush()
    out.detach()


def export_json(records: Iterable[QuestionRecord], header: BankHeader, stream: IO[bytes]) -> None:
    """Write a native JSON bank, one question at a time."""
    out = io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=True)
    out.write('{\n  "format": "' + FORMAT_ID + '",\n')
    out.write('  "bank": ' + json.dumps(_header_data(header), ensure_ascii=False) + ",\n")
    out.write('  "questions": [')
    first = True
    for record in records:
        out.write("\n    " if first else ",\n    ")
        out.write(json.dumps(_question_data(record), ensure_ascii=False))
        first = False
    out.write("\n  ]\n}\n")
    out.flush()
    out.detach()
