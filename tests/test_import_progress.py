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


def _two_halves(calls: list[tuple[int, int]], rows: int) -> None:
    """One bar for reading then writing: reading fills the first half (up to the file's
    rows), writing the second; the bar ends at the end and never goes back."""
    total = 2 * rows
    assert {t for _, t in calls} == {total}
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[-1] == total
    assert (rows, total) in calls  # the file is read: half way
    assert len([d for d in done if rows < d < total]) >= 3  # the writing moves the bar


def _people(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(
        "工号,姓名,部门\n" + "".join(f"{n:05d},职工{n},OFF\n" for n in range(count)),
        encoding="utf-8",
    )
    return path


def test_roster_import_bar_ends_when_the_writing_does(database: Database, tmp_path: Path) -> None:
    from studyhub.org.roster_import import import_departments, import_staff

    depts = tmp_path / "d.csv"
    depts.write_text("部门编码,部门名称,上级部门\nOFF,办公室,\n", encoding="utf-8")
    import_departments(database, depts)
    calls: list[tuple[int, int]] = []
    summary = import_staff(
        database,
        _people(tmp_path, 300),
        on="2026-01-01",
        progress=lambda d, t: calls.append((d, t)),
    )
    assert summary.added == 300
    _two_halves(calls, 301)


def test_study_and_results_imports_bar_covers_the_writing(
    database: Database, tmp_path: Path
) -> None:
    from studyhub.exams.definitions import create_exam
    from studyhub.exams.results import import_results
    from studyhub.exams.spec import load_spec
    from studyhub.org.roster_import import import_departments, import_staff
    from studyhub.study.imports import import_activities, import_online

    depts = tmp_path / "d.csv"
    depts.write_text("部门编码,部门名称,上级部门\nOFF,办公室,\n", encoding="utf-8")
    import_departments(database, depts)
    import_staff(database, _people(tmp_path, 300), on="2026-01-01")

    study = tmp_path / "study.csv"
    study.write_text(
        "日期,形式,标题,学时,工号\n"
        + "".join(f"2026-03-{1 + n % 20:02d},lecture,讲座{n % 20},2,{n:05d}\n" for n in range(300)),
        encoding="utf-8",
    )
    calls: list[tuple[int, int]] = []
    summary = import_activities(database, study, progress=lambda d, t: calls.append((d, t)))
    assert (summary.activities_added, summary.attendance_added) == (20, 300)
    _two_halves(calls, 301)

    online = tmp_path / "online.csv"
    online.write_text(
        "工号,课程,学时,完成时间\n"
        + "".join(f"{n:05d},课程{n % 30},1,2026-05-{1 + n % 28:02d}\n" for n in range(300)),
        encoding="utf-8",
    )
    calls = []
    summary = import_online(database, online, progress=lambda d, t: calls.append((d, t)))
    assert (summary.activities_added, summary.attendance_added) == (30, 300)
    _two_halves(calls, 301)

    spec = tmp_path / "ext.yaml"
    spec.write_text(
        "key: ext\ntitle: 法宣在线\nyear: 2026\nkind: external\nopens: 2026-11-01\n"
        "closes: 2026-11-30\n",
        encoding="utf-8",
    )
    create_exam(database, load_spec(spec))
    results = tmp_path / "results.csv"
    results.write_text(
        "工号,成绩,提交时间\n"
        + "".join(f"{n:05d},{60 + n % 40},2026-11-10 10:00\n" for n in range(300)),
        encoding="utf-8",
    )
    calls = []
    assert (
        import_results(database, "ext", results, progress=lambda d, t: calls.append((d, t))).added
        == 300
    )
    _two_halves(calls, 301)


def test_table_import_bars_one_for_reading_one_for_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A roster of 4,000 rows: a bar 正在读取 to 4000/4000, then one 正在写入 with its own
    rate and time left (not one bar whose time left mixes both phases)."""
    stream = _Tty()
    monkeypatch.setattr(sys, "stderr", stream)
    with progress.rows_bar() as bar:
        assert bar is not None
        bar(2000, 8000)
        bar(4000, 8000)
        assert "正在读取" in stream.getvalue() and "正在写入" not in stream.getvalue()
        bar(6000, 8000)
        bar(8000, 8000)
    shown = stream.getvalue()
    assert "4000/4000" in shown and "正在写入" in shown and "2000/4000" in shown
    assert shown.index("正在读取") < shown.index("正在写入")
    assert "行/秒" in shown.split("正在写入")[1]
