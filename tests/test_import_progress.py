"""Progress of long imports (issue 20, item 7): the library reports (done, total); the CLI
draws a click progress bar from it only on a terminal and for large imports."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from studyhub.banks.importer import import_files
from studyhub.cli import progress
from studyhub.db import Database
from studyhub.tabular import Column, read_rows


def test_bank_import_reports_lines_read_up_to_the_total(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(
        "".join(f"{n}、第{n}题对吗？\n答案：对\n\n" for n in range(1, 1201)), encoding="utf-8"
    )
    calls: list[tuple[int, int]] = []
    summary = import_files(database, [path], progress=lambda d, t: calls.append((d, t)))
    assert summary.added == 1200
    total = path.read_bytes().count(b"\n") + 1
    assert calls[-1] == (total, total) and len(calls) >= 3  # after each batch of 500
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_table_rows_report_progress(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("工号\n" + "".join(f"{n}\n" for n in range(250)), encoding="utf-8")
    calls: list[tuple[int, int]] = []
    columns = [Column("staff_no", ("工号",), required=True)]
    rows = list(read_rows(path, columns, progress=lambda d, t: calls.append((d, t))))
    assert len(rows) == 250
    assert calls == [(101, 251), (201, 251), (251, 251)]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_only_on_a_terminal_and_from_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    with progress.progress_bar("导入", 100, "行/秒") as bar:
        assert bar is None  # standard error is not a terminal here
    stream = _Tty()
    monkeypatch.setattr(sys, "stderr", stream)
    with progress.progress_bar("导入", 100, "行/秒") as bar:
        assert bar is not None
        bar(10, 50)  # a small import: no bar
        assert stream.getvalue() == ""
        bar(100, 400)
        bar(400, 400)
    shown = stream.getvalue()
    assert "导入" in shown and "400/400" in shown and "行/秒" in shown
