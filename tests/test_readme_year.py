"""README's "A year with studyhub" works in the order it is written, on one database, in a
fresh app dir after the first set-up command (``studyhub practice``, which loads the shipped
banks and offers a demo person). Every command of the block runs as written; the files it
names are small ones written here; any non-zero exit fails."""

from __future__ import annotations

import glob
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PIN = "246810"
EMPLOYEE_PIN = "135790"

#: the commands that ask for a PIN at a hidden prompt run in their scripted form (README's
#: --pin-stdin), with the PIN on standard input
SCRIPTED = {
    "init": (["--pin-stdin"], f"{PIN}\n"),
    "login": (["--staff", "0001", "--pin-stdin"], f"{PIN}\n"),
    "set-pin": (["--pin-stdin"], f"{EMPLOYEE_PIN}\n"),
}


def readme_block(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(title) :]
    start = section.index("\n", section.index("```")) + 1
    return section[start : section.index("```", start)]


def year_commands() -> list[list[str]]:
    commands = []
    for line in readme_block("## A year with studyhub").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words = shlex.split(line)
            assert words[0] == "studyhub", line
            commands.append(words[1:])
    return commands


def write_files(where: Path) -> None:
    import openpyxl

    (where / "question_banks").symlink_to(ROOT / "question_banks")
    (where / "departments.csv").write_text(
        "部门编码,部门名称,上级部门\nD01,办公室,\nD02,法规科,\nD03,执法大队,D02\n", encoding="utf-8"
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名", "部门", "角色", "在岗起", "在岗止"])
    sheet.append(["0001", "王管理", "D01", "管理员", "2020-01-01", None])
    sheet.append(["0002", "张三", "D01", "职工", "2020-01-01", None])
    sheet.append(["0003", "李四", "D02", "职工", "2020-01-01", None])
    sheet.append(["0004", "王五", "D03", "报告员", "2020-01-01", None])
    book.save(where / "roster.xlsx")
    for name, title in (("民法典.md", "中华人民共和国民法典"), ("宪法.md", "中华人民共和国宪法")):
        (where / name).write_text(
            f"# {title}\n\n## 第一章 总则\n\n第一条 本条为测试而写。\n\n第二条 第二条。\n",
            encoding="utf-8",
        )
    (where / "fx2026.yaml").write_text(readme_block("An exam spec"), encoding="utf-8")
    (where / "fxzx2026.yaml").write_text(
        "key: fxzx-2026\ntitle: 2026年度法宣在线学法考试\nyear: 2026\nkind: external\n"
        "opens: 2026-11-01\ncloses: 2026-11-30\npass_mark: 60\n",
        encoding="utf-8",
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["日期", "形式", "标题", "专题", "法律法规", "学时", "组织者", "参加人员", "参加部门"]
    )
    sheet.append(["2026-03-10", "专题研讨", "民法典专题研讨", "civil-code", "民法典", 2, "法规科",
                  "0001、0002、0003", None])  # fmt: skip
    book.save(where / "study-2026.xlsx")
    (where / "法宣在线.csv").write_text(
        "工号,成绩,提交时间\n0002,92,2026-11-20 10:00\n0003,55,2026-11-21 15:30\n",
        encoding="utf-8",
    )


def test_the_year_runs_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path)
    runner = CliRunner()
    # a single-choice question: any letter answers it (a 填空 with three blanks would not)
    practice = ["practice", "--plain", "--yes", "--count", "1", "--type", "single"]
    first = runner.invoke(cli, practice, input="A\n")
    assert first.exit_code == 0, first.output
    commands = year_commands()
    assert len(commands) >= 14
    for words in commands:
        args = [match for word in words for match in (sorted(glob.glob(word)) or [word])]
        key = next((w for w in SCRIPTED if w in words), None)
        extra, given = SCRIPTED[key] if key else ([], "")
        result = runner.invoke(cli, [*args, *extra], input=given)
        assert result.exit_code == 0, (words, result.output)
    assert Path("2026年学法用法情况.docx").stat().st_size > 0
    rates = runner.invoke(cli, ["report", "rates", "--exam", "fxzx-2026", "--format", "csv"])
    assert rates.exit_code == 0, rates.output
    assert re.search(r"fxzx-2026", rates.output)
