"""The typed ORM tables of studyhub (SQLAlchemy 2.x). The schema itself is created only
by the Alembic migrations in :mod:`studyhub.migrations`.

The table modules are imported when one of their classes is first asked for (PEP 562), so a
quiz maps only the tables it touches: mapping all 34 classes is a noticeable share of the
time from start to the first question. Asking for ``Base`` imports every table module, so
``Base.metadata`` is always complete.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyhub.models.audit import AuditEvent
    from studyhub.models.auth import AppSetting, AuthSession
    from studyhub.models.base import Base, Hundredths, UTCDateTime
    from studyhub.models.certificates import Certificate
    from studyhub.models.content import (
        Bank,
        Law,
        LawArticle,
        LawVersion,
        Question,
        QuestionReview,
        QuestionTag,
        QuestionVersion,
        Topic,
    )
    from studyhub.models.exams import (
        Attempt,
        AttemptItem,
        Exam,
        ExamAudience,
        ExamOverride,
        ExamResult,
        Exemption,
    )
    from studyhub.models.kept import KeptScope, KeptScopePerson, RosterChange, RosterVersion
    from studyhub.models.org import Department, Staff, StaffPosting
    from studyhub.models.practice import BookEntry, PracticeAnswer
    from studyhub.models.study import (
        ActivityLaw,
        ActivityTopic,
        Attendance,
        OutreachEvent,
        StudyActivity,
    )

#: each table module (under studyhub.models) and the public names it defines
_MODULES: dict[str, tuple[str, ...]] = {
    "audit": ("AuditEvent",),
    "auth": ("AppSetting", "AuthSession"),
    "base": ("Hundredths", "UTCDateTime"),
    "certificates": ("Certificate",),
    "content": ("Bank", "Law", "LawArticle", "LawVersion", "Question", "QuestionReview",
                "QuestionTag", "QuestionVersion", "Topic"),
    "exams": ("Attempt", "AttemptItem", "Exam", "ExamAudience", "ExamOverride", "ExamResult",
              "Exemption"),
    "kept": ("KeptScope", "KeptScopePerson", "RosterChange", "RosterVersion"),
    "org": ("Department", "Staff", "StaffPosting"),
    "practice": ("BookEntry", "PracticeAnswer"),
    "study": ("ActivityLaw", "ActivityTopic", "Attendance", "OutreachEvent", "StudyActivity"),
}  # fmt: skip
_HOMES = {name: home for home, names in _MODULES.items() for name in names}

__all__ = [
    "ActivityLaw",
    "ActivityTopic",
    "AppSetting",
    "Attempt",
    "AttemptItem",
    "Attendance",
    "AuditEvent",
    "AuthSession",
    "Bank",
    "Base",
    "BookEntry",
    "Certificate",
    "Department",
    "Exam",
    "ExamAudience",
    "ExamOverride",
    "ExamResult",
    "Exemption",
    "Hundredths",
    "KeptScope",
    "KeptScopePerson",
    "Law",
    "LawArticle",
    "LawVersion",
    "OutreachEvent",
    "PracticeAnswer",
    "Question",
    "QuestionReview",
    "QuestionTag",
    "QuestionVersion",
    "RosterChange",
    "RosterVersion",
    "Staff",
    "StaffPosting",
    "StudyActivity",
    "Topic",
    "UTCDateTime",
    "load_all",
]


def _module(home: str) -> Any:
    # __import__, not importlib.import_module: -X importtime (bench/quiz.py) sees only the
    # former
    name = f"studyhub.models.{home}"
    __import__(name)
    return sys.modules[name]


def load_all() -> None:
    """Import every table module, so that ``Base.metadata`` holds the whole schema."""
    for home in _MODULES:
        _module(home)


def __getattr__(name: str) -> Any:
    if name == "Base":
        load_all()
        home = "base"
    elif name in _HOMES:
        home = _HOMES[name]
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_module(home), name)
    globals()[name] = value
    return value
