"""Moodle XML question banks (read only).

``<quiz>`` holds ``<question type="...">`` elements: ``multichoice`` (single or multiple
choice), ``truefalse`` (judge) and ``shortanswer`` (fill with one blank) are read;
``category`` pseudo-questions tag the questions after them with their category's name; all
other types (matching, numerical, essay, cloze...) are unsupported.

The file is parsed with defusedxml, which refuses DTDs (and so entity bombs and external
entities), one question at a time, so a large export is never held in memory at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, tostring
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from studyhub.banks.context import MAX_FILE_BYTES, ParseContext
from studyhub.banks.formats.moodle_grades import grade_list, is_moodle_grade
from studyhub.banks.formats.text import mark_blanks
from studyhub.banks.record import QuestionRecord
from studyhub.errors import LocatedError, Location
from studyhub.i18n import Lazy, msg, msgn
from studyhub.values import describe

__all__ = ["html_to_text", "parse_moodle_xml"]

_CHUNK = 1 << 16
#: the attribute under which the collector notes an element's line (no XML name has braces)
_LINE = "{studyhub}line"
_HUNDRED = Decimal(100)


# --- HTML ----------------------------------------------------------------------------------


class _HtmlText(HTMLParser):
    """Collects the text of an HTML fragment; <br> and block elements become line breaks."""

    _BLOCKS = frozenset(
        {"p", "div", "li", "ul", "ol", "tr", "table", "blockquote", "pre", "hr", "dd", "dt"}
        | {f"h{level}" for level in range(1, 7)}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities unescaped, line breaks kept
    from ``<br>`` and ``<p>`` (and other blocks), white space collapsed."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _plain(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


# --- streaming XML -------------------------------------------------------------------------


class _NotQuiz(Exception):
    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag


class _Collector:
    """A parser target that builds the children of the root one at a time, each element
    noting its line; finished children wait in ``ready``."""

    def __init__(self) -> None:
        self.expat: expat.XMLParserType | None = None
        self.stack: list[Element] = []
        self.ready: list[Element] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if not self.stack and tag != "quiz":
            raise _NotQuiz(tag)
        element = Element(tag, attrs)
        element.set(_LINE, str(self.expat.CurrentLineNumber if self.expat else 0))
        if len(self.stack) >= 2:
            self.stack[-1].append(element)
        self.stack.append(element)

    def end(self, tag: str) -> None:
        element = self.stack.pop()
        if len(self.stack) == 1:
            self.ready.append(element)

    def data(self, text: str) -> None:
        if len(self.stack) < 2:
            return  # white space between questions
        element = self.stack[-1]
        if len(element):
            element[-1].tail = (element[-1].tail or "") + text
        else:
            element.text = (element.text or "") + text

    def close(self) -> None:
        return None


def _elements(ctx: ParseContext) -> Iterator[Element]:
    """The children of ``<quiz>`` one by one (each with its line in ``_LINE``)."""
    try:
        if ctx.path.stat().st_size > MAX_FILE_BYTES:
            raise ctx.fail(
                ctx.at(), msg("file is larger than {size} MB", size=MAX_FILE_BYTES // 2**20)
            )
        stream = ctx.path.open("rb")
    except OSError as err:
        raise ctx.fail(ctx.at(), msg("cannot read file: {detail}", detail=describe(err))) from None
    collector = _Collector()
    parser = DefusedXMLParser(target=collector, forbid_dtd=True)
    collector.expat = parser.parser
    recode: _Recoder | None = None
    first = True
    with stream:
        while True:
            try:
                chunk = stream.read(_CHUNK)
            except OSError as err:
                raise ctx.fail(
                    ctx.at(), msg("cannot read file: {detail}", detail=describe(err))
                ) from None
            if first:
                first = False
                recode = _Recoder.for_declaration(ctx, chunk)
            if recode is not None:
                chunk = recode.to_utf8(chunk)
            problem = _feed(ctx, parser, chunk)
            yield from collector.ready
            collector.ready.clear()
            if problem:
                raise problem
            if not chunk:
                return


#: the encodings expat reads itself; any other one a file declares (GBK, GB2312, GB18030,
#: common in China) is decoded here as declared and handed to expat as UTF-8
_EXPAT_NATIVE = {"utf8", "utf16", "iso88591", "latin1", "usascii", "ascii"}
_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class _Recoder:
    """Decodes a file in its declared multi-byte encoding and re-encodes it as UTF-8 (with
    the declaration rewritten), so that a GBK file is read as GBK; bytes that are not in the
    declared encoding are a located error, never mojibake."""

    def __init__(self, ctx: ParseContext, name: str) -> None:
        import codecs

        self.ctx = ctx
        self.name = name
        self.decoder = codecs.getincrementaldecoder(name)(errors="strict")
        self.lines = 1
        self.first = True

    @classmethod
    def for_declaration(cls, ctx: ParseContext, head: bytes) -> _Recoder | None:
        import codecs

        match = _DECLARATION.match(head)
        if match is None:
            return None
        name = match.group(1).decode("ascii")
        if re.sub(r"[^a-z0-9]", "", name.lower()) in _EXPAT_NATIVE:
            return None
        try:
            info = codecs.lookup(name)
        except LookupError:
            raise ctx.fail(
                ctx.at(1), msg("malformed XML: unknown encoding: {encoding}", encoding=name)
            ) from None
        if not getattr(info, "_is_text_encoding", True):  # hex, base64, rot13, zlib...
            raise ctx.fail(
                ctx.at(1), msg("malformed XML: {encoding} is not a text encoding", encoding=name)
            )
        return cls(ctx, name)

    def to_utf8(self, chunk: bytes) -> bytes:
        try:
            text = self.decoder.decode(chunk, final=not chunk)
        except (UnicodeError, ValueError, TypeError) as err:
            start = getattr(err, "start", 0) or 0
            line = self.lines + chunk[: max(start, 0)].count(b"\n")
            raise self.ctx.fail(
                self.ctx.at(line),
                msg(
                    "the file declares {encoding}, but its bytes are not {encoding}",
                    encoding=self.name,
                ),
            ) from None
        self.lines += chunk.count(b"\n")
        data = text.encode("utf-8")
        if self.first:
            self.first = False
            data = _DECLARATION.sub(
                lambda m: m.group(0).replace(m.group(1), b"UTF-8"), data, count=1
            )
        return data


def _feed(ctx: ParseContext, parser: DefusedXMLParser, chunk: bytes) -> LocatedError | None:
    """Feed a chunk (an empty one ends the document); the error that stops the parse."""
    try:
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()
    except ParseError as err:
        line, column = err.position
        reason = expat.ErrorString(err.code) if err.code else str(err)
        return ctx.fail(
            ctx.at(line),
            msg("malformed XML at column {column}: {detail}", column=column + 1, detail=reason),
        )
    except DefusedXmlException:
        return ctx.fail(
            ctx.at(parser.parser.CurrentLineNumber),
            msg("DTDs and entity declarations are refused (they can hide entity bombs)"),
        )
    except _NotQuiz as err:
        return ctx.fail(
            ctx.at(parser.parser.CurrentLineNumber),
            msg("not a Moodle XML file: the root element is <{tag}>, not <quiz>", tag=err.tag),
        )
    except LookupError as err:  # an encoding Python does not know, from the XML declaration
        return ctx.fail(ctx.at(1), msg("malformed XML: {detail}", detail=str(err)))
    except ValueError as err:  # expat: a multi-byte encoding declared in UTF-16 text, ...
        return ctx.fail(
            ctx.at(1),
            msg(
                "malformed XML: the declared encoding does not fit the file ({detail})",
                detail=str(err),
            ),
        )
    return None


# --- questions -----------------------------------------------------------------------------


def _line(element: Element) -> int:
    return int(element.get(_LINE, "0"))


def _text(element: Element | None) -> str:
    """The text of a ``<x format="..."><text>...</text></x>`` element, as plain text."""
    if element is None:
        return ""
    holder = element.find("text")
    raw = "".join(holder.itertext()) if holder is not None else ""
    form = element.get("format")
    if form == "html" or (form is None and re.search(r"<[a-zA-Z/!]", raw)):
        return html_to_text(raw)
    return _plain(raw)


def _name(question: Element) -> str | None:
    """The question's ``<name><text>`` (plain text), or None."""
    holder = question.find("name/text")
    if holder is None:
        return None
    return _plain("".join(holder.itertext())) or None


def _decimal(text: str | None) -> Decimal | None:
    """``"1.0000000"`` -> Decimal("1"), ``"33.33333"`` -> Decimal("33.33333"); None if the
    text is no finite number."""
    try:
        value = Decimal((text or "").strip())
        if not value.is_finite():
            return None
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    except InvalidOperation:
        return None
    return value


def _category(path: str) -> str | None:
    """``$course$/top/法律/宪法`` -> ``宪法`` (``//`` is an escaped slash); None at the top."""
    segments = [s.replace("\0", "/").strip() for s in path.replace("//", "\0").split("/")]
    segments = [s for s in segments if s]
    if segments and segments[0].startswith("$") and segments[0].endswith("$"):
        segments.pop(0)
    if segments and segments[0] == "top":
        segments.pop(0)
    return segments[-1] if segments else None


class _Answer:
    """One ``<answer>``: its text, fraction (percent) and feedback."""

    def __init__(self, text: str, fraction: Decimal, feedback: str) -> None:
        self.text = text
        self.fraction = fraction
        self.feedback = feedback


class _Reader:
    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.category: str | None = None
        self.builders: dict[str, Callable[[Element, QuestionRecord], bool]] = {
            "multichoice": self.multichoice,
            "multichoiceset": self.multichoice,
            "truefalse": self.truefalse,
            "shortanswer": self.shortanswer,
        }

    def question(self, element: Element) -> QuestionRecord | None:
        """The record of a ``<question>`` element, or None (category, error, unsupported)."""
        if element.tag != "question":
            return None
        where = self.ctx.at(_line(element))
        kind = element.get("type", "").strip()
        if kind == "category":
            holder = element.find("category")
            self.category = _category(_text(holder)) if holder is not None else None
            return None
        if not kind:
            self.ctx.error(where, msg("question without a type attribute"))
            return None
        builder = self.builders.get(kind)
        if builder is None:
            self.ctx.unsupported(where, kind)
            return None
        record = self.common(element, where)
        if record is None:
            return None
        return record if builder(element, record) else None

    def reject(self, record: QuestionRecord, message: str | Lazy) -> bool:
        """Report a problem of the question; False (the question is not read)."""
        assert record.location is not None
        self.ctx.error(record.location, message)
        return False

    def common(self, element: Element, where: Location) -> QuestionRecord | None:
        """A record with what all types share (stem, id, explanation, points, tags)."""
        record = QuestionRecord(
            type="single",
            stem=_text(element.find("questiontext")),
            external_id=_name(element),
            explanation=_text(element.find("generalfeedback")),
            location=where,
        )
        grade = element.find("defaultgrade")
        if grade is not None:
            record.points = _decimal(grade.text)
            if record.points is None:
                self.ctx.error(
                    self.ctx.at(_line(grade), field="defaultgrade"),
                    msg("defaultgrade {value} is not a number", value=(grade.text or "").strip()),
                )
                return None
        for tag in element.iterfind("tags/tag"):
            name = _text(tag) if tag.find("text") is not None else _plain(tag.text or "")
            if name and name not in record.tags:
                record.tags.append(name)
        if self.category and self.category not in record.tags:
            record.tags.append(self.category)
        return record

    def answers(self, element: Element) -> list[_Answer] | None:
        answers: list[_Answer] = []
        for answer in element.iterfind("answer"):
            raw = answer.get("fraction", "0")
            fraction = _decimal(raw)
            if fraction is None:
                self.ctx.error(
                    self.ctx.at(_line(answer), field="fraction"),
                    msg("fraction {value} is not a number", value=raw),
                )
                return None
            if not is_moodle_grade(fraction):
                self.ctx.error(
                    self.ctx.at(_line(answer), field="fraction"),
                    msg(
                        "fraction {value} is not a grade Moodle accepts ({grades}, or their"
                        " negatives)",
                        value=raw,
                        grades=grade_list(),
                    ),
                )
                return None
            answers.append(_Answer(_text(answer), fraction, _text(answer.find("feedback"))))
        return answers

    def multichoice(self, element: Element, record: QuestionRecord) -> bool:
        answers = self.answers(element)
        if answers is None:
            return False
        flag = (element.findtext("single") or "true").strip().lower()
        single = element.get("type") == "multichoice" and flag in ("true", "1")
        record.options = [answer.text for answer in answers]
        record.correct = [i for i, answer in enumerate(answers) if answer.fraction > 0]
        if not record.correct:
            return self.reject(
                record, msg("multichoice question without a correct answer (no positive fraction)")
            )
        if single and not any(answer.fraction == _HUNDRED for answer in answers):
            return self.reject(
                record, msg("single-answer multichoice question without an answer of fraction 100")
            )
        record.type = "single" if single or len(record.correct) == 1 else "multiple"
        if any(answer.fraction not in (0, _HUNDRED) for answer in answers):
            record.weights = [answer.fraction for answer in answers]
        if any(answer.feedback for answer in answers):
            record.feedback = [answer.feedback for answer in answers]
        return True

    def truefalse(self, element: Element, record: QuestionRecord) -> bool:
        answers = self.answers(element)
        if answers is None:
            return False
        record.type = "judge"
        keys = [answer for answer in answers if answer.fraction == _HUNDRED]
        if not keys:
            return self.reject(record, msg("true/false question without an answer of fraction 100"))
        text = keys[0].text.strip().lower()
        if text not in ("true", "false"):
            return self.reject(
                record,
                msg("true/false answer {answer} is neither true nor false", answer=keys[0].text),
            )
        record.truth = text == "true"
        return True

    def shortanswer(self, element: Element, record: QuestionRecord) -> bool:
        answers = self.answers(element)
        if answers is None:
            return False
        record.type = "fill"
        accepted = [a.text for a in answers if a.fraction == _HUNDRED and a.text]
        if not accepted:
            return self.reject(
                record, msg("short-answer question without an answer of fraction 100")
            )
        stem, blanks = mark_blanks(record.stem)
        if blanks > 1:
            return self.reject(
                record,
                msgn(
                    "short-answer question with {n} blank in its text (it has one)",
                    "short-answer question with {n} blanks in its text (it has one)",
                    blanks,
                ),
            )
        record.stem = stem if blanks else stem + "____"
        record.blanks = [accepted]
        return True


def parse_moodle_xml(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions from a Moodle XML export."""
    reader = _Reader(ctx)
    for element in _elements(ctx):
        ctx.begin_record(
            re.sub(r' [^ =]*="studyhub"| ns0:line="\d+"', "", tostring(element, "unicode"))
        )
        record = reader.question(element)
        if record is not None:
            yield record
