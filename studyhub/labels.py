"""The words shown for the closed vocabularies (roles, types, statuses, grading...): Chinese
by default, English under ``--lang en``; JSON keeps the machine keys. Inputs take the key or
any of its Chinese names (:func:`parse_value`)."""

from __future__ import annotations

from studyhub.i18n import Lazy, get_language

__all__ = ["LABELS", "VOCABULARY_COLUMNS", "Choices", "Word", "label", "parse_value", "synonyms"]

#: key -> (Chinese label, English label), for every vocabulary of studyhub.models.enums
LABELS: dict[str, tuple[str, str]] = {
    # roles
    "employee": ("职工", "employee"),
    "reporter": ("报告员", "reporter"),
    "admin": ("管理员", "admin"),
    # question types and statuses
    "single": ("单选", "single choice"),
    "multiple": ("多选", "multiple choice"),
    "judge": ("判断", "true/false"),
    "fill": ("填空", "fill in"),
    "ready": ("就绪", "ready"),
    "hidden": ("隐藏", "hidden"),
    "draft": ("草稿", "draft"),
    # exams
    "exam": ("考试", "exam"),
    "practice": ("练习", "practice"),
    "makeup": ("补考", "make-up"),
    "external": ("外部平台", "external"),
    "open": ("进行中", "open"),
    "closed": ("已关闭", "closed"),
    "highest": ("最高分", "highest"),
    "last": ("最后一次", "last"),
    "first": ("第一次", "first"),
    "average": ("平均分", "average"),
    "all_or_nothing": ("全对得分", "all or nothing"),
    "partial": ("按比例得分", "partial credit"),
    "score": ("仅分数", "score only"),
    "wrong": ("错题", "wrong answers"),
    "full": ("全部", "full"),
    # the one group of a report not grouped by department or topic
    "all": ("全部", "all"),
    # attempts
    "in_progress": ("作答中", "in progress"),
    "submitted": ("已交卷", "submitted"),
    "local": ("本系统", "here"),
    "imported": ("导入", "imported"),
    "taker": ("本人交卷", "by the taker"),
    "expired": ("超时交卷", "time ran out"),
}

#: the Chinese names an input may use for a key, beyond its label
SYNONYMS: dict[str, tuple[str, ...]] = {
    "employee": ("员工", "干部职工", "一般人员"),
    "reporter": ("统计员", "报表员", "报表"),
    "admin": ("系统管理员",),
    "single": ("单选题", "单项选择", "单项选择题"),
    "multiple": ("多选题", "多项选择", "多项选择题"),
    "judge": ("判断题", "是非题"),
    "fill": ("填空题",),
    "makeup": ("补考试",),
    "highest": ("最高",),
    "last": ("最后",),
    "first": ("首次",),
    "average": ("平均",),
    "partial": ("部分得分",),
}

#: the columns (by key) whose values are vocabulary keys
VOCABULARY_COLUMNS = frozenset(
    {"role", "type", "status", "kind", "grading", "scoring", "review", "group"}
)


def label(value: object, language: str | None = None) -> object:
    """The label of a vocabulary key in the UI language (or ``language``); anything else
    as it is."""
    if isinstance(value, str) and value in LABELS:
        chinese, english = LABELS[value]
        return english if (language or get_language()) == "en" else chinese
    return value


class Word(Lazy):
    """A vocabulary key shown as its label in the language of the moment it is shown (for
    a value inside a message: ``msg("... {role}", role=Word("admin"))``)."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def render(self, language: str | None = None) -> str:
        return str(label(self.key, language))


class Choices(Lazy):
    """The accepted values of an input, listed in the language shown: ``职工、管理员、报告员``
    or ``employee, admin, reporter`` (keys without a label are listed as they are)."""

    __slots__ = ("keys",)

    def __init__(self, keys: tuple[str, ...] | list[str]) -> None:
        self.keys = tuple(keys)

    def render(self, language: str | None = None) -> str:
        english = (language or get_language()) == "en"
        words = [str(label(key, language)) for key in self.keys]
        return (", " if english else "、").join(words)


def synonyms(key: str) -> tuple[str, ...]:
    """Every word an input may use for ``key``: the key, its labels and synonyms."""
    chinese, english = LABELS[key]
    return (key, chinese, english, *SYNONYMS.get(key, ()))


def parse_value(text: object, allowed: tuple[str, ...]) -> str | None:
    """The key among ``allowed`` that ``text`` names (key, label or synonym, any case and
    width), or None."""
    import unicodedata

    word = unicodedata.normalize("NFKC", str(text)).strip()
    folded = word.lower().replace("-", "_").replace(" ", "_")
    for key in allowed:
        if folded == key:
            return key
        names = synonyms(key) if key in LABELS else (key,)
        if word in names or folded in {n.lower().replace(" ", "_") for n in names}:
            return key
    return None
