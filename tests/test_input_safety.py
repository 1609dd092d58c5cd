"""Hostile input: oversized files, names with quotes, SQL, control characters, formulas."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.config import DEFAULT_MAX_FILE_MB, max_file_bytes
from studyhub.errors import ConfigError
from studyhub.render import printable

#: these tests compare the English wording (the stable one, for scripts)
pytestmark = pytest.mark.usefixtures("english")


def test_the_size_limit_is_configurable(app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert max_file_bytes() == DEFAULT_MAX_FILE_MB * 2**20 == 50 * 2**20
    app_home.mkdir(parents=True)
    (app_home / "config.toml").write_text("max_file_mb = 5\n", encoding="utf-8")
    assert max_file_bytes() == 5 * 2**20
    monkeypatch.setenv("STUDYHUB_MAX_FILE_MB", "0.5")
    assert max_file_bytes() == 2**19
    monkeypatch.setenv("STUDYHUB_MAX_FILE_MB", "lots")
    with pytest.raises(ConfigError, match="STUDYHUB_MAX_FILE_MB must be a number"):
        max_file_bytes()


@pytest.mark.parametrize(
    ("name", "content", "command"),
    [
        ("big.yaml", "questions: []\n# " + "x" * (2**20 + 100) + "\n", ["bank", "import"]),
        ("big.csv", "工号,姓名\n" + "1,x\n" * 300_000, ["staff", "import"]),
    ],
)
def test_a_file_over_the_limit_is_refused(
    tmp_path: Path, name: str, content: str, command: list[str]
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    env = dict(os.environ, STUDYHUB_MAX_FILE_MB="1", STUDYHUB_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-m", "studyhub", "--db", f"sqlite:///{tmp_path / 'x.db'}", *command,
         str(path)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1].endswith("file is larger than 1 MB")
    assert "Traceback" not in proc.stderr


def test_control_characters_are_shown_not_obeyed() -> None:
    assert printable("red\x1b[31m\x07") == "red\\x1b[31m\\x07"
    assert printable("两行\n文字\t正常") == "两行\n文字\t正常"


def test_hostile_names_are_stored_and_shown_safely(db_url: str, tmp_path: Path) -> None:
    departments = tmp_path / "d.csv"
    departments.write_text("部门编码,部门名称\nD1,办公室\n", encoding="utf-8")
    names = [
        'O\'Brien "x"; DROP TABLE staff; --',
        "\x1b[2J\x1b[31m红字\x07",
        '=HYPERLINK("http://evil","点我")',
        "+1",
        "@SUM(A1)",
    ]
    roster = tmp_path / "s.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["工号", "姓名", "部门"])
        writer.writerows([str(n), name, "D1"] for n, name in enumerate(names, start=1))
    runner = CliRunner()
    for args in (["dept", "import", str(departments)], ["staff", "import", str(roster)]):
        result = runner.invoke(cli, ["--db", db_url, *args])
        assert result.exit_code == 0, result.stderr
    table = runner.invoke(cli, ["--db", db_url, "--lang", "en", "staff", "list"]).stdout
    assert "\x1b" not in table and "\x07" not in table
    assert "\\x1b[2J" in table and "DROP TABLE staff" in table
    out = runner.invoke(cli, ["--db", db_url, "staff", "list", "--format", "csv"]).stdout
    cells = [row[1] for row in csv.reader(out.splitlines()[1:])]
    assert cells[0] == names[0]  # stored and shown as written
    assert cells[2:] == ["'" + names[2], "'+1", "'@SUM(A1)"]  # no formula can start
    json_out = runner.invoke(cli, ["--db", db_url, "staff", "list", "--format", "json"]).stdout
    assert "\\u001b[2J" in json_out and "\x1b" not in json_out  # JSON escapes it
