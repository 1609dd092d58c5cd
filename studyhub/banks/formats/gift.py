"""GIFT, Moodle's text format for questions: :func:`parse_gift` and :func:`export_gift`.

The parser reads GIFT as Moodle's importer (``question/format/gift/format.php``) does:

* questions are separated by blank lines; lines starting with ``//`` are comments;
* ``$CATEGORY: $course$/top/民法典/总则`` sets a category for the questions after it: its
  last path segment becomes a tag (``//`` inside a segment is a literal slash);
* ``::name::`` at the start is the question's title: it becomes ``external_id`` (a Moodle
  ``// [id:...]`` comment, where present, wins over it); ``// [tag:...]`` comments add tags;
* ``[html]`` ``[moodle]`` ``[plain]`` ``[markdown]`` at the start of a text set its format;
  the tag is dropped, and ``[html]`` text becomes plain text (tags stripped, entities
  unescaped). Answers and feedback inherit the format of the question text;
* escapes: ``\\~ \\= \\# \\{ \\} \\: \\\\`` and ``\\n`` (a line break);
* the answers are in ``{...}``:

  - ``{=right ~wrong}``: single choice; ``{~%50%a ~%50%b ~%-100%c}``: weights in percent:
    without any ``=`` the options with a positive weight are correct (multiple choice when
    there are two or more); with an ``=`` it is single choice (``=`` is 100%) and other
    weights are partial credit. Weights are kept in ``weights`` when the file gives any;
  - ``#text`` after an answer is its feedback (``feedback``), ``####text`` at the end of the
    answers the general feedback (``explanation``);
  - ``{T}`` ``{TRUE}`` ``{F}`` ``{FALSE}`` (any case; ``#feedback`` allowed and dropped): judge;
  - ``{=a =b}`` (no ``~``): short answer, read as a fill question with one blank whose
    accepted answers are those with full credit (answers with a partial weight are dropped);
  - text after the closing brace (Moodle's "missing word" format) puts the blank ``____``
    where the braces were; for a short answer at the end of the text the blank is put at
    the end (or, when the text has exactly one run of underscores, there).

  Numerical ``{#...}``, matching ``{=a -> b}``, essay ``{}`` and descriptions (no braces)
  go to ``ctx.unsupported``. GIFT has no points.
* ``// studyhub: {"source": ..., "difficulty": ..., "tags": [...]}`` (written by
  :func:`export_gift`, also with ``topic``, and ``"derived_weights": true`` when the weights
  were made up for Moodle) carries studyhub's own fields. Where it is present it is the
  whole truth: its tags replace category and ``[tag:...]`` tags, and the title is the id.

Stricter than Moodle: an unclosed title, a ``{`` inside an answer set, a second answer set
and a stray ``}`` are reported (Moodle reads them as text or guesses). More lenient: a
``$CATEGORY`` line may be followed by a question without a blank line between them.

The exporter is :mod:`~studyhub.banks.formats.gift_export`; the escapes and text formats both
use are in :mod:`~studyhub.banks.formats.gift_syntax`.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.gift_export import export_gift
from studyhub.banks.formats.gift_export import gift_question as gift_question
from studyhub.banks.formats.gift_export import unwritable as unwritable
from studyhub.banks.formats.gift_syntax import BLANK, WS, _decode, _encode, _text
from studyhub.banks.formats.moodle_grades import grade_list, is_moodle_grade
from studyhub.banks.formats.textio import Line, read_lines
from studyhub.banks.record import QuestionRecord
from studyhub.i18n import N_, msg

__all__ = ["export_gift", "parse_gift"]


# --- parsing ---------------------------------------------------------------------------------


@dataclass
class _Source:
    """The non-comment lines of one question, encoded and joined with line breaks."""

    text: str
    starts: list[int]
    numbers: list[int]

    @classmethod
    def of(cls, lines: list[Line]) -> _Source:
        starts, offset = [], 0
        for _, text in lines:
            starts.append(offset)
            offset += len(text) + 1
        return cls("\n".join(t for _, t in lines), starts, [n for n, _ in lines])

    def line(self, offset: int) -> int:
        """The line number of a character of ``text``."""
        return self.numbers[max(bisect_right(self.starts, offset) - 1, 0)]


@dataclass
class _Meta:
    """What the comment lines of a question say."""

    ok: bool = True
    studyhub: dict[str, Any] | None = None
    idnumber: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class _Answers:
    """The answer set of a question, read."""

    type: str
    options: list[str] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    truth: bool | None = None
    accepted: list[str] = field(default_factory=list)
    weights: list[Decimal] | None = None
    feedback: list[str] | None = None
    explanation: str = ""


def parse_gift(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """The questions of a GIFT file (see the module docstring)."""
    category: list[str | None] = [None]
    for block in _blocks(read_lines(ctx)):
        ctx.begin_record("\n".join(text for _, text in block), block[0][0])
        record = _read_block(ctx, block, category)
        if record is not None:
            yield record


def _blocks(lines: Iterable[Line]) -> Iterator[list[Line]]:
    """Runs of non-blank lines (trimmed)."""
    block: list[Line] = []
    for number, text in lines:
        stripped = text.strip(WS)
        if stripped:
            block.append((number, stripped))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _read_block(
    ctx: ParseContext, block: list[Line], category: list[str | None]
) -> QuestionRecord | None:
    comments = [(n, t) for n, t in block if t.startswith("//")]
    lines = [(n, t) for n, t in block if not t.startswith("//")]
    while lines and lines[0][1].startswith("$CATEGORY:"):
        category[0] = _category_tag(lines[0][1][len("$CATEGORY:") :])
        lines = lines[1:]
    if not lines:
        return None
    meta = _read_comments(ctx, comments)
    if not meta.ok:
        return None
    source = _Source.of([(n, _encode(t)) for n, t in lines])
    return _read_question(ctx, source, meta, category[0])


def _category_tag(path: str) -> str | None:
    """The last segment of a category path (``//`` is a literal slash in a segment)."""
    segments = [s.replace("//", "/").strip() for s in re.findall(r"(?:[^/]|//)+", path)]
    segments = [s for s in segments if s]
    if not segments or segments[-1] == "top" or re.fullmatch(r"\$\w*\$", segments[-1]):
        return None
    return segments[-1]


# comments: // studyhub: {...}, Moodle's // [id:...] [tag:...]

_MOODLE_ID_RE = re.compile(r"\[id:((?:\\\]|[^\]])+)\]")
_MOODLE_TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]])+)\]")
_STUDYHUB = "studyhub:"


def _read_comments(ctx: ParseContext, comments: list[Line]) -> _Meta:
    meta = _Meta()
    for number, text in comments:
        body = text[2:].strip()
        if body.startswith(_STUDYHUB):
            meta.studyhub = _studyhub_comment(ctx, number, body[len(_STUDYHUB) :])
            meta.ok = meta.ok and meta.studyhub is not None
            continue
        match = _MOODLE_ID_RE.search(body)
        if match:
            meta.idnumber = match.group(1).replace("\\]", "]").strip() or None
        for tag in _MOODLE_TAG_RE.findall(body):
            meta.tags.append(tag.replace("\\]", "]").strip())
    return meta


#: key of the studyhub comment -> (check, the message when it fails)
_META_KEYS: dict[str, tuple[Any, str]] = {
    "source": (lambda v: isinstance(v, str), N_("studyhub comment: source must be a string")),
    "difficulty": (
        lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
        N_("studyhub comment: difficulty must be an integer or null"),
    ),
    "tags": (
        lambda v: isinstance(v, list) and all(isinstance(t, str) for t in v),
        N_("studyhub comment: tags must be a list of strings"),
    ),
    "topic": (
        lambda v: v is None or isinstance(v, str),
        N_("studyhub comment: topic must be a string or null"),
    ),
    "derived_weights": (
        lambda v: isinstance(v, bool),
        N_("studyhub comment: derived_weights must be true or false"),
    ),
}


def _studyhub_comment(ctx: ParseContext, number: int, text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        ctx.error(ctx.at(number), msg("the studyhub comment is not a JSON object"))
        return None
    for key, (check, message) in _META_KEYS.items():
        if key in data and not check(data[key]):
            ctx.error(ctx.at(number), msg(message))
            return None
    return data


# the question


def _read_question(
    ctx: ParseContext, src: _Source, meta: _Meta, category: str | None
) -> QuestionRecord | None:
    text = src.text
    loc = ctx.at(src.numbers[0])
    start, name = 0, None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            ctx.error(loc, msg("question title not closed with ::"))
            return None
        name = _decode(text[2:end]).strip(WS) or None
        start = end + 2
    braces = _find_braces(ctx, src, start)
    if braces is None:
        return None
    opening, closing = braces
    missing_word = bool(text[closing + 1 :].strip(WS))
    stem_raw = text[start:opening]
    question_format = _text(stem_raw, "moodle")[1]
    answers = _read_answers(ctx, src, opening + 1, text[opening + 1 : closing], question_format)
    if answers is None:
        return None
    if missing_word or answers.type == "fill":
        stem_raw += BLANK
    stem = _text(stem_raw + text[closing + 1 :], "moodle")[0]
    if answers.type == "fill" and not missing_word:
        stem = _blank_at_end(stem)
    record = _record(answers, stem, meta, name, category)
    record.location = loc
    record.title_scope = (
        (category or "") if name and not meta.idnumber and not meta.studyhub else None
    )
    return record


def _find_braces(ctx: ParseContext, src: _Source, start: int) -> tuple[int, int] | None:
    """The answer set's braces; None (reported) when there is none or they do not match."""
    text = src.text
    opening, closing = text.find("{", start), text.find("}", start)
    if opening < 0 and closing < 0:
        ctx.unsupported(ctx.at(src.numbers[0]), msg("description"))
        return None
    if closing >= 0 and (opening < 0 or closing < opening):
        ctx.error(
            ctx.at(src.line(closing)), msg("{close} without a matching {open}", close="}", open="{")
        )
        return None
    closing = text.find("}", opening)
    if closing < 0:
        ctx.error(ctx.at(src.line(opening)), msg("unterminated {open} (opened here)", open="{"))
        return None
    inner = text.find("{", opening + 1, closing)
    if inner >= 0:
        ctx.error(
            ctx.at(src.line(inner)),
            msg("{open} inside an answer set (write \\{open} for a brace)", open="{"),
        )
        return None
    more = [i for i in (text.find("{", closing), text.find("}", closing + 1)) if i >= 0]
    if more:
        where = min(more)
        if text[where] == "}":
            ctx.error(
                ctx.at(src.line(where)),
                msg("{close} without a matching {open}", close="}", open="{"),
            )
        else:
            ctx.error(
                ctx.at(src.line(where)),
                msg("a second answer set {open}...{close} in one question", open="{", close="}"),
            )
        return None
    return opening, closing


def _blank_at_end(stem: str) -> str:
    """A short answer after the text: its blank is at the end, or where the text has its
    only run of underscores (``The capital is ___. {=Paris}``)."""
    if not stem.endswith(BLANK):
        return stem
    head = stem[: -len(BLANK)]
    runs = list(re.finditer(r"_{3,}", head))
    if len(runs) == 1:
        run = runs[0]
        return (head[: run.start()] + BLANK + head[run.end() :]).rstrip(WS)
    return stem


def _record(
    answers: _Answers, stem: str, meta: _Meta, name: str | None, category: str | None
) -> QuestionRecord:
    record = QuestionRecord(
        type=answers.type,
        stem=stem,
        options=answers.options,
        correct=answers.correct,
        truth=answers.truth,
        blanks=[answers.accepted] if answers.type == "fill" else [],
        external_id=meta.idnumber or name,
        explanation=answers.explanation,
        weights=answers.weights,
        feedback=answers.feedback,
    )
    own = meta.studyhub
    if own is None:
        tags = ([category] if category else []) + meta.tags
        record.tags = list(dict.fromkeys(t for t in tags if t))
        return record
    # the question was written by export_gift: its own comment is the whole truth
    record.external_id = name
    record.source = own.get("source", "")
    record.difficulty = own.get("difficulty")
    record.tags = list(own.get("tags", []))
    record.topic = own.get("topic")
    if own.get("derived_weights"):
        record.weights = None
    return record


# answers

_WEIGHT_RE = re.compile(r"%(-*)(\d+(?:\.\d*)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _read_answers(
    ctx: ParseContext, src: _Source, offset: int, answer: str, fmt: str
) -> _Answers | None:
    """The answer set (``answer`` starts at ``offset`` of the source text)."""
    explanation = ""
    general = answer.rfind("####")
    if general >= 0:
        explanation = _text(answer[general + 4 :], fmt)[0]
        answer = answer[:general]
    body = answer.strip(WS)
    loc = ctx.at(src.numbers[0])
    if not body:
        ctx.unsupported(loc, msg("essay"))
        return None
    if body.startswith("#"):
        ctx.unsupported(loc, msg("numerical"))
        return None
    if "~" in body:
        answers = _read_choice(ctx, src, offset, answer, fmt)
    elif "=" in body and "->" in body:
        ctx.unsupported(loc, msg("matching"))
        return None
    elif (word := body.partition("#")[0].strip(WS).upper()) in _TRUE_FALSE:
        answers = _Answers("judge", truth=_TRUE_FALSE[word])
    else:
        answers = _read_short(ctx, src, offset, answer, fmt)
    if answers is not None:
        answers.explanation = explanation
    return answers


def _pieces(answer: str, separators: str, kept: str) -> Iterator[tuple[int, str]]:
    """The answers of an answer set as ``(index, text)``: split before each character of
    ``separators`` (dropped) and of ``kept`` (kept); an empty first piece is dropped."""
    start = 0
    for index, char in enumerate(answer):
        if char in separators or char in kept:
            if start > 0 or answer[:index].strip(WS):
                yield start, answer[start:index]
            start = index + 1 if char in separators else index
    if start > 0 or answer.strip(WS):
        yield start, answer[start:]


def _read_choice(
    ctx: ParseContext, src: _Source, offset: int, answer: str, fmt: str
) -> _Answers | None:
    options: list[str] = []
    feedback: list[str] = []
    weights: list[Decimal] = []
    has_equals = explicit = False
    for index, piece in _pieces(answer, "~", "="):
        text = piece.strip(WS)
        weight = Decimal(0)
        if text.startswith("="):
            has_equals, weight, text = True, Decimal(100), text[1:]
        elif match := _WEIGHT_RE.match(text):
            explicit, weight, text = True, _weight(match), text[match.end() :]
            if not _graded(ctx, _piece_line(src, offset, index, piece), weight):
                return None
        option, _, comment = text.partition("#")
        option_text = _text(option, fmt)[0]
        if not option_text:
            ctx.error(ctx.at(_piece_line(src, offset, index, piece)), msg("empty answer"))
            return None
        options.append(option_text)
        feedback.append(_text(comment, fmt)[0])
        weights.append(weight)
    if not any(w > 0 for w in weights):
        ctx.error(
            ctx.at(src.numbers[0], field="answer"),
            msg(
                "a choice question without a correct answer (mark it with = or a positive %weight%)"
            ),
        )
        return None
    result = _Answers("single", options)
    if has_equals:
        result.correct = [i for i, w in enumerate(weights) if w >= 100]
    else:
        result.correct = [i for i, w in enumerate(weights) if w > 0]
        result.type = "single" if len(result.correct) == 1 else "multiple"
    result.weights = weights if explicit else None
    result.feedback = feedback if any(feedback) else None
    return result


def _piece_line(src: _Source, offset: int, index: int, piece: str) -> int:
    """The line of an answer: of its first character, or of its separator if it is blank."""
    if piece.strip(WS):
        return src.line(offset + index + len(piece) - len(piece.lstrip(WS)))
    return src.line(offset + max(index - 1, 0))


def _graded(ctx: ParseContext, line: int, weight: Decimal) -> bool:
    """Whether ``weight`` is a grade Moodle accepts (else reported: Moodle refuses the file)."""
    if is_moodle_grade(weight):
        return True
    ctx.error(
        ctx.at(line, field="weight"),
        msg(
            "weight {weight} is not a grade Moodle accepts ({grades}, or their negatives)",
            weight=format(weight, "f") + "%",
            grades=grade_list(),
        ),
    )
    return False


def _weight(match: re.Match[str]) -> Decimal:
    return Decimal(("-" if match.group(1) else "") + match.group(2))


def _read_short(
    ctx: ParseContext, src: _Source, offset: int, answer: str, fmt: str
) -> _Answers | None:
    result = _Answers("fill")
    for index, piece in _pieces(answer, "=", ""):
        text = piece.strip(WS)
        weight = Decimal(100)
        if match := _WEIGHT_RE.match(text):
            weight, text = _weight(match), text[match.end() :]
            if not _graded(ctx, _piece_line(src, offset, index, piece), weight):
                return None
        accepted = _text(text.partition("#")[0], fmt)[0]
        if not accepted:
            ctx.error(ctx.at(_piece_line(src, offset, index, piece)), msg("empty answer"))
            return None
        if weight >= 100:
            result.accepted.append(accepted)
    if not result.accepted:
        ctx.error(ctx.at(src.numbers[0]), msg("no answer with full credit"))
        return None
    return result
