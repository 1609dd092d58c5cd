"""The row-per-option table layout of Chinese exam systems: one row per option, the rows of a
question grouped by ``题目序号`` (see :mod:`studyhub.banks.formats.table`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.table_cells import (
    _TYPE_LOOKUP,
    Rows,
    _Cells,
    _common,
    _data_rows,
    _Header,
    _is_judge_pair,
    _judge_word,
    _key,
    _unknown_type,
)
from studyhub.banks.record import QuestionRecord
from studyhub.i18n import msg

_ROWS_TYPE_CODES = {"1": "single", "2": "multiple", "3": "judge"}
_MARK_YES = frozenset({"1", "是", "y", "yes", "t", "true", "√", "✓", "✔", "正确", "对"})
_MARK_NO = frozenset({"", "0", "否", "n", "no", "f", "false", "×", "✗", "✘", "错误", "错"})


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
            cells.error("correct", msg("{mark} is not 0 or 1", mark=mark))
        elif key in _MARK_YES and not text:
            cells.error("option", msg("an option marked correct has no text"))
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
        cells.error("type", msg("{type} questions cannot be given one row per option", type=text))
        return None
    if qtype is None:
        problem = msg(
            "unknown question type {type} (expected 1 = 单选, 2 = 多选, 3 = 判断)", type=text
        )
        _unknown_type(cells, text, problem)
        return None
    if qtype == "choice":
        return "multiple" if len(group.correct) > 1 else "single"
    return qtype


def _group_judge(group: _Group, record: QuestionRecord) -> None:
    if len(group.correct) != 1:
        group.first.error("correct", msg("a 判断 question needs exactly one option marked correct"))
        return
    index = group.correct[0]
    record.truth = _judge_word(group.options[index])
    if record.truth is None:
        text = group.options[index]
        group.rows[index].error(
            "option", msg("the correct option {option} is not 正确 or 错误", option=text)
        )


def _group_record(group: _Group) -> QuestionRecord | None:
    first = group.first
    qtype = _rows_type(group)
    common = _common(first)
    if qtype is None or not group.ok or not first.ok:
        return None
    if not group.correct:
        first.error("correct", msg("no option is marked correct"))
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
            cells.error("number", msg("the question number is empty"))
            continue
        if number in seen:
            cells.error(
                "number",
                msg(
                    "question number {number} was already used at row {row}",
                    number=number,
                    row=seen[number],
                ),
            )
        seen[number] = row
        group = _Group(number, cells)
        group.add(cells)
    if group is not None and (record := _group_record(group)) is not None:
        yield record
