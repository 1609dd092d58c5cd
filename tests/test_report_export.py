"""Report exports (studyhub.reports.export) in every format, and the chart."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from studyhub.render import display_width, safe_cell
from studyhub.reports.export import render_tables, sheet_names, write_tables
from studyhub.reports.table import ReportTable

NASTY = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]


def tables() -> list[ReportTable]:
    people = ReportTable(
        title="2026年参考情况（按部门）",
        columns=[
            ("dept", "部门"),
            ("name", "姓名"),
            ("rate", "参考率"),
            ("score", "得分"),
            ("day", "日期"),
        ],
        rows=[
            {
                "dept": "办公室",
                "name": "张三",
                "rate": "100.0%",
                "score": Decimal("92.50"),
                "day": dt.date(2026, 11, 30),
            },
            *(
                {
                    "dept": "执法支队",
                    "name": name,
                    "rate": "-",
                    "score": Decimal("-2.5"),
                    "day": None,
                }
                for name in NASTY
            ),
        ],
        definitions={"rate": "参考率 = 实际参考人数 ÷ 应参考人数"},
        notes=["截至2026-12-31"],
    )
    # a long title (sheet name > 31 characters) twice: names must be cut and kept unique
    long = "A very long report table title that Excel cannot use as a sheet name"
    return [
        people,
        ReportTable(title=long, columns=[("n", "n")], rows=[{"n": 1}]),
        ReportTable(title=long, columns=[("n", "n")], rows=[{"n": 2}]),
    ]


def test_safe_cell() -> None:
    for value in NASTY:
        assert safe_cell(value) == "'" + value
    assert safe_cell("-") == "-"  # an empty denominator, not a formula
    assert safe_cell("张三") == "张三" and safe_cell(-2) == -2


def test_csv_has_bom_titles_and_escaped_cells(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    write_tables(tables(), "csv", path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["2026年参考情况（按部门）"]
    assert rows[1] == ["部门", "姓名", "参考率", "得分", "日期"]
    assert rows[2] == ["办公室", "张三", "100.0%", "92.50", "2026-11-30"]
    names = [row[1] for row in rows[3 : 3 + len(NASTY)]]
    assert names == ["'" + value for value in NASTY]
    assert rows[3][2] == "-" and rows[3][3] == "-2.5"
    assert rows[3 + len(NASTY)] == ["参考率：参考率 = 实际参考人数 ÷ 应参考人数"]
    assert rows[4 + len(NASTY)] == ["截至2026-12-31"]
    assert rows[5 + len(NASTY)] == []  # a blank line, then the next table's title
    assert rows[6 + len(NASTY)][0].startswith("A very long")
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or cell == "-" or cell[1:].replace(".", "").isdigit()


def test_sheet_names() -> None:
    assert sheet_names(["a/b", "a/b", "[x]"]) == ["a_b", "a_b(2)", "_x_"]
    names = sheet_names(["x" * 40, "x" * 40, "x" * 40])
    assert names == ["x" * 31, "x" * 28 + "(2)", "x" * 28 + "(3)"]


def test_markdown() -> None:
    table = tables()[0]
    table.rows[0]["name"] = "张|三"
    text = render_tables([table], "md").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "## 2026年参考情况（按部门）"
    assert lines[2] == "| 部门 | 姓名 | 参考率 | 得分 | 日期 |"
    assert lines[3] == "| --- | --- | --- | --- | --- |"
    assert lines[4] == "| 办公室 | 张\\|三 | 100.0% | 92.50 | 2026-11-30 |"
    assert "- **参考率**：参考率 = 实际参考人数 ÷ 应参考人数" in lines


def test_json() -> None:
    data = json.loads(render_tables(tables(), "json"))
    assert len(data) == 3
    first = data[0]
    assert {"title", "columns", "rows", "definitions"} <= set(first)
    assert first["columns"][0] == {"key": "dept", "heading": "部门"}
    assert first["rows"][0] == {"dept": "办公室", "name": "张三", "rate": "100.0%",
                                "score": "92.50", "day": "2026-11-30"}  # fmt: skip
    assert first["rows"][1]["day"] is None
    assert first["definitions"] == {"rate": "参考率 = 实际参考人数 ÷ 应参考人数"}


def test_table_text_aligns_chinese() -> None:
    text = render_tables(tables()[:1], "table").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "2026年参考情况（按部门）"
    body = [line for line in lines[1:] if line.startswith(("部门", "办公室", "执法支队"))]
    widths = {display_width(line.rstrip()) for line in body[:2]}
    assert len(body) >= 2 and lines[2].startswith("-")
    assert max(widths) - min(widths) <= 12  # same columns, padded by display width
    assert lines[1].index("姓名") > 0
    assert "参考率：参考率 = 实际参考人数 ÷ 应参考人数" in lines


def test_write_to_stream_and_atomic_failure(tmp_path: Path) -> None:
    stream = io.BytesIO()
    write_tables(tables(), "json", stream)
    assert json.loads(stream.getvalue())[0]["title"].startswith("2026")
    from studyhub.errors import InputError

    with pytest.raises(InputError):
        write_tables(tables(), "pdf", tmp_path / "r.pdf")
    assert not list(tmp_path.iterdir())
    with pytest.raises(InputError, match="does not exist"):
        write_tables(tables(), "csv", tmp_path / "missing" / "r.csv")


# --- the chart ---------------------------------------------------------------------------------

ROWS = [
    {"group": "办公室", "participation_rate": Decimal("0.9833"), "pass_rate": Decimal("0.95")},
    {"group": "执法支队", "participation_rate": Decimal("1"), "pass_rate": None},
]


def _any_font() -> str:
    from matplotlib import font_manager

    return str(font_manager.findfont("DejaVu Sans"))


def test_chart_draws_a_png(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    import warnings

    from studyhub.reports import chart

    if chart.find_cjk_font() is None:
        # no CJK font on this machine: draw with matplotlib's own font (glyphs missing)
        monkeypatch.setattr(chart, "find_cjk_font", _any_font)
    path = tmp_path / "rates.png"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs when drawing with a fallback font
        chart.draw_rates_chart(ROWS, path)
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".rates.png")]


def test_chart_without_cjk_font_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("matplotlib")
    from studyhub.errors import StudyhubError
    from studyhub.reports import chart

    monkeypatch.setattr(chart, "find_cjk_font", lambda: None)
    with pytest.raises(StudyhubError) as caught:
        chart.draw_rates_chart(ROWS, tmp_path / "rates.png")
    assert "fonts-noto-cjk" in (caught.value.hint or "")
    assert "fonts-wqy-microhei" in (caught.value.hint or "")
    assert not (tmp_path / "rates.png").exists()


def test_chart_font_lookup_finds_a_cjk_family(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib import font_manager

    from studyhub.reports import chart

    fake = font_manager.FontEntry(fname="/fonts/wqy.ttc", name="WenQuanYi Micro Hei")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [fake])
    assert chart.find_cjk_font() == "/fonts/wqy.ttc"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    assert chart.find_cjk_font() is None


def test_chart_without_matplotlib(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys

    from studyhub.errors import StudyhubError
    from studyhub.reports import chart

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails
    with pytest.raises(StudyhubError, match=r"pip install 'studyhub\[chart\]'"):
        chart.draw_rates_chart(ROWS, tmp_path / "rates.png")
