"""Quiz fixtures: the exam tests' organisation and bank, and an exam in a known order."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyhub.db import Database
from studyhub.exams.definitions import ExamInfo
from studyhub.laws import import_law
from studyhub.quiz.prompter import Asked
from tests.exams.conftest import Define, define, org  # noqa: F401  (fixtures)

#: questions 1-4 single (answer B 乙), 5-6 multiple (A 甲 + C 丙), 7-8 judge (正确),
#: 9-10 fill (甲); ten points each; options and questions in bank order
ORDERED = "shuffle_questions: false\nshuffle_options: false\n"

STATUTE = """\
# 中华人民共和国示例法

2020年5月28日 第十三届全国人民代表大会第三次会议通过

## 第一章 总则

第一条 为了示例，制定本法。

第二条 民事主体一律平等。
"""


@pytest.fixture
def exam(define: Define) -> ExamInfo:  # noqa: F811
    return define(ORDERED + "review: full\n")


@pytest.fixture
def statute(org: Database, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "示例法.md"
    path.write_text(STATUTE, encoding="utf-8")
    import_law(org, path)


def right(asked: Asked) -> object:
    """The right answer to whatever the bank's question asks (see tests.exams.conftest)."""
    if asked.kind == "choice":
        return 0 if asked.options[0] in ("正确", "True") else "乙"
    if asked.kind == "checkbox":
        return ["甲", "丙"]
    if asked.kind == "text":
        return "甲"
    raise AssertionError(f"not a question: {asked}")


def wrong(asked: Asked) -> object:
    if asked.kind == "choice":
        return 1 if asked.options[0] in ("正确", "True") else "甲"
    if asked.kind == "checkbox":
        return ["甲"]
    return "乙"
