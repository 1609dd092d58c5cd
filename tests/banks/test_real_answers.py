"""Answers and stems as real banks write them (issue 20, item 3): letters in any spelling,
the whole option, the option's text; option cells holding only their letter; leading
question numbers; inline options repeated in the stem; 正确/错误 pairs as 判断 questions.
Excel and CSV tables, and Markdown/text banks with irregular records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.table import parse_csv, parse_xlsx
from studyhub.banks.formats.text import parse_text
from studyhub.banks.importer import import_files
from studyhub.banks.record import QuestionRecord
from studyhub.db import Database

pytestmark = pytest.mark.usefixtures("english")

OPTIONS = ["《汉书》", "《史记》", "《资治通鉴》"]


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _parse(parse, path: Path) -> tuple[list[QuestionRecord], list[str]]:  # type: ignore[no-untyped-def]
    ctx = ParseContext(path, path.name)
    records = list(parse(ctx))
    return records, [str(e) for e in ctx.errors]


def _choices(records: list[QuestionRecord]) -> list[tuple[str, str, list[str], list[int]]]:
    return [(r.type, r.stem, r.options, r.correct) for r in records]


# --- the Excel bank of the issue ------------------------------------------------------------


def test_excel_bank_with_whole_option_answers_and_numbered_stems(tmp_path: Path) -> None:
    stem = "我国第一部纪传体通史是（ ）。"
    path = _xlsx(
        tmp_path / "bank.xlsx",
        [
            ["题目", "A", "B", "C", "D", "答案"],
            [f"12、{stem}", *OPTIONS, "D", "B、《史记》"],
            [f"13.{stem}", *OPTIONS, "D", "B.《史记》"],
            [f"14．{stem}", *OPTIONS, "D", "B．《史记》"],
            [f"（15）{stem}", *OPTIONS, None, "《史记》"],
            [f"(16){stem}", *OPTIONS, "", " 《史记》。"],
            [f"第17题 {stem}", *OPTIONS, "D", "b"],
            [f"18、{stem}", *OPTIONS, "D", "Ｂ"],
        ],
    )
    records, errors = _parse(parse_xlsx, path)
    assert errors == []
    assert _choices(records) == [("single", stem, OPTIONS, [1])] * 7


def test_excel_bank_imports_through_the_library(database: Database, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "bank.xlsx",
        [
            ["题目", "A", "B", "C", "D", "答案"],
            ["1、我国第一部纪传体通史是（ ）。", *OPTIONS, "D", "B、《史记》"],
            ["2、下列属于二十四史的有（ ）。", *OPTIONS, "D", "A、B"],
            ["3、《史记》的作者是司马迁。", "正确", "错误", "C", "D", "A"],
        ],
    )
    summary = import_files(database, [path])
    assert summary.added == 3
    assert summary.files[0].questions == 3


def test_a_numbered_stem_keeps_its_number_when_ids_are_names(tmp_path: Path) -> None:
    """The file's numbering (12、) is dropped from a stem, unless the table's ids are names
    (studyhub's own export): "0、~" there is the question's text (found by the round trip)."""
    path = tmp_path / "bank.csv"
    path.write_text("编号,题干,选项A,选项B,答案\nq-421,0、~,~,~~,A\n7,7、成年年龄？,十六,十八,B\n",
                    encoding="utf-8")  # fmt: skip
    records, errors = _parse(parse_csv, path)
    assert errors == []
    assert [r.stem for r in records] == ["0、~", "成年年龄？"]


@pytest.mark.parametrize(
    ("answer", "correct"),
    [
        ("ABD", [0, 1, 3]), ("A,B,D", [0, 1, 3]), ("A、B、D", [0, 1, 3]), ("A，B，D", [0, 1, 3]),
        ("abd", [0, 1, 3]), ("A B D", [0, 1, 3]),
    ],
)  # fmt: skip
def test_multiple_choice_letters_in_any_spelling(
    tmp_path: Path, answer: str, correct: list[int]
) -> None:
    path = tmp_path / "bank.csv"
    path.write_text(f'题干,A,B,C,D,答案\n问？,甲,乙,丙,丁,"{answer}"\n', encoding="utf-8")
    records, errors = _parse(parse_csv, path)
    assert errors == []
    assert _choices(records) == [("multiple", "问？", ["甲", "乙", "丙", "丁"], correct)]


def test_inline_options_in_the_stem_are_taken_from_the_columns(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "bank.xlsx",
        [
            ["题目", "A", "B", "C", "答案"],
            ["1、通史是（ ）。A、《汉书》 B、《史记》 C、《资治通鉴》", *OPTIONS, "B"],
            ["2、通史是（ ）A.《汉书》B.《史记》C.《资治通鉴》", *OPTIONS, "B"],
            # a tail that is not the options stays in the stem
            ["3、选出 A、甲 B、乙 中的通史", *OPTIONS, "B"],
        ],
    )
    records, errors = _parse(parse_xlsx, path)
    assert errors == []
    assert [r.stem for r in records] == [
        "通史是（ ）。",
        "通史是（ ）",
        "选出 A、甲 B、乙 中的通史",
    ]


@pytest.mark.parametrize(
    ("options", "answer", "truth"),
    [
        (["正确", "错误"], "A", True), (["错误", "正确"], "A", False),
        (["错误", "正确"], "B", True),
        (["对", "错"], "B", False), (["×", "√"], "B", True), (["是", "否"], "A", True),
        (["否", "是"], "否", False), (["错误", "正确"], "B、正确", True),
        (["错误", "正确"], "A．错误", False), (["正确", "错误"], "错误", False),
    ],
)  # fmt: skip
def test_two_judge_words_make_a_judge_question_in_any_order(
    tmp_path: Path, options: list[str], answer: str, truth: bool
) -> None:
    path = tmp_path / "bank.csv"
    path.write_text(f"题干,A,B,C,D,答案\n5、说法正确吗？,{options[0]},{options[1]},C,D,{answer}\n")
    records, errors = _parse(parse_csv, path)
    assert errors == []
    assert [(r.type, r.stem, r.truth, r.options) for r in records] == [
        ("judge", "说法正确吗？", truth, [])
    ]


def test_answers_that_name_no_option_are_still_errors(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_text(
        "题型,题干,A,B,C,答案\n单选,问？,甲,乙,丙,丁\n单选,问？,甲,乙,丙,A、乙\n", encoding="utf-8"
    )
    records, errors = _parse(parse_csv, path)
    assert records == []
    assert errors == [
        "bank.csv, row 2, field 答案: answer 丁 is neither option letters A-H nor the text of"
        " an option",
        "bank.csv, row 3, field 答案: answer A、乙 is neither option letters A-H nor the text of"
        " an option",
    ]


def test_an_empty_option_between_filled_ones_is_still_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_text("题干,A,B,C,D,答案\n问？,甲,B,丙,D,A\n", encoding="utf-8")
    records, errors = _parse(parse_csv, path)
    assert records == []
    assert errors == ["bank.csv, row 2, field B: option B is empty but option C is filled"]


# --- the Markdown / text bank -------------------------------------------------------------------

MARKDOWN = """\
# 学习强国 题库

1、我国第一部纪传体通史是（ ）。
A、《汉书》
B、《史记》
C、《资治通鉴》
答案：B

2、下列属于法律的有（ ）。
A、宪法
B、民法典
c、刑法
D、某部门通知答案：ABC

3、宪法是国家的根本法。
A、正确
B、错误
答案：A、

4、二十四史中第一部是（ ）。
**A、《汉书》**
**B、《史记》**
答案：《史记》

4、诉讼时效期间一般为（ ）。
A、一年
B、三年
答案：B、三年

5、下列说法（ ）。
A、错误
B、正确
答案：B

以上答案仅供参考，如有错误请指正。
整理：某某
"""


def test_markdown_bank_with_irregular_records_is_read(write) -> None:  # type: ignore[no-untyped-def]
    records, errors = _parse(parse_text, write("bank.md", MARKDOWN))
    assert errors == []
    assert [(r.type, r.stem, r.options, r.correct, r.truth) for r in records] == [
        ("single", "我国第一部纪传体通史是（ ）。", OPTIONS, [1], None),
        (
            "multiple",
            "下列属于法律的有（ ）。",
            ["宪法", "民法典", "刑法", "某部门通知"],
            [0, 1, 2],
            None,
        ),
        ("judge", "宪法是国家的根本法。", [], [], True),
        ("single", "二十四史中第一部是（ ）。", ["《汉书》", "《史记》"], [1], None),
        ("single", "诉讼时效期间一般为（ ）。", ["一年", "三年"], [1], None),
        ("judge", "下列说法（ ）。", [], [], True),
    ]


def test_markdown_bank_imports_through_the_library(database: Database, write) -> None:  # type: ignore[no-untyped-def]
    summary = import_files(database, [write("bank.md", MARKDOWN)])
    assert summary.added == 6


def test_gbk_text_bank_with_irregular_records(write) -> None:  # type: ignore[no-untyped-def]
    records, errors = _parse(parse_text, write("bank.txt", MARKDOWN, encoding="gbk"))
    assert errors == []
    assert len(records) == 6
