"""Packaging checked like code: metadata in one place, every package listed, data shipped."""

from __future__ import annotations

import configparser
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_setup_cfg_holds_only_tool_configuration() -> None:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    assert not {"metadata", "options", "options.extras_require"} & set(parser.sections())
    assert "tool:pytest" in parser.sections()


def test_dependencies_and_extras() -> None:
    project = pyproject()["project"]
    names = {d.split(">")[0].split("<")[0].split("[")[0].lower() for d in project["dependencies"]}
    for required in (
        "sqlalchemy",
        "click",
        "questionary",
        "tabulate",
        "wcwidth",
        "alembic",
        "pyyaml",
        "openpyxl",
    ):
        assert required in names
    extras = project["optional-dependencies"]
    assert any(d.startswith("psycopg[binary]") for d in extras["postgres"])
    assert {"pytest", "hypothesis"} <= {d.split(">")[0] for d in extras["test"]}
    assert project["scripts"]["studyhub"] == "studyhub.cli:main"


def test_every_package_is_listed() -> None:
    listed = set(pyproject()["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "studyhub").rglob("__init__.py")
    }
    assert found <= listed
    assert "studyhub.question_banks" in listed


@pytest.mark.slow
def test_wheel_ships_migrations_and_question_banks(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("studyhub-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "studyhub/migrations/script.py.mako" in names
    assert "studyhub/migrations/versions/0001_initial_schema.py" in names
    assert "studyhub/question_banks/README.md" in names
    catalogs = {
        f"studyhub/locale/{lang}/LC_MESSAGES/studyhub.{ext}" for lang in ("zh", "en")
        for ext in ("po", "mo")
    }  # fmt: skip
    assert catalogs | {"studyhub/locale/zh/LC_MESSAGES/click.mo"} <= names
    shipped = {p.name for p in (ROOT / "question_banks").glob("*.yaml")}
    assert shipped, "no shipped bank in question_banks/"
    for name in shipped:
        assert f"studyhub/question_banks/{name}" in names


def test_shipped_banks_dir_finds_the_banks() -> None:
    from studyhub.banks import shipped_bank_files, shipped_banks_dir

    assert (shipped_banks_dir() / "README.md").exists()
    assert all(p.suffix == ".yaml" for p in shipped_bank_files())


def test_public_api_resolves_lazily() -> None:
    code = (
        "import sys, studyhub\n"
        "assert 'sqlalchemy' not in sys.modules\n"
        "missing = [n for n in studyhub.__all__ if getattr(studyhub, n, None) is None]\n"
        "print('MISSING', missing)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "MISSING []" in out.stdout
