"""studyhub's native bank format, in YAML or JSON (the format of ``question_banks/``).

A mapping with ``format: studyhub-bank/1`` (optional), ``bank`` (key, title, topic,
version) and ``questions``, a list of mappings with ``id``, ``type``, ``stem``, ``options``,
``answer``, ``explanation``, ``source``, ``difficulty``, ``tags`` (and optionally ``topic``,
``points``, ``weights``, ``feedback``). A bare list of questions is accepted too. See
``question_banks/README.md`` for a full example.

Both are read as streams, so each question is built and handed on one at a time and memory
stays flat: YAML as a stream of events (every question and field keeps its line number), JSON
with the C decoder one value at a time (every question keeps its line number).

This module reads the two encodings; :mod:`~studyhub.banks.formats.native_records` checks the
values and builds the records, :mod:`~studyhub.banks.formats.native_export` writes banks.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import IO, Any

import yaml

from studyhub.banks.context import MAX_FILE_BYTES, ParseContext
from studyhub.banks.formats.native_export import export_json, export_yaml
from studyhub.banks.formats.native_records import FORMAT_ID, _header, _record
from studyhub.banks.record import QuestionRecord
from studyhub.i18n import msg
from studyhub.values import describe, reason_of

__all__ = ["export_json", "export_yaml", "parse_json", "parse_yaml"]


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
            problem = err.problem or err.context or msg("invalid YAML")
            raise self.ctx.fail(
                self.ctx.at(line), msg("invalid YAML/JSON: {detail}", detail=problem)
            ) from None
        except yaml.YAMLError as err:
            raise self.ctx.fail(
                self.ctx.at(), msg("invalid YAML/JSON: {detail}", detail=str(err))
            ) from None
        except StopIteration:
            raise self.ctx.fail(self.ctx.at(), msg("unexpected end of file")) from None

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
            raise self.ctx.fail(
                self.ctx.at(self.line(event)), msg("bad value: {detail}", detail=str(err))
            ) from None
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
                raise self.ctx.fail(
                    self.ctx.at(self.line(event)),
                    msg("unknown alias *{alias}", alias=event.anchor),
                )
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
            raise self.ctx.fail(self.ctx.at(self.line(event)), msg("unexpected YAML structure"))
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
                raise self.ctx.fail(self.ctx.at(self.line(key_event)), msg("bad mapping key"))
            lines[str(key)] = self.line(key_event)
            result[str(key)] = self.value(self.next())
        return result, lines


#: the longest integer a bank may write (anything longer is not a difficulty or a count)
MAX_INT_DIGITS = 18


def _no_constant(name: str) -> Any:
    raise ValueError(msg("{name} is not a number studyhub reads", name=name))


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(msg("the number {number}... is too large", number=text[:20]))
    return int(text)


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
        self.decoder = json.JSONDecoder(parse_constant=_no_constant, parse_int=_bounded_int)
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
            raise self.ctx.fail(self.ctx.at(self.line), msg("not UTF-8 text")) from None
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
            wanted = " or ".join(repr(c) for c in chars)
            if char:
                message = msg(
                    "invalid JSON: expected {wanted}, found {found!r}", wanted=wanted, found=char
                )
            else:
                message = msg("invalid JSON: expected {wanted}, found end of file", wanted=wanted)
            raise self.ctx.fail(self.ctx.at(self.line), message)
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
                raise self.ctx.fail(
                    self.ctx.at(line), msg("invalid JSON: {detail}", detail=err.msg)
                ) from None
            except RecursionError:
                raise self.ctx.fail(
                    self.ctx.at(self.line), msg("invalid JSON: nested too deeply")
                ) from None
            except ValueError as err:  # NaN, Infinity, a number of thousands of digits
                if self._fill():
                    continue
                raise self.ctx.fail(
                    self.ctx.at(self.line), msg("invalid JSON: {detail}", detail=reason_of(err))
                ) from None
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
                        self.ctx.error(
                            self.ctx.at(line, field="bank"), msg("bank must be a mapping")
                        )
                elif key == "format":
                    value = self._value()
                    if value != FORMAT_ID:
                        self.ctx.error(
                            self.ctx.at(line, field="format"),
                            msg(
                                "unknown format {value!r}, expected {expected}",
                                value=value,
                                expected=FORMAT_ID,
                            ),
                        )
                else:
                    self._value()
                    self.ctx.error(
                        self.ctx.at(line, field=str(key)), msg("unknown field {field}", field=key)
                    )
                if self._expect(",}") == "}":
                    break
            if not seen:
                self.ctx.error(self.ctx.at(1), msg("no questions list"))
        if self._skip_ws():
            self.ctx.error(self.ctx.at(self.line), msg("unexpected content after the bank"))

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
                self.ctx.error(self.ctx.at(line), msg("a question must be a mapping"))
            if self._expect(",]") == "]":
                return


def _open(ctx: ParseContext) -> IO[bytes]:
    try:
        size = ctx.path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ctx.fail(
                ctx.at(), msg("file is larger than {size} MB", size=MAX_FILE_BYTES // 2**20)
            )
        return ctx.path.open("rb")
    except OSError as err:
        raise ctx.fail(ctx.at(), msg("cannot read file: {detail}", detail=describe(err))) from None


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
        raise ctx.fail(ctx.at(1), msg("the file is empty"))
    if not isinstance(first, yaml.MappingStartEvent):
        raise ctx.fail(
            ctx.at(events.line(first)), msg("expected a mapping with bank and questions")
        )
    seen_questions = False
    while not isinstance(key_event := events.next(), yaml.MappingEndEvent):
        key = events.value(key_event)
        line = events.line(key_event)
        if key == "questions":
            start = events.next()
            if not isinstance(start, yaml.SequenceStartEvent):
                events.value(start)
                ctx.error(ctx.at(line, field="questions"), msg("questions must be a list"))
                continue
            seen_questions = True
            yield from _questions(ctx, events)
        elif key == "bank":
            start = events.next()
            if not isinstance(start, yaml.MappingStartEvent):
                events.value(start)
                ctx.error(ctx.at(line, field="bank"), msg("bank must be a mapping"))
                continue
            values, lines = events.mapping()
            _header(ctx, values, lines)
        elif key == "format":
            value = events.value(events.next())
            if value != FORMAT_ID:
                ctx.error(
                    ctx.at(line, field="format"),
                    msg(
                        "unknown format {value!r}, expected {expected}",
                        value=value,
                        expected=FORMAT_ID,
                    ),
                )
        else:
            events.value(events.next())
            ctx.error(ctx.at(line, field=str(key)), msg("unknown field {field}", field=key))
    if not seen_questions:
        ctx.error(ctx.at(1), msg("no questions list"))
    _expect_end(ctx, events)


def _expect_end(ctx: ParseContext, events: _Events) -> None:
    """Nothing may follow the bank: a second document would be silently ignored."""
    event = events.next()
    if isinstance(event, yaml.DocumentEndEvent):
        event = events.next()
    if not isinstance(event, yaml.StreamEndEvent):
        ctx.error(ctx.at(events.line(event)), msg("unexpected content after the bank"))


def _questions(ctx: ParseContext, events: _Events) -> Iterator[QuestionRecord]:
    while not isinstance(item := events.next(), yaml.SequenceEndEvent):
        line = events.line(item)
        if not isinstance(item, yaml.MappingStartEvent):
            events.value(item)
            ctx.error(ctx.at(line), msg("a question must be a mapping"))
            continue
        values, lines = events.mapping()
        record = _record(ctx, values, lines, line)
        if record is not None:
            yield record
