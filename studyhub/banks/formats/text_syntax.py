"""The lines of a Word-style bank: the patterns that tell section headings, questions,
options, answers, explanations and sources apart, and the helpers that read them (see
:mod:`studyhub.banks.formats.text`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from studyhub.banks.record import LETTERS
from studyhub.i18n import Message, msg

_SPACES = " \t\u3000\xa0"


# --- line patterns -------------------------------------------------------------------------

_KNOWN_SECTIONS: dict[str, str | None] = {
    "单选题": "single",
    "单项选择题": "single",
    "多选题": "multiple",
    "多项选择题": "multiple",
    "判断题": "judge",
    "是非题": "judge",
    "填空题": "fill",
    # either single or multiple: the answer tells
    "不定项选择题": None,
    "选择题": None,
}
#: headings of question types studyhub cannot ask, recognised even without a numeral
_ESSAY_SECTIONS = ("简答题", "论述题", "问答题", "案例分析题", "材料分析题", "名词解释")
_HEADING = re.compile(
    r"^#{0,6}\s*(?P<numeral>[一二三四五六七八九十]+\s*[、.．]\s*)?"
    r"(?P<name>[^\s（(:：，,]{1,12}?题|名词解释)(?P<rest>(?:[\s（(:：，,].*)?)$"
)
_POINTS = re.compile(r"每小?题\s*(\d+(?:\.\d+)?)\s*分")
_QUESTION = re.compile(
    r"^(?:(?P<n1>\d{1,5})\s*(?:[.．](?!\d)|、)|[（(]\s*(?P<n2>\d{1,5})\s*[)）]"
    r"|(?P<n3>\d{1,5})\s*[)）])\s*(?P<text>.*)$"
)
_LETTER = "[A-HＡ-Ｈ]"
_MARKER = rf"(?:(?P<l1>{_LETTER})\s*(?P<p1>[.、．)）])|[（(]\s*(?P<l2>{_LETTER})\s*[)）])"
_OPTION = re.compile(r"^" + _MARKER)
_MARKER_OF = {
    letter: re.compile(_MARKER.replace(_LETTER, f"[{letter}{chr(ord(letter) + 0xFEE0)}]"))
    for letter in LETTERS
}
_ANSWER = re.compile(
    r"^(?:[【\[]\s*(?:正确|参考|标准)?答\s*案\s*[】\]]\s*[:：]?|(?:正确|参考|标准)?答\s*案\s*[:：])"
    r"\s*(?P<value>.*)$"
)
_EXPLANATION_MARK = (
    r"(?:[【\[]\s*(?:答案|试题)?解\s*析\s*[】\]]\s*[:：]?|(?:答案|试题)?解\s*析\s*[:：])"
)
_EXPLANATION = re.compile(r"^" + _EXPLANATION_MARK + r"\s*(?P<value>.*)$")
_INLINE_EXPLANATION = re.compile(_EXPLANATION_MARK)
_META = re.compile(
    r"^(?:[【\[]\s*(?P<k1>出处|依据|来源|难度)\s*[】\]]\s*[:：]?|(?P<k2>出处|依据|来源|难度)\s*[:：])"
    r"\s*(?P<value>.*)$"
)
_BLANK = re.compile(r"[（(][ \t\u3000\xa0]*[)）]|_{3,}|＿{3,}")
_BRACKET_LETTERS = re.compile(
    rf"[（(]\s*(?P<value>{_LETTER}(?:\s*(?:[,，、]\s*)?{_LETTER})*)\s*[)）]"
)
_BRACKET_TRUTH = re.compile(r"[（(]\s*(?P<value>对|错|正确|错误|[√×✓✔✗✘])\s*[)）]")
_EMPTY_BRACKET = "（  ）"

_TRUE_WORDS = frozenset({"对", "正确", "√", "✓", "✔", "T", "TRUE", "是"})
_FALSE_WORDS = frozenset({"错", "错误", "×", "✗", "✘", "F", "FALSE", "否"})


def parse_truth(text: str) -> bool | None:
    """``对``/``正确``/``√``/``T`` -> True, ``错``/``错误``/``×``/``F`` -> False, else None."""
    word = unicodedata.normalize("NFKC", text).strip().upper()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


def mark_blanks(stem: str) -> tuple[str, int]:
    """The stem with every blank (``（  ）``, ``(  )``, 3+ underscores) written ``____``,
    and the number of blanks."""
    marked, count = _BLANK.subn("____", stem)
    return marked, count


def _clean(text: str) -> str:
    """A line without surrounding white space and Markdown bold markers."""
    return text.replace("**", "").strip()


@dataclass
class _Section:
    """What a heading says about the questions below it."""

    kind: str | None = None
    points: Decimal | None = None
    #: the heading's name when studyhub cannot ask its questions (简答题...)
    unsupported: str | None = None


def _heading(text: str) -> _Section | None:
    """The section a heading line starts, or None if the line is no heading."""
    match = _HEADING.match(text)
    if not match:
        return None
    name = match["name"]
    points_match = _POINTS.search(unicodedata.normalize("NFKC", match["rest"]))
    points = Decimal(points_match[1]) if points_match else None
    if name in _KNOWN_SECTIONS:
        return _Section(_KNOWN_SECTIONS[name], points)
    if match["numeral"] or name in _ESSAY_SECTIONS:
        return _Section(None, points, unsupported=name)
    return None


def _letter(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match["l1"] or match["l2"])


def _style(match: re.Match[str]) -> str:
    """The kind of an option marker: ``.`` (also ``．``), ``、``, ``)`` or ``()``."""
    if match["l2"]:
        return "()"
    return {"．": ".", "）": ")"}.get(match["p1"], match["p1"])


def _split_options(text: str) -> list[tuple[str, str]]:
    """``A.甲  B.乙`` -> [("A", "甲"), ("B", "乙")]: a line split at the markers of the
    following letters (after white space, or directly after text in the same style)."""
    match = _OPTION.match(text)
    assert match is not None
    style = _style(match)
    parts: list[tuple[str, str]] = []
    while True:
        letter = _letter(match)
        index = LETTERS.index(letter) + 1
        following = _next_marker(text, LETTERS[index], style, match.end()) if index < 8 else None
        end = following.start() if following else len(text)
        parts.append((letter, text[match.end() : end].strip()))
        if following is None:
            return parts
        match = following


def _next_marker(text: str, letter: str, style: str, start: int) -> re.Match[str] | None:
    for match in _MARKER_OF[letter].finditer(text, start):
        before = text[match.start() - 1]
        if before in _SPACES or (_style(match) == style and not before.isascii()):
            return match
    return None


def _out_of_order(letter: str, count: int) -> Message | None:
    if count >= len(LETTERS):
        return msg(
            "option {letter} out of order (at most {most} options, A-H)",
            letter=letter,
            most=len(LETTERS),
        )
    if letter != LETTERS[count]:
        return msg(
            "option {letter} out of order (expected {expected})",
            letter=letter,
            expected=LETTERS[count],
        )
    return None


def _bracket_answer(stem: str, kind: str | None) -> tuple[str, str | None]:
    """The key written in the stem's bracket (``（B）``, ``（√）``), taken out of the stem
    (which gets an empty ``（  ）``); ``(stem, None)`` if there is none."""
    if kind == "fill":
        return stem, None
    patterns = {
        "single": (_BRACKET_LETTERS,),
        "multiple": (_BRACKET_LETTERS,),
        "judge": (_BRACKET_TRUTH, _BRACKET_LETTERS),
    }.get(kind or "", (_BRACKET_LETTERS, _BRACKET_TRUTH))
    for pattern in patterns:
        matches = list(pattern.finditer(stem))
        if matches:
            last = matches[-1]
            return stem[: last.start()] + _EMPTY_BRACKET + stem[last.end() :], last["value"]
    return stem, None
