"""A broken file in any format: one located error per problem, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.errors import StudyhubError
from studyhub.models import Question, QuestionVersion

GOOD_YAML = "bank: {key: demo}\nquestions:\n  - {id: ok, type: judge, stem: 对吗？, answer: true}\n"


def xlsx_without_stem(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "题库"
    sheet.append(["题型", "选项A", "选项B", "答案"])
    sheet.append(["单选", "甲", "乙", "A"])
    book.save(path)


CASES = [
    ("missing.yaml", "questions:\n  - {id: a, type: single, stem: 题, options: [甲, 乙]}\n",
     "missing.yaml, line 2, field answer: missing answer"),
    ("beyond.csv", "题型,题干,选项A,选项B,答案\n单选,题干,甲,乙,C\n",
     "beyond.csv, row 2, field answer: answer letter C is beyond the options (A-B)"),
    ("gbk.csv", "题型,题干,选项A,选项B,答案\n单选,题干,甲,乙,\n",
     "gbk.csv, row 2, field 答案: the answer is empty"),
    ("before.txt", "一、单选题\nA. 甲\n1. 题干\nA. 甲\nB. 乙\n答案：A\n",
     "before.txt, line 2: option A before any question"),
    ("nostem.xlsx", None, "nostem.xlsx, sheet 题库, row 1: missing column 题干"),
    ("brace.gift", "::q1:: 宪法是根本法吗？ {T}\n\n::q2:: 成年年龄是 {=十八 ~十六\n",
     "brace.gift, line 3: unterminated { (opened here)"),
    ("noanswer.txt",
     "成年年龄是？\nA) 十六\nB) 十八\n\n宪法是根本法吗？\nA) 是\nB) 否\nANSWER: A\n",
     "noanswer.txt, line 1: question without ANSWER"),
]  # fmt: skip


def question_count(database: Database) -> int:
    with database.session(readonly=True) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(QuestionVersion)) or 0


@pytest.mark.parametrize(("name", "content", "expected"), CASES)
def test_broken_file_is_located_and_nothing_written(
    database: Database, tmp_path: Path, name: str, content: str | None, expected: str
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD_YAML, encoding="utf-8")
    path = tmp_path / name
    if content is None:
        xlsx_without_stem(path)
    else:
        path.write_bytes(content.encode("gbk" if name.startswith("gbk") else "utf-8"))
    with pytest.raises(StudyhubError) as info:
        import_files(database, [good, path])
    lines = info.value.reason.splitlines()
    assert f"{tmp_path}/{expected}" in lines
    assert question_count(database) == 0
    with database.session(readonly=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0
