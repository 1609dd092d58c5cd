"""The docx export (studyhub.reports.docx_writer) read back with python-docx: A4 and the
margins of GB/T 9704, the East Asian font of every run, a landscape section for a wide table,
the page number field, the table contents and the numbered definitions; and through the CLI."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Mm

from studyhub.cli import cli
from studyhub.db import Database
from studyhub.reports.docx_writer import FONTS, Heading, render_docx
from studyhub.reports.table import ReportMeta, ReportTable
from tests.reports.test_rates_scenario import scenario  # noqa: F401

DEFINITIONS = {"required": "在岗且未免考的人数", "participation_rate": "实际参考人数 ÷ 应参考人数"}


def narrow() -> ReportTable:
    return ReportTable(
        "2026年参考情况",
        [("group_name", "部门"), ("required", "应参考人数"), ("participation_rate", "参考率"),
         ("average", "平均分"), ("hours", "学时")],
        [{"group_name": "办公室", "required": 10, "participation_rate": Decimal("0.9833"),
          "average": Decimal("88.5"), "hours": Decimal("2.50")},
         {"group_name": "法规科", "required": 0, "participation_rate": None, "average": None,
          "hours": Decimal("0")}],
        definitions=dict(DEFINITIONS),
        kinds={"required": "count", "participation_rate": "rate", "average": "score",
               "hours": "number"},
        total={"group_name": "合计", "required": 10, "participation_rate": Decimal("0.9833"),
               "average": Decimal("88.5"), "hours": Decimal("2.5")},
    )  # fmt: skip


def wide() -> ReportTable:
    columns = [("group_name", "部门"), *((f"c{i}", f"指标{i}") for i in range(9))]
    row = {"group_name": "执法一大队", **{f"c{i}": i for i in range(9)}}
    return ReportTable("各部门明细", columns, [row], definitions={"required": "应参考人数定义"},
                       kinds={f"c{i}": "count" for i in range(9)})  # fmt: skip


def document_of(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def east_asian(run: docx.text.run.Run) -> str | None:
    fonts = run._element.rPr.rFonts
    return fonts.get(qn("w:eastAsia"))


def test_a4_margins_fonts_and_footer() -> None:
    meta = ReportMeta(as_of="截至2026年12月31日", source="数据来源：studyhub.db")
    paragraphs = [Heading("一、基本情况"), "全年组织考试1次。",
                  Heading("（一）参考情况", level=2), "参考率98.33%。"]  # fmt: skip
    data = render_docx([narrow()], meta, title="2026年度学法考试情况", paragraphs=paragraphs)
    document = document_of(data)
    [section] = document.sections
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    for margin, cm in (("top", 3.7), ("bottom", 3.5), ("left", 2.8), ("right", 2.6)):
        assert abs(getattr(section, f"{margin}_margin") - Cm(cm)) < Cm(0.01), margin
    paragraphs = {p.text: p for p in document.paragraphs}
    title = paragraphs["2026年度学法考试情况"]
    assert title.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert [east_asian(r) for r in title.runs] == ["方正小标宋简体"]
    assert title.runs[0].font.size.pt == 22
    body = paragraphs["全年组织考试1次。"]
    assert [east_asian(r) for r in body.runs] == ["仿宋_GB2312"]
    assert body.runs[0].font.name == "Times New Roman" and body.runs[0].font.size.pt == 16
    assert body.style.paragraph_format.first_line_indent.pt == 32
    assert body.style.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    assert east_asian(paragraphs["一、基本情况"].runs[0]) == "黑体"
    assert paragraphs["一、基本情况"].style.name == "Heading 1"
    assert east_asian(paragraphs["（一）参考情况"].runs[0]) == "楷体_GB2312"
    assert paragraphs["截至2026年12月31日"].runs and "数据来源：studyhub.db" in paragraphs
    # every run of the document names its East Asian font; so does the Normal style
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert east_asian(run) in FONTS.values(), paragraph.text
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.get(qn("w:asciiTheme")) is None
    # the page number: — PAGE —, centred
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    instructions = [el.text for el in footer._element.iter(qn("w:instrText"))]
    assert [text.strip() for text in instructions] == ["PAGE"]
    assert [el.get(qn("w:fldCharType")) for el in footer._element.iter(qn("w:fldChar"))] == [
        "begin", "separate", "end"]  # fmt: skip


def test_table_contents_header_repeat_and_definitions_once() -> None:
    other = ReportTable("2025年参考情况", [("required", "应参考人数")], [{"required": 3}],
                        definitions={"required": DEFINITIONS["required"]},
                        kinds={"required": "count"})  # fmt: skip
    document = document_of(render_docx([narrow(), other], title="学法考试情况"))
    grid = document.tables[0]
    cells = [[cell.text for cell in row.cells] for row in grid.rows]
    assert cells == [
        ["部门", "应参考人数", "参考率", "平均分", "学时"],
        ["办公室", "10", "98.33", "88.50", "2.5"],
        ["法规科", "0", "-", "-", "0"],
        ["合计", "10", "98.33", "88.50", "2.5"],
    ]
    header = grid.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    assert all(r.font.bold for r in grid.rows[-1].cells[0].paragraphs[0].runs)
    for row in grid.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                assert east_asian(run) in ("仿宋_GB2312", "黑体")
    texts = [p.text for p in document.paragraphs]
    assert "2026年参考情况" in texts and "2025年参考情况" in texts  # each table under its title
    notes = [text for text in texts if text.startswith(("注：", "2. "))]
    assert notes == [
        "注：1. 应参考人数：在岗且未免考的人数",
        "2. 参考率：实际参考人数 ÷ 应参考人数",
    ]


def test_wide_table_in_a_landscape_section_then_back() -> None:
    document = document_of(render_docx([narrow(), wide(), narrow()], title="报告"))
    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = document.sections[1]
    assert landscape.page_width > landscape.page_height
    assert abs(landscape.page_width - Mm(297)) < Mm(0.1)
    assert [len(t.columns) for t in document.tables] == [5, 10, 5]
    assert [cell.text for cell in document.tables[1].rows[1].cells][:3] == ["执法一大队", "0", "1"]
    # the page number carries on in every section
    assert all(s.footer.is_linked_to_previous for s in document.sections[1:])
    # a report that is one wide table starts landscape, title and all
    alone = document_of(render_docx([wide()], title="各部门明细"))
    assert [s.orientation for s in alone.sections] == [WD_ORIENT.LANDSCAPE]
    assert [p.text for p in alone.paragraphs].count("各部门明细") == 1


def test_cli_rates_and_study_as_docx(
    scenario: Database,  # noqa: F811
    db_url: str,
    tmp_path: Path,
) -> None:
    target = tmp_path / "rates.docx"
    result = CliRunner().invoke(cli, ["--db", db_url, "report", "rates", "--year", "2025",
                                      "--format", "docx", "-o", str(target)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = docx.Document(str(target))
    # every figure of every exam: more columns than a portrait page takes
    assert [s.orientation for s in document.sections] == [WD_ORIENT.LANDSCAPE]
    assert abs(document.sections[0].page_width - Mm(297)) < Mm(0.1)
    [grid] = document.tables
    header = [cell.text for cell in grid.rows[0].cells]
    row = dict(zip(header, (cell.text for cell in grid.rows[1].cells), strict=True))
    assert row["应参考人数"] == "8" and row["实际参考人数"] == "6" and row["及格人数"] == "5"
    notes = [p.text for p in document.paragraphs if p.text.startswith("注：1. ")]
    assert len(notes) == 1 and "应参考人数" in notes[0]
    study = tmp_path / "study.docx"
    result = CliRunner().invoke(cli, ["--db", db_url, "report", "study", "--year", "2025",
                                      "--format", "docx", "-o", str(study)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert docx.Document(str(study)).tables


def test_cli_docx_refuses_a_terminal(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from studyhub.cli import report_cmd
    from studyhub.errors import InputError

    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(report_cmd.sys, "stdout", io.TextIOWrapper(Terminal()))
    with pytest.raises(InputError, match="docx output is a binary file") as caught:
        report_cmd.emit([], "docx", None)
    assert "FILE.docx" in (caught.value.hint or "")
