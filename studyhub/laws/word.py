"""A statute as a Word document (.docx), as the national law database offers it.

The official files hold the title as the first paragraph, the adoption and amendment dates in
one parenthesised paragraph (``（2003年8月27日第十届全国人民代表大会常务委员会第四次会议通过　根据
2019年4月23日……修正）``), a 目录 listing the headings, then 编/分编/章/节 headings and articles
(``第一条　……``) as plain paragraphs. :func:`statute_lines` turns them into the lines
:func:`studyhub.laws.statutes.parse_law` reads, one line per paragraph (so that an error
names the paragraph): ``# title``, the dates without their parentheses, ``##``..``#####``
headings with the spaces inside their titles removed; the 目录's lines are left empty.
"""

from __future__ import annotations

import re
from pathlib import Path

from studyhub.errors import LocatedError, Location
from studyhub.fileio import check_archive, read_member
from studyhub.i18n import msg

__all__ = ["statute_lines"]

#: heading levels by division, as in the Markdown statute files
_LEVELS = {"编": 2, "分编": 3, "章": 4, "节": 5}
_DIVISION_RE = re.compile(r"^第[零〇一二三四五六七八九十百千0-9]+(分编|编|章|节)[\s　]*\S")
_TOC_RE = re.compile(r"^目[\s　]*录$")
_DATE_START_RE = re.compile(r"(?=\d{4}年\d{1,2}月\d{1,2}日)")


def _paragraphs(path: Path, display: str) -> list[str]:
    import docx

    check_archive(path, display)
    # the document part read under the size limit, whatever the archive says of its size
    if not read_member(path, "word/document.xml", display):
        raise LocatedError(Location(display), msg("the document is empty"))
    try:
        document = docx.Document(str(path))
    except Exception as err:  # python-docx raises many kinds for a broken file
        raise LocatedError(
            Location(display), msg("not a readable Word document: {detail}", detail=str(err))
        ) from None
    lines: list[str] = []
    for paragraph in document.paragraphs:
        for piece in paragraph.text.replace("\r", "\n").split("\n"):
            lines.append(piece.strip().replace("\u3000", " ").strip())
    return lines


def statute_lines(path: Path, display: str) -> list[str]:
    """The document's paragraphs as statute-file lines, one line per paragraph, so that an
    error names the paragraph (see the module docstring)."""
    out: list[str] = []
    title_seen = False
    in_toc = False
    toc: list[str] = []  # the headings the 目录 lists; the first one again ends it
    for text in _paragraphs(path, display):
        bare = "".join(text.split())
        if not text or "\x00" in text:  # parse_law refuses a NUL with its line
            out.append(text)
            continue
        if not title_seen:
            out.append(f"# {text}")
            title_seen = True
            continue
        if _TOC_RE.match(bare):
            in_toc = True
            out.append("")
            continue
        division = _DIVISION_RE.match(text)
        if in_toc:
            if (division or bare in ("附则", "序言")) and (not toc or bare != toc[0]):
                toc.append(bare)
                out.append("")
                continue
            in_toc = False
        if division:
            kind = division.group(1)
            end = bare.index(kind) + len(kind)
            out.append("#" * _LEVELS[kind] + f" {bare[:end]} {bare[end:]}")
        elif bare in ("附则", "序言"):
            out.append(f"## {bare}")
        elif text.startswith(("（", "(")) and _DATE_START_RE.search(text[:12]):
            out.append(text.strip("（）() "))  # the dates, read by parse_law
        else:
            out.append(text)
    return out
