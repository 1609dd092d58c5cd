"""The closed vocabularies of the data model; check constraints are built from these."""

from __future__ import annotations

ROLES = ("employee", "admin", "reporter")
QUESTION_TYPES = ("single", "multiple", "judge", "fill")
QUESTION_STATUSES = ("ready", "hidden", "draft")
#: a question a law's new version put in doubt: open, then still right (ok), rewritten
#: (a new version imported) or retired
REVIEW_STATUSES = ("open", "ok", "rewritten", "retired")
EXAM_KINDS = ("exam", "practice", "makeup", "external")
GRADING_METHODS = ("highest", "last", "first", "average")
CHOICE_SCORING = ("all_or_nothing", "partial")
REVIEW_MODES = ("score", "wrong", "full")
EXAM_STATUSES = ("open", "closed")
ATTEMPT_STATUSES = ("in_progress", "submitted")
ATTEMPT_ORIGINS = ("local", "imported")
SUBMIT_REASONS = ("taker", "expired", "closed", "imported")

#: kinds of study activity, with the Chinese name used in reports
STUDY_KINDS = {
    "party_group": "党组会学习",
    "central_group": "理论学习中心组学习",
    "staff_meeting": "干部职工会集中学习",
    "seminar": "专题研讨",
    "lecture": "专题讲座",
    "online_course": "网络课程",
    "self_study": "自学",
    "other": "其他",
}


def sql_in(column: str, values: tuple[str, ...] | list[str]) -> str:
    """A CHECK expression ``column IN ('a', 'b')`` for a closed vocabulary."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"
