"""Repeats (issue 20, item 2): a question's identity in a format without ids is its content
(stem, options; for fill questions the accepted answers). The exact same question twice is
kept once with a warning naming both places; the same stem with other options is two
questions; the same stem and options with another answer is a conflict naming both places.
Re-importing a file changes nothing, in every format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest

from studyhub.banks.importer import import_files
from studyhub.banks.record import QuestionRecord, normalise_text
from studyhub.db import Database
from studyhub.errors import MultipleErrors

ROWS = [
    ["单选", "成年年龄是？", "十六", "十八", "B"],
    ["判断", "宪法是根本法。", "", "", "对"],
    ["单选", "成年年龄是？", "十六", "十八", "B"],
]


def _yaml(path: Path) -> None:
    path.write_text(
        "questions:\n"
        "  - {type: single, stem: 成年年龄是？, options: [十六, 十八], answer: B}\n"
        "  - {type: judge, stem: 宪法是根本法。, answer: true}\n"
        "  - {type: single, stem: 成年年龄是？, options: [十六, 十八], answer: B}\n",
        encoding="utf-8",
    )


def _json(path: Path) -> None:
    one = '{"type": "single", "stem": "成年年龄是？", "options": ["十六", "十八"], "answer": "B"}'
    path.write_text(
        f'[{one},\n {{"type": "judge", "stem": "宪法是根本法。", "answer": true}},\n {one}]',
        encoding="utf-8",
    )


def _csv(path: Path) -> None:
    lines = ["题型,题干,选项A,选项B,答案"] + [",".join(row) for row in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["题型", "题干", "选项A", "选项B", "答案"])
    for row in ROWS:
        sheet.append([cell or None for cell in row])
    book.save(path)


TEXT = [
    "1、成年年龄是？", "A、十六", "B、十八", "答案：B",
    "2、宪法是根本法。", "答案：对",
    "3、成年年龄是？", "A、十六", "B、十八", "答案：B",
]  # fmt: skip


def _text(path: Path) -> None:
    path.write_text("\n".join(TEXT) + "\n", encoding="utf-8")


def _docx(path: Path) -> None:
    document = docx.Document()
    for paragraph in TEXT:
        document.add_paragraph(paragraph)
    document.save(str(path))


def _gift(path: Path) -> None:
    # the title repeats, so it identifies neither: the content does
    path.write_text(
        "::成年::成年年龄是？{~十六 =十八}\n\n::宪法::宪法是根本法。{T}\n\n"
        "::成年::成年年龄是？{~十六 =十八}\n",
        encoding="utf-8",
    )


def _aiken(path: Path) -> None:
    path.write_text(
        "成年年龄是？\nA. 十六\nB. 十八\nANSWER: B\n\n宪法是哪一部法？\nA. 根本法\nB. 普通法\n"
        "ANSWER: A\n\n成年年龄是？\nA. 十六\nB. 十八\nANSWER: B\n",
        encoding="utf-8",
    )


def _moodle(path: Path) -> None:
    one = (
        '<question type="multichoice"><name><text>成年</text></name>'
        "<questiontext><text>成年年龄是？</text></questiontext><single>true</single>"
        '<answer fraction="0"><text>十六</text></answer>'
        '<answer fraction="100"><text>十八</text></answer></question>'
    )
    judge = (
        '<question type="truefalse"><name><text>宪法</text></name>'
        "<questiontext><text>宪法是根本法。</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question>'
    )
    path.write_text(f'<?xml version="1.0"?>\n<quiz>\n{one}\n{judge}\n{one}\n</quiz>\n', "utf-8")


WRITERS: dict[str, tuple[str, Callable[[Path], None], int]] = {
    # format: (file name, writer, line/row of the repeat)
    "yaml": ("bank.yaml", _yaml, 4),
    "json": ("bank.json", _json, 3),
    "csv": ("bank.csv", _csv, 4),
    "xlsx": ("bank.xlsx", _xlsx, 4),
    "text": ("bank.txt", _text, 7),
    "docx": ("bank.docx", _docx, 7),
    "gift": ("bank.gift", _gift, 5),
    "aiken": ("bank.aiken.txt", _aiken, 11),
    "moodle-xml": ("bank.xml", _moodle, 0),
}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_a_repeat_is_kept_once_and_reimport_changes_nothing(
    database: Database, tmp_path: Path, fmt: str
) -> None:
    name, write, line = WRITERS[fmt]
    path = tmp_path / name
    write(path)
    first = import_files(database, [path], bank="b", format=fmt)
    assert (first.added, first.changed, first.unchanged) == (2, 0, 0)
    [warning] = first.warnings
    assert warning.location.file == str(path)
    if line:  # Moodle XML questions on one line each give the line of the closing tag
        assert warning.location.line == line
    assert "repeated question, kept once (first at" in str(warning)
    assert first.files[0].repeats == 1
    again = import_files(database, [path], bank="b", format=fmt)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)


def test_same_stem_other_options_is_two_questions(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "bank.txt"
    path.write_text(
        "1、成年年龄是？\nA、十六\nB、十八\n答案：B\n\n2、成年年龄是？\nA、十七\nB、十八\n答案：B\n",
        encoding="utf-8",
    )
    summary = import_files(database, [path])
    assert summary.added == 2 and summary.warnings == []


def test_same_stem_and_options_with_another_answer_is_a_conflict(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "bank.txt"
    path.write_text(
        "1、成年年龄是？\nA、十六\nB、十八\n答案：B\n\n2、成年年龄是？\nA、十六\nB、十八\n答案：A\n",
        encoding="utf-8",
    )
    with pytest.raises(MultipleErrors) as info:
        import_files(database, [path])
    assert [e.reason for e in info.value.errors] == [
        f"{path}, line 6, field answer: the same question and options as at {path}, line 1"
        " with another answer"
    ]
    # under --skip-invalid both places are rejected: nobody can tell which key is right
    summary = import_files(database, [path], skip_invalid=True)
    assert summary.added == 0
    first, second = summary.rejects
    assert (first.location, first.fields) == ("第 1 行", ["answer"])
    assert first.raw == "1、成年年龄是？\nA、十六\nB、十八\n答案：B"
    assert (second.location, second.fields) == ("第 6 行", ["answer"])
    assert second.raw == "2、成年年龄是？\nA、十六\nB、十八\n答案：A"
    assert "第 6 行" in first.reasons[0] and "第 1 行" in second.reasons[0]


def test_every_place_of_a_conflict_is_rejected_and_the_rest_imported(
    database: Database, tmp_path: Path
) -> None:
    """A question three times, twice with one key and once with another, beside a good
    one: under --skip-invalid all three places go to the rejects file (the repeat with
    the same key is no question to keep either); nothing of them is written."""
    path = tmp_path / "bank.txt"
    one = "成年年龄是？\nA、十六\nB、十八\n答案：{}\n\n"
    path.write_text(
        "1、" + one.format("B") + "2、宪法是根本法。\nA、正确\nB、错误\n答案：A\n\n"
        "3、" + one.format("B") + "4、" + one.format("A"),
        encoding="utf-8",
    )
    summary = import_files(database, [path], skip_invalid=True)
    assert summary.added == 1
    assert [r.location for r in summary.rejects] == ["第 1 行", "第 11 行", "第 16 行"]
    from studyhub.banks.browse import bank_questions

    assert [q.stem for q in bank_questions(database, "bank")] == ["宪法是根本法。"]


def test_an_id_given_to_two_questions_rejects_both(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "ids.yaml"
    path.write_text(
        "questions:\n"
        "  - {id: q1, type: judge, stem: 宪法是根本法。, answer: true}\n"
        "  - {id: q2, type: judge, stem: 民法典共七编。, answer: true}\n"
        "  - {id: q1, type: judge, stem: 成年年龄是十八周岁。, answer: true}\n",
        encoding="utf-8",
    )
    with pytest.raises(MultipleErrors) as info:
        import_files(database, [path], bank="b")
    assert [e.location.line for e in info.value.errors] == [4]
    summary = import_files(database, [path], bank="b", skip_invalid=True)
    assert summary.added == 1
    assert [(r.location, r.fields) for r in summary.rejects] == [
        ("第 2 行", ["id"]),
        ("第 4 行", ["id"]),
    ]


def test_stems_differing_in_an_image_or_attribute_are_two_questions(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "img.json"
    path.write_text(
        '[{"type": "judge", "stem": "图中标志是禁令标志。<img src=\\"a.png\\">", "answer": true},'
        ' {"type": "judge", "stem": "图中标志是禁令标志。<img src=\\"A.png\\">", "answer": false},'
        ' {"type": "judge", "stem": "图中<span class=\\"x\\">标志</span>。", "answer": true},'
        ' {"type": "judge", "stem": "图中<span class=\\"y\\">标志</span>。", "answer": true}]',
        encoding="utf-8",
    )
    summary = import_files(database, [path], bank="b")
    assert summary.added == 4 and summary.warnings == []
    assert normalise_text("<IMG  SRC='a.png'> 甲Ａ") == "<IMG SRC='a.png'>甲a"


def test_fill_identity_includes_the_accepted_answers(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "fill.yaml"
    path.write_text(
        "questions:\n"
        "  - {type: fill, stem: 民法典共____编。, answer: [['7']]}\n"
        "  - {type: fill, stem: 民法典共____编。, answer: [['七']]}\n",
        encoding="utf-8",
    )
    assert import_files(database, [path], bank="b").added == 2


def test_gift_title_is_the_id_only_when_unique_in_its_category(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "titles.gift"
    path.write_text(
        "$CATEGORY: $course$/top/民法典\n\n"
        "::年龄::成年年龄是？{~十六 =十八}\n\n::年龄::完全民事行为能力人的年龄是？{~十六 =十八}\n\n"
        "::时效::诉讼时效期间为三年。{T}\n\n"
        "$CATEGORY: $course$/top/宪法\n\n::时效::宪法是根本法。{T}\n",
        encoding="utf-8",
    )
    summary = import_files(database, [path], bank="b")
    assert summary.added == 4 and summary.warnings == []
    from studyhub.banks.browse import bank_questions

    ids = sorted(q.id for q in bank_questions(database, "b"))
    # 年龄 twice in 民法典: their content identifies them; 时效 once in each category
    assert [i for i in ids if not i.startswith("c-")] == ["宪法/时效", "民法典/时效"]
    assert sum(1 for i in ids if i.startswith("c-")) == 2
    again = import_files(database, [path], bank="b")
    assert (again.added, again.changed, again.unchanged) == (0, 0, 4)


def test_questions_stored_under_their_stem_hash_keep_their_history(
    database: Database, tmp_path: Path
) -> None:
    """Banks imported before 0.20 identified questions without ids by their stem alone:
    re-importing them finds those questions (one each) instead of adding copies."""
    import sqlalchemy as sa

    from studyhub.models import Question

    path = tmp_path / "old.txt"
    path.write_text("1、成年年龄是？\nA、十六\nB、十八\n答案：B\n", encoding="utf-8")
    import_files(database, [path], bank="b")
    record = QuestionRecord(type="single", stem="成年年龄是？", options=["十六", "十八"])
    with database.session() as session:
        session.execute(sa.update(Question).values(external_id=record.stem_hash()))
    again = import_files(database, [path], bank="b")
    assert (again.added, again.changed, again.unchanged) == (0, 0, 1)
    with database.session() as session:
        assert list(session.scalars(sa.select(Question.external_id))) == [record.content_id()]
