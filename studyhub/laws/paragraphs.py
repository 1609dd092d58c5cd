"""Paragraphs (款) of an article, and the paragraph a citation names (``第八条第二款``).

An article's stored text keeps its paragraphs as lines: each line is a 款, except a line that
opens with an item number (``（一）``), which is an item (项) of the paragraph above it. A
citation narrows an article to one paragraph with ``第X条第Y款`` (``第8条第2款第3项`` names
the paragraph 2); a paragraph is named only for a single article, not for a list or a range.
"""

from __future__ import annotations

import re
import unicodedata

from studyhub.laws.statutes import short_name
from studyhub.numerals import parse_number

__all__ = ["cited_paragraphs", "paragraph", "paragraphs"]

_ITEM_RE = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
_CITED_RE = re.compile(
    r"第([零〇一二三四五六七八九十百千0-9]+)条(?:之([一二三四五六七八九十]+))?"
    r"第([零〇一二三四五六七八九十0-9]+)款"
)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of an article's text, each with its items."""
    found: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if found and _ITEM_RE.match(line):
            found[-1] += "\n" + line
        else:
            found.append(line)
    return found


def paragraph(text: str, number: int) -> str | None:
    """Paragraph ``number`` (1 is the first) of an article's text; None if it has none."""
    found = paragraphs(text)
    return found[number - 1] if 1 <= number <= len(found) else None


def cited_paragraphs(citation: str) -> dict[tuple[str, int, int], int]:
    """``{(law, article, sub): paragraph}`` for every ``第X条第Y款`` of a citation (``law``
    is the law's short name, ``sub`` N for 第X条之N, else 0)."""
    found: dict[tuple[str, int, int], int] = {}
    for part in re.split(r"[；;]", citation):
        normal = unicodedata.normalize("NFKC", part).replace("《", "").replace("》", "").strip()
        head = re.match(r"^([^第]+?)\s*第", normal)
        if head is None:
            continue
        law = short_name(head.group(1).strip())
        for match in _CITED_RE.finditer(normal.replace(" ", "")):
            number = parse_number(match.group(1))
            sub = parse_number(match.group(2)) if match.group(2) else 0
            para = parse_number(match.group(3))
            if number and para and sub is not None:
                found[(law, number, sub)] = para
    return found
