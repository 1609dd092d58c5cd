from __future__ import annotations

from pathlib import Path

import click
import pytest

from studyhub.config import app_dir, load_settings, mask_url
from studyhub.errors import ConfigError


def write_config(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_is_sqlite_file_in_app_dir(app_home: Path) -> None:
    settings = load_settings()
    assert settings.app_dir == app_home
    assert settings.db_url == f"sqlite:///{app_home / 'studyhub.db'}"
    assert settings.db_source == "default"
    assert settings.config_path == app_home / "config.toml"


def test_app_dir_matches_click_without_studyhub_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("STUDYHUB_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert app_dir() == Path(click.get_app_dir("studyhub"))
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert app_dir() == Path(click.get_app_dir("studyhub"))


def test_precedence_flag_env_file_default(app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(app_home, 'db = "sqlite:////from/file.db"\n')
    assert load_settings().db_url == "sqlite:////from/file.db"
    assert load_settings().db_source == "config file"
    monkeypatch.setenv("STUDYHUB_DB", "sqlite:////from/env.db")
    assert load_settings().db_url == "sqlite:////from/env.db"
    assert load_settings().db_source == "env"
    flagged = load_settings("sqlite:////from/flag.db")
    assert (flagged.db_url, flagged.db_source) == ("sqlite:////from/flag.db", "flag")


def test_config_file_without_db_falls_back_to_default(app_home: Path) -> None:
    write_config(app_home, "# nothing set\n")
    assert load_settings().db_source == "default"


def test_invalid_toml_is_a_config_error(app_home: Path) -> None:
    path = write_config(app_home, "db = \n")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(path) in info.value.reason
    assert "not valid TOML" in info.value.reason


def test_db_must_be_a_string(app_home: Path) -> None:
    write_config(app_home, "db = 5\n")
    with pytest.raises(ConfigError, match="field db must be a database URL string"):
        load_settings()


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql+psycopg://u:secret@host:5432/db", "postgresql+psycopg://u:***@host:5432/db"),
        ("postgresql://u:p@ss:w0rd@host/db", "postgresql://u:***@host/db"),
        ("postgresql://u@host/db", "postgresql://u@host/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
        ("sqlite:///with@sign/x.db", "sqlite:///with@sign/x.db"),
        (
            "postgresql://u:secret@host/db?sslmode=require",
            "postgresql://u:***@host/db?sslmode=require",
        ),
        ("not a url", "not a url"),
    ],
)
def test_mask_url(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_settings_masks_password() -> None:
    settings = load_settings("postgresql://admin:hunter2@db.example/studyhub")
    assert "hunter2" not in settings.masked_db_url
    assert settings.masked_db_url == "postgresql://admin:***@db.example/studyhub"
