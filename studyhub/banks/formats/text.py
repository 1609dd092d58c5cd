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
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from studyhub.banks.context import MAX_FILE_BYTES, ParseContext
from studyhub.banks.formats.textio import Line, check_size, read_lines
from studyhub.banks.record import LETTERS, QuestionRecord, letters_to_indexes
from studyhub.errors import Location

__all__ = ["mark_blanks", "parse_docx", "parse_text", "parse_truth"]

#: (line or paragraph number, text)
Where = Callable[[int], Location]

_SPACES = " \t\u3000\xa0"

# --- line patterns -------------------------------------------------------------------------

_KNOWN_SECTIONS: dict[str, str | None] = {
    "单选题": "single",
    "单项选择题": "single",
    "多选题": "multiple",
    "多项选择题": "multiple",
    "判断题": "judge",
    "是非题": "judge",
    "填空题": "fill",
    # either single or multiple: the answer tells
    "不定项选择题": None,
    "选择题": None,
}
#: headings of question types studyhub cannot ask, recognised even without a numeral
_ESSAY_SECTIONS = ("简答题", "论述题", "问答题", "案例分析题", "材料分析题", "名词解释")
_HEADING = re.compile(
    r"^#{0,6}\s*(?P<numeral>[一二三四五六七八九十]+\s*[、.．]\s*)?"
    r"(?P<name>[^\s（(:：，,]{1,12}?题|名词解释)(?P<rest>(?:[\s（(:：，,].*)?)$"
)
_POINTS = re.compile(r"每小?题\s*(\d+(?:\.\d+)?)\s*分")
_QUESTION = re.compile(
    r"^(?:(?P<n1>\d{1,5})\s*(?:[.．](?!\d)|、)|[（(]\s*(?P<n2>\d{1,5})\s*[)）]"
    r"|(?P<n3>\d{1,5})\s*[)）])\s*(?P<text>.*)$"
)
_LETTER = "[A-HＡ-Ｈ]"
_MARKER = rf"(?:(?P<l1>{_LETTER})\s*(?P<p1>[.、．)）])|[（(]\s*(?P<l2>{_LETTER})\s*[)）])"
_OPTION = re.compile(r"^" + _MARKER)
_MARKER_OF = {
    letter: re.compile(_MARKER.replace(_LETTER, f"[{letter}{chr(ord(letter) + 0xFEE0)}]"))
    for letter in LETTERS
}
_ANSWER = re.compile(
    r"^(?:[【\[]\s*(?:正确|参考|标准)?答\s*案\s*[】\]]\s*[:：]?|(?:正确|参考|标准)?答\s*案\s*[:：])"
    r"\s*(?P<value>.*)$"
)
_EXPLANATION_MARK = (
    r"(?:[【\[]\s*(?:答案|试题)?解\s*析\s*[】\]]\s*[:：]?|(?:答案|试题)?解\s*析\s*[:：])"
)
_EXPLANATION = re.compile(r"^" + _EXPLANATION_MARK + r"\s*(?P<value>.*)$")
_INLINE_EXPLANATION = re.compile(_EXPLANATION_MARK)
_META = re.compile(
    r"^(?:[【\[]\s*(?P<k1>出处|依据|来源|难度)\s*[】\]]\s*[:：]?|(?P<k2>出处|依据|来源|难度)\s*[:：])"
    r"\s*(?P<value>.*)$"
)
_BLANK = re.compile(r"[（(][ \t\u3000\xa0]*[)）]|_{3,}|＿{3,}")
_BRACKET_LETTERS = re.compile(
    rf"[（(]\s*(?P<value>{_LETTER}(?:\s*(?:[,，、]\s*)?{_LETTER})*)\s*[)）]"
)
_BRACKET_TRUTH = re.compile(r"[（(]\s*(?P<value>对|错|正确|错误|[√×✓✔✗✘])\s*[)）]")
_EMPTY_BRACKET = "（  ）"

_TRUE_WORDS = frozenset({"对", "正确", "√", "✓", "✔", "T", "TRUE", "是"})
_FALSE_WORDS = frozenset({"错", "错误", "×", "✗", "✘", "F", "FALSE", "否"})
_JUDGE_HINT = "use 对/错, 正确/错误, √/× or T/F"


def parse_truth(text: str) -> bool | None:
    """``对``/``正确``/``√``/``T`` -> True, ``错``/``错误``/``×``/``F`` -> False, else None."""
    word = unicodedata.normalize("NFKC", text).strip().upper()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


def mark_blanks(stem: str) -> tuple[str, int]:
    """The stem with every blank (``（  ）``, ``(  )``, 3+ underscores) written ``____``,
    and the number of blanks."""
    marked, count = _BLANK.subn("____", stem)
    return marked, count


# --- reading lines ---------------------------------------------------------------------------


def _docx_lines(ctx: ParseContext) -> Iterator[Line]:
    """The paragraphs of a Word document, numbered from 1; a paragraph with line breaks
    gives several lines with the same number."""
    check_size(ctx)
    _check_zip(ctx)
    import docx

    try:
        document = docx.Document(str(ctx.path))
        paragraphs = document.paragraphs
        numbering = _Numbering(document)
    except Exception as err:
        raise ctx.fail(ctx.at(), f"cannot read the Word document: {err}") from None
    for number, paragraph in enumerate(paragraphs, 1):
        try:
            text = numbering.label(paragraph) + paragraph.text
        except Exception as err:
            raise ctx.fail(_paragraph(ctx, number), f"cannot read the paragraph: {err}") from None
        for part in re.split(r"[\n\r\v]", text):
            yield number, part


_CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese_numeral(value: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十 (enough for section headings)."""
    if value < 10:
        return _CHINESE_DIGITS[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        head = "" if tens == 1 else _CHINESE_DIGITS[tens]
        return head + "十" + (_CHINESE_DIGITS[ones] if ones else "")
    return str(value)


def _format_number(value: int, kind: str) -> str:
    """A list counter as Word shows it (letters in upper case: the parser reads those)."""
    if kind in ("upperLetter", "lowerLetter") and 1 <= value <= 26:
        return chr(ord("A") + value - 1)
    if kind.startswith(("chinese", "ideograph", "taiwanese", "japanese")):
        return _chinese_numeral(value)
    return str(value)


class _Numbering:
    """Word's automatic list numbering, which ``paragraph.text`` leaves out: ``1.`` before
    a numbered question, ``A.`` before an option, ``一、`` before a heading."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val")) if ref is not None else None)
            starts = self.start_overrides(num)
            for level in definition.findall(qn("w:lvl")) if definition is not None else []:
                ilvl = level.get(qn("w:ilvl")) or "0"
                form, text, start = self.level(level)
                key = (num.get(qn("w:numId")) or "", ilvl)
                self.levels[key] = (form, text, starts.get(ilvl, start))

    def start_overrides(self, num: Any) -> dict[str, int]:
        """``<w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/>`` of a ``<w:num>``."""
        qn = self.qn
        starts: dict[str, int] = {}
        for override in num.findall(qn("w:lvlOverride")):
            start = override.find(qn("w:startOverride"))
            value = start.get(qn("w:val"), "") if start is not None else ""
            if value.isdigit():
                starts[override.get(qn("w:ilvl")) or "0"] = int(value)
        return starts

    def level(self, level: Any) -> tuple[str, str, int]:
        """(number format, level text such as ``%1.``, start) of a ``<w:lvl>``."""
        values = []
        for tag, default in (("w:numFmt", "decimal"), ("w:lvlText", ""), ("w:start", "1")):
            child = level.find(self.qn(tag))
            values.append(child.get(self.qn("w:val"), default) if child is not None else default)
        start = int(values[2]) if values[2].isdigit() else 1
        return values[0], values[1], start

    def label(self, paragraph: Any) -> str:
        """The number Word shows before the paragraph ("" if it is not in a numbered list)."""
        num_pr = self.num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id, ilvl = num_pr
        form, text, start = self.levels.get((num_id, str(ilvl)), ("none", "", 1))
        if form in ("bullet", "none") or not text:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        for level, value in counters.items():
            level_form = self.levels.get((num_id, str(level)), (form, "", 1))[0]
            text = text.replace(f"%{level + 1}", _format_number(value, level_form))
        return text

    def num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        """(numId, level) of a paragraph, from itself or its style."""
        qn = self.qn
        for holder in (paragraph._p, getattr(paragraph.style, "element", None)):
            p_pr = holder.find(qn("w:pPr")) if holder is not None else None
            num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
            if num_pr is None:
                continue
            num_id = num_pr.find(qn("w:numId"))
            ilvl = num_pr.find(qn("w:ilvl"))
            value = ilvl.get(qn("w:val"), "0") if ilvl is not None else "0"
            if num_id is None or num_id.get(qn("w:val")) in (None, "0"):
                return None
            return num_id.get(qn("w:val")), int(value) if value.isdigit() else 0
        return None


def _check_zip(ctx: ParseContext) -> None:
    """Refuse what is not a zip archive (e.g. an old .doc) and archives that unpack to
    more than MAX_FILE_BYTES."""
    try:
        with zipfile.ZipFile(ctx.path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ctx.fail(
            ctx.at(), "not a .docx file (an old .doc document must be saved as .docx first)"
        ) from None
    if unpacked > MAX_FILE_BYTES:
        raise ctx.fail(ctx.at(), f"the document unpacks to more than {MAX_FILE_BYTES // 2**20} MB")


def _paragraph(ctx: ParseContext, number: int) -> Location:
    return Location(ctx.display, number, None, None, "paragraph")


def _clean(text: str) -> str:
    """A line without surrounding white space and Markdown bold markers."""
    return text.replace("**", "").strip()


# --- the parser --------------------------------------------------------------------------


@dataclass
class _Section:
    """What a heading says about the questions below it."""

    kind: str | None = None
    points: Decimal | None = None
    #: the heading's name when studyhub cannot ask its questions (简答题...)
    unsupported: str | None = None


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

    def error(self, number: int, message: str) -> None:
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
            self.draft = _Draft(number, self.section)
            self.add_stem(match["text"])
            return
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

    def current(self, number: int, what: str) -> _Draft | None:
        """The question a line belongs to, or None (after an error) if there is none."""
        if self.draft is None:
            self.error(number, f"{what} before any question")
        return self.draft

    def answer(self, number: int, text: str) -> bool:
        match = _ANSWER.match(text)
        if not match:
            return False
        draft = self.current(number, "answer")
        if draft is None:
            return True
        value, explanation = match["value"], None
        inline = _INLINE_EXPLANATION.search(value)
        if inline:
            value, explanation = value[: inline.start()], value[inline.end() :].strip()
        value = value.strip().rstrip("。.．;；,，").strip()
        if draft.answer is not None:
            self.error(number, "second answer for the same question")
            draft.broken = True
        elif not value:
            self.error(number, "empty answer")
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
        draft = self.current(number, "explanation")
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
        draft = self.current(number, key)
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
            self.error(number, f"difficulty {value} is not a whole number")
            draft.broken = True
        return True

    def options(self, number: int, text: str) -> bool:
        first = _OPTION.match(text)
        if not first:
            return False
        letter = _letter(first)
        draft = self.current(number, f"option {letter}")
        if draft is None:
            return True
        problem = None
        if draft.answer is not None:
            problem = f"option {letter} after the answer"
        elif draft.section.kind == "fill":
            problem = f"option {letter} in a fill question"
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

    def plain(self, number: int, text: str) -> None:
        """A line that is none of the marked kinds: it continues the stem, the last option
        or the explanation; text before the first question (titles...) is ignored."""
        draft = self.draft
        if draft is None:
            return
        if draft.last == "stem":
            draft.stem.append(text)
        elif draft.last == "option":
            draft.options[-1] += "\n" + text
        elif draft.last == "explanation":
            draft.explanation.append(text)
        else:
            self.error(
                number,
                "text outside the stem, options and explanation (start an explanation with 解析：)",
            )

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
                self.error(draft.line, "question has no answer")
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
                f"cannot tell the question type from the answer {answer}: put the question "
                "under a heading such as 一、单选题",
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


def _heading(text: str) -> _Section | None:
    """The section a heading line starts, or None if the line is no heading."""
    match = _HEADING.match(text)
    if not match:
        return None
    name = match["name"]
    points_match = _POINTS.search(unicodedata.normalize("NFKC", match["rest"]))
    points = Decimal(points_match[1]) if points_match else None
    if name in _KNOWN_SECTIONS:
        return _Section(_KNOWN_SECTIONS[name], points)
    if match["numeral"] or name in _ESSAY_SECTIONS:
        return _Section(None, points, unsupported=name)
    return None


def _letter(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match["l1"] or match["l2"])


def _style(match: re.Match[str]) -> str:
    """The kind of an option marker: ``.`` (also ``．``), ``、``, ``)`` or ``()``."""
    if match["l2"]:
        return "()"
    return {"．": ".", "）": ")"}.get(match["p1"], match["p1"])


def _split_options(text: str) -> list[tuple[str, str]]:
    """``A.甲  B.乙`` -> [("A", "甲"), ("B", "乙")]: a line split at the markers of the
    following letters (after white space, or directly after text in the same style)."""
    match = _OPTION.match(text)
    assert match is not None
    style = _style(match)
    parts: list[tuple[str, str]] = []
    while True:
        letter = _letter(match)
        index = LETTERS.index(letter) + 1
        following = _next_marker(text, LETTERS[index], style, match.end()) if index < 8 else None
        end = following.start() if following else len(text)
        parts.append((letter, text[match.end() : end].strip()))
        if following is None:
            return parts
        match = following


def _next_marker(text: str, letter: str, style: str, start: int) -> re.Match[str] | None:
    for match in _MARKER_OF[letter].finditer(text, start):
        before = text[match.start() - 1]
        if before in _SPACES or (_style(match) == style and not before.isascii()):
            return match
    return None


def _out_of_order(letter: str, count: int) -> str | None:
    if count >= len(LETTERS):
        return f"option {letter} out of order (at most {len(LETTERS)} options, A-H)"
    if letter != LETTERS[count]:
        return f"option {letter} out of order (expected {LETTERS[count]})"
    return None


def _bracket_answer(stem: str, kind: str | None) -> tuple[str, str | None]:
    """The key written in the stem's bracket (``（B）``, ``（√）``), taken out of the stem
    (which gets an empty ``（  ）``); ``(stem, None)`` if there is none."""
    if kind == "fill":
        return stem, None
    patterns = {
        "single": (_BRACKET_LETTERS,),
        "multiple": (_BRACKET_LETTERS,),
        "judge": (_BRACKET_TRUTH, _BRACKET_LETTERS),
    }.get(kind or "", (_BRACKET_LETTERS, _BRACKET_TRUTH))
    for pattern in patterns:
        matches = list(pattern.finditer(stem))
        if matches:
            last = matches[-1]
            return stem[: last.start()] + _EMPTY_BRACKET + stem[last.end() :], last["value"]
    return stem, None


def _infer(stem: str, options: list[str], answer: str) -> str | None:
    """The type of a question under no heading, from its answer (and options, blanks)."""
    letters = letters_to_indexes(answer)
    truth = parse_truth(answer)
    if letters is not None and (options or truth is None):
        return "single" if len(set(letters)) == 1 else "multiple"
    if truth is not None:
        return "judge"
    if not options and mark_blanks(stem)[1]:
        return "fill"
    return None


def _read_choice(record: QuestionRecord, options: list[str], answer: str) -> str | None:
    letters = letters_to_indexes(answer)
    if letters is None:
        if len(answer) == 1:
            return f"answer {answer} is not an option letter"
        return f"answer {answer} is not made of option letters"
    record.options = list(options)
    record.correct = sorted(set(letters))
    return None


def _read_judge(record: QuestionRecord, options: list[str], answer: str) -> str | None:
    truth = parse_truth(answer)
    letters = letters_to_indexes(answer)
    if truth is None and options and letters is not None and len(letters) == 1:
        # a judge question written as a choice: A.正确 B.错误
        truth = parse_truth(options[letters[0]]) if letters[0] < len(options) else None
    if truth is None:
        return f"answer {answer} does not fit a judge question ({_JUDGE_HINT})"
    record.truth = truth
    return None


def _read_fill(record: QuestionRecord, options: list[str], answer: str) -> str | None:
    blanks = [
        [alt.strip() for alt in re.split(r"[|/｜／]", part) if alt.strip()]
        for part in re.split(r"[;；]", answer)
    ]
    blanks = [alternatives for alternatives in blanks if alternatives]
    stem, count = mark_blanks(record.stem)
    if count == 0 and len(blanks) == 1:
        stem, count = stem + "____", 1
    if count != len(blanks):
        return f"{count} blanks in the stem but {len(blanks)} answers (separate them with ；)"
    record.stem = stem
    record.blanks = blanks
    return None


_ANSWER_READERS: dict[str, Callable[[QuestionRecord, list[str], str], str | None]] = {
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
