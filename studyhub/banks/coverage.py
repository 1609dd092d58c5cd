"""Nothing silent: a file that yields no question, or lines no question came from.

After a file is read, :func:`nothing_read` says (as an error) that no question could be
read from it, naming the formats considered and why the one used found nothing, and
:func:`unread_lines` lists the lines of a line-based text file that look like a numbered
question (``12、`` ``12.`` ``（12）``) or an answer line (``答案：`` ``ANSWER:``) but that no
record came from: not read into a record (``ctx.begin_record(raw, line)``,
``ctx.add_raw(text, line)``), and no error or warning reported at them. Every line-based
parser that gives those calls their lines benefits, whatever its layout.

:func:`units` counts what the progress bar counts: the lines (or rows, paragraphs) of a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from studyhub.banks.context import ParseContext
from studyhub.banks.summary import FileSummary
from studyhub.errors import LocatedError
from studyhub.i18n import N_, Lazy, msg, msgn

__all__ = ["LINE_FORMATS", "nothing_read", "units", "unread_lines"]

#: formats whose records are lines of text (their parsers give record start lines)
LINE_FORMATS = {"text", "docx", "aiken", "gift", "tab-lines", "jsonl"}
#: the formats :func:`studyhub.banks.formats.detect` considers for a text file, in order
TEXT_FORMATS = ("gift", "aiken", "tab-lines", "text")
_TEXT_EXTENSIONS = (".txt", ".md", "")

_NUMBERED = re.compile(r"^\s*(?:\d{1,5}\s*(?:[、．]|\.(?!\d))|[（(]\s*\d{1,5}\s*[)）])")
_ANSWER = re.compile(
    r"^\s*(?:[【\[]?\s*(?:正确|参考|标准)?答\s*案\s*[】\]]?\s*[:：]|ANSWER\s*:)", re.IGNORECASE
)

#: format -> what a question looks like in it (said when none was found)
_LOOKS_LIKE = {
    "text": N_("no numbered question (1. 1、 （1）) with options and an 答案： line"),
    "docx": N_("no numbered question paragraph (1. 1、 （1）) with options and an 答案： line"),
    "aiken": N_("no question followed by options (A. ...) and an ANSWER: line"),
    "gift": N_("no question with its answers in braces {...}"),
    "csv": N_("no filled row under the header"),
    "xlsx": N_("no filled row under a header in any sheet"),
    "yaml": N_("the questions list is empty"),
    "json": N_("the questions list is empty"),
    "moodle-xml": N_("no <question> element"),
    "tab-lines": N_("no line of tab-separated fields with an answer (正确答案：X)"),
    "jsonl": N_("no line holding a JSON object"),
    "json-records": N_("no question records (a JSON array, data/list/items/questions)"),
}


def considered(path: Path, format: str) -> list[str]:
    """The formats detection considers for ``path`` (one when its extension names it)."""
    if path.suffix.lower() in _TEXT_EXTENSIONS:
        return list(dict.fromkeys([*TEXT_FORMATS, format]))
    return [format]


def nothing_read(ctx: ParseContext, summary: FileSummary) -> LocatedError | None:
    """The error for a file from which not one question was read (and nothing reported)."""
    if summary.questions or ctx.errors or ctx.skipped:
        return None
    why = _LOOKS_LIKE.get(summary.format)
    return LocatedError(
        ctx.at(),
        msg(
            "no question could be read: read as {format} ({why}); formats considered: {tried}",
            format=summary.format,
            why=msg(why) if why else "-",
            tried=", ".join(considered(ctx.path, summary.format)),
        ),
        hint=msg(
            "give the format with --format, or write the questions as question_banks/README.md"
            " shows"
        ),
    )


def unread_lines(ctx: ParseContext, format: str) -> list[int]:
    """The lines that look like a question or an answer that no question came from."""
    if format not in LINE_FORMATS or not ctx.read_lines:
        return []
    reported = {e.location.line for e in [*ctx.errors, *ctx.skipped, *ctx.warnings]}
    return [
        number
        for number, text in _lines(ctx, format)
        if number not in ctx.read_lines
        and number not in reported
        and (_NUMBERED.match(text) or _ANSWER.match(text))
    ]


def unread_message(lines: list[int]) -> Lazy:
    shown = ", ".join(str(n) for n in lines[:5]) + (", ..." if len(lines) > 5 else "")
    return msgn(
        "{n} line looks like a question or an answer but no question was read from it"
        " (line {lines})",
        "{n} lines look like a question or an answer but no question was read from them"
        " (lines {lines})",
        len(lines),
        lines=shown,
    )


def _lines(ctx: ParseContext, format: str) -> Iterable[tuple[int, str]]:
    if format == "docx":
        from studyhub.banks.formats.text_docx import _docx_lines

        return _docx_lines(ctx)
    from studyhub.banks.formats.textio import read_lines

    return read_lines(ctx)


def units(path: Path, format: str) -> int:
    """How many lines (rows of a workbook, paragraphs of a Word document) a file has: the
    progress bar's total, cheap to count."""
    try:
        if format == "xlsx":
            return _workbook_rows(path)
        if format == "docx":
            return _paragraphs(path)
        count = 0
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                count += chunk.count(b"\n")
        return count + 1
    except Exception:
        return 0


def _workbook_rows(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return sum(sheet.max_row or 0 for sheet in book.worksheets)
    finally:
        book.close()


def _paragraphs(path: Path) -> int:
    import zipfile

    with zipfile.ZipFile(path) as archive, archive.open("word/document.xml") as stream:
        data = stream.read()
    return data.count(b"<w:p>") + data.count(b"<w:p ")
