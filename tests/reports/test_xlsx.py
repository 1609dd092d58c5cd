"""The xlsx export (studyhub.reports.xlsx) read back with openpyxl: numbers are numbers with
their formats, one header row, frozen panes, a filter, fitted widths, the 合计 row, the 说明
sheet, the chart sheet, and text that cannot become a formula."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from studyhub.cli import cli
from studyhub.db import Database
from studyhub.i18n import set_language
from studyhub.reports.export import render_tables, write_tables
from studyhub.reports.table import ReportMeta, ReportTable
from studyhub.reports.xlsx import render_xlsx, sheet_names
from tests.reports.test_rates_scenario import scenario  # noqa: F401

NASTY = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]
DEFINITIONS = {"required": "在岗且未免考的人数", "participation_rate": "实际参考人数 ÷ 应参考人数"}


def rates() -> ReportTable:
    return ReportTable(
        title="2026年参考情况（按部门）",
        columns=[("group_name", "部门"), ("code", "code"), ("required", "应参考人数"),
                 ("participation_rate", "参考率（%）"), ("average", "平均分（%）"),
                 ("hours", "学时"), ("day", "日期")],
        rows=[
            {"group_name": "执法一大队", "code": "ENF1", "required": 10,
             "participation_rate": Decimal("0.9833"), "average": Decimal("88.50"),
             "hours": Decimal("2.5"), "day": dt.date(2026, 11, 30)},
            {"group_name": "办公室", "code": "OFF", "required": 0, "participation_rate": None,
             "average": None, "hours": Decimal("0"), "day": None},
        ],
        definitions=dict(DEFINITIONS),
        kinds={"required": "count", "participation_rate": "rate", "average": "score",
               "hours": "number"},
        total={"group_name": "合计", "code": None, "required": 10,
               "participation_rate": Decimal("0.9833"), "average": Decimal("88.50"),
               "hours": Decimal("2.5"), "day": None},
    )  # fmt: skip


def book_of(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def test_numbers_stay_numbers_with_their_formats() -> None:
    book = book_of(render_xlsx([rates()]))
    assert book.sheetnames == ["2026年参考情况（按部门）", "说明"]
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows())
    # exactly one header row, no title row above it
    assert [c.value for c in rows[0]] == ["部门", "code", "应参考人数", "参考率（%）",
                                          "平均分（%）", "学时", "日期"]  # fmt: skip
    assert all(cell.font.bold and cell.fill.fgColor.rgb.endswith("DDEBF7") for cell in rows[0])
    assert len(rows) == 4  # header, two departments, 合计
    first = {cell.column_letter: cell for cell in rows[1]}
    assert first["C"].value == 10 and type(first["C"].value) is int
    assert first["C"].number_format == "0"
    assert first["D"].value == pytest.approx(0.9833) and first["D"].data_type == "n"
    assert first["D"].number_format == "0.00%"
    assert first["E"].value == pytest.approx(88.5) and first["E"].number_format == "0.00"
    assert first["F"].value == pytest.approx(2.5) and first["F"].data_type == "n"
    assert first["G"].value == dt.datetime(2026, 11, 30)
    assert first["G"].number_format == "yyyy-mm-dd"
    second = {cell.column_letter: cell for cell in rows[2]}
    assert second["C"].value == 0 and type(second["C"].value) is int
    # no denominator: an empty cell, not "-" (Excel's sums and charts skip it)
    assert second["D"].value is None and second["E"].value is None and second["G"].value is None
    assert second["F"].value == 0
    # the 合计 row is last and bold; the filter leaves it out so sorting cannot move it
    total = rows[3]
    assert [c.value for c in total][:3] == ["合计", None, 10]
    assert all(cell.font.bold for cell in total)
    assert not any(cell.font.bold for cell in rows[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"


def test_widths_follow_chinese_text() -> None:
    sheet = book_of(render_xlsx([rates()])).worksheets[0]
    width = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    # 执法一大队 takes 10 columns, ENF1 four: the Chinese column is wider
    assert width["A"] > width["B"]
    assert width["A"] >= 10 + 2
    assert width["C"] >= len("应参考人数") * 2


def test_formula_injection_stays_text() -> None:
    table = ReportTable("名单", [("name", "姓名"), ("n", "人数")],
                        [{"name": value, "n": -1} for value in NASTY],
                        kinds={"n": "count"})  # fmt: skip
    sheet = book_of(render_xlsx([table])).worksheets[0]
    names = [sheet.cell(row=r, column=1).value for r in range(2, 2 + len(NASTY))]
    assert names == ["'" + value for value in NASTY]
    assert sheet["B2"].value == -1  # a negative number stays a number
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


def test_notes_sheet_titles_meta_and_definitions_once() -> None:
    other = ReportTable("2026年参考情况", [("required", "应参考人数")], [{"required": 3}],
                        definitions={"required": DEFINITIONS["required"]},
                        notes=["含补考"])  # fmt: skip
    meta = ReportMeta(as_of="截至2026年12月31日（考试进行中，数字为阶段性结果）",
                      source="数据来源：studyhub.db", notes=["2025 年没有考试。"])  # fmt: skip
    book = book_of(render_xlsx([rates(), other], meta))
    assert book.sheetnames[-1] == "说明"
    notes = book["说明"]
    lines = [(row[0].value, row[1].value) for row in notes.iter_rows()]
    assert lines[0] == ("表格", None)
    assert ("2026年参考情况（按部门）", "见工作表“2026年参考情况（按部门）”") in lines
    assert ("2026年参考情况", "见工作表“2026年参考情况”") in lines
    assert ("含补考", None) in lines
    firsts = [first for first, _ in lines]
    for line in meta.lines():
        assert firsts.count(line) == 1
    assert firsts.index(meta.as_of) > firsts.index("2026年参考情况")
    heading = firsts.index("指标口径")
    assert notes.cell(row=heading + 1, column=1).font.bold
    assert lines[heading + 1 :] == [
        ("应参考人数", DEFINITIONS["required"]),
        ("参考率（%）", DEFINITIONS["participation_rate"]),
    ]


def test_a_table_titled_like_a_fixed_sheet_and_long_titles() -> None:
    long = "A very long report table title that Excel cannot use as a sheet name"
    tables = [ReportTable(title, [("n", "n")], [{"n": 1}]) for title in ("说明", long, long)]
    book = book_of(render_tables(tables, "xlsx"))
    assert book.sheetnames == ["说明(2)", "A very long report table title",
                               "A very long report table tit(2)", "说明"]  # fmt: skip
    assert sheet_names(["a/b", "a/b"]) == ["a_b", "a_b(2)"]


def test_english_sheet_names() -> None:
    set_language("en")
    try:
        book = book_of(render_xlsx([rates()], chart_png=_png()))
    finally:
        set_language("zh")
    assert book.sheetnames == ["2026年参考情况（按部门）", "Notes", "Chart"]
    assert book["Notes"]["A1"].value == "Tables"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_chart_sheet() -> None:
    book = book_of(render_xlsx([rates()], chart_png=_png()))
    assert book.sheetnames == ["2026年参考情况（按部门）", "说明", "图表"]
    assert len(book["图表"]._images) == 1


def test_write_tables_passes_meta(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_tables([rates()], "xlsx", path, meta=ReportMeta(as_of="截至2026年12月31日"))
    notes = [row[0].value for row in load_workbook(path)["说明"].iter_rows()]
    assert "截至2026年12月31日" in notes


def test_cli_rates_by_department_with_chart(
    scenario: Database,  # noqa: F811
    db_url: str,
    tmp_path: Path,
) -> None:
    target, chart = tmp_path / "rates.xlsx", tmp_path / "rates.png"
    result = CliRunner().invoke(cli, ["--db", db_url, "report", "rates", "--year", "2025",
                                      "--by", "department", "--format", "xlsx", "-o",
                                      str(target), "--chart", str(chart)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    book = load_workbook(target)
    assert book.sheetnames[1:] == ["说明", "图表"]
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    groups = header.index(next(h for h in header if h and "部门" in h and "编码" in h))
    required = header.index(next(h for h in header if h and h.startswith("应参考")))
    counts = {row[groups].value: row[required].value for row in sheet.iter_rows(min_row=2)}
    assert counts["A"] == 2 and counts["B"] == 4 and type(counts["B"]) is int
    assert len(book["图表"]._images) == 1
    definitions = [row[0].value for row in book["说明"].iter_rows()]
    assert len(definitions) == len(set(definitions) - {None}) + definitions.count(None)
