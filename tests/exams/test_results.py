"""Results sat on another platform (法宣在线), imported as submitted attempts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.db import Database
from studyhub.errors import MultipleErrors
from studyhub.exams.results import import_results
from studyhub.models import Attempt
from tests.exams.conftest import Define

EXTERNAL = "key: fxzx\ntitle: 法宣在线考试\nyear: 2026\nkind: external\n"


def write(tmp_path: Path, text: str, name: str = "r.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def attempts(database: Database) -> list[tuple]:
    with database.session() as session:
        return [
            tuple(r)
            for r in session.execute(
                sa.select(Attempt.number, Attempt.score, Attempt.percent, Attempt.passed,
                          Attempt.origin).order_by(Attempt.staff_id, Attempt.number)
            )
        ]  # fmt: skip


def test_good_file_and_reimport(org: Database, define: Define, tmp_path: Path) -> None:
    define(base=EXTERNAL)
    path = write(
        tmp_path,
        "工号,姓名,成绩,提交时间\nS1,张三,95,2026-11-20 14:30:00\nS1,张三,58,2026-11-19 09:00:00\n"
        "S2,李四,59.5,2026-11-21T10:00:00+08:00\n",
        encoding="gbk",
    )
    summary = import_results(org, "fxzx", path)
    assert (summary.added, summary.unchanged) == (3, 0)
    assert attempts(org) == [
        (1, Decimal(58), Decimal(58), False, "imported"),  # numbered by submission time
        (2, Decimal(95), Decimal(95), True, "imported"),
        (1, Decimal("59.5"), Decimal("59.5"), False, "imported"),
    ]
    again = import_results(org, "fxzx", path)
    assert (again.added, again.unchanged) == (0, 3)
    assert len(attempts(org)) == 3


def test_points_with_max_score_and_attempt_numbers(
    org: Database, define: Define, tmp_path: Path
) -> None:
    define(base=EXTERNAL)
    path = write(tmp_path, "staff_no,score,submitted_at,attempt\nS3,120,2026-11-20 10:00,2\n")
    import_results(org, "fxzx", path, max_score=Decimal(150))
    assert attempts(org) == [(2, Decimal(120), Decimal(80), True, "imported")]


def test_bad_rows_are_reported_and_nothing_written(
    org: Database, define: Define, tmp_path: Path
) -> None:
    define(base=EXTERNAL)
    path = write(
        tmp_path,
        "工号,成绩,提交时间\nS1,95,2026-11-20 14:30\nX9,80,2026-11-20 14:30\nS2,101,2026-11-20\n"
        "S3,abc,2026-11-20\nS2,70,yesterday\nS1,90,2026-11-20 14:30\n",
    )
    with pytest.raises(MultipleErrors) as info:
        import_results(org, "fxzx", path)
    assert [e.reason for e in info.value.errors] == [
        f"{path}, row 3, field 工号: unknown staff number X9",
        f"{path}, row 4, field 成绩: score 101 is out of range 0-100",
        f"{path}, row 5, field 成绩: score 'abc' is not a number",
        f"{path}, row 6, field 提交时间: 'yesterday' is not a time (write 2026-11-20 14:30:00)",
        f"{path}, row 7, field 工号: duplicate of row 2",
    ]
    assert attempts(org) == []


def test_a_changed_score_for_a_recorded_attempt_is_refused(
    org: Database, define: Define, tmp_path: Path
) -> None:
    define(base=EXTERNAL)
    import_results(org, "fxzx", write(tmp_path, "工号,成绩,提交时间,次数\nS1,80,2026-11-20,1\n"))
    changed = write(tmp_path, "工号,成绩,提交时间,次数\nS1,85,2026-11-20,1\n", name="c.csv")
    with pytest.raises(MultipleErrors, match="attempt 1 of S1 is already recorded with score 80"):
        import_results(org, "fxzx", changed)
    assert attempts(org) == [(1, Decimal(80), Decimal(80), True, "imported")]


@pytest.mark.parametrize("given", ["0", "1.5", "-1", "inf", "NaN", "1e999999999", "101"])
def test_attempt_numbers_that_are_no_attempt_are_located(
    org: Database, define: Define, tmp_path: Path, given: str
) -> None:
    """inf and NaN escaped as OverflowError and ValueError, 1.5 was taken as 1, and a huge
    exponent made a number of a billion digits."""
    define(base=EXTERNAL)
    path = write(tmp_path, f"工号,成绩,提交时间,次数\nS1,80,2026-11-20,{given}\n")
    with pytest.raises(MultipleErrors) as info:
        import_results(org, "fxzx", path)
    assert [e.reason for e in info.value.errors] == [
        f"{path}, row 2, field 次数: attempt {given!r} is not 1, 2, 3..."
    ]
