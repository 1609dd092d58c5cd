"""Text from files cannot drive the terminal, and staff numbers are what they look like."""

from __future__ import annotations

import io
from pathlib import Path

from studyhub.db import Database
from studyhub.exams.views import shown
from studyhub.practice.drill import practice_item
from studyhub.tabular import Column, read_rows

COLUMNS = [Column("staff_no", ("工号",)), Column("name", ("姓名",))]


def test_control_characters_from_a_bank_are_shown_escaped() -> None:
    import random
    import types

    row = types.SimpleNamespace(
        version_id=1, question_id=1, external_id="q", type="single",
        stem="清屏\x1b[2J题干\x07", options=["甲\x1b]0;title\x07", "乙"],
    )  # fmt: skip
    item = practice_item(row, random.Random(1))
    assert "\x1b" not in item.stem and "\\x1b[2J" in item.stem and "\\x07" in item.stem
    assert all("\x1b" not in option and "\x07" not in option for option in item.options)
    options, _ = shown(
        types.SimpleNamespace(option_order=None, response=None),
        types.SimpleNamespace(options=["\x1b[31m红", "乙"], type="single"),
    )
    assert options == ["\\x1b[31m红", "乙"]


def test_staff_numbers_are_normalised_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名\n\u202e０００１\u200b,张三\n", encoding="utf-8")
    [row] = read_rows(path, COLUMNS)
    assert row.text("staff_no") == "0001"


def test_an_excel_code_keeps_the_zeros_it_shows(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名"])
    sheet.append([2, "张三"])
    sheet["A2"].number_format = "0000"
    sheet.append([15, "李四"])  # General: shown as 15
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "r.xlsx"
    path.write_bytes(buffer.getvalue())
    assert [r.text("staff_no") for r in read_rows(path, COLUMNS)] == ["0002", "15"]


def test_a_full_width_staff_number_finds_the_person(database: Database) -> None:
    from studyhub.models import Staff
    from studyhub.org.roster import find_staff

    with database.session() as session:
        session.add(Staff(staff_no="S1", name="张三"))
    with database.session() as session:
        assert find_staff(session, "\u200bＳ１ ").staff_no == "S1"


def test_markdown_exports_escape_links_html_and_emphasis() -> None:
    from studyhub.reports.export import md_escape

    hostile = "[点我](http://x.example)<img src=x onerror=alert(1)>**粗**_斜_`码`|列\x1b[2J"
    escaped = md_escape(hostile)
    for raw in ("[点我]", "](http", "<img", "**粗**", "_斜_", "`码`"):
        assert raw not in escaped
    assert "\\[点我\\]\\(http://x.example\\)" in escaped and "\\|列" in escaped
    assert "\x1b" not in escaped and "\\\\x1b" in escaped
