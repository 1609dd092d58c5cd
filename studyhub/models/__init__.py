"""The typed ORM tables of studyhub (SQLAlchemy 2.x). The schema itself is created only
by the Alembic migrations in :mod:`studyhub.migrations`."""

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
from studyhub.models.kept import KeptScope, KeptScopePerson, RosterVersion
from studyhub.models.org import Department, Staff, StaffPosting
from studyhub.models.practice import BookEntry, PracticeAnswer
from studyhub.models.study import (
    ActivityLaw,
    ActivityTopic,
    Attendance,
    OutreachEvent,
    StudyActivity,
)

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
    "RosterVersion",
    "Staff",
    "StaffPosting",
    "StudyActivity",
    "Topic",
    "UTCDateTime",
]
