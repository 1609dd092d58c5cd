"""Reading a Word document (.docx) as numbered lines: its paragraphs, with the numbers that
Word's automatic list numbering shows before them (see :mod:`studyhub.banks.formats.text`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.textio import Line, check_size
from studyhub.errors import Location
from studyhub.i18n import msg


def _docx_lines(ctx: ParseContext) -> Iterator[Line]:
    """The paragraphs of a Word document, numbered from 1; a paragraph with line breaks
    gives several lines with the same number."""
    check_size(ctx)
    _check_zip(ctx)
    import docx

    try:
        document = docx.Document(str(ctx.path))
        paragraphs = document.paragraphs
        numbering = _Numbering(document)
    except Exception as err:
        raise ctx.fail(
            ctx.at(), msg("cannot read the Word document: {detail}", detail=str(err))
        ) from None
    for number, paragraph in enumerate(paragraphs, 1):
        try:
            text = numbering.label(paragraph) + paragraph.text
        except Exception as err:
            raise ctx.fail(
                _paragraph(ctx, number), msg("cannot read the paragraph: {detail}", detail=str(err))
            ) from None
        for part in re.split(r"[\n\r\v]", text):
            yield number, part


_CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese_numeral(value: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十 (enough for section headings)."""
    if value < 10:
        return _CHINESE_DIGITS[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        head = "" if tens == 1 else _CHINESE_DIGITS[tens]
        return head + "十" + (_CHINESE_DIGITS[ones] if ones else "")
    return str(value)


def _format_number(value: int, kind: str) -> str:
    """A list counter as Word shows it (letters in upper case: the parser reads those)."""
    if kind in ("upperLetter", "lowerLetter") and 1 <= value <= 26:
        return chr(ord("A") + value - 1)
    if kind.startswith(("chinese", "ideograph", "taiwanese", "japanese")):
        return _chinese_numeral(value)
    return str(value)


class _Numbering:
    """Word's automatic list numbering, which ``paragraph.text`` leaves out: ``1.`` before
    a numbered question, ``A.`` before an option, ``一、`` before a heading."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val")) if ref is not None else None)
            starts = self.start_overrides(num)
            for level in definition.findall(qn("w:lvl")) if definition is not None else []:
                ilvl = level.get(qn("w:ilvl")) or "0"
                form, text, start = self.level(level)
                key = (num.get(qn("w:numId")) or "", ilvl)
                self.levels[key] = (form, text, starts.get(ilvl, start))

    def start_overrides(self, num: Any) -> dict[str, int]:
        """``<w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/>`` of a ``<w:num>``."""
        qn = self.qn
        starts: dict[str, int] = {}
        for override in num.findall(qn("w:lvlOverride")):
            start = override.find(qn("w:startOverride"))
            value = start.get(qn("w:val"), "") if start is not None else ""
            if value.isdigit():
                starts[override.get(qn("w:ilvl")) or "0"] = int(value)
        return starts

    def level(self, level: Any) -> tuple[str, str, int]:
        """(number format, level text such as ``%1.``, start) of a ``<w:lvl>``."""
        values = []
        for tag, default in (("w:numFmt", "decimal"), ("w:lvlText", ""), ("w:start", "1")):
            child = level.find(self.qn(tag))
            values.append(child.get(self.qn("w:val"), default) if child is not None else default)
        start = int(values[2]) if values[2].isdigit() else 1
        return values[0], values[1], start

    def label(self, paragraph: Any) -> str:
        """The number Word shows before the paragraph ("" if it is not in a numbered list)."""
        num_pr = self.num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id, ilvl = num_pr
        form, text, start = self.levels.get((num_id, str(ilvl)), ("none", "", 1))
        if form in ("bullet", "none") or not text:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        for level, value in counters.items():
            level_form = self.levels.get((num_id, str(level)), (form, "", 1))[0]
            text = text.replace(f"%{level + 1}", _format_number(value, level_form))
        return text

    def num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        """(numId, level) of a paragraph, from itself or its style."""
        qn = self.qn
        for holder in (paragraph._p, getattr(paragraph.style, "element", None)):
            p_pr = holder.find(qn("w:pPr")) if holder is not None else None
            num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
            if num_pr is None:
                continue
            num_id = num_pr.find(qn("w:numId"))
            ilvl = num_pr.find(qn("w:ilvl"))
            value = ilvl.get(qn("w:val"), "0") if ilvl is not None else "0"
            if num_id is None or num_id.get(qn("w:val")) in (None, "0"):
                return None
            return num_id.get(qn("w:val")), int(value) if value.isdigit() else 0
        return None


def _check_zip(ctx: ParseContext) -> None:
    """Refuse what is not a zip archive (e.g. an old .doc), encrypted documents and archives
    whose parts unpack past the input limit (see :func:`studyhub.fileio.check_archive`)."""
    from studyhub.errors import LocatedError
    from studyhub.fileio import check_archive

    try:
        check_archive(ctx.path, ctx.display)
    except LocatedError as err:
        message = err.message
        if str(message).startswith("not an Office"):
            message = msg("not a .docx file (an old .doc document must be saved as .docx first)")
        raise ctx.fail(ctx.at(), message) from None


def _paragraph(ctx: ParseContext, number: int) -> Location:
    return Location(ctx.display, number, None, None, "paragraph")
