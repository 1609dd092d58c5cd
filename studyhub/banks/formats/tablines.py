"""One question a line, its fields separated by tabs, as 行政执法 exam banks are kept (often
GBK-encoded text)::

    17⇥行政处罚的种类不包括（ ）⇥正确答案：C⇥A：警告⇥B：罚款C：记过⇥D：没收违法所得

A field ``正确答案：X`` (or ``答案：X``) holds the answer; fields starting with an option
label ``A：`` ``A.`` ``A．`` ``A、`` hold the options, several of them glued in one field
(``B：罚款C：记过``) are split at the following labels; a leading number field is the
question's number (not an id); the first other field is the stem, later ones the
explanation (``解析：…``). Lines without a tab are skipped when blank, else reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.answers import _split_inline
from studyhub.banks.formats.loose import Loose, loose_record
from studyhub.banks.formats.textio import read_lines
from studyhub.banks.record import LETTERS, QuestionRecord
from studyhub.i18n import msg

__all__ = ["looks_like_tab_lines", "parse_tab_lines"]

_ANSWER = re.compile(r"^\s*(?:正确|参考|标准)?答\s*案\s*[:：]\s*(?P<value>.*)$")
_EXPLANATION = re.compile(r"^\s*(?:答案|试题)?解\s*析\s*[:：]\s*(?P<value>.*)$")
_OPTION = re.compile(r"^\s*([A-HＡ-Ｈ])\s*[：:.．、]")
_NUMBER = re.compile(r"^\s*\d{1,6}\s*$")


def looks_like_tab_lines(text: str) -> bool:
    """Whether the first lines are questions in tab-separated fields with an answer field."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    hits = 0
    for line in lines:
        fields = line.split("\t")
        if len(fields) >= 3 and any(_ANSWER.match(f) for f in fields):
            hits += 1
    return hits >= 1 and hits * 2 >= len(lines)


def _first(letter: str) -> int:
    return LETTERS.index(unicodedata.normalize("NFKC", letter))


def _fields(line: str) -> Loose:
    stem_parts: list[str] = []
    options: list[str] = []
    answer = ""
    explanation: list[str] = []
    fields = line.split("\t")
    if fields and _NUMBER.match(fields[0]):
        fields = fields[1:]
    for field in fields:
        text = field.strip()
        if not text:
            continue
        if match := _ANSWER.match(text):
            answer = match["value"]
        elif match := _EXPLANATION.match(text):
            explanation.append(match["value"])
        elif (label := _OPTION.match(text)) and (parts := _split_inline(text, _first(label[1]))):
            options.extend(parts)
        elif not stem_parts and not options:
            stem_parts.append(text)
        else:
            explanation.append(text)
    return Loose(" ".join(stem_parts), options, answer, "\n".join(explanation))


def parse_tab_lines(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions from tab-separated lines (UTF-8 or GBK)."""
    for number, line in read_lines(ctx):
        if not line.strip():
            continue
        ctx.begin_record(line, number)
        if "\t" not in line:
            ctx.error(ctx.at(number), msg("a line without tab-separated fields"))
            continue
        record = loose_record(ctx, ctx.at(number), _fields(line))
        if record is not None:
            yield record
