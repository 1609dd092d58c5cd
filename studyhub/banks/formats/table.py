"""CSV and Excel (.xlsx) question banks.

Two table layouts are read, told apart by their header row. The header is matched by its
text after trimming, NFKC and case folding (white space and a ``*`` marking a required
column are ignored); it may follow instruction rows: the first of the first 10 rows with at
least two known headers, or with the question column, is the header row. An unknown header
is an error; columns with an empty header are ignored.

1. **Wide layout**, one row per question: ``题型`` (单选/多选/判断/填空/不定项...),
   ``题干``, ``选项A``..``选项H`` (also ``A``..``H``, ``option A``), ``答案``, ``解析``, ``难度``
   (1-5 or 易/较易/中/较难/难), ``出处``, ``标签`` and ``知识点`` (both go to the tags, split on
   ``, ， 、 ; ；``), ``编号`` (the external id) and ``分值``; English headers too. The answer
   of a choice question is its letters (``ABD``, ``A,B,D``, ``A、B``); of a judge question a
   word such as 正确/错误, 对/错, √/×, T/F, 是/否 or the letter A (正确) or B (错误); of a fill
   question the accepted answers: ``|`` between the alternatives of one blank and ``；`` or
   ``;`` between blanks (``北京|北平；上海``); a backslash makes the next ``| ｜ ; ； \\``
   literal. Blanks in a fill stem are written ``____``, ``（  ）``, ``(  )`` or a run of three
   or more underscores. Without a 题型 the type is inferred from the answer.
2. **Row-per-option layout** of Chinese exam systems: ``题目序号``, ``题目类型`` (1 = 单选,
   2 = 多选, 3 = 判断, or the words), ``题目内容``, ``整体解析``, ``是否正确项`` (0/1),
   ``选项内容`` and optionally ``分值``, ``难度``, ``出处``, ``标签``, ``知识点``, ``选项序号``.
   Consecutive rows with the same 题目序号 (or an empty one, as left by merged cells) form
   one question; its fields come from the first row, the options from the rows in order.
   The 题目序号 is only a position in the file, not an external id.

CSV files are UTF-8 (with or without BOM) or else GB18030 (GBK); the delimiter (``,`` ``;``
or tab) is the one under which the header row is found. Every sheet of a workbook with a
header row is read. Rows are numbered as Excel shows them (CSV: one per physical CSV
record, quoted line breaks included); a CSV row with values beyond the header's last
column is reported (an unquoted delimiter shifts the columns). A cell starting
with a single quote ``'`` whose rest would start a formula (``= + - @``, tab, CR) loses that
quote: the exporter writes such text with a leading quote so that neither Excel nor openpyxl
takes it for a formula, and the round trip holds.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import itertools
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from studyhub.banks.context import MAX_FILE_BYTES, ParseContext
from studyhub.banks.record import LETTERS, BankHeader, QuestionRecord, letters_to_indexes
from studyhub.errors import InputError, LocatedError, Location

__all__ = ["export_xlsx", "parse_csv", "parse_xlsx"]

#: how many rows are searched for the header row
HEADER_SCAN_ROWS = 10
#: Excel's row limit; a sheet claiming more rows is refused
MAX_SHEET_ROWS = 1_048_576
#: the sheet the exporter writes
EXPORT_SHEET = "题库"
CSV_DELIMITERS = (",", ";", "\t")
NO_HEADER = "no header row found (expected 题干 or 题目内容 in one of the first 10 rows)"

# --------------------------------------------------------------------------- vocabulary

_WIDE_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("编号", "题号", "序号", "试题编号", "id"),
    "type": ("题型", "类型", "题目类型", "试题类型", "type", "question type"),
    "stem": ("题干", "题目", "试题", "stem", "question"),
    "answer": ("答案", "正确答案", "参考答案", "标准答案", "answer", "correct answer"),
    "explanation": ("解析", "答案解析", "试题解析", "explanation", "analysis"),
    "difficulty": ("难度", "难度等级", "difficulty"),
    "source": ("出处", "来源", "依据", "法律依据", "source"),
    "tags": ("标签", "tags", "tag"),
    "topic": ("知识点", "topic"),
    "points": ("分值", "分数", "points", "score"),
}
for _i, _letter in enumerate(LETTERS):
    _WIDE_ALIASES[f"opt{_i}"] = (f"选项{_letter}", _letter, f"option {_letter}")

_ROWS_ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("题目序号", "试题序号"),
    "type": ("题目类型", "题型", "试题类型"),
    "stem": ("题目内容", "试题内容"),
    "explanation": ("整体解析", "解析", "答案解析"),
    "correct": ("是否正确项", "是否正确", "是否正确答案"),
    "option": ("选项内容",),
    "option_no": ("选项序号",),
    "points": ("分值", "分数"),
    "difficulty": ("难度",),
    "source": ("出处", "来源", "依据"),
    "tags": ("标签",),
    "topic": ("知识点",),
}
#: headers only the row-per-option layout has
_ROWS_MARKERS = frozenset({"number", "stem", "correct", "option", "option_no"})
_WIDE_REQUIRED = (("stem", "题干"), ("answer", "答案"))
_ROWS_REQUIRED = (
    ("number", "题目序号"),
    ("stem", "题目内容"),
    ("correct", "是否正确项"),
    ("option", "选项内容"),
)

_TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    "single": ("单选", "单选题", "单项选择", "单项选择题", "single", "single choice"),
    "multiple": ("多选", "多选题", "多项选择", "多项选择题", "multiple", "multiple choice"),
    #: 不定项: one or more keys; decided by the answer
    "choice": ("不定项", "不定项选择", "不定项选择题"),
    "judge": ("判断", "判断题", "是非题", "judge", "true-false", "true/false", "truefalse"),
    "fill": ("填空", "填空题", "fill", "fill-in", "fill in the blank"),
}
_UNSUPPORTED_TYPES = frozenset(
    {
        "简答", "简答题", "问答", "问答题", "论述", "论述题", "案例分析", "案例分析题",
        "名词解释", "计算", "计算题", "材料分析题", "匹配", "匹配题", "连线", "连线题",
        "排序", "排序题", "essay", "shortanswer", "matching", "numerical", "cloze",
    }
)  # fmt: skip
_ROWS_TYPE_CODES = {"1": "single", "2": "multiple", "3": "judge"}
_EXPORT_TYPES = {"single": "单选", "multiple": "多选", "judge": "判断", "fill": "填空"}

_TRUE_WORDS = frozenset({"对", "正确", "√", "✓", "✔", "t", "true", "是", "yes", "y"})
_FALSE_WORDS = frozenset({"错", "错误", "×", "✗", "✘", "f", "false", "否", "no", "n"})
_MARK_YES = frozenset({"1", "是", "y", "yes", "t", "true", "√", "✓", "✔", "正确", "对"})
_MARK_NO = frozenset({"", "0", "否", "n", "no", "f", "false", "×", "✗", "✘", "错误", "错"})
_DIFFICULTY_WORDS = {
    "易": 1, "容易": 1, "简单": 1, "较易": 2, "中": 3, "中等": 3, "一般": 3,
    "较难": 4, "难": 5, "困难": 5,
}  # fmt: skip

_FORMULA_CHARS = frozenset("=+-@\t\r")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BLANK_MARK = re.compile(r"[（(]\s*[)）]|_{3,}|＿{3,}")
_BLANK = "____"
_ALT_SEPARATORS = "|｜"
_BLANK_SEPARATORS = ";；"
_ESCAPABLE = "\\|｜;；"
_POINTS_MAX = Decimal(10**6)
_DIFFICULTY_NUMBER = re.compile(r"[+-]?\d{1,6}(\.0*)?", re.ASCII)


def _key(text: str) -> str:
    """How headers and keywords are matched: NFKC, case-folded, no white space or ``*``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.split()).strip("*")


def _lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_key(alias): name for name, words in aliases.items() for alias in words}


_WIDE_LOOKUP = _lookup(_WIDE_ALIASES)
_ROWS_LOOKUP = _lookup(_ROWS_ALIASES)
_TYPE_LOOKUP = _lookup(_TYPE_ALIASES)

# --------------------------------------------------------------------------- cells


def _cell_text(value: object) -> str:
    """A cell value (openpyxl gives numbers, booleans and dates) as the text Excel shows."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _clean(text: str) -> str:
    """Trimmed text with LF line ends, without the quote that guards a formula-like text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if text.startswith("'") and text[1:].lstrip("'")[:1] in _FORMULA_CHARS:
        text = text[1:]
    return text


def _neutralise(text: str) -> str:
    """Text safe for a cell: no XML-illegal characters, no formula start (quote prefix)."""
    text = _XML_ILLEGAL.sub("", text)
    if text.lstrip("'")[:1] in _FORMULA_CHARS:
        text = "'" + text
    return text


# --------------------------------------------------------------------------- header


@dataclass
class _Header:
    layout: str
    row: int
    #: canonical column name -> column index
    columns: dict[str, int]
    #: canonical column name -> header text as written
    names: dict[str, str]
    #: columns up to the last non-empty header cell
    width: int


def _classify(cells: list[str]) -> tuple[str | None, int]:
    """The layout a header row is in (None if it is none) and how many headers it knows."""
    keys = [_key(cell) for cell in cells if cell]
    wide = {_WIDE_LOOKUP[k] for k in keys if k in _WIDE_LOOKUP}
    rows = {_ROWS_LOOKUP[k] for k in keys if k in _ROWS_LOOKUP}
    if rows & _ROWS_MARKERS and (len(rows) >= 2 or "stem" in rows) and len(rows) >= len(wide):
        return "rows", len(rows)
    if len(wide) >= 2 or "stem" in wide:
        return "wide", len(wide)
    return None, 0


def _make_header(
    ctx: ParseContext, layout: str, row: int, cells: list[str], sheet: str | None
) -> _Header | None:
    """The header's columns; None (after reporting it) when a required column is missing."""
    lookup = _WIDE_LOOKUP if layout == "wide" else _ROWS_LOOKUP
    location = ctx.at(row, sheet=sheet, row=True)
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    for index, text in enumerate(cells):
        if not text:
            continue
        name = lookup.get(_key(text))
        if name is None:
            ctx.error(location, f"unknown column {text}")
        elif name in columns:
            same = "" if names[name] == text else f" (same as {names[name]})"
            ctx.error(location, f"duplicate column {text}{same}")
        else:
            columns[name] = index
            names[name] = text
    required = _WIDE_REQUIRED if layout == "wide" else _ROWS_REQUIRED
    missing = [label for name, label in required if name not in columns]
    for label in missing:
        ctx.error(location, f"missing column {label}")
    if missing:
        return None
    width = max(index for index, text in enumerate(cells) if text) + 1
    return _Header(layout, row, columns, names, width)


Rows = Iterator[tuple[int, list[str]]]


def _find_header(rows: Rows) -> tuple[int, list[str], str] | None:
    """The header row among the first rows (the iterator then stands after it)."""
    for row, cells in itertools.islice(rows, HEADER_SCAN_ROWS):
        layout, _ = _classify(cells)
        if layout is not None:
            return row, cells, layout
    return None


# --------------------------------------------------------------------------- one row


@dataclass
class _Cells:
    """The cells of one data row by canonical column name, and where they are."""

    ctx: ParseContext
    header: _Header
    values: dict[str, str]
    location: Location
    ok: bool = True

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def at(self, name: str) -> Location:
        return self.location.with_field(self.header.names.get(name))

    def error(self, name: str, message: str) -> None:
        self.ctx.error(self.at(name), message)
        self.ok = False


def _row_cells(
    ctx: ParseContext, header: _Header, row: int, cells: list[str], sheet: str | None
) -> _Cells:
    values = {name: cells[index] for name, index in header.columns.items() if index < len(cells)}
    return _Cells(ctx, header, values, ctx.at(row, sheet=sheet, row=True))


def _judge_word(text: str) -> bool | None:
    key = _key(text)
    if key in _TRUE_WORDS:
        return True
    if key in _FALSE_WORDS:
        return False
    return None


def _is_judge_pair(options: list[str]) -> bool:
    return len(options) == 2 and all(_judge_word(o) is not None for o in options)


def _unknown_type(cells: _Cells, text: str, expected: str) -> None:
    if _key(text) in _UNSUPPORTED_TYPES:
        cells.ctx.unsupported(cells.at("type"), text)
        cells.ok = False
    else:
        cells.error("type", f"unknown question type {text} (expected {expected})")


def _difficulty(cells: _Cells) -> int | None:
    text = cells.get("difficulty")
    if not text:
        return None
    key = _key(text)
    if key in _DIFFICULTY_WORDS:
        return _DIFFICULTY_WORDS[key]
    if _DIFFICULTY_NUMBER.fullmatch(key):
        return int(Decimal(key))
    cells.error("difficulty", f"difficulty {text} is not 1-5 or 易/较易/中/较难/难")
    return None


def _points(cells: _Cells) -> Decimal | None:
    text = cells.get("points")
    if not text:
        return None
    try:
        value = Decimal(_key(text).removesuffix("分"))
    except InvalidOperation:
        value = None
    # bounded, so that later arithmetic (hashing normalises it) cannot overflow
    if (
        value is None
        or not value.is_finite()
        or value.copy_abs() >= _POINTS_MAX
        or value != round(value, 6)
    ):
        cells.error("points", f"points {text} is not a number like 2 or 1.5")
        return None
    return value


_TAG_SEPARATORS = ",，、;；"


def _tags(cells: _Cells) -> list[str]:
    """Tags split on , ， 、 ; ；, where a backslash makes a separator (or itself) literal."""
    tags: list[str] = []
    for text in (cells.get("tags"), cells.get("topic")):
        chars: list[str] = []
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "\\" and i + 1 < len(text) and text[i + 1] in _TAG_SEPARATORS + "\\":
                chars.append(text[i + 1])
                i += 2
                continue
            if ch in _TAG_SEPARATORS:
                tags.append("".join(chars))
                chars = []
            else:
                chars.append(ch)
            i += 1
        tags.append("".join(chars))
    return [tag.strip() for tag in tags if tag.strip()]


def _join_tags(tags: list[str]) -> str:
    """The inverse of :func:`_tags` for the 标签 cell."""

    def escape(tag: str) -> str:
        return "".join("\\" + ch if ch in _TAG_SEPARATORS + "\\" else ch for ch in tag)

    return "、".join(escape(tag) for tag in tags)


def _common(cells: _Cells) -> dict[str, Any]:
    """The fields both layouts share."""
    return {
        "stem": cells.get("stem"),
        "explanation": cells.get("explanation"),
        "source": cells.get("source"),
        "difficulty": _difficulty(cells),
        "tags": _tags(cells),
        "points": _points(cells),
        "location": cells.location,
    }


# --------------------------------------------------------------------------- wide layout


def _wide_options(cells: _Cells) -> list[str]:
    texts = [cells.get(f"opt{i}") for i in range(len(LETTERS))]
    last = max((i for i, text in enumerate(texts) if text), default=-1)
    for i in range(last):
        if not texts[i]:
            cells.error(
                f"opt{i}", f"option {LETTERS[i]} is empty but option {LETTERS[last]} is filled"
            )
    return texts[: last + 1]


def _choice_type(answer: str) -> str:
    indexes = letters_to_indexes(answer) or []
    return "multiple" if len(set(indexes)) > 1 else "single"


def _infer_type(options: list[str], answer: str, stem: str) -> str | None:
    """The type of a question without 题型, from its options, answer and stem."""
    if options:
        if _is_judge_pair(options) and _judge_truth(answer, options) is not None:
            return "judge"
        return _choice_type(answer) if letters_to_indexes(answer) else None
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
            _unknown_type(cells, text, "单选, 多选, 判断 or 填空")
            return None
        if not answer:
            cells.error("answer", "the answer is empty")
            return None
        return _choice_type(answer) if qtype == "choice" else qtype
    if not answer:
        cells.error("answer", "the answer is empty")
        return None
    qtype = _infer_type(options, answer, cells.get("stem"))
    if qtype is None:
        where = "type" if "type" in cells.header.columns else "answer"
        cells.error(where, f"cannot tell the question type from the answer {answer}; give 题型")
    return qtype


def _judge_truth(answer: str, options: list[str]) -> bool | None:
    """A judge key: a word (对/错, T/F...) or A/B, which name the options if they are words."""
    truth = _judge_word(answer)
    if truth is not None:
        return truth
    key = _key(answer)
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
            cells.error("answer", f"blank {number} has no accepted answer")
    count = record.stem.count(_BLANK)
    if count == 0:
        cells.error("stem", "the stem has no blank (mark each blank with ____ or （  ）)")
    elif count != len(blanks):
        cells.error("answer", f"the stem has {count} blanks but the answer gives {len(blanks)}")
    record.blanks = blanks


def _set_answer(cells: _Cells, record: QuestionRecord, answer: str) -> None:
    if record.type in ("single", "multiple"):
        indexes = letters_to_indexes(answer)
        if indexes is None:
            cells.error("answer", f"answer {answer} is not made of option letters A-H")
        else:
            record.correct = sorted(set(indexes))
    elif record.type == "judge":
        record.truth = _judge_truth(answer, record.options)
        record.options = []
        if record.truth is None:
            cells.error("answer", f"answer {answer} is not 正确/错误 (对/错, √/×, T/F, A/B)")
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
    record = QuestionRecord(
        type=qtype, options=options, external_id=cells.get("id") or None, **common
    )
    _set_answer(cells, record, answer)
    return record if cells.ok else None


# --------------------------------------------------------------------------- row-per-option


@dataclass
class _Group:
    """The rows of one question in the row-per-option layout."""

    number: str
    first: _Cells
    options: list[str] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    #: the row of each option
    rows: list[_Cells] = field(default_factory=list)
    ok: bool = True

    def add(self, cells: _Cells) -> None:
        text = cells.get("option")
        mark = cells.get("correct")
        key = _key(mark)
        if key not in _MARK_YES and key not in _MARK_NO:
            cells.error("correct", f"{mark} is not 0 or 1")
        elif key in _MARK_YES and not text:
            cells.error("option", "an option marked correct has no text")
        elif text:
            if key in _MARK_YES:
                self.correct.append(len(self.options))
            self.options.append(text)
            self.rows.append(cells)
        self.ok = self.ok and cells.ok


def _rows_type(group: _Group) -> str | None:
    cells = group.first
    text = cells.get("type")
    if not text:
        if _is_judge_pair(group.options):
            return "judge"
        return "multiple" if len(group.correct) > 1 else "single"
    key = _key(text)
    qtype = _ROWS_TYPE_CODES.get(key) or _TYPE_LOOKUP.get(key)
    if qtype == "fill":
        cells.error("type", f"{text} questions cannot be given one row per option")
        return None
    if qtype is None:
        _unknown_type(cells, text, "1 = 单选, 2 = 多选, 3 = 判断")
        return None
    if qtype == "choice":
        return "multiple" if len(group.correct) > 1 else "single"
    return qtype


def _group_judge(group: _Group, record: QuestionRecord) -> None:
    if len(group.correct) != 1:
        group.first.error("correct", "a 判断 question needs exactly one option marked correct")
        return
    index = group.correct[0]
    record.truth = _judge_word(group.options[index])
    if record.truth is None:
        text = group.options[index]
        group.rows[index].error("option", f"the correct option {text} is not 正确 or 错误")


def _group_record(group: _Group) -> QuestionRecord | None:
    first = group.first
    qtype = _rows_type(group)
    common = _common(first)
    if qtype is None or not group.ok or not first.ok:
        return None
    if not group.correct:
        first.error("correct", "no option is marked correct")
        return None
    record = QuestionRecord(type=qtype, **common)
    if qtype == "judge":
        _group_judge(group, record)
    else:
        record.options = list(group.options)
        record.correct = list(group.correct)
    return record if first.ok and all(c.ok for c in group.rows) else None


def _rows_records(
    ctx: ParseContext, header: _Header, rows: Rows, sheet: str | None
) -> Iterator[QuestionRecord]:
    group: _Group | None = None
    seen: dict[str, int] = {}
    for row, cells in _data_rows(ctx, header, rows, sheet):
        number = cells.get("number")
        if group is not None and number in ("", group.number):
            group.add(cells)
            continue
        if group is not None and (record := _group_record(group)) is not None:
            yield record
        group = None
        if not number:
            cells.error("number", "the question number is empty")
            continue
        if number in seen:
            cells.error(
                "number", f"question number {number} was already used at row {seen[number]}"
            )
        seen[number] = row
        group = _Group(number, cells)
        group.add(cells)
    if group is not None and (record := _group_record(group)) is not None:
        yield record


# --------------------------------------------------------------------------- a sheet


def _data_rows(
    ctx: ParseContext, header: _Header, rows: Rows, sheet: str | None
) -> Iterator[tuple[int, _Cells]]:
    """The non-empty rows after the header; CSV rows wider than the header are reported."""
    for row, cells in rows:
        if not any(cells):
            continue
        if sheet is None and len(cells) > header.width:
            extra = [cell for cell in cells[header.width :] if cell]
            if extra:
                ctx.error(
                    ctx.at(row, row=True),
                    f"row has {len(cells)} values but the header has {header.width} columns"
                    " (quote values that contain the delimiter)",
                )
                continue
        yield row, _row_cells(ctx, header, row, cells, sheet)


def _wide_records(
    ctx: ParseContext, header: _Header, rows: Rows, sheet: str | None
) -> Iterator[QuestionRecord]:
    for _row, cells in _data_rows(ctx, header, rows, sheet):
        record = _wide_record(cells)
        if record is not None:
            yield record


def _sheet_records(
    ctx: ParseContext, rows: Rows, sheet: str | None
) -> Generator[QuestionRecord, None, bool]:
    """The questions of one sheet (or CSV file); returns whether it had a header row."""
    found = _find_header(rows)
    if found is None:
        return False
    row, cells, layout = found
    header = _make_header(ctx, layout, row, cells, sheet)
    if header is None:
        return True
    if layout == "wide":
        yield from _wide_records(ctx, header, rows, sheet)
    else:
        yield from _rows_records(ctx, header, rows, sheet)
    return True


def _check_size(ctx: ParseContext) -> None:
    try:
        size = ctx.path.stat().st_size
    except OSError as exc:
        raise ctx.fail(ctx.at(), f"cannot read the file: {exc.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise ctx.fail(ctx.at(), f"the file is too large ({size} bytes; at most {MAX_FILE_BYTES})")


# --------------------------------------------------------------------------- CSV


def _first_bad_line(ctx: ParseContext, encoding: str) -> int | None:
    """The line of the first byte the encoding cannot decode, None if it decodes it all."""
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines = 0
    try:
        with open(ctx.path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    return newlines + chunk.count(b"\n", 0, max(exc.start, 0)) + 1
                newlines += chunk.count(b"\n")
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return newlines + 1
    except OSError as exc:
        raise ctx.fail(ctx.at(), f"cannot read the file: {exc.strerror}") from None
    return None


def _csv_encoding(ctx: ParseContext) -> str:
    if _first_bad_line(ctx, "utf-8") is None:
        return "utf-8-sig"
    line = _first_bad_line(ctx, "gb18030")
    if line is None:
        return "gb18030"
    raise ctx.fail(ctx.at(line), "cannot decode the file: it is neither UTF-8 nor GB18030 (GBK)")


def _csv_problem(exc: csv.Error) -> str:
    if "unexpected end of data" in str(exc):
        return 'a quoted value is never closed (missing ")'
    return f"malformed CSV: {exc}"


def _csv_rows(ctx: ParseContext, encoding: str, delimiter: str, strict: bool = True) -> Rows:
    """The CSV records as (record number, cleaned values)."""
    row = 0
    try:
        with open(ctx.path, encoding=encoding, newline="") as stream:
            reader = csv.reader(stream, delimiter=delimiter, strict=strict)
            for row, values in enumerate(reader, 1):
                yield row, [_clean(value) for value in values]
    except csv.Error as exc:
        if strict:
            raise ctx.fail(ctx.at(row + 1, row=True), _csv_problem(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ctx.fail(ctx.at(row + 1, row=True), f"cannot read the file: {exc}") from None


def _csv_delimiter(ctx: ParseContext, encoding: str) -> str:
    """The delimiter among , ; and tab under which the first rows show the best header."""
    best, best_score = CSV_DELIMITERS[0], 0
    for delimiter in CSV_DELIMITERS:
        rows = _csv_rows(ctx, encoding, delimiter, strict=False)
        with contextlib.closing(rows):
            for _row, cells in itertools.islice(rows, HEADER_SCAN_ROWS):
                layout, score = _classify(cells)
                if layout is not None:
                    if score > best_score:
                        best, best_score = delimiter, score
                    break
    return best


def parse_csv(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions from a CSV file (UTF-8 with or without BOM, or GB18030/GBK)."""
    _check_size(ctx)
    encoding = _csv_encoding(ctx)
    rows = _csv_rows(ctx, encoding, _csv_delimiter(ctx, encoding))
    with contextlib.closing(rows):
        found = yield from _sheet_records(ctx, rows, None)
    if not found:
        ctx.error(ctx.at(1, row=True), NO_HEADER)


# --------------------------------------------------------------------------- Excel


def _damaged(exc: Exception) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        return "not an Excel .xlsx workbook (not a zip archive)"
    return "not a readable Excel .xlsx workbook (damaged or another format)"


def _open_workbook(ctx: ParseContext) -> Any:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(ctx.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged files
        raise ctx.fail(ctx.at(), _damaged(exc)) from None


def _xlsx_rows(ctx: ParseContext, sheet: Any) -> Rows:
    """The rows of a sheet as (Excel row number, cleaned texts)."""
    title = str(sheet.title)
    row = 0
    try:
        sheet.reset_dimensions()  # never pad rows to a (possibly absurd) declared size
        for row, values in enumerate(sheet.iter_rows(values_only=True), 1):
            if row > MAX_SHEET_ROWS:
                raise ctx.fail(
                    ctx.at(row, sheet=title, row=True),
                    f"the sheet has more than {MAX_SHEET_ROWS} rows",
                )
            yield row, [_clean(_cell_text(value)) for value in values]
    except LocatedError:
        raise
    except Exception:  # a damaged sheet: openpyxl raises many kinds of errors
        raise ctx.fail(
            ctx.at(row + 1, sheet=title, row=True), "cannot read the sheet (damaged workbook)"
        ) from None


def parse_xlsx(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions from every sheet of an Excel workbook that has a header row."""
    _check_size(ctx)
    workbook = _open_workbook(ctx)
    try:
        found = False
        for sheet in workbook.worksheets:
            rows = _xlsx_rows(ctx, sheet)
            with contextlib.closing(rows):
                found = (yield from _sheet_records(ctx, rows, str(sheet.title))) or found
        if not found:
            ctx.error(ctx.at(1, row=True), NO_HEADER)
    finally:
        with contextlib.suppress(Exception):
            workbook.close()


# --------------------------------------------------------------------------- export


def _answer_text(record: QuestionRecord) -> str:
    if record.type in ("single", "multiple"):
        return "".join(LETTERS[i] for i in sorted(record.correct) if 0 <= i < len(LETTERS))
    if record.type == "judge":
        return "" if record.truth is None else ("正确" if record.truth else "错误")
    return _join_blanks(record.blanks)


def _points_cell(points: Decimal | None) -> int | float | str | None:
    """A number cell where a float holds the value exactly, else text."""
    if points is None:
        return None
    if points == points.to_integral_value() and abs(points) < 2**53:
        return int(points)
    number = float(points)
    return number if Decimal(repr(number)) == points else str(points)


def _export_row(record: QuestionRecord, width: int) -> list[Any]:
    def text(value: str | None) -> str | None:
        return _neutralise(value) if value else None

    options = record.options if record.type in ("single", "multiple") else []
    cells: list[Any] = [
        text(record.external_id),
        _EXPORT_TYPES.get(record.type, record.type),
        text(record.stem),
    ]
    cells += [text(options[i]) if i < len(options) else None for i in range(width)]
    cells += [
        text(_answer_text(record)),
        text(record.explanation),
        record.difficulty,
        text(record.source),
        text(_join_tags(record.tags)),
        _points_cell(record.points),
    ]
    return cells


def export_xlsx(records: Iterable[QuestionRecord], header: BankHeader, stream: BinaryIO) -> None:
    """Write the records as one sheet 题库 in the wide layout with Chinese headers."""
    from openpyxl import Workbook

    items = list(records)
    width = max((len(r.options) for r in items if r.type in ("single", "multiple")), default=0)
    if width > len(LETTERS):
        raise InputError(
            f"a question has {width} options; an Excel bank holds at most {len(LETTERS)} (A-H)"
        )
    workbook = Workbook(write_only=True)
    if header.title:
        workbook.properties.title = _neutralise(header.title)
    sheet = workbook.create_sheet(EXPORT_SHEET)
    sheet.append(
        ["编号", "题型", "题干"]
        + [f"选项{LETTERS[i]}" for i in range(width)]
        + ["答案", "解析", "难度", "出处", "标签", "分值"]
    )
    for record in items:
        sheet.append(_export_row(record, width))
    workbook.save(stream)
