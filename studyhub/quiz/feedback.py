"""The feedback of practice and of a mock exam's review: the options with the one chosen and
the key marked side by side (in words, and in colour where the front end has it), the
key of a fill question, the 解析, the citation and the cited article's text.

Lines are ``(style, text)``: style ``right`` for the key, ``wrong`` for a wrong choice, ``""``
for the rest; :func:`show_lines` shows them through the prompter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from studyhub.i18n import t
from studyhub.quiz.prompter import LETTERS
from studyhub.quiz.render import response_text
from studyhub.render import display_width, key_value_lines, pad

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.quiz.prompter import Prompter

__all__ = ["Articles", "Line", "answer_lines", "marked_options", "show_lines"]

Line = tuple[str, str]
#: lines of a cited article shown under the feedback
ARTICLE_LINES = 6


def _indexes(qtype: str, value: Any) -> set[int]:
    """Option indexes of a response or key in shown terms (判断: 正确 is 0, 错误 is 1)."""
    if value is None:
        return set()
    if qtype == "judge":
        return {0 if value else 1}
    return {int(i) for i in value}


def marked_options(qtype: str, options: Sequence[str], response: Any, key: Any) -> list[Line]:
    """Every option, the one(s) chosen and the key marked beside it: ``✓ 正确答案``,
    ``✗ 你的选择`` (a wrong choice), ``✓ 你的选择`` (a right one)."""
    if qtype == "judge":
        labels = [f"  {t('quiz.true')}", f"  {t('quiz.false')}"]
    else:
        labels = [f"  {LETTERS[i]}. {option}" for i, option in enumerate(options)]
    chosen, right = _indexes(qtype, response), _indexes(qtype, key)
    width = max((display_width(label) for label in labels), default=0)
    lines: list[Line] = []
    for i, label in enumerate(labels):
        if i in chosen and i in right:
            style, mark = "right", t("practice.mark.chosen_right")
        elif i in chosen:
            style, mark = "wrong", t("practice.mark.chosen_wrong")
        elif i in right:
            style, mark = "right", t("practice.mark.key")
        else:
            style, mark = "", ""
        lines.append((style, f"{pad(label, width)}  {mark}".rstrip()))
    return lines


def answer_lines(
    qtype: str,
    options: Sequence[str],
    response: Any,
    key: Any,
    *,
    correct: bool,
    explanation: str,
    source: str,
    articles: Articles | None = None,
    version_id: int | None = None,
) -> list[Line]:
    """The options marked (choice questions) or the answer and the key (fill), then the
    解析, the citation and the article (of the law's version that question version
    ``version_id`` cites, when given)."""
    lines: list[Line] = []
    rows = []
    if qtype == "fill":
        rows.append((t("quiz.review.yours"), response_text(qtype, options, response)))
        if not correct:
            rows.append((t("quiz.review.key"), response_text(qtype, options, key)))
    else:
        lines.extend(marked_options(qtype, options, response, key))
        if response is None:
            rows.append((t("quiz.review.yours"), t("quiz.review.none")))
    if explanation:
        rows.append((t("quiz.review.explanation"), explanation))
    if source:
        rows.append((t("quiz.review.source"), source))
    lines.extend(("", line) for line in key_value_lines(rows))
    for heading, text in articles.cited(source, version_id) if articles is not None else []:
        lines.append(("", f"  {heading}"))
        body = [line for line in text.splitlines() if line.strip()][:ARTICLE_LINES]
        lines.extend(("", f"    {line}") for line in body)
    return lines


def show_lines(prompter: Prompter, lines: Sequence[Line]) -> None:
    for style, text in lines:
        if style:
            prompter.show_styled(text, style)
        else:
            prompter.show(text)


class Articles:
    """The text of cited articles, read once per question version (or citation): in the
    version of the law the question version cites (the one in force when it was written,
    its date in the heading when it is not the current one); without a version, the
    current text. Nothing for a citation that does not resolve."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.found: dict[str | int, list[tuple[str, str]] | None] = {}

    def cited(self, source: str, version_id: int | None = None) -> list[tuple[str, str]]:
        if not source:
            return []
        key: str | int = source if version_id is None else version_id
        if key not in self.found:
            from studyhub.errors import StudyhubError
            from studyhub.laws import cited_articles, question_articles

            if version_id is not None:
                self.found[key] = question_articles(self.database, [version_id])[version_id]
            else:
                try:
                    self.found[key] = cited_articles(self.database, source)
                except StudyhubError:
                    self.found[key] = None
        return self.found[key] or []
