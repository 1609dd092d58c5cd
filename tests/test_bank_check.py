"""``studyhub bank check``: explanations whose option letters cannot follow shuffled options."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from studyhub.banks import shipped_bank_files
from studyhub.banks.checks import check_letters
from studyhub.banks.importer import import_files
from studyhub.cli import cli
from studyhub.db import Database

HISTORY = Path(__file__).parent / "quiz" / "letter_explanations.yaml"
UNMAPPABLE = """\
bank: {key: odd, title: 字母, topic: odd}
questions:
  - {id: o1, type: single, stem: 一？, options: [甲, 乙, 丙, 丁], answer: A,
     explanation: B、E错误}
  - {id: o2, type: multiple, stem: 二？, options: [甲, 乙, 丙, 丁], answer: AB,
     explanation: A-C都是第一章的规定}
  - {id: o3, type: single, stem: 三？, options: [甲, 乙, 丙], answer: C,
     explanation: 答案为AA？B和C都不对}
  - {id: o4, type: single, stem: 四？, options: [甲, 乙], answer: A, explanation: 故B错误}
  - {id: o5, type: judge, stem: 五。, answer: true, explanation: 与E项无关}
"""


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_shipped_banks_have_nothing_to_warn_about(database: Database, db_url: str) -> None:
    import_files(database, shipped_bank_files())
    assert check_letters(database) == []
    code, out, err = run(db_url, "bank", "check")
    assert (code, out.strip(), err) == (0, "所有解析中的选项字母都能对应到打乱后的选项。", "")


def test_unmappable_letters_are_listed_with_the_reason(
    database: Database, db_url: str, tmp_path: Path
) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text(UNMAPPABLE, encoding="utf-8")
    import_files(database, [HISTORY, odd])
    found = [(p.bank, p.question, str(p.reason)) for p in check_letters(database)]
    assert found == [
        ("odd", "o1", "names option E, but the question has 4 options (A-D)"),
        ("odd", "o2", "the range A-C cannot be kept when the options are shuffled"),
        ("odd", "o3", "AA repeats a letter"),
    ]  # o4 names B of two options: fine; o5 is a judge question: no options to shuffle
    assert check_letters(database, ["letters-history"]) == []

    code, out, err = run(db_url, "--lang", "en", "bank", "check", "--format", "json")
    assert code == 0  # warnings only
    rows = json.loads(out)
    assert [(r["question"], r["explanation"]) for r in rows] == [
        ("o1", "B、E错误"), ("o2", "A-C都是第一章的规定"), ("o3", "答案为AA？B和C都不对"),
    ]  # fmt: skip
    assert err.strip() == "3 option letters in explanations cannot follow shuffled options " \
        "(they are shown as written)"  # fmt: skip

    code, out, err = run(db_url, "bank", "check", "odd")
    assert code == 0
    assert "提到选项 E，但本题只有 4 个选项（A–D）" in out
    assert "选项打乱后，“A–C”这样的范围无法对应" in out
    assert err.strip().startswith("3 处解析中的选项字母无法对应")

    code, out, _ = run(db_url, "bank", "check", "letters-history")
    assert (code, out.strip()) == (0, "所有解析中的选项字母都能对应到打乱后的选项。")


def test_an_unknown_bank_is_an_error(db_url: str) -> None:
    code, _, err = run(db_url, "bank", "check", "nope")
    assert code == 1
    assert err.splitlines()[0] == "错误：没有题库 nope"
