"""In a real 100-column pseudo-terminal: ``report rates --by department`` of the 60-person
bureau fits without wrapping, read from the screen as a person sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyhub.render import display_width
from tests.quiz.pty import Screen, Terminals, shown
from tests.scenario_bureau import add_annual_exam, build_bureau

pexpect = pytest.importorskip("pexpect")
pytest.importorskip("pyte")


def test_rates_by_department_fit_a_100_column_terminal(
    db_url: str, tmp_path: Path, terminal: Terminals
) -> None:
    add_annual_exam(db_url, tmp_path, build_bureau(db_url, tmp_path))
    child = terminal("report", "rates", "--year", "2026", "--by", "department", rows=60,
                     columns=100)  # fmt: skip
    # the screen keeps what fits in 100 columns (a longer line wraps there), the log all
    screen = Screen(child, rows=60, columns=100)
    text = screen.read(3.0)
    child.expect(pexpect.EOF)
    lines = shown(child).splitlines()
    widest = max(lines, key=display_width)
    assert display_width(widest) <= 100, widest
    rows = [line.rstrip() for line in text.splitlines()]
    header = next(row for row in rows if row.startswith("部门"))
    assert header.split() == ["部门", "应参考人数", "实际参考人数", "参考率（%）", "及格人数",
                              "及格率（%）", "优秀率（%）"]  # fmt: skip
    total = next(row for row in rows if row.startswith("合计"))
    assert total.split()[1:] == ["58", "56", "96.55", "53", "94.64", "0.00"]  # nobody ≥ 90
    assert rows.index(total) == rows.index(header) + 9  # a rule, 6 departments, a rule: a row each
    assert any(row.startswith("说明：") for row in rows)
