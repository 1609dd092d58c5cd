"""Report exports (studyhub.reports.export) in every format, and the chart."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from studyhub.render import display_width, safe_cell
from studyhub.reports.export import render_tables, sheet_names, write_tables
from studyhub.reports.table import ReportMeta, ReportTable

NASTY = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]


def tables() -> list[ReportTable]:
    people = ReportTable(
        title="2026年参考情况（按部门）",
        columns=[
            ("dept", "部门"),
            ("name", "姓名"),
            ("required", "应参考人数"),
            ("rate", "参考率（%）"),
            ("score", "得分（%）"),
            ("day", "日期"),
        ],
        rows=[
            {
                "dept": "办公室",
                "name": "张三",
                "required": 12,
                "rate": Decimal("0.9833"),
                "score": Decimal("92.50"),
                "day": dt.date(2026, 11, 30),
            },
            *(
                {
                    "dept": "执法支队",
                    "name": name,
                    "required": 0,
                    "rate": None,
                    "score": Decimal("-2.5"),
                    "day": None,
                }
                for name in NASTY
            ),
        ],
        definitions={"rate": "实际参考人数 ÷ 应参考人数"},
        notes=["某某考试尚未结束"],
        kinds={"required": "count", "rate": "rate", "score": "score"},
        wide=frozenset({"day"}),
        total={"dept": "合计", "required": 12, "rate": Decimal("0.9833"), "score": None},
    )
    # a long title (sheet name > 31 characters) twice: names must be cut and kept unique
    long = "A very long report table title that Excel cannot use as a sheet name"
    return [
        people,
        ReportTable(
            title=long,
            columns=[("n", "n")],
            rows=[{"n": 1}],
            kinds={"n": "count"},
            definitions={"n": "实际参考人数 ÷ 应参考人数"},
        ),
        ReportTable(title=long, columns=[("n", "n")], rows=[{"n": 2}], kinds={"n": "count"}),
    ]


META = ReportMeta("截至 2026-12-07（考试进行中，数字为阶段性结果）。", "数据来源：studyhub.db")


def test_safe_cell() -> None:
    for value in NASTY:
        assert safe_cell(value) == "'" + value
    assert safe_cell("-") == "-"  # an empty denominator, not a formula
    assert safe_cell("张三") == "张三" and safe_cell(-2) == -2


def test_csv_is_one_header_row_then_data(tmp_path: Path) -> None:
    """No title above the header; numbers as numbers (a rate as its percentage); the 合计
    row last; definitions only with with_definitions, as trailing comment lines."""
    path = tmp_path / "r.csv"
    write_tables(tables()[:1], "csv", path, META)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["部门", "姓名", "应参考人数", "参考率（%）", "得分（%）", "日期"]
    assert rows[1] == ["办公室", "张三", "12", "98.33", "92.50", "2026-11-30"]
    names = [row[1] for row in rows[2 : 2 + len(NASTY)]]
    assert names == ["'" + value for value in NASTY]
    assert rows[2][3] == "" and rows[2][4] == "-2.50"  # no denominator: an empty cell
    assert rows[2 + len(NASTY)] == ["合计", "", "12", "98.33", "", ""]
    assert len(rows) == 3 + len(NASTY)  # nothing after the data
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or cell[1:].replace(".", "").isdigit()
    text = render_tables(tables(), "csv", META, with_definitions=True).decode("utf-8-sig")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments == [
        "# 截至 2026-12-07（考试进行中，数字为阶段性结果）。", "# 数据来源：studyhub.db",
        "# 参考率（%）：实际参考人数 ÷ 应参考人数", "# n：实际参考人数 ÷ 应参考人数",
    ]  # fmt: skip


def test_sheet_names() -> None:
    assert sheet_names(["a/b", "a/b", "[x]"]) == ["a_b", "a_b(2)", "_x_"]
    names = sheet_names(["x" * 40, "x" * 40, "x" * 40])
    assert names == ["x" * 31, "x" * 28 + "(2)", "x" * 28 + "(3)"]


def test_markdown() -> None:
    table = tables()[0]
    table.rows[0]["name"] = "张|三"
    text = render_tables([table], "md", META).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# 2026年参考情况（按部门）"
    assert lines[2] == "截至 2026-12-07（考试进行中，数字为阶段性结果）。  "
    assert lines[3] == "数据来源：studyhub.db"
    assert "| 部门 | 姓名 | 应参考人数 | 参考率（%） | 得分（%） | 日期 |" in lines
    assert "| --- | --- | ---: | ---: | ---: | --- |" in lines
    assert "| 办公室 | 张\\|三 | 12 | 98.33 | 92.50 | 2026-11-30 |" in lines
    assert "| **合计** | **-** | **12** | **98.33** | **-** | **-** |" in lines
    assert lines[-1] == "- **参考率（%）**：实际参考人数 ÷ 应参考人数"


def test_json_is_one_object_with_numbers() -> None:
    data = json.loads(render_tables(tables(), "json", META))
    assert data["as_of"].startswith("截至 2026-12-07") and data["source"] == "数据来源：studyhub.db"
    first = data["tables"][0]
    assert first["columns"][3] == {"key": "rate", "heading": "参考率（%）", "kind": "rate"}
    assert first["rows"][0] == {"dept": "办公室", "name": "张三", "required": 12, "rate": 0.9833,
                                "score": 92.5, "day": "2026-11-30"}  # fmt: skip
    assert first["rows"][1]["rate"] is None and first["rows"][1]["day"] is None
    assert first["total"]["required"] == 12 and first["notes"] == ["某某考试尚未结束"]
    # the definitions once, under one key, for the whole output
    assert data["definitions"] == [
        {"figure": "参考率（%）", "definition": "实际参考人数 ÷ 应参考人数"},
        {"figure": "n", "definition": "实际参考人数 ÷ 应参考人数"},
    ]
    assert len(data["tables"]) == 3


def test_table_text_aligns_chinese_and_wraps() -> None:
    text = render_tables(tables()[:1], "table", META, width=40).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "截至 2026-12-07（考试进行中，数字为阶段" and lines[1] == "性结果）。"
    title = lines.index("2026年参考情况（按部门）")
    header = lines[title + 1]
    assert "日期" not in header  # a --wide column
    body = [line for line in lines if line.startswith(("办公室", "执法支队", "合计"))]
    assert len({display_width(line.rstrip()) for line in body}) == 1  # numbers right-aligned
    assert re.search(r"  12 +98\.33 +92\.50$", body[0]) and body[-1].startswith("合计")
    assert "-" * 6 in lines[lines.index(body[-1]) - 1]  # a line above the 合计 row
    table = set(lines[title : lines.index(body[-1]) + 1])  # a table is not wrapped
    assert all(display_width(line) <= 40 for line in lines if line not in table), lines
    assert lines[-2:] == ["说明：", "  参考率（%）：实际参考人数 ÷ 应参考人数"]
    wide = render_tables(tables()[:1], "table", META, wide=True).decode("utf-8")
    assert "日期" in wide and "2026-11-30" in wide


def test_write_to_stream_and_atomic_failure(tmp_path: Path) -> None:
    stream = io.BytesIO()
    write_tables(tables(), "json", stream)
    assert json.loads(stream.getvalue())["tables"][0]["title"].startswith("2026")
    from studyhub.errors import InputError

    with pytest.raises(InputError):
        write_tables(tables(), "pdf", tmp_path / "r.pdf")
    assert not list(tmp_path.iterdir())
    with pytest.raises(InputError, match="does not exist"):
        write_tables(tables(), "csv", tmp_path / "missing" / "r.csv")
