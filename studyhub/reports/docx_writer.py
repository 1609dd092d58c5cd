"""Report tables as a Word document laid out as a Chinese official document (GB/T 9704).

A4 with the standard margins (top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm); the
title in 方正小标宋简体 二号 centred; the body in 仿宋_GB2312 三号 with a first-line indent of
two characters and a fixed line spacing of 28.95 pt (22 lines a page); level-1 headings in
黑体, level-2 in 楷体_GB2312, both 三号; Latin text in Times New Roman. The East Asian font is
set on every run (``w:eastAsia``) and on the styles, so Word shows the font as chosen rather
than falling back to its default. The page number is centred in the footer as ``— 1 —``.

Tables repeat their header row on each page; a table of more than :data:`PORTRAIT_COLUMNS`
columns goes into a landscape section. Figures are written for reading (``98.33%``, ``-``
for none; :func:`studyhub.reports.cells.cell_text`). The document ends with the
definitions of its figures as a numbered note (注：1. ……), each once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.i18n import t
from studyhub.render import display_width
from studyhub.reports.cells import body_rows, cell_text
from studyhub.reports.table import ReportMeta, ReportTable, all_definitions

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

__all__ = ["FONTS", "PORTRAIT_COLUMNS", "Heading", "render_docx"]

LATIN = "Times New Roman"
#: the East Asian font of each part of the document
FONTS = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "heading1": "黑体",
    "heading2": "楷体_GB2312",
    "meta": "楷体_GB2312",
    "table": "仿宋_GB2312",
    "table_header": "黑体",
    "page": "宋体",
}
#: 二号, 三号, 四号, 小四, 五号, 小五 in points
TITLE_PT, BODY_PT, PAGE_PT, TABLE_PT, SMALL_TABLE_PT, SMALLEST_TABLE_PT = 22, 16, 14, 12, 10.5, 9
#: fixed line spacing: 22 lines on the type area of an A4 page
LINE_PT = 28.95
#: a table with more columns than this goes into a landscape section
PORTRAIT_COLUMNS = 7


@dataclass(frozen=True)
class Heading:
    """A heading among the paragraphs of :func:`render_docx` (level 1: 黑体, 2: 楷体)."""

    text: str
    level: int = 1


def render_docx(
    tables: Sequence[ReportTable],
    meta: ReportMeta | None = None,
    *,
    title: str,
    paragraphs: Sequence[str | Heading] = (),
    chart_png: bytes | None = None,
) -> bytes:
    """The document: ``title``; the meta lines (as-of, source, notes) under it; the body
    ``paragraphs`` (a :class:`Heading` among them starts a part); each table under its title
    (a table titled as the document is not titled again), with its notes; ``chart_png``;
    then the definitions of every table, each once, as a numbered note."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    _page_setup(document.sections[0], landscape=False)
    _styles(document)
    _page_number(document.sections[0])
    first_wide = bool(tables) and not paragraphs and _wide(tables[0])
    if first_wide:  # a report that is one wide table: the title goes on its landscape page
        _page_setup(document.sections[0], landscape=True)

    _title(document, title)
    for line in meta.lines() if meta is not None else ():
        _paragraph(document, line, "meta", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    for item in paragraphs:
        if isinstance(item, Heading):
            _heading(document, item.text, item.level)
        else:
            _paragraph(document, item, "body")
    for table in tables:
        landscape = _wide(table)
        if landscape != _is_landscape(document.sections[-1]):
            _new_section(document, landscape=landscape)
        if table.title != title:
            _paragraph(
                document, table.title, "heading1", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
            )
        _table(document, table)
        for note in table.notes:
            _paragraph(document, note, "body")
    if chart_png:
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Cm

        document.add_picture(io.BytesIO(chart_png), width=Cm(15))
        picture = document.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.first_line_indent = 0
        # a fixed line height would cut the picture to one line
        picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _definitions(document, all_definitions(list(tables)))
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- page and styles ---------------------------------------------------------------------------


def _page_setup(section: Section, *, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Mm

    width, height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.5)


def _is_landscape(section: Section) -> bool:
    from docx.enum.section import WD_ORIENT

    return section.orientation == WD_ORIENT.LANDSCAPE


def _new_section(document: Document, *, landscape: bool) -> None:
    from docx.enum.section import WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(section, landscape=landscape)  # the footer (page number) is linked


def _wide(table: ReportTable) -> bool:
    return len(table.columns) > PORTRAIT_COLUMNS


def _east_asian(element: Any, font: str) -> None:
    """Set the fonts of ``element``'s rPr: Latin Times New Roman, East Asian ``font``
    (theme fonts removed, as they would win over the names)."""

    _set_fonts(element.get_or_add_rPr().get_or_add_rFonts(), font)


def _set_fonts(fonts: Any, font: str) -> None:
    from docx.oxml.ns import qn

    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{attribute}"), LATIN)
    fonts.set(qn("w:eastAsia"), font)


def _styles(document: Document) -> None:
    """Normal is the body text; Heading 1 and 2 are restyled (black, 黑体 / 楷体, 三号) so
    that the navigation pane still shows the parts."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for fonts in document.styles.element.iterfind(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
    ):  # the defaults name theme fonts (Calibri, 等线...): name ours instead
        _set_fonts(fonts, FONTS["body"])
        _language(fonts.getparent())
    for name, font in (("Normal", "body"), ("Heading 1", "heading1"), ("Heading 2", "heading2")):
        style = document.styles[name]
        style.font.size = Pt(BODY_PT)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        _east_asian(style.element, FONTS[font])
        _language(style.element)
        fmt = style.paragraph_format
        fmt.first_line_indent = Pt(2 * BODY_PT)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False


def _language(element: Any) -> None:
    """Mark East Asian text of ``element`` (a style, or an rPr) as Simplified Chinese."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = element if element.tag == qn("w:rPr") else element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _page_number(section: Section) -> None:
    """``— N —`` centred in the footer, N a PAGE field."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    _run(paragraph, "— ", "page", PAGE_PT)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"),
                       ("end", None)):  # fmt: skip
        run = _run(paragraph, "", "page", PAGE_PT)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._element.append(element)
    _run(paragraph, " —", "page", PAGE_PT)


# --- text --------------------------------------------------------------------------------------


def _run(paragraph: Paragraph, text: str, font: str, size: float, *, bold: bool = False) -> Run:
    """A run of ``text`` with its Latin and East Asian fonts set on the run itself."""
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run._element, FONTS[font])
    return run


def _paragraph(
    document: Document,
    text: str,
    font: str,
    *,
    align: Any = None,
    indent: bool = True,
    size: float = BODY_PT,
) -> Paragraph:
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if not indent:
        paragraph.paragraph_format.first_line_indent = Pt(0)
    _run(paragraph, text, font, size)
    return paragraph


def _title(document: Document, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(36)  # a 22 pt title needs more than the body's 28.95
    fmt.space_after = Pt(LINE_PT)  # one empty line under the title
    _run(paragraph, title, "title", TITLE_PT)


def _heading(document: Document, text: str, level: int) -> None:
    level = 1 if level <= 1 else 2
    paragraph = document.add_paragraph(style=f"Heading {level}")
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, text, f"heading{level}", BODY_PT)


def _definitions(document: Document, lines: Sequence[tuple[str, str]]) -> None:
    """注：1. 应参考人数：……, then 2. ……, aligned under the 1."""
    from docx.shared import Pt

    note = t("report.docx.note")
    for number, (heading, text) in enumerate(lines, start=1):
        lead = note if number == 1 else ""
        paragraph = _paragraph(
            document, f"{lead}{number}. {heading}：{text}", "body", indent=number == 1
        )
        if number > 1:
            paragraph.paragraph_format.first_line_indent = Pt(
                BODY_PT * (2 + display_width(note) / 2)
            )


# --- tables ------------------------------------------------------------------------------------


def _numeric(table: ReportTable, key: str, rows: list[dict[str, Any]]) -> bool:
    """A column of figures (centred): a numeric kind, or numbers in every filled cell."""
    if table.kind(key) != "text":
        return True
    values = [row.get(key) for row in rows if row.get(key) is not None]
    return bool(values) and all(
        isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values
    )


def _table(document: Document, table: ReportTable) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    keys = [key for key, _ in table.columns]
    if not keys:
        return
    size = SMALL_TABLE_PT if _wide(table) else TABLE_PT
    body = body_rows(table)
    numeric = [_numeric(table, key, body) for key in keys]
    rows = [[cell_text(row.get(key), table.kind(key)) for key in keys] for row in body]
    grid = document.add_table(rows=1 + len(rows), cols=len(keys))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    header = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    widths, size = _column_widths(document, table, rows, size)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width  # the grid (LibreOffice reads it) as well as each cell (Word)
    total_row = len(rows) if table.total is not None else -1
    for index, grid_row in enumerate(grid.rows):
        texts = [heading for _, heading in table.columns] if index == 0 else rows[index - 1]
        for column, (cell, text) in enumerate(zip(grid_row.cells, texts, strict=True)):
            cell.width = widths[column]
            paragraph = cell.paragraphs[0]
            fmt = paragraph.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if index == 0 or numeric[column]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            font = "table_header" if index == 0 else "table"
            _run(paragraph, text, font, size, bold=index == total_row)


def _text_points(text: str, size: float) -> float:
    """About how wide ``text`` is at ``size``: a Chinese character a full em, a Latin
    character or digit 0.6 em (Times New Roman is narrower, a substitute font wider)."""
    wide = display_width(text) - len(text)  # one per double-width character
    return (wide + (len(text) - wide) * 0.6) * size


def _column_widths(
    document: Document, table: ReportTable, rows: list[list[str]], size: float
) -> tuple[list[Any], float]:
    """Widths for the columns and the font size: each column as wide as its widest figure
    (figures never wrap) or its header over two lines, plus the cell margins; headers wrap
    over more lines, then the font gets smaller (五号, 小五), when the page is too narrow;
    the widths are then scaled to the text width of the page."""
    from docx.shared import Emu, Pt

    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    headings = [heading for _, heading in table.columns]
    for points, lines in ((size, 2), (size, 3), (SMALL_TABLE_PT, 3), (SMALLEST_TABLE_PT, 4)):
        if points > size:
            continue
        needs = []
        for column, heading in enumerate(headings):
            widest = max((_text_points(row[column], points) for row in rows), default=0)
            header = _text_points(heading, points) / lines
            needs.append(Pt(max(widest, header, 2 * points) + 12))  # 0.19 cm margins
        if sum(needs) <= usable:
            break
    total = sum(needs)
    return [Emu(int(usable * need / total)) for need in needs], points
