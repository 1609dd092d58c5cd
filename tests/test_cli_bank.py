"""The bank and law commands through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.db import open_database
from studyhub.models import Question

#: these tests compare the English wording (the stable one, for scripts)
pytestmark = pytest.mark.usefixtures("english")

GOOD = """\
bank: {key: demo, title: 演示, topic: civil-code}
questions:
  - {id: q1, type: single, stem: 成年年龄？, options: [十六, 十八], answer: B, source: 示例法 第1条}
  - {id: q2, type: judge, stem: 对吗？, answer: false, source: 示例法 第2条}
"""
STATUTE = "# 中华人民共和国示例法\n\n## 第一章 总则\n\n第一条 甲。\n\n第二条 乙。\n"


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", "en", *args])
    return result.exit_code, result.stdout, result.stderr


def question_count(db_url: str) -> int:
    database = open_database(db_url)
    with database.session() as session:
        count = session.scalar(sa.select(sa.func.count()).select_from(Question)) or 0
    database.dispose()
    return count


def test_import_and_reimport(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(GOOD, encoding="utf-8")
    code, out, _ = run(db_url, "bank", "import", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "file", "bank", "single", "multiple", "judge", "fill", "added", "changed", "unchanged",
        "retired", "rejected", "repeats",
    ]  # fmt: skip
    assert lines[2].split() == [str(path), "demo", "1", "0", "1", "0", "2", "0", "0", "0", "0", "0"]
    assert lines[3:] == [
        "questions imported: 2 (single choice 1, true/false 1)",
        "2 added, 0 changed, 0 unchanged",
    ]
    code, out, _ = run(db_url, "bank", "import", str(path))
    assert out.splitlines()[-1] == "0 added, 0 changed, 2 unchanged"


def test_check_writes_nothing(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(GOOD, encoding="utf-8")
    code, out, _ = run(db_url, "bank", "import", "--check", str(path))
    assert code == 0
    assert out.splitlines()[-1] == "2 added, 0 changed, 0 unchanged (check only, nothing written)"
    assert question_count(db_url) == 0


def test_bad_file_is_reported_by_line_and_nothing_written(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("answer: B", "answer: C"), encoding="utf-8")
    code, out, err = run(db_url, "bank", "import", str(path))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "Error: 1 error in import, nothing was written:",
        f"{path}, line 3, field answer: answer letter C is beyond the options (A-B)",
        "Hint: fix them and import again, or give --skip-invalid to import the other questions"
        " and write these to a rejects file",
    ]
    assert question_count(db_url) == 0


def test_missing_file(db_url: str, tmp_path: Path) -> None:
    code, _, err = run(db_url, "bank", "import", str(tmp_path / "nope.yaml"))
    assert code == 1
    assert err.strip() == f"Error: {tmp_path / 'nope.yaml'}: no such file"


def test_list_show_stats_export(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(GOOD, encoding="utf-8")
    run(db_url, "bank", "import", str(path))
    code, out, _ = run(db_url, "bank", "list", "--format", "json")
    assert code == 0
    [row] = json.loads(out)
    assert (row["key"], row["single"], row["judge"], row["total"]) == ("demo", 1, 1, 2)
    code, out, _ = run(db_url, "bank", "stats", "--format", "json")
    stats = json.loads(out)
    assert {tuple(sorted(r)) for r in stats} == {
        ("bank", "count", "difficulty", "status", "topic", "type")
    }
    assert sorted((r["type"], r["count"]) for r in stats) == [("judge", 1), ("single", 1)]
    code, out, _ = run(db_url, "bank", "show", "demo")
    assert "q1" in out and "成年年龄？" in out and "十八" not in out  # no options or keys
    code, out, _ = run(db_url, "bank", "show", "demo", "--type", "judge", "--format", "csv")
    assert out.splitlines()[1].startswith("q2,true/false")
    target = tmp_path / "out.json"
    code, _, err = run(db_url, "bank", "export", "demo", "--format", "json", "-o", str(target))
    assert code == 0 and "2 questions written" in err
    assert json.loads(target.read_text(encoding="utf-8"))["bank"]["key"] == "demo"
    code, out, _ = run(db_url, "bank", "export", "demo")
    assert out.startswith("format: studyhub-bank/1\n")


def test_export_names_the_questions_a_format_cannot_express(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(
        GOOD + "  - {id: q3, type: fill, stem: 箭头____, answer: [a->b], source: 示例法 第1条}\n",
        encoding="utf-8",
    )
    run(db_url, "bank", "import", str(path))
    target = tmp_path / "out.gift"
    code, _, err = run(db_url, "bank", "export", "demo", "--format", "gift", "-o", str(target))
    assert code == 0
    assert err.splitlines() == [
        "Left out (gift cannot express it): q3: fill answer with -> cannot be written as GIFT",
        f"2 questions written to {target}",
    ]
    assert "// skipped q3" in target.read_text(encoding="utf-8")
    code, out, err = run(db_url, "bank", "export", "demo", "--format", "aiken")
    assert code == 0 and out.startswith("成年年龄？\nA. 十六\nB. 十八\nANSWER: B")
    assert err.splitlines() == [
        "Left out (aiken cannot express it): q2: true/false questions cannot be written as Aiken",
        "Left out (aiken cannot express it): q3: fill in questions cannot be written as Aiken",
    ]


def test_unknown_bank(db_url: str) -> None:
    code, _, err = run(db_url, "bank", "show", "nope")
    assert code == 1
    assert err.splitlines()[0] == "Error: no bank nope"


def test_law_import_show_and_citations(db_url: str, tmp_path: Path) -> None:
    statute = tmp_path / "law.md"
    statute.write_text(STATUTE, encoding="utf-8")
    bank = tmp_path / "demo.yaml"
    bank.write_text(GOOD.replace("示例法 第2条", "示例法 第3条"), encoding="utf-8")
    run(db_url, "bank", "import", str(bank))
    code, out, _ = run(db_url, "law", "import", str(statute))
    assert (code, out.strip()) == (0, "Imported 中华人民共和国示例法 (示例法): 2 条")
    code, out, _ = run(db_url, "law", "show", "示例法 第2条")
    assert out.splitlines()[:2] == ["中华人民共和国示例法 第二条（第一章 总则）", "乙。"]
    code, out, err = run(db_url, "bank", "check-citations", "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {"bank": "demo", "question": "q2", "source": "示例法 第3条",
         "reason": "示例法 has no 条 3 (it has 1-2)"}
    ]  # fmt: skip
    assert "1 citations do not resolve" in err
    code, out, _ = run(db_url, "law", "list", "--format", "json")
    assert json.loads(out)[0]["short_name"] == "示例法"
