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
    "bank.progress": {"zh": "已读取 {count} 题…", "en": "{count} questions read..."},
    "bank.skipped": {"zh": "已跳过", "en": "Skipped"},
    "bank.import_line": {
        "zh": "题库 {bank}：新增 {added}，修改 {changed}，未变 {unchanged}，停用 {retired}",
        "en": "bank {bank}: {added} added, {changed} changed, {unchanged} unchanged, "
        "{retired} retired",
    },
    "bank.import_total": {
        "zh": "合计：新增 {added}，修改 {changed}，未变 {unchanged}",
        "en": "{added} added, {changed} changed, {unchanged} unchanged",
    },
    "bank.check_only": {"zh": "（仅检查，未写入）", "en": "(check only, nothing written)"},
    "bank.exported": {
        "zh": "已导出 {count} 题到 {path}",
        "en": "{count} questions written to {path}",
    },
    "bank.unresolved": {
        "zh": "{count} 条出处无法对应到法条",
        "en": "{count} citations do not resolve",
    },
    "bank.citations_ok": {"zh": "所有出处均可对应到法条。", "en": "Every citation resolves."},
    "law.imported": {
        "zh": "已导入《{title}》（{name}）：{count} {unit}",
        "en": "Imported {title} ({name}): {count} {unit}",
    },
    "col.key": {"zh": "题库", "en": "bank"},
    "col.bank": {"zh": "题库", "en": "bank"},
    "col.title": {"zh": "名称", "en": "title"},
    "col.topic": {"zh": "主题", "en": "topic"},
    "col.single": {"zh": "单选", "en": "single"},
    "col.multiple": {"zh": "多选", "en": "multiple"},
    "col.judge": {"zh": "判断", "en": "judge"},
    "col.fill": {"zh": "填空", "en": "fill"},
    "col.ready": {"zh": "可用", "en": "ready"},
    "col.hidden": {"zh": "停用", "en": "hidden"},
    "col.total": {"zh": "合计", "en": "total"},
    "col.id": {"zh": "编号", "en": "id"},
    "col.type": {"zh": "题型", "en": "type"},
    "col.difficulty": {"zh": "难度", "en": "difficulty"},
    "col.stem": {"zh": "题干", "en": "stem"},
    "col.source": {"zh": "出处", "en": "source"},
    "col.tags": {"zh": "标签", "en": "tags"},
    "col.version": {"zh": "版本", "en": "version"},
    "col.status": {"zh": "状态", "en": "status"},
    "col.count": {"zh": "题数", "en": "count"},
    "col.question": {"zh": "题目", "en": "question"},
    "col.reason": {"zh": "原因", "en": "reason"},
    "col.short_name": {"zh": "简称", "en": "name"},
    "col.articles": {"zh": "条数", "en": "articles"},
    "col.adopted": {"zh": "通过日期", "en": "adopted"},
    "col.effective": {"zh": "施行日期", "en": "effective"},
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
