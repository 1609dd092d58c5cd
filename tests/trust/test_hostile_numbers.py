"""Numbers and text from users stay in range: specs, banks and typed answers give a located
error for huge, infinite, fractional, deep or unstorable input, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.errors import InputError, LocatedError, MultipleErrors, StudyhubError
from studyhub.exams.spec import load_spec

RULE = "paper:\n  rules:\n    - {topic: law, type: single, count: 2, points: 2}\n"


def spec_error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises((LocatedError, MultipleErrors)) as info:
        load_spec(path)
    return str(info.value)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (RULE.replace("points: 2", "points: 1e400"), "points is a number from 0.5 to 100"),
        (RULE.replace("points: 2", "points: 0.001"), "points is a number from 0.5 to 100"),
        (RULE.replace("points: 2", "points: .inf"), "points is a number from 0.5 to 100"),
        (RULE.replace("points: 2", "points: .nan"), "points is a number from 0.5 to 100"),
        (RULE.replace("points: 2", "points: 101"), "points is a number from 0.5 to 100"),
        (RULE.replace("count: 2", "count: 5000"), "count is a whole number from 1 to 1000"),
        ("attempts: 100000000000000000000000\n" + RULE, "attempts is a whole number from 1"),
        ("attempts: " + "9" * 5000 + "\n" + RULE, "a number too large to read"),
        ("time_limit: 99999999999h\n" + RULE, "time_limit is from 1 minute to 24 hours"),
        ("time_limit: 25h\n" + RULE, "time_limit is from 1 minute to 24 hours"),
        ("pass_mark: .nan\n" + RULE, "pass_mark is a percentage from 0 to 100"),
        ('description: "\\ud800"\n' + RULE, "lone surrogate"),
        ("description: " + "[" * 5000 + "]" * 5000 + "\n" + RULE, "nested too deeply"),
        ("description: " + "[" * 30 + "]" * 30 + "\n" + RULE, "nested more than 16 levels"),
    ],
)
def test_spec_numbers_and_text_in_range(tmp_path: Path, lines: str, expected: str) -> None:
    message = spec_error(tmp_path, "key: e9\ntitle: t\nyear: 2026\n" + lines)
    assert expected in message
    assert "spec.yaml, line" in message or "spec.yaml:" in message


QUESTION = '{"id": "a", "type": "single", "stem": "s?", "options": ["a", "b"], "answer": "A"'


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (', "difficulty": NaN}', "NaN is not a number studyhub reads"),
        (', "difficulty": Infinity}', "Infinity is not a number studyhub reads"),
        (', "difficulty": -Infinity}', "-Infinity is not a number studyhub reads"),
        (', "difficulty": ' + "9" * 5000 + "}", "is too large"),
        (', "tags": ' + "[" * 100000 + "]" * 100000 + "}", "nested too deeply"),
    ],
)
def test_json_bank_numbers(database: Database, tmp_path: Path, tail: str, expected: str) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"bank": {"key": "j1"}, "questions": [' + QUESTION + tail + "]}")
    with pytest.raises(StudyhubError) as info:
        import_files(database, [path])
    assert expected in str(info.value) and "b.json, line 1" in str(info.value)


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ('"\\ud800?"', "lone surrogate"),
        ('"' + "长" * 5001 + '"', "stem is longer than 5000 characters"),
    ],
)
def test_bank_texts_storable_and_bounded(
    database: Database, tmp_path: Path, stem: str, expected: str
) -> None:
    path = tmp_path / "b.json"
    path.write_text(
        '{"bank": {"key": "j1"}, "questions": [' + QUESTION.replace('"s?"', stem) + "}]}",
        encoding="utf-8",
    )
    with pytest.raises(StudyhubError) as info:
        import_files(database, [path])
    assert expected in str(info.value) and "field stem" in str(info.value)


XML = """<?xml version="1.0" encoding="{declared}"?>
<quiz>
<question type="truefalse"><name><text>判断一</text></name>
<questiontext format="html"><text>民法典自2021年1月1日起施行。</text></questiontext>
<answer fraction="100"><text>true</text></answer>
<answer fraction="0"><text>false</text></answer>
</question>
</quiz>
"""


@pytest.mark.parametrize("declared", ["GBK", "GB2312", "GB18030", "gbk"])
def test_moodle_xml_in_a_declared_chinese_encoding(
    database: Database, tmp_path: Path, declared: str
) -> None:
    import sqlalchemy as sa

    from studyhub.models import QuestionVersion

    path = tmp_path / "q.xml"
    path.write_bytes(XML.format(declared=declared).encode("gb18030"))
    assert import_files(database, [path]).added == 1
    with database.session() as session:
        stems = list(session.scalars(sa.select(QuestionVersion.stem)))
    assert stems == ["民法典自2021年1月1日起施行。"]


def test_moodle_xml_whose_bytes_are_not_the_declared_encoding(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "q.xml"
    path.write_bytes(XML.format(declared="GBK").encode("utf-8"))
    with pytest.raises(StudyhubError, match=r"q\.xml, line 3: the file declares GBK, but its"):
        import_files(database, [path])


def test_a_typed_answer_is_bounded(database: Database) -> None:
    from studyhub.exams.attempts import check_typed

    assert check_typed(["甲"]) == ["甲"]
    with pytest.raises(InputError, match="at most 1000 characters"):
        check_typed(["长" * 1001])
    with pytest.raises(InputError, match="lone surrogate"):
        check_typed(["\ud800"])


def test_a_utf16_file_declaring_gbk(database: Database, tmp_path: Path) -> None:
    """Found by bench/fuzz.py: expat's 'multi-byte encodings are not supported' escaped."""
    path = tmp_path / "q.xml"
    path.write_bytes(XML.format(declared="GBK").encode("utf-16"))
    with pytest.raises(StudyhubError, match=r"q\.xml, line 1: malformed XML: the declared"):
        import_files(database, [path])


def test_a_surrogate_in_the_bank_header(database: Database, tmp_path: Path) -> None:
    """Found by bench/fuzz.py (bank-json): a lone surrogate in bank.topic reached the
    database as a UnicodeEncodeError."""
    path = tmp_path / "h.json"
    path.write_text(
        '{"bank": {"key": "fz", "topic": "\\ud800t"}, "questions": ['
        '{"id": "a", "type": "judge", "stem": "s", "answer": true}]}'
    )
    with pytest.raises(StudyhubError, match=r"h\.json, line 1, field bank\.topic: .*surrogate"):
        import_files(database, [path])


@pytest.mark.parametrize("declared", ["rot13", "hex", "base64", "zlib_codec", "punycode"])
def test_moodle_xml_declaring_a_codec_that_is_not_text(
    database: Database, tmp_path: Path, declared: str
) -> None:
    """Found in review: codecs.lookup knows these, and decoding with them raised tracebacks."""
    path = tmp_path / "q.xml"
    path.write_bytes(XML.format(declared=declared).encode("utf-8"))
    with pytest.raises(StudyhubError, match=r"q\.xml, line \d+: (malformed XML|the file declares)"):
        import_files(database, [path])


def test_an_organiser_too_long_for_its_column(database: Database, tmp_path: Path) -> None:
    """Found by bench/fuzz.py on PostgreSQL (study-activities): a long 组织者 reached
    PostgreSQL's varchar(100) instead of a located error."""
    from studyhub.study.activities import add_activity
    from studyhub.study.imports import import_activities

    path = tmp_path / "s.csv"
    path.write_text(
        "日期,形式,标题,学时,组织者\n2026-03-10,专题研讨,民法典专题研讨,2," + "办" * 101 + "\n",
        encoding="utf-8",
    )
    with pytest.raises(StudyhubError, match=r"s\.csv, row 2, field 组织者: organiser is longer"):
        import_activities(database, path)
    with pytest.raises(InputError, match="organiser is longer than 100 characters"):
        add_activity(database, kind="专题研讨", held_on="2026-03-10", title="t", hours=1,
                     organiser="办" * 101)  # fmt: skip
