"""The 60-person bureau (6 departments, a year of study, outreach and the 2026 学法考试),
built through the CLI only, from files written to a directory. Used by the scenario tests
and by scripts/make_examples.py (which writes the examples under docs/examples/)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from studyhub.cli import cli

__all__ = ["DEPTS", "NAMES", "PARENT", "add_annual_exam", "build_bureau", "cli_ok"]

DEPTS = ["HQ", "OFF", "LAW", "FIN", "ENF", "ENF1"]
NAMES = {"HQ": "某某局", "OFF": "办公室", "LAW": "法规科", "FIN": "财务科", "ENF": "执法支队",
         "ENF1": "执法一大队"}  # fmt: skip
PARENT = {"HQ": "", "OFF": "HQ", "LAW": "HQ", "FIN": "HQ", "ENF": "HQ", "ENF1": "ENF"}


def cli_ok(db_url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", "en", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def build_bureau(db_url: str, tmp_path: Path) -> list[tuple[str, str, str]]:
    """Build the bureau through the CLI; returns its people (staff no, name, department)."""
    depts = tmp_path / "departments.csv"
    depts.write_text(
        "部门编码,部门名称,上级部门\n" + "".join(f"{c},{NAMES[c]},{PARENT[c]}\n" for c in DEPTS),
        encoding="utf-8",
    )
    cli_ok(db_url, "dept", "import", str(depts))
    # 10 people per department: staff 0001..0060
    people = [(f"{i:04d}", f"职工{i}", DEPTS[(i - 1) // 10]) for i in range(1, 61)]
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "工号,姓名,部门,角色,在岗起\n"
        + "".join(f"{no},{name},{dept},职工,2020-01-01\n" for no, name, dept in people),
        encoding="utf-8",
    )
    out = cli_ok(db_url, "staff", "import", str(roster), "--on", "2026-01-01")
    assert out.startswith("staff: 60 added")
    # mid-year: 0011 moves from OFF to LAW; 0060 leaves on 2026-06-30
    cli_ok(db_url, "staff", "move", "0011", "--to", "LAW", "--on", "2026-07-01")
    cli_ok(db_url, "staff", "leave", "0060", "--on", "2026-06-30")

    study = tmp_path / "study.csv"
    rows = ["日期,形式,标题,专题,法律法规,学时,组织者,参加人员,参加部门"]
    rows.append("2026-01-20,党组会学习,学习习近平法治思想,xi-rule-of-law,,2,办公室,,HQ")
    rows.append("2026-03-10,理论学习中心组学习,学习民法典,civil-code,《中华人民共和国民法典》,3,办公室,"
                "0001、0002、0003,")  # fmt: skip
    rows.append(
        "2026-05-12,专题研讨,民法典专题研讨,civil-code,民法典;中华人民共和国宪法,2.5,法规科,,LAW"
    )
    rows.append("2026-08-08,干部职工会集中学习,学习行政处罚法,,行政处罚法;中华人民共和国行政许可法,"
                "1.5,法规科,,ENF")  # fmt: skip
    rows.append("2026-11-20,专题讲座,宪法讲座,constitution,宪法,2,法规科,,HQ")
    study.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cli_ok(db_url, "study", "import", str(study))

    online = tmp_path / "academy.csv"
    completions = [f"{no},习近平法治思想概论,4,2026-0{1 + i % 9}-15 09:00" for i, (no, _, _)
                   in enumerate(people[:30])]  # fmt: skip
    completions += [
        f"{no},民法典解读,2,2026/10/{1 + i}" for i, (no, _, _) in enumerate(people[30:40])
    ]
    online.write_text("工号,课程,学时,完成时间\n" + "\n".join(completions) + "\n", encoding="utf-8")
    cli_ok(db_url, "study", "import-online", str(online))

    outreach = tmp_path / "outreach.csv"
    outreach.write_text(
        "日期,活动名称,地点,发放资料,接受咨询,合作单位\n"
        "2026-03-15,消费者权益日普法,中心广场,600,45,市场监管局\n"
        "2026-04-15,全民国家安全教育日,社区,400,30,\n"
        "2026-12-04,宪法宣传周,政务大厅,1000,120,司法局、团委\n",
        encoding="utf-8",
    )
    cli_ok(db_url, "outreach", "import", str(outreach))
    # importing everything again changes nothing
    cli_ok(db_url, "study", "import", str(study))
    cli_ok(db_url, "study", "import-online", str(online))
    cli_ok(db_url, "outreach", "import", str(outreach))
    return people


def add_annual_exam(db_url: str, tmp_path: Path, people: list[tuple[str, str, str]]) -> None:
    """The 2026 法宣在线 exam, its results imported: 0060 left in June (not required), 0059 is
    exempt, 0058 and 0057 never sat, 0001-0003 failed (55, 58, 59.99), everyone else 88."""
    exam = tmp_path / "fxzx.yaml"
    exam.write_text("key: fxzx-2026\ntitle: 2026年度法宣在线学法考试\nyear: 2026\nkind: external\n"
                    "opens: 2026-11-01\ncloses: 2026-11-30\n", encoding="utf-8")  # fmt: skip
    cli_ok(db_url, "exam", "create", str(exam))
    scores = {"0001": "55", "0002": "58", "0003": "59.99"}
    lines = ["工号,成绩,提交时间"] + [
        f"{no},{scores.get(no, '88')},2026-11-2{n % 9} 10:00"
        for n, (no, _, _) in enumerate(people)
        if no not in ("0060", "0059", "0058", "0057")
    ]
    results = tmp_path / "fxzx.csv"
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli_ok(db_url, "exam", "import-results", "fxzx-2026", str(results))
    cli_ok(db_url, "exempt", "add", "0059", "--exam", "fxzx-2026", "--reason", "长期病假")
