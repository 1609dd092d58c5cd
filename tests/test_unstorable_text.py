"""Text PostgreSQL cannot store (a NUL character, a value longer than its column) is refused
where it is, on both backends, with nothing written; found by fuzzing against PostgreSQL.
What no reader catches is turned into one clear line by the database layer."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.errors import InputError, StudyhubError
from studyhub.exams.spec import load_spec
from studyhub.laws import parse_law
from studyhub.models import Bank, Department, QuestionVersion
from studyhub.org.roster_import import import_departments
from studyhub.values import NUL_MESSAGE, has_nul, too_long
from tests.conftest import BACKEND

JUDGE = "  - {id: a, type: judge, stem: 对吗, answer: true"

BANK_CASES = [
    ("nul.yaml", f'questions:\n{JUDGE}, explanation: "说\\0明"}}\n',
     f"nul.yaml, line 2, field explanation: {NUL_MESSAGE}"),
    ("header.yaml", f'bank: {{key: "d\\0x"}}\nquestions:\n{JUDGE}}}\n',
     f"header.yaml, line 1, field bank.key: {NUL_MESSAGE}"),
    ("nul.json", '{"questions": [{"id": "a", "type": "single", "stem": "题", '
     '"options": ["甲", "乙\\u0000"], "answer": "A"}]}',
     f"nul.json, line 1, field options: {NUL_MESSAGE}"),
    ("nul.gift", "::q1:: 宪法是根本法吗？ {T}\n\n::q2:: 成年\x00年龄 {T}\n",
     f"nul.gift, line 3: {NUL_MESSAGE}"),
    ("nul.csv", "题型,题干,选项A,选项B,答案\n单选,题干,甲,乙,A\n单选,题\x00干,甲,乙,A\n",
     f"nul.csv, row 3, field stem: {NUL_MESSAGE}"),
    ("nul.txt", "一、单选题\n1. 题干\nA. 甲\nB. 乙\x00\n答案：A\n",
     f"nul.txt, line 4: {NUL_MESSAGE}"),
    ("source.yaml", f'questions:\n{JUDGE}, source: "{"长" * 201}"}}\n',
     "source.yaml, line 2, field source: source is longer than 200 characters"),
    ("topic.yaml", f'questions:\n{JUDGE}, topic: "{"k" * 65}"}}\n',
     "topic.yaml, line 2, field topic: topic is longer than 64 characters"),
    ("title.yaml", f'bank: {{key: d, title: "{"长" * 201}"}}\nquestions:\n{JUDGE}}}\n',
     "title.yaml, line 1, field bank.title: bank.title is longer than 200 characters"),
    (f"{'k' * 65}.yaml", f"questions:\n{JUDGE}}}\n",
     f"{'k' * 65}.yaml, field bank.key: bank.key is longer than 64 characters (it is made "
     "from the file name: give one with --bank KEY)"),
]  # fmt: skip


def written(database: Database) -> tuple[int, int]:
    with database.session(readonly=True) as session:
        banks = session.scalar(sa.select(sa.func.count()).select_from(Bank)) or 0
        versions = session.scalar(sa.select(sa.func.count()).select_from(QuestionVersion)) or 0
    return banks, versions


@pytest.mark.parametrize(("name", "content", "expected"), BANK_CASES)
def test_a_bank_with_unstorable_text_is_refused_where_it_is(
    database: Database, tmp_path: Path, name: str, content: str, expected: str
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(f"bank: {{key: good}}\nquestions:\n{JUDGE}}}\n", encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    with pytest.raises(StudyhubError) as info:
        import_files(database, [good, path])
    assert f"{tmp_path}/{expected}" in info.value.reason.splitlines()
    assert written(database) == (0, 0)


def test_an_over_long_bank_or_topic_option_is_refused(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(f"questions:\n{JUDGE}}}\n", encoding="utf-8")
    with pytest.raises(StudyhubError) as info:
        import_files(database, [path], bank="b" * 65)
    assert info.value.reason.splitlines()[-1] == (
        f"{path}, field bank.key: bank.key is longer than 64 characters"
    )
    with pytest.raises(StudyhubError) as info:
        import_files(database, [path], topic="t" * 65)
    assert info.value.reason.splitlines()[-1] == (
        f"{path}, field bank.topic: bank.topic is longer than 64 characters"
    )
    assert written(database) == (0, 0)
    import_files(database, [path], bank="b" * 64, topic="t" * 64)
    assert written(database) == (1, 1)


def test_an_exam_spec_with_a_nul_or_an_over_long_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "exam.yaml"
    path.write_text('key: e1\ntitle: "考\\0试"\nyear: 2026\nkind: external\n', encoding="utf-8")
    with pytest.raises(StudyhubError) as info:
        load_spec(path)
    assert str(info.value) == f"{path}, line 2: {NUL_MESSAGE}"
    path.write_text(f"key: {'k' * 65}\ntitle: 考试\nyear: 2026\nkind: external\n", encoding="utf-8")
    with pytest.raises(StudyhubError) as info:
        load_spec(path)
    assert f"{path}, line 1, field key: key is longer than 64 characters" in str(info.value)
    path.write_text(f"key: {'k' * 64}\ntitle: 考试\nyear: 2026\nkind: external\n", encoding="utf-8")
    assert load_spec(path).key == "k" * 64


def test_a_law_file_with_a_nul_or_an_over_long_title_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "law.md"
    path.write_text("# 中华人民共和国测试法\n\n第一条 本法\x00测试。\n", encoding="utf-8")
    with pytest.raises(StudyhubError) as info:
        parse_law(path)
    assert str(info.value) == f"{path}, line 3: {NUL_MESSAGE}"
    path.write_text(f"# {'长' * 201}\n\n第一条 本法测试。\n", encoding="utf-8")
    with pytest.raises(StudyhubError) as info:
        parse_law(path)
    assert str(info.value) == f"{path}, line 1: the title is longer than 200 characters"


def test_a_roster_file_with_a_nul_is_refused_in_its_cell(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "departments.csv"
    path.write_text("部门编码,部门名称,上级部门\nHQ,某某局,\nOFF,办\x00公室,HQ\n", encoding="utf-8")
    with pytest.raises(StudyhubError) as info:
        import_departments(database, path)
    assert str(info.value) == f"{path}, row 3, field 部门名称: {NUL_MESSAGE}"
    path.write_text("部门编码,部门\x00名称\nHQ,某某局\n", encoding="utf-8")
    with pytest.raises(StudyhubError) as info:
        import_departments(database, path)
    assert str(info.value) == f"{path}, row 1: {NUL_MESSAGE}"
    with database.session(readonly=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Department)) == 0


def test_the_helpers_find_nul_in_nested_values() -> None:
    assert has_nul({"a": ["x", "y\x00"]})
    assert has_nul({"k\x00": 1})
    assert not has_nul(["x", 1, None, {"a": "b"}])
    assert str(too_long("key", "k" * 65, 64)) == "key is longer than 64 characters"
    assert too_long("key", "k" * 64, 64) is None
    assert too_long("key", None, 64) is None


@pytest.mark.skipif(BACKEND != "postgresql", reason="SQLite stores NUL and ignores lengths")
def test_postgresql_refusing_text_is_one_clear_line(database: Database) -> None:
    """A value that no reader checked (here written straight through a session) and that
    PostgreSQL refuses becomes an InputError, and the unit of work is rolled back."""
    with pytest.raises(InputError) as info, database.session() as session:
        session.add(Department(code="OK", name="办公室"))
        session.flush()
        session.add(Department(code="NUL", name="办\x00公室"))
    assert str(info.value) == f"a text value {NUL_MESSAGE}; nothing was written"
    with pytest.raises(InputError) as info, database.session() as session:
        session.add(Department(code="LONG", name="长" * 101))
    assert str(info.value).startswith("a text value is too long for the database (")
    assert str(info.value).endswith("); nothing was written")
    with database.session(readonly=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Department)) == 0
