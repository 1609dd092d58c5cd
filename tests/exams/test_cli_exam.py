from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.db import Database
from tests.exams.conftest import BASE_SPEC


def run(database: Database, *args: str) -> tuple[int, str, str]:
    url = database.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--db", url, "--lang", "en", *args])
    return result.exit_code, result.stdout, result.stderr


def test_create_show_list_update_close(org: Database, tmp_path: Path) -> None:
    spec = tmp_path / "e1.yaml"
    spec.write_text(BASE_SPEC + "closes: 2099-11-30\n", encoding="utf-8")
    code, out, err = run(org, "exam", "create", str(spec))
    assert code == 0, err
    assert out.splitlines()[0] == "Created exam e1"
    assert "Paper:" in out and "10 questions, 100 points" in out
    code, out, _ = run(org, "exam", "show", "e1")
    assert "Closes:" in out and "2099-12-01 00:00" in out
    assert "  1. law single choice × 4 × 10" in out
    code, out, _ = run(org, "exam", "list", "--format", "json")
    [row] = json.loads(out)
    assert (row["key"], row["questions"], row["points"], row["submitted"]) == ("e1", 10, "100", 0)
    spec.write_text("key: e1\ntitle: 新名称\n", encoding="utf-8")
    # an update spec needs only key and title (year and paper stay)
    code, _, err = run(org, "exam", "update", str(spec))
    assert code == 1 and "missing year" in err
    code, out, _ = run(org, "exam", "close", "e1")
    assert (code, out.strip()) == (
        0,
        "Exam e1 closed; 0 open attempts graded on their saved answers",
    )


def test_create_errors(org: Database, tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(BASE_SPEC.replace("count: 2, points: 10}\n", "count: 9, points: 10}\n", 1),
                    encoding="utf-8")  # fmt: skip
    code, out, err = run(org, "exam", "create", str(spec))
    assert code == 1 and out == ""
    assert err.splitlines()[0] == (
        "Error: paper rule 2 (law, multiple choice) needs 9 questions, the banks have 6 "
        "(short by 3)"
    )
    code, _, err = run(org, "exam", "show", "nope")
    assert code == 1 and err.startswith("Error: no exam nope")


def test_import_results(org: Database, tmp_path: Path) -> None:
    spec = tmp_path / "x.yaml"
    spec.write_text("key: fxzx\ntitle: 法宣在线\nyear: 2026\nkind: external\n", encoding="utf-8")
    run(org, "exam", "create", str(spec))
    results = tmp_path / "r.csv"
    results.write_text("工号,成绩,提交时间\nS1,88,2026-11-20 10:00\n", encoding="utf-8")
    code, out, _ = run(org, "exam", "import-results", "fxzx", str(results))
    assert (code, out.strip()) == (0, "exam fxzx: 1 results added, 0 unchanged")
