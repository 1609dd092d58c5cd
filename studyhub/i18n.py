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
    "exam.created": {"zh": "已创建考试 {key}", "en": "Created exam {key}"},
    "exam.updated": {"zh": "已更新考试 {key}", "en": "Updated exam {key}"},
    "exam.closed": {
        "zh": "考试 {key} 已关闭，{count} 份未交答卷按已保存的答案评分",
        "en": "Exam {key} closed; {count} open attempts graded on their saved answers",
    },
    "exam.results": {
        "zh": "考试 {key}：导入 {added} 条成绩，{unchanged} 条已存在未变",
        "en": "exam {key}: {added} results added, {unchanged} unchanged",
    },
    "exam.key": {"zh": "编号", "en": "Key"},
    "exam.title": {"zh": "名称", "en": "Title"},
    "exam.year": {"zh": "年度", "en": "Year"},
    "exam.kind": {"zh": "类型", "en": "Kind"},
    "exam.makeup_of": {"zh": "补考自", "en": "makeup of"},
    "exam.status": {"zh": "状态", "en": "Status"},
    "exam.opens": {"zh": "开始", "en": "Opens"},
    "exam.closes": {"zh": "截止", "en": "Closes"},
    "exam.time_limit": {"zh": "限时", "en": "Time limit"},
    "exam.attempts": {"zh": "可考次数", "en": "Attempts"},
    "exam.grading": {"zh": "计分方式", "en": "Grading"},
    "exam.pass_mark": {"zh": "及格线", "en": "Pass mark"},
    "exam.bands": {"zh": "等次", "en": "Bands"},
    "exam.audience": {"zh": "参考范围", "en": "Audience"},
    "exam.everyone": {"zh": "全体人员", "en": "everyone"},
    "exam.scoring": {"zh": "多选计分", "en": "Multiple choice"},
    "exam.review": {"zh": "交卷后可查看", "en": "Review"},
    "exam.after_close": {"zh": "考试结束后", "en": "after the exam closes"},
    "exam.paper": {"zh": "试卷", "en": "Paper"},
    "exam.paper_line": {
        "zh": "{questions} 题，共 {points} 分",
        "en": "{questions} questions, {points} points",
    },
    "exam.attempts_made": {"zh": "答卷", "en": "Attempts"},
    "exam.attempt_counts": {
        "zh": "已交 {submitted}，进行中 {open}",
        "en": "{submitted} submitted, {open} in progress",
    },
    "exam.col.key": {"zh": "编号", "en": "key"},
    "exam.col.title": {"zh": "名称", "en": "title"},
    "exam.col.year": {"zh": "年度", "en": "year"},
    "exam.col.kind": {"zh": "类型", "en": "kind"},
    "exam.col.status": {"zh": "状态", "en": "status"},
    "exam.col.opens": {"zh": "开始", "en": "opens"},
    "exam.col.closes": {"zh": "截止", "en": "closes"},
    "exam.col.questions": {"zh": "题数", "en": "questions"},
    "exam.col.points": {"zh": "总分", "en": "points"},
    "exam.col.submitted": {"zh": "已交卷", "en": "submitted"},
    "col.answers": {"zh": "作答次数", "en": "answers"},
    "col.wrong": {"zh": "答错次数", "en": "wrong"},
    "col.wrong_share": {"zh": "错误率", "en": "wrong share"},
    "audit.col.at": {"zh": "时间", "en": "at"},
    "audit.col.actor": {"zh": "操作人", "en": "actor"},
    "audit.col.action": {"zh": "操作", "en": "action"},
    "audit.col.object": {"zh": "对象", "en": "object"},
    "audit.col.details": {"zh": "详情", "en": "details"},
    "db.granted": {
        "zh": "已为角色 {role} 授权（审计表只可追加）",
        "en": "Granted {role} (audit table append-only)",
    },
    "auth.staff_no": {"zh": "工号", "en": "Staff number"},
    "auth.pin": {"zh": "PIN 码", "en": "PIN"},
    "auth.old_pin": {"zh": "原 PIN 码", "en": "Current PIN"},
    "auth.new_pin": {"zh": "新 PIN 码（至少 6 位数字）", "en": "New PIN (6+ digits)"},
    "auth.initialised": {"zh": "已创建管理员 {staff_no}", "en": "Created the admin {staff_no}"},
    "auth.signed_in": {
        "zh": "已登录：{staff_no} {name}（{role}）",
        "en": "Signed in: {staff_no} {name} ({role})",
    },
    "auth.signed_out": {"zh": "已退出登录", "en": "Signed out"},
    "auth.change_first": {
        "zh": "请先修改初始 PIN 码：studyhub passwd",
        "en": "Choose your own PIN first: studyhub passwd",
    },
    "auth.pin_changed": {"zh": "PIN 码已修改，请重新登录", "en": "PIN changed; sign in again"},
    "auth.pin_set": {
        "zh": "已为 {staff_no} 设置初始 PIN 码（首次登录须修改）",
        "en": "Initial PIN set for {staff_no} (to be changed at first sign-in)",
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


def _merge_messages() -> None:
    # the roster, exemption, study and outreach messages (prefixes dept. staff. exempt.
    # study. outreach. roster.) live in their own table
    from studyhub.i18n_quiz import MESSAGES as QUIZ
    from studyhub.i18n_rates import MESSAGES as RATES
    from studyhub.i18n_records import MESSAGES as RECORDS
    from studyhub.i18n_reports import MESSAGES as REPORTS

    MESSAGES.update(RECORDS)
    MESSAGES.update(REPORTS)  # report titles, headings and definitions (prefix report.)
    MESSAGES.update(QUIZ)  # the terminal quiz (prefix quiz.)
    MESSAGES.update(RATES)  # rate reports (prefix rates.)


_merge_messages()


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


def t(msgid: str, /, **values: object) -> str:
    """The message ``msgid`` in the current language, formatted with ``values``."""
    entry = MESSAGES[msgid]
    text = entry.get(get_language()) or entry["en"]
    return text.format(**values) if values else text
