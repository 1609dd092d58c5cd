"""What both table layouts share: the header vocabulary, cell texts, finding and reading the
header row, and the fields every data row may have (difficulty, points, tags...).

See :mod:`studyhub.banks.formats.table` for the layouts themselves.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from studyhub.banks.context import ParseContext
from studyhub.banks.record import LETTERS
from studyhub.errors import Location
from studyhub.i18n import Lazy, msg

#: how many rows are searched for the header row
HEADER_SCAN_ROWS = 10


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
_TRUE_WORDS = frozenset({"对", "正确", "√", "✓", "✔", "t", "true", "是", "yes", "y"})
_FALSE_WORDS = frozenset({"错", "错误", "×", "✗", "✘", "f", "false", "否", "no", "n"})
_DIFFICULTY_WORDS = {
    "易": 1, "容易": 1, "简单": 1, "较易": 2, "中": 3, "中等": 3, "一般": 3,
    "较难": 4, "难": 5, "困难": 5,
}  # fmt: skip

_FORMULA_CHARS = frozenset("=+-@\t\r")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
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
            ctx.error(location, msg("unknown column {column}", column=text))
        elif name in columns and names[name] == text:
            ctx.error(location, msg("duplicate column {column}", column=text))
        elif name in columns:
            ctx.error(
                location,
                msg("duplicate column {column} (same as {other})", column=text, other=names[name]),
            )
        else:
            columns[name] = index
            names[name] = text
    required = _WIDE_REQUIRED if layout == "wide" else _ROWS_REQUIRED
    missing = [label for name, label in required if name not in columns]
    for label in missing:
        ctx.error(location, msg("missing column {column}", column=label))
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

    def error(self, name: str, message: str | Lazy) -> None:
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


def _unknown_type(cells: _Cells, text: str, problem: Lazy) -> None:
    """Report the question type ``text``: unsupported, or else unknown (``problem``)."""
    if _key(text) in _UNSUPPORTED_TYPES:
        cells.ctx.unsupported(cells.at("type"), text)
        cells.ok = False
    else:
        cells.error("type", problem)


def _difficulty(cells: _Cells) -> int | None:
    text = cells.get("difficulty")
    if not text:
        return None
    key = _key(text)
    if key in _DIFFICULTY_WORDS:
        return _DIFFICULTY_WORDS[key]
    if _DIFFICULTY_NUMBER.fullmatch(key):
        return int(Decimal(key))
    cells.error(
        "difficulty", msg("difficulty {value} is not 1-5 or 易/较易/中/较难/难", value=text)
    )
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
        cells.error("points", msg("points {value} is not a number like 2 or 1.5", value=text))
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


# --------------------------------------------------------------------------- data rows


def _data_rows(
    ctx: ParseContext, header: _Header, rows: Rows, sheet: str | None
) -> Iterator[tuple[int, _Cells]]:
    """The non-empty rows after the header; CSV rows wider than the header are reported."""
    for row, cells in rows:
        if not any(cells):
            continue
        ctx.begin_record("\t".join(cells), row)
        if sheet is None and len(cells) > header.width:
            extra = [cell for cell in cells[header.width :] if cell]
            if extra:
                ctx.error(
                    ctx.at(row, row=True),
                    msg(
                        "row has {values} values but the header has {columns} columns (quote"
                        " values that contain the delimiter)",
                        values=len(cells),
                        columns=header.width,
                    ),
                )
                continue
        yield row, _row_cells(ctx, header, row, cells, sheet)
