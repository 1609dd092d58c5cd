"""In a real pseudo-terminal: a large bank import draws click's progress bar (position,
total, rate, time left) on standard error, then the import table; under --skip-invalid the
rejects are written and said."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.quiz.pty import Terminals, shown

pexpect = pytest.importorskip("pexpect")
sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
from messy_banks import messy_text  # noqa: E402


def test_a_large_import_shows_a_progress_bar(tmp_path: Path, terminal: Terminals) -> None:
    bank = tmp_path / "执法题库.md"
    irregular = messy_text(bank, count=2500, share=0.02)
    child = terminal("bank", "import", str(bank), "--skip-invalid", columns=120)
    child.expect_exact("正在导入", timeout=60)
    child.expect(r"\d+/\d+", timeout=60)  # position and total
    child.expect_exact("行/秒", timeout=60)  # the rate
    child.expect_exact("拒收", timeout=120)
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == 0
    text = shown(child)
    assert f"拒收 {len(irregular)} 条" in text
    assert "执法题库.rejects.csv" in text
    assert "Traceback" not in text
