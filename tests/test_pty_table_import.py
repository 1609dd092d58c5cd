"""In a real pseudo-terminal: a large roster import shows a bar while it reads the file
(正在读取) and another while it writes (正在写入), each with position, total and rate, then
its summary line."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyhub.db import Database
from studyhub.org.roster_import import import_departments
from tests.quiz.pty import Terminals, shown

pexpect = pytest.importorskip("pexpect")


def test_a_large_roster_import_shows_reading_then_writing(
    tmp_path: Path, database: Database, terminal: Terminals
) -> None:
    depts = tmp_path / "d.csv"
    depts.write_text("部门编码,部门名称,上级部门\nOFF,办公室,\n", encoding="utf-8")
    import_departments(database, depts)
    roster = tmp_path / "花名册.csv"
    roster.write_text(
        "工号,姓名,部门\n" + "".join(f"{n:05d},职工{n},OFF\n" for n in range(4000)),
        encoding="utf-8",
    )
    child = terminal("staff", "import", str(roster), "--on", "2026-01-01", columns=120)
    child.expect_exact("正在读取", timeout=60)
    child.expect_exact("4001/4001", timeout=60)
    child.expect_exact("正在写入", timeout=60)
    child.expect(r"\d+/4001", timeout=60)
    child.expect_exact("行/秒", timeout=60)
    child.expect_exact("新增 4000", timeout=120)
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == 0
    text = shown(child)
    assert text.index("正在读取") < text.index("正在写入") < text.index("新增 4000")
    assert "Traceback" not in text
