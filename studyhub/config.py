"""Where studyhub keeps its data, and which database it uses.

Precedence, defined here once: an explicit URL (the ``--db`` flag) > the ``STUDYHUB_DB``
environment variable > ``db`` in ``config.toml`` in the app dir > the default SQLite file
``<app dir>/studyhub.db``. The app dir is ``STUDYHUB_HOME`` if set, else the per-user
directory that ``click.get_app_dir("studyhub")`` names (computed here without importing click).
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from studyhub.errors import ConfigError
from studyhub.i18n import msg

__all__ = [
    "CONFIG_FILE_NAME",
    "Settings",
    "app_dir",
    "load_settings",
    "mask_url",
    "max_file_bytes",
]

APP_NAME = "studyhub"
CONFIG_FILE_NAME = "config.toml"
DB_FILE_NAME = "studyhub.db"
#: the saved sign-in (``studyhub login``), in the app dir
SESSION_FILE_NAME = "session.json"
ENV_HOME = "STUDYHUB_HOME"
ENV_DB = "STUDYHUB_DB"


def _platform_app_dir() -> Path:
    """The same directory as ``click.get_app_dir(APP_NAME)`` (roaming=True, force_posix=False)."""
    if sys.platform.startswith("win"):
        base = os.environ.get("APPDATA") or os.path.expanduser("~")
        return Path(base) / APP_NAME
    if sys.platform == "darwin":
        return Path(os.path.expanduser("~/Library/Application Support")) / APP_NAME
    base = os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config"))
    return Path(base) / APP_NAME


def app_dir() -> Path:
    """The directory for the default database, the config file and session tokens."""
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home).expanduser()
    return _platform_app_dir()


def mask_url(url: str) -> str:
    """``url`` with any password replaced by ``***`` (safe to print or log)."""
    scheme_end = url.find("://")
    if scheme_end < 0:
        return url
    rest = url[scheme_end + 3 :]
    at = rest.rfind("@", 0, _authority_end(rest))
    if at < 0:
        return url
    userinfo = rest[:at]
    if ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{url[: scheme_end + 3]}{user}:***{rest[at:]}"


def _authority_end(rest: str) -> int:
    for i, ch in enumerate(rest):
        if ch in "/?#":
            return i
    return len(rest)


@dataclass(frozen=True)
class Settings:
    """The resolved configuration and where each part came from."""

    app_dir: Path
    config_path: Path
    db_url: str
    db_source: str  # "flag", "env", "config file", "default"

    @property
    def masked_db_url(self) -> str:
        return mask_url(self.db_url)

    @property
    def is_default_db(self) -> bool:
        return self.db_source == "default"


def _read_config_file(path: Path) -> dict[str, object]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        from studyhub.values import describe  # (not at start-up: studyhub --help stays fast)

        raise ConfigError(
            msg("cannot read config file {path}: {detail}", path=path, detail=describe(exc))
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            msg("config file {path} is not valid TOML: {detail}", path=path, detail=str(exc)),
            hint=msg('write settings as key = "value", e.g. db = "sqlite:///path/to/studyhub.db"'),
        ) from None
    return data


def load_settings(db_url: str | None = None) -> Settings:
    """Resolve the settings; ``db_url`` is the ``--db`` flag's value, if given."""
    directory = app_dir()
    config_path = directory / CONFIG_FILE_NAME
    if db_url:
        return Settings(directory, config_path, db_url, "flag")
    env_url = os.environ.get(ENV_DB)
    if env_url:
        return Settings(directory, config_path, env_url, "env")
    data = _read_config_file(config_path)
    file_url = data.get("db")
    if file_url is not None:
        if not isinstance(file_url, str) or not file_url.strip():
            raise ConfigError(
                msg("config file {path}: field db must be a database URL string", path=config_path)
            )
        return Settings(directory, config_path, file_url.strip(), "config file")
    default = f"sqlite:///{directory / DB_FILE_NAME}"
    return Settings(directory, config_path, default, "default")


#: the largest input file studyhub reads, unless configured otherwise
DEFAULT_MAX_FILE_MB = 50
ENV_MAX_FILE = "STUDYHUB_MAX_FILE_MB"


def max_file_bytes() -> int:
    """The largest input file (bank, roster, results, spec) studyhub accepts, in bytes:
    ``STUDYHUB_MAX_FILE_MB`` > ``max_file_mb`` in the config file > 50 MB."""
    text = os.environ.get(ENV_MAX_FILE)
    source = ENV_MAX_FILE
    if not text:
        value = _read_config_file(app_dir() / CONFIG_FILE_NAME).get("max_file_mb")
        text = None if value is None else str(value)
        source = "max_file_mb"
    if not text:
        return DEFAULT_MAX_FILE_MB * 2**20
    try:
        megabytes = float(text)
    except ValueError:
        raise ConfigError(
            msg(
                "{setting} must be a number of megabytes (got {value!r})",
                setting=source,
                value=text,
            )
        ) from None
    if megabytes <= 0:
        raise ConfigError(msg("{setting} must be above 0", setting=source))
    return int(megabytes * 2**20)
