"""The report writer's desk (#19): totals that add up, tables that fit, definitions once,
the state of the figures (as of when, provisional, from which database), people lists
that say what their columns hold."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.db import Database, open_database
from studyhub.i18n import t
from studyhub.reports.rates import rates
from studyhub.reports.rates_report import rates_report
from tests.scenario_bureau import build_bureau, cli_ok

FIGURES = ("required", "participants", "passed", "excellent", "exempt")


def run(db_url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", db_url, *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def random_exam(db_url: str, tmp_path: Path, people: list[tuple[str, str, str]], key: str,
                seed: int, closes: str = "2026-11-30") -> None:  # fmt: skip
    """An exam with bands whose results are random: some people never sit, some are exempt,
    scores anywhere from 0 to 100."""
    pick = random.Random(seed)
    spec = tmp_path / f"{key}.yaml"
    spec.write_text(f"key: {key}\ntitle: 考试{key}\nyear: 2026\nkind: external\n"
                    f"opens: 2026-11-01\ncloses: {closes}\npass_mark: 60\n"
                    "bands: {优秀: 90, 良好: 80, 合格: 60}\n", encoding="utf-8")  # fmt: skip
    cli_ok(db_url, "exam", "create", str(spec))
    sitting = [no for no, _, _ in people if pick.random() < 0.85]
    marks = ["0", "59.99", "60", "75.5", "89.99", "90", "100"]
    lines = ["工号,成绩,提交时间"] + [
        f"{no},{pick.choice([*marks, str(pick.randint(0, 100))])},"
        f"2026-11-2{pick.randint(0, 8)} 10:00"
        for no in sitting
    ]
    results = tmp_path / f"{key}.csv"
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli_ok(db_url, "exam", "import-results", key, str(results))
    for no, _, _ in people:
        if no not in sitting and pick.random() < 0.3:
            cli_ok(db_url, "exempt", "add", no, "--exam", key, "--reason", "出差")


@pytest.fixture
def bureau(db_url: str, tmp_path: Path) -> list[tuple[str, str, str]]:
    people = build_bureau(db_url, tmp_path)
    for seed in range(3):
        random_exam(db_url, tmp_path, people, f"r{seed}", seed)
    return people


def test_every_grouping_adds_up_to_the_whole(bureau: object, db_url: str) -> None:
    """Over random results: the 合计 row of --by department (with and without the
    sub-departments) is the exam's --by none row, figure by figure, average and highest."""
    database = open_database(db_url)
    try:
        whole = {row.exam: row for row in rates(database, year=2026)}
        assert set(whole) == {"r0", "r1", "r2"}
        for sub in (False, True):
            found = rates_report(database, year=2026, by="department", include_subdepartments=sub)
            assert len(found.tables) == 3  # one table per exam
            for table in found.tables:
                exam = next(key for key in whole if f"考试{key}" in table.title)
                total = table.total
                assert total is not None and total["group_name"] == t("rates.total")
                expected = whole[exam]
                for name in FIGURES:
                    assert total[name] == getattr(expected, name), (exam, name, sub)
                for name in ("participation_rate", "pass_rate", "excellent_rate", "average",
                             "highest"):  # fmt: skip
                    assert total[name] == getattr(expected, name), (exam, name, sub)
                if not sub:  # departments split the people: the rows add up to the total
                    for name in FIGURES:
                        assert sum(row[name] for row in table.rows) == total[name]
                assert expected.required > 0 and expected.participants > 0
    finally:
        database.dispose()


def test_the_terminal_table_fits_100_columns_and_defines_each_figure_once(
    bureau: object, db_url: str
) -> None:
    out = run(db_url, "report", "rates", "--year", "2026", "--by", "department")
    from studyhub.render import display_width

    lines = out.splitlines()
    assert max(display_width(line) for line in lines) <= 100, max(lines, key=display_width)
    header = next(line for line in lines if line.startswith("部门"))
    assert header.split() == ["部门", "应参考人数", "实际参考人数", "参考率（%）", "及格人数",
                              "及格率（%）", "优秀率（%）"]  # fmt: skip
    assert sum(1 for line in lines if line.startswith("合计")) == 3
    assert lines[0].startswith("按考试截止日 2026-11-30 统计（数据提取于 ")
    assert lines[1].startswith("数据来源：")
    definitions = lines[lines.index("说明：") + 1 :]
    labels = [line.split("：")[0].strip() for line in definitions if not line.startswith("    ")]
    assert labels == ["应参考人数", "实际参考人数", "及格人数", "参考率（%）", "及格率（%）",
                      "优秀率（%）", "部门"]  # fmt: skip
    assert "应参考人数：应参考人数" not in out and "department" not in out and "list：" not in out
    wide = run(db_url, "report", "rates", "--year", "2026", "--by", "department", "--wide")
    assert "免考人数" in wide and "平均成绩（%）" in wide and "最高成绩（%）" in wide


def test_exports_carry_numbers_and_one_header(bureau: object, db_url: str) -> None:
    data = json.loads(run(db_url, "report", "rates", "--exam", "r0", "--by", "department",
                          "--format", "json"))  # fmt: skip
    (table,) = data["tables"]
    assert isinstance(table["rows"][0]["required"], int)
    assert table["total"]["group_name"] == "合计"
    rate = table["total"]["participation_rate"]
    assert isinstance(rate, float) and 0 < rate <= 1
    figures = [d["figure"] for d in data["definitions"]]
    assert len(figures) == len(set(figures)) and "参考率（%）" in figures
    csv_text = run(db_url, "report", "rates", "--exam", "r0", "--by", "department",
                   "--format", "csv").lstrip("\ufeff")  # fmt: skip
    first, second = csv_text.splitlines()[:2]
    assert first.startswith("部门编码,部门,应参考人数") and second.startswith("ENF,执法支队,")
    assert "说明" not in csv_text and "#" not in csv_text


def test_a_year_without_an_exam_and_an_exam_still_open(
    bureau: list[tuple[str, str, str]], db_url: str, tmp_path: Path
) -> None:
    out = run(db_url, "report", "rates", "--year", "2025")
    assert out.splitlines()[-1] == "2025 年没有组织学法考试。"
    assert "\n-\n" not in out
    data = json.loads(run(db_url, "report", "rates", "--year", "2025", "--format", "json"))
    assert data["tables"] == [] and data["notes"] == ["2025 年没有组织学法考试。"]

    random_exam(db_url, tmp_path, bureau, "open", 7, closes="2099-12-31")
    out = run(db_url, "report", "rates", "--exam", "open", "--by", "department")
    assert out.splitlines()[0].endswith("（考试进行中，数字为阶段性结果）。")
    assert "open 尚未结束，以上数字为阶段性结果。" in out
    scores = run(db_url, "report", "scores", "open")
    assert "（考试进行中，数字为阶段性结果）" in scores.splitlines()[0]
    closed = run(db_url, "report", "rates", "--exam", "r1")
    assert "阶段性" not in closed
    annual = json.loads(run(db_url, "report", "annual", "--year", "2026", "--format", "json"))
    paragraph = annual["paragraph"]
    assert paragraph.count("（考试尚未结束，以上为阶段性数字）") == 1
    assert paragraph.index("《考试open》") < paragraph.index("阶段性")


def test_people_lists_say_what_their_columns_hold(bureau: object, db_url: str) -> None:
    out = run(db_url, "report", "scores", "r0", "--format", "json")
    (table,) = json.loads(out)["tables"]
    headings = [c["heading"] for c in table["columns"]]
    assert headings[-3:] == ["计分成绩（分/%）", "等次", "是否及格"]
    rows = table["rows"]
    failed = [r for r in rows if r["passed"] == "否"]
    assert failed and all(r["band"] == "未达到任何等次" for r in failed)  # as the quiz says
    sat = [r for r in rows if r["score"] != "-"]
    assert all(r["score"].endswith("%）") or r["score"].endswith("%") for r in sat)
    absent = [r for r in rows if r["attempts"] == 0]
    assert all(r["score"] == "-" and r["passed"] is None and r["band"] is None for r in absent)


def test_the_source_never_shows_a_password() -> None:
    import sqlalchemy as sa

    from studyhub.reports.meta import describe_source

    engine = sa.create_engine("postgresql+psycopg://clerk:s3cret@db.example:5433/studyhub")
    assert describe_source(Database(engine)) == "db.example:5433/studyhub"
    engine = sa.create_engine("sqlite:////srv/studyhub/studyhub.db")
    assert describe_source(Database(engine)) == "/srv/studyhub/studyhub.db"
