"""Strict by default, complete on request (issue 20, items 1 and 5): --skip-invalid imports
every valid question and writes each invalid record, located and as it stood in the file, to
a rejects file; a file from which nothing (or less than it plainly holds) is read is an
error."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from studyhub.banks import coverage
from studyhub.banks.context import ParseContext
from studyhub.banks.importer import import_files
from studyhub.cli import cli
from studyhub.db import Database
from studyhub.errors import MultipleErrors
from studyhub.models import Question

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
from messy_banks import messy_text, messy_xlsx

TEXT = """\
一、单选题
1、成年年龄是？
A、十六
B、十八
答案：B

2、没有答案的题？
A、甲
B、乙

3、答案超出选项？
A、甲
B、乙
答案：D

二、判断题
4、宪法是根本法。
答案：也许
"""


def question_count(database: Database) -> int:
    with database.session(readonly=True) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Question)) or 0


def read_rejects(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.reader(data.decode("utf-8-sig").splitlines(keepends=True)))


def test_default_is_all_or_nothing(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "bank.txt"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(MultipleErrors) as info:
        import_files(database, [path])
    assert len(info.value.errors) == 3
    assert question_count(database) == 0
    assert not (tmp_path / "bank.rejects.csv").exists()


def test_skip_invalid_imports_the_rest_and_writes_the_rejects(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "bank.txt"
    path.write_text(TEXT, encoding="utf-8")
    summary = import_files(database, [path], skip_invalid=True)
    assert (summary.added, question_count(database)) == (1, 1)
    assert summary.imported == {"single": 1}
    assert summary.rejected == {"single": 1, "": 2}
    assert summary.rejects_path == tmp_path / "bank.rejects.csv"
    rows = read_rejects(summary.rejects_path)
    assert rows == [
        ["文件", "位置", "字段", "原因", "原始记录"],
        [str(path), "第 7 行", "", "试题没有答案", "2、没有答案的题？\nA、甲\nB、乙"],
        [str(path), "第 11 行", "答案", "答案字母 D 超出了选项范围（A-B）",
         "3、答案超出选项？\nA、甲\nB、乙\n答案：D"],
        [str(path), "第 18 行", "", "答案 也许 不适用于判断题（请写对/错、正确/错误、√/× 或 T/F）",
         "4、宪法是根本法。\n答案：也许"],
    ]  # fmt: skip
    # the rejects, fixed, import again
    fixed = tmp_path / "fixed.txt"
    fixed.write_text(
        "\n".join(row[4] for row in rows[1:])
        .replace("答案：D", "答案：B").replace("也许", "对")
        .replace("乙\n3、", "乙\n答案：A\n3、")
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    assert import_files(database, [fixed], bank="bank").added == 3


def test_check_finds_the_invalid_ones_and_writes_nothing(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "bank.txt"
    path.write_text(TEXT, encoding="utf-8")
    summary = import_files(database, [path], check=True, skip_invalid=True)
    assert summary.added == 1 and len(summary.rejects) == 3
    assert summary.rejects_path is None and not (tmp_path / "bank.rejects.csv").exists()
    assert question_count(database) == 0
    target = tmp_path / "out" / "r.csv"
    target.parent.mkdir()
    summary = import_files(database, [path], check=True, skip_invalid=True, rejects_path=target)
    assert len(read_rejects(target)) == 4 and question_count(database) == 0


LOCATED = [
    ("b.yaml", "questions:\n  - {type: single, stem: 甲, options: [一, 二], answer: C}\n",
     "第 2 行", "answer",
     '{"type": "single", "stem": "甲", "options": ["一", "二"], "answer": "C"}'),
    ("b.json", '[{"type": "judge", "stem": "", "answer": true}]', "第 1 行", "stem",
     '{"type": "judge", "stem": "", "answer": true}'),
    ("b.csv", "题型,题干,选项A,选项B,答案\n单选,题干,甲,乙,C\n", "第 2 行", "answer",
     "单选\t题干\t甲\t乙\tC"),
    ("b.gift", "::q1:: 成年年龄是 {=十八 ~十六}\n\n::q2:: 题干 {~甲 ~乙}\n", "第 3 行", "answer",
     "::q2:: 题干 {~甲 ~乙}"),
    ("b.aiken", "题干？\nA. 甲\nB. 乙\nANSWER: C\n", "第 4 行", "",
     "题干？\nA. 甲\nB. 乙\nANSWER: C"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "place", "field", "raw"), LOCATED)
def test_each_rejected_record_is_located_with_its_text(
    database: Database, tmp_path: Path, name: str, content: str, place: str, field: str, raw: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    fmt = {"b.aiken": "aiken"}.get(name)
    summary = import_files(database, [path], bank="b", format=fmt, skip_invalid=True)
    reject = summary.rejects[-1]
    assert (reject.file, reject.location, ", ".join(reject.fields)) == (str(path), place, field)
    assert reject.raw == raw


def test_moodle_xml_reject_holds_the_question_element(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "b.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<quiz>\n<question type="truefalse">\n<name><text>q</text></name>'
        "\n<questiontext><text></text></questiontext>\n"
        '<answer fraction="100"><text>true</text></answer>\n'
        '<answer fraction="0"><text>false</text></answer>\n</question>\n</quiz>\n',
        encoding="utf-8",
    )
    [reject] = import_files(database, [path], bank="b", skip_invalid=True, check=True).rejects
    assert reject.raw.startswith('<question type="truefalse">') and "studyhub" not in reject.raw


@pytest.mark.parametrize("size", ["small", "full"])
def test_messy_banks_import_the_rest_and_reject_exactly_the_irregular(
    database: Database, tmp_path: Path, size: str
) -> None:
    counts = {"small": (200, 160), "full": (2500, 2000)}[size]
    text, book = tmp_path / "messy.txt", tmp_path / "messy.xlsx"
    bad_numbers = messy_text(text, counts[0])
    bad_rows = messy_xlsx(book, counts[1])
    assert len(bad_numbers) == round(counts[0] * 0.05) and len(bad_rows) == round(counts[1] * 0.05)
    with pytest.raises(MultipleErrors):
        import_files(database, [text], bank="t")
    summary = import_files(database, [text], bank="t", skip_invalid=True)
    assert summary.added == counts[0] - len(bad_numbers)
    rows = read_rejects(tmp_path / "messy.rejects.csv")[1:]
    assert {int(re.match(r"(\d+)、", row[4])[1]) for row in rows} == bad_numbers  # type: ignore[index]
    assert len(rows) == len(bad_numbers)
    summary = import_files(database, [book], bank="x", skip_invalid=True)
    assert summary.added == counts[1] - len(bad_rows)
    assert {r.line for r in summary.rejects} == bad_rows and len(summary.rejects) == len(bad_rows)
    assert question_count(database) == sum(counts) - len(bad_numbers) - len(bad_rows)


def test_a_file_with_no_question_is_an_error_naming_the_formats_tried(
    database: Database, tmp_path: Path
) -> None:
    prose = tmp_path / "prose.txt"
    prose.write_text("这是一份说明。\n没有试题。\n", encoding="utf-8")
    header = tmp_path / "header.csv"
    header.write_text("题型,题干,选项A,选项B,答案\n", encoding="utf-8")
    for path, expected in [
        (prose, "read as text (no numbered question (1. 1、 （1）) with options and an 答案："
                " line); formats considered: gift, aiken, tab-lines, text"),
        (header, "read as csv (no filled row under the header); formats considered: csv"),
    ]:  # fmt: skip
        for skip in (False, True):
            with pytest.raises(MultipleErrors) as info:
                import_files(database, [path], skip_invalid=skip)
            [error] = info.value.errors
            assert str(error) == f"{path}: no question could be read: {expected}"


def test_lines_no_question_came_from_are_named(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "orphan.txt"
    path.write_text(
        "A. 甲\nB. 乙\nANSWER: A\n\n成年年龄是？\nA. 十六\nB. 十八\nANSWER: B\n", encoding="utf-8"
    )
    with pytest.raises(MultipleErrors) as info:
        import_files(database, [path], format="aiken")
    assert [e.reason for e in info.value.errors][-1] == (
        f"{path}, line 3: 1 line looks like a question or an answer but no question was read"
        " from it (line 3)"
    )
    summary = import_files(database, [path], format="aiken", skip_invalid=True)
    assert summary.added == 1
    assert "1 line looks like a question" in str(summary.warnings[-1])


def test_unread_lines_for_any_line_based_layout(tmp_path: Path) -> None:
    """A parser that gives begin_record/add_raw their lines gets the check for free: here
    one that read lines 1-4 and 9 of the file only."""
    path = tmp_path / "layout.txt"
    lines = ["1、甲", "A、一", "B、二", "答案：A", "2、乙", "A、一", "B、二", "答案：B", "3、丙",
             "说明", "4、丁", "答案：对"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ctx = ParseContext(path)
    ctx.begin_record("\n".join(lines[:4]), 1)
    ctx.begin_record(lines[8], 9)
    ctx.add_raw(lines[9], 10)
    assert coverage.unread_lines(ctx, "text") == [5, 8, 11, 12]
    assert str(coverage.unread_message([5, 8, 11, 12, 13, 14])) == (
        "6 lines look like a question or an answer but no question was read from them"
        " (lines 5, 8, 11, 12, 13, ...)"
    )


def test_cli_skip_invalid_and_rejects(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bank.txt"
    path.write_text(TEXT, encoding="utf-8")
    target = tmp_path / "rejected.csv"
    base = ["--db", db_url, "--lang", "en", "bank", "import", str(path)]
    result = CliRunner().invoke(cli, [*base, "--rejects", str(target)])
    assert result.exit_code == 1 and "--rejects goes with --skip-invalid" in result.stderr
    result = CliRunner().invoke(cli, [*base, "--skip-invalid", "--rejects", str(target)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-2:] == [
        "questions imported: 1 (single choice 1), records rejected: 3 (single choice 1,"
        " type unknown 2)",
        "1 added, 0 changed, 0 unchanged",
    ]
    assert f"3 rejected records written to {target}" in result.stderr
    assert len(read_rejects(target)) == 4


def test_the_new_layouts_reject_with_their_text(database: Database, tmp_path: Path) -> None:
    """Tab-separated lines, JSON Lines and JSON records (#20 item 4) give --skip-invalid
    the record as it stands, like every other format."""
    tabs = tmp_path / "tabs.txt"
    tabs.write_text("1\t成年年龄是？\t正确答案：B\tA：十六\tB：十八\n"
                    "2\t答案超出选项？\t正确答案：D\tA：甲\tB：乙\n", encoding="gbk")  # fmt: skip
    summary = import_files(database, [tabs], bank="t", skip_invalid=True)
    assert summary.files[0].format == "tab-lines" and summary.added == 1
    (reject,) = summary.rejects
    assert reject.location.endswith("第 2 行") or "2" in reject.location
    assert reject.raw == "2\t答案超出选项？\t正确答案：D\tA：甲\tB：乙"

    lines = tmp_path / "bank.jsonl"
    good = '{"question": "成年年龄是？", "options": ["十六", "十八"], "answer": "B"}'
    bad = '{"question": "没有答案？", "options": ["甲", "乙"]}'
    lines.write_text(f"{good}\n{bad}\n", encoding="utf-8")
    summary = import_files(database, [lines], bank="j", skip_invalid=True)
    (reject,) = summary.rejects
    assert reject.raw == '{"question": "没有答案？", "options": ["甲", "乙"]}'

    api = tmp_path / "api.json"
    first = '{"题干": "成年年龄是？", "选项": ["十六", "十八"], "答案": "B"}'
    empty = '{"题干": "", "选项": ["甲", "乙"], "答案": "A"}'
    api.write_text(f'{{"code": 0, "data": {{"list": [{first}, {empty}]}}}}', encoding="utf-8")
    summary = import_files(database, [api], bank="a", skip_invalid=True)
    (reject,) = summary.rejects
    assert reject.raw == '{"题干": "", "选项": ["甲", "乙"], "答案": "A"}'
    assert question_count(database) == 3


def test_retire_missing_retires_nothing_when_records_were_rejected(
    database: Database, tmp_path: Path
) -> None:
    """A rejected record may be a question still meant to be there: --retire-missing with
    rejects retires nothing (and says so); without rejects it retires what is gone."""
    path = tmp_path / "bank.txt"
    path.write_text("1、甲？\nA、是\nB、否\n答案：A\n\n2、乙？\nA、是\nB、否\n答案：B\n",
                    encoding="utf-8")  # fmt: skip
    assert import_files(database, [path]).added == 2
    path.write_text("1、甲？\nA、是\nB、否\n答案：A\n\n2、乙？\nA、是\nB、否\n答案：E\n",
                    encoding="utf-8")  # fmt: skip
    summary = import_files(database, [path], skip_invalid=True, retire_missing=True)
    assert (summary.unchanged, summary.retired, len(summary.rejects)) == (1, 0, 1)
    assert [str(w.message_text) for w in summary.warnings] == [
        f"{path}: no question was retired: some records were rejected"
    ]
    with database.session(readonly=True) as session:
        shown = session.scalar(
            sa.select(sa.func.count()).select_from(Question).where(Question.status != "hidden")
        )
    assert shown == 2
    path.write_text("1、甲？\nA、是\nB、否\n答案：A\n", encoding="utf-8")
    assert import_files(database, [path], skip_invalid=True, retire_missing=True).retired == 1
