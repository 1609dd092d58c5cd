"""The item analysis as report tables: the paper's statistics (one line per figure, with the
condition Moodle computes it under), the questions, the options chosen, and the questions to
review with their reasons. Empty figures are None (shown "-", null in JSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studyhub.i18n import N_, get_language, t
from studyhub.reports.item_stats import FACILITY_HIGH, FACILITY_LOW
from studyhub.reports.table import ReportTable

if TYPE_CHECKING:
    from studyhub.reports.item_stats import ItemStats, PaperStats, ResponseRow

__all__ = ["item_tables"]

TYPE_NAMES = {"single": "单选", "multiple": "多选", "judge": "判断", "fill": "填空"}
STEM_WIDTH = 30
TEXT_WIDTH = 24

#: the paper's figures: (key, kind of its value, condition key or None)
PAPER_FIGURES = (
    ("attempts", "count", None),
    ("left_out", "count", None),
    ("questions", "count", None),
    ("max_score", "points", None),
    ("mean", "score", "s1"),
    ("median", "score", "s1"),
    ("sd", "score", "s2"),
    ("skewness", "number", "s3"),
    ("kurtosis", "number", "s4"),
    ("cic", "score", "cic"),
    ("error_ratio", "score", "cic"),
    ("standard_error", "score", "cic"),
)
FIGURE_NAMES = {
    "attempts_used": N_("report.items.fig.attempts_used"),
    "attempts": N_("report.items.fig.attempts"),
    "left_out": N_("report.items.fig.left_out"),
    "questions": N_("report.items.fig.questions"),
    "max_score": N_("report.items.fig.max_score"),
    "mean": N_("report.items.fig.mean"),
    "median": N_("report.items.fig.median"),
    "sd": N_("report.items.fig.sd"),
    "skewness": N_("report.items.fig.skewness"),
    "kurtosis": N_("report.items.fig.kurtosis"),
    "cic": N_("report.items.fig.cic"),
    "error_ratio": N_("report.items.fig.error_ratio"),
    "standard_error": N_("report.items.fig.standard_error"),
}
PAPER_DEFINITIONS = {
    "attempts_used": N_("report.items.def.attempts_used"),
    "left_out": N_("report.items.def.left_out"),
    "median": N_("report.items.def.median"),
    "sd": N_("report.items.def.sd"),
    "skewness": N_("report.items.def.skewness"),
    "kurtosis": N_("report.items.def.kurtosis"),
    "cic": N_("report.items.def.cic"),
    "error_ratio": N_("report.items.def.error_ratio"),
    "standard_error": N_("report.items.def.standard_error"),
}
CONDITIONS = {
    "s1": N_("report.items.cond.s1"),
    "s2": N_("report.items.cond.s2"),
    "s3": N_("report.items.cond.s3"),
    "s4": N_("report.items.cond.s4"),
    "cic": N_("report.items.cond.cic"),
}
METHODS = {
    "first": N_("report.items.method.first"),
    "highest": N_("report.items.method.highest"),
    "last": N_("report.items.method.last"),
    "all": N_("report.items.method.all"),
}
HEADINGS = {
    "figure": N_("report.items.col.figure"),
    "name": N_("report.items.col.name"),
    "value": N_("report.items.col.value"),
    "condition": N_("report.items.col.condition"),
    "item_sd": N_("report.items.col.item_sd"),
    "intended_weight": N_("report.items.col.intended_weight"),
    "effective_weight": N_("report.items.col.effective_weight"),
    "option": N_("report.items.col.option"),
    "text": N_("report.items.col.text"),
    "key": N_("report.items.col.key"),
    "count": N_("report.items.col.count"),
    "share": N_("report.items.col.share"),
    "top": N_("report.items.col.top"),
    "flag": N_("report.items.col.flag"),
    "reasons": N_("report.items.col.reasons"),
}
REASONS = {
    "negative": N_("report.items.reason.negative"),
    "easy": N_("report.items.reason.easy"),
    "hard": N_("report.items.reason.hard"),
    "unused": N_("report.items.reason.unused"),
    "distractor": N_("report.items.reason.distractor"),
}
FLAG_WORDS = {
    "negative": N_("report.items.flag.negative"),
    "easy": N_("report.items.flag.easy"),
    "hard": N_("report.items.flag.hard"),
    "unused": N_("report.items.flag.unused"),
    "distractor": N_("report.items.flag.distractor"),
}


def _heading(key: str) -> str:
    return t(HEADINGS[key]) if key in HEADINGS else t(f"report.items.col.{key}")


def _short(text: str, width: int) -> str:
    from studyhub.render import shorten

    return shorten(text, width)


def _option_label(row: ResponseRow) -> str:
    if row.option == "true":
        return t("quiz.true")
    if row.option == "false":
        return t("quiz.false")
    if row.option == "blank":
        return t("report.items.blank", n=row.blank)
    if row.option == "none":
        return t("report.items.no_answer")
    return row.option


def _reason(reason: str, values: dict[str, Any]) -> str:
    shown = dict(values)
    for name in ("option", "key"):
        if name in shown:
            shown[name] = {"true": t("quiz.true"), "false": t("quiz.false")}.get(
                str(shown[name]), shown[name]
            )
    return t(REASONS[reason], **shown)


def paper_table(exam: Any, paper: PaperStats) -> ReportTable:
    """The paper's statistics, one line per figure."""
    method = t(METHODS[paper.method])
    if paper.default_method:
        method = t("report.items.method.default", method=method)
    values = {
        "attempts": paper.attempts,
        "left_out": paper.left_out,
        "questions": paper.questions,
        "max_score": paper.max_score,
        "mean": paper.mean,
        "median": paper.median,
        "sd": paper.sd,
        "skewness": paper.skewness,
        "kurtosis": paper.kurtosis,
        "cic": paper.cic,
        "error_ratio": paper.error_ratio,
        "standard_error": paper.standard_error,
    }
    notes = []
    if paper.left_out:
        notes.append(t("report.items.left_out", count=paper.left_out))
    if paper.attempts and not paper.fixed_paper:
        notes.append(t("report.items.not_fixed"))
    return ReportTable(
        title=t("report.items.paper_for", key=exam.key, title=exam.title, method=method),
        columns=[(key, _heading(key)) for key in ("figure", "name", "value", "condition")],
        rows=[
            {
                "figure": key,
                "name": t(FIGURE_NAMES[key]),
                "value": values[key],
                "condition": t(CONDITIONS[cond]) if cond else None,
            }
            for key, _, cond in PAPER_FIGURES
        ],
        definitions={t(FIGURE_NAMES[key]): t(text) for key, text in PAPER_DEFINITIONS.items()},
        notes=notes,
        kinds={"value": "number"},
        wide=frozenset({"figure"}),
    )


def questions_table(exam: Any, items: list[ItemStats]) -> ReportTable:
    """One row per question version shown, with Moodle's figures."""
    zh = get_language() == "zh"
    keys = (
        "question",
        "version",
        "type",
        "stem",
        "points",
        "attempts",
        "facility",
        "item_sd",
        "intended_weight",
        "effective_weight",
        "discrimination",
        "efficiency",
        "review",
    )
    return ReportTable(
        title=t("report.items.questions", key=exam.key, title=exam.title),
        columns=[(key, _heading(key)) for key in keys],
        rows=[
            {
                "question": i.question,
                "version": i.version,
                "type": TYPE_NAMES.get(i.qtype, i.qtype) if zh else i.qtype,
                "stem": _short(i.stem, STEM_WIDTH),
                "points": i.points,
                "attempts": i.attempts,
                "facility": i.facility,
                "item_sd": i.sd,
                "intended_weight": i.intended_weight,
                "effective_weight": i.effective_weight,
                "discrimination": i.discrimination,
                "efficiency": i.efficiency,
                "review": "；".join(t(FLAG_WORDS[flag]) for flag in i.flags) or None,
            }
            for i in items
        ],
        definitions={
            "attempts": t("report.items.def.item_attempts"),
            "facility": t("report.items.def.facility"),
            "item_sd": t("report.items.def.item_sd"),
            "intended_weight": t("report.items.def.intended_weight"),
            "effective_weight": t("report.items.def.effective_weight"),
            "discrimination": t("report.items.def.discrimination"),
            "efficiency": t("report.items.def.efficiency"),
            "review": t("report.items.def.review_reasons", high=FACILITY_HIGH, low=FACILITY_LOW),
        },
        kinds={
            "version": "count",
            "points": "points",
            "attempts": "count",
            "facility": "score",
            "item_sd": "score",
            "intended_weight": "score",
            "effective_weight": "score",
            "discrimination": "score",
            "efficiency": "score",
        },
        wide=frozenset({"version", "item_sd", "intended_weight", "effective_weight"}),
    )


def responses_table(exam: Any, items: list[ItemStats]) -> ReportTable:
    """One row per option of each choice and 判断 question (and per common wrong answer to a
    blank, and for no answer): how many chose it, of all and of the top third."""
    keys = ("question", "version", "option", "text", "key", "count", "share", "top", "flag")
    rows = []
    for i in items:
        for row in i.responses:
            rows.append(
                {
                    "question": i.question,
                    "version": i.version,
                    "option": _option_label(row),
                    "text": _short(row.text, TEXT_WIDTH) if row.text else None,
                    "key": row.key if row.option not in ("blank", "none") else None,
                    "count": row.count,
                    "share": row.share,
                    "top": row.top,
                    "flag": "；".join(t(FLAG_WORDS[f]) for f in row.flags) or None,
                }
            )
    return ReportTable(
        title=t("report.items.responses", key=exam.key, title=exam.title),
        columns=[(key, _heading(key)) for key in keys],
        rows=rows,
        definitions={
            "share": t("report.items.def.share"),
            "top": t("report.items.def.top"),
            "text": t("report.items.def.text"),
        },
        kinds={"version": "count", "count": "count", "share": "rate", "top": "count"},
        wide=frozenset({"version"}),
    )


def review_table(exam: Any, items: list[ItemStats]) -> ReportTable:
    """The questions to review, each with every reason it is listed for."""
    keys = ("question", "version", "stem", "reasons")
    return ReportTable(
        title=t("report.items.review", key=exam.key, title=exam.title),
        columns=[(key, _heading(key)) for key in keys],
        rows=[
            {
                "question": i.question,
                "version": i.version,
                "stem": _short(i.stem, STEM_WIDTH),
                "reasons": "；".join(_reason(reason, values) for reason, values in i.reasons),
            }
            for i in items
            if i.reasons
        ],
        kinds={"version": "count"},
    )


def item_tables(exam: Any, paper: PaperStats, items: list[ItemStats]) -> list[ReportTable]:
    """The four tables of ``report items``."""
    return [
        paper_table(exam, paper),
        questions_table(exam, items),
        responses_table(exam, items),
        review_table(exam, items),
    ]
