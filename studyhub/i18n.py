"""Messages of the terminal UI: Chinese by default, English on request.

The language is ``--lang`` on the command line, else ``STUDYHUB_LANG``, else Chinese.
Error reasons stay in English (they are also read by scripts and logs); labels, prompts and
report headings go through :func:`t`.
"""

from __future__ import annotations

import os

__all__ = ["LANGUAGES", "get_language", "set_language", "t"]

LANGUAGES = ("zh", "en")
_language: str | None = None

MESSAGES: dict[str, dict[str, str]] = {
    "config.app_dir": {"zh": "应用目录", "en": "App dir"},
    "config.config_file": {"zh": "配置文件", "en": "Config file"},
    "config.database": {"zh": "数据库", "en": "Database"},
    "config.source": {"zh": "数据库来源", "en": "Database from"},
    "config.exists": {"zh": "存在", "en": "exists"},
    "config.missing": {"zh": "不存在", "en": "not found"},
    "source.flag": {"zh": "--db 参数", "en": "--db flag"},
    "source.env": {"zh": "环境变量 STUDYHUB_DB", "en": "STUDYHUB_DB environment variable"},
    "source.config file": {"zh": "配置文件", "en": "config file"},
    "source.default": {
        "zh": "默认（应用目录中的 SQLite 文件）",
        "en": "default (SQLite file in the app dir)",
    },
    "db.current": {"zh": "当前版本", "en": "Current revision"},
    "db.head": {"zh": "最新版本", "en": "Newest revision"},
    "db.blank": {"zh": "（空数据库）", "en": "(blank database)"},
    "db.upgraded": {"zh": "数据库已升级到版本 {rev}", "en": "Database upgraded to revision {rev}"},
    "db.downgraded": {
        "zh": "数据库已降级到版本 {rev}",
        "en": "Database downgraded to revision {rev}",
    },
    "db.confirm_downgrade": {
        "zh": "降级会删除数据表及其中的数据，确定要降级 {url} 到 {rev} 吗？",
        "en": "A downgrade drops tables and their data. Downgrade {url} to {rev}?",
    },
}


def get_language() -> str:
    if _language is not None:
        return _language
    env = os.environ.get("STUDYHUB_LANG", "").lower()
    return "en" if env.startswith("en") else "zh"


def set_language(language: str | None) -> None:
    """Choose the UI language for this process (None: back to the environment default)."""
    global _language
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _language = language


def t(key: str, **values: object) -> str:
    """The message ``key`` in the current language, formatted with ``values``."""
    entry = MESSAGES[key]
    text = entry.get(get_language()) or entry["en"]
    return text.format(**values) if values else text
