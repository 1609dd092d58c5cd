"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 02:43:02.989672
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import studyhub.models.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id", name=op.f("ck_departments_not_own_parent")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["departments.id"],
            name=op.f("fk_departments_parent_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
        sa.UniqueConstraint("code", name=op.f("uq_departments_code")),
    )
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_departments_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "exams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("opens_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("closes_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("time_limit_s", sa.Integer(), nullable=True),
        sa.Column("attempts_allowed", sa.Integer(), nullable=False),
        sa.Column("grading", sa.String(length=8), nullable=False),
        sa.Column("pass_mark", studyhub.models.base.Hundredths(), nullable=False),
        sa.Column("bands", sa.JSON(), nullable=False),
        sa.Column("choice_scoring", sa.String(length=16), nullable=False),
        sa.Column("shuffle_questions", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("shuffle_options", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("review", sa.String(length=8), nullable=False),
        sa.Column("review_after_close", sa.Boolean(), nullable=False),
        sa.Column("paper", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=8), server_default="open", nullable=False),
        sa.Column("closed_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("spec", sa.JSON(), nullable=True),
        sa.Column(
            "created_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "choice_scoring IN ('all_or_nothing', 'partial')", name=op.f("ck_exams_choice_scoring")
        ),
        sa.CheckConstraint(
            "grading IN ('highest', 'last', 'first', 'average')", name=op.f("ck_exams_grading")
        ),
        sa.CheckConstraint(
            "kind <> 'makeup' OR parent_id IS NOT NULL", name=op.f("ck_exams_makeup_parent")
        ),
        sa.CheckConstraint(
            "kind IN ('exam', 'practice', 'makeup', 'external')", name=op.f("ck_exams_kind")
        ),
        sa.CheckConstraint("review IN ('score', 'wrong', 'full')", name=op.f("ck_exams_review")),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_exams_status")),
        sa.CheckConstraint("attempts_allowed >= 1", name=op.f("ck_exams_attempts_allowed")),
        sa.CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at",
            name=op.f("ck_exams_window"),
        ),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id", name=op.f("ck_exams_not_own_parent")
        ),
        sa.CheckConstraint("pass_mark BETWEEN 0 AND 10000", name=op.f("ck_exams_pass_mark")),
        sa.CheckConstraint(
            "time_limit_s IS NULL OR time_limit_s > 0", name=op.f("ck_exams_time_limit")
        ),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_exams_year")),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["exams.id"], name=op.f("fk_exams_parent_id_exams"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exams")),
        sa.UniqueConstraint("key", name=op.f("uq_exams_key")),
    )
    with op.batch_alter_table("exams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exams_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exams_year"), ["year"], unique=False)

    op.create_table(
        "laws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=2), server_default="条", nullable=False),
        sa.Column("adopted", sa.Date(), nullable=True),
        sa.Column("effective", sa.Date(), nullable=True),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("preamble", sa.Text(), nullable=True),
        sa.Column(
            "imported_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("unit IN ('条', '项')", name=op.f("ck_laws_unit")),
        sa.CheckConstraint("article_count >= 0", name=op.f("ck_laws_article_count")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_laws")),
        sa.UniqueConstraint("short_name", name=op.f("uq_laws_short_name")),
        sa.UniqueConstraint("title", name=op.f("uq_laws_title")),
    )
    op.create_table(
        "outreach_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("place", sa.String(length=200), server_default="", nullable=False),
        sa.Column("materials", sa.Integer(), server_default="0", nullable=False),
        sa.Column("consultations", sa.Integer(), server_default="0", nullable=False),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("partners", sa.String(length=300), server_default="", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "created_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("consultations >= 0", name=op.f("ck_outreach_events_consultations")),
        sa.CheckConstraint("materials >= 0", name=op.f("ck_outreach_events_materials")),
        sa.CheckConstraint(
            "participants IS NULL OR participants >= 0",
            name=op.f("ck_outreach_events_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_events")),
    )
    with op.batch_alter_table("outreach_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outreach_events_held_on"), ["held_on"], unique=False)

    op.create_table(
        "study_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("hours", studyhub.models.base.Hundredths(), nullable=False),
        sa.Column("organiser", sa.String(length=100), server_default="", nullable=False),
        sa.Column("place", sa.String(length=200), server_default="", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "created_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('party_group', 'central_group', 'staff_meeting', 'seminar', 'lecture', 'online_course', 'self_study', 'other')",
            name=op.f("ck_study_activities_kind"),
        ),
        sa.CheckConstraint("hours >= 0", name=op.f("ck_study_activities_hours")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_activities")),
    )
    with op.batch_alter_table("study_activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_activities_held_on"), ["held_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_study_activities_kind"), ["kind"], unique=False)

    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint("key", name=op.f("uq_topics_key")),
    )
    op.create_table(
        "activity_laws",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("law_name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["study_activities.id"],
            name=op.f("fk_activity_laws_activity_id_study_activities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", "law_name", name=op.f("pk_activity_laws")),
    )
    with op.batch_alter_table("activity_laws", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_laws_law_name"), ["law_name"], unique=False)

    op.create_table(
        "activity_topics",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["study_activities.id"],
            name=op.f("fk_activity_topics_activity_id_study_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_activity_topics_topic_id_topics"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("activity_id", "topic_id", name=op.f("pk_activity_topics")),
    )
    with op.batch_alter_table("activity_topics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_topics_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "banks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.String(length=32), server_default="", nullable=False),
        sa.Column(
            "created_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name=op.f("fk_banks_topic_id_topics"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_banks")),
        sa.UniqueConstraint("key", name=op.f("uq_banks_key")),
    )
    with op.batch_alter_table("banks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_banks_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "exam_audience",
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_exam_audience_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["exam_id"],
            ["exams.id"],
            name=op.f("fk_exam_audience_exam_id_exams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("exam_id", "department_id", name=op.f("pk_exam_audience")),
    )
    with op.batch_alter_table("exam_audience", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exam_audience_department_id"), ["department_id"], unique=False
        )

    op.create_table(
        "law_articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("law_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_law_articles_number")),
        sa.ForeignKeyConstraint(
            ["law_id"], ["laws.id"], name=op.f("fk_law_articles_law_id_laws"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_law_articles")),
        sa.UniqueConstraint("law_id", "number", name=op.f("uq_law_articles_law_id_number")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_no", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), server_default="employee", nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("in_post_from", sa.Date(), nullable=True),
        sa.Column("in_post_to", sa.Date(), nullable=True),
        sa.Column("pin_hash", sa.String(length=255), nullable=True),
        sa.Column("pin_must_change", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("pin_changed_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column(
            "created_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("role IN ('employee', 'admin', 'reporter')", name=op.f("ck_staff_role")),
        sa.CheckConstraint("failed_logins >= 0", name=op.f("ck_staff_failed_logins")),
        sa.CheckConstraint(
            "in_post_to IS NULL OR in_post_from IS NULL OR in_post_to >= in_post_from",
            name=op.f("ck_staff_post_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_staff_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("staff_no", name=op.f("uq_staff_staff_no")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_department_id"), ["department_id"], unique=False)

    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("origin", sa.String(length=8), server_default="local", nullable=False),
        sa.Column("started_at", studyhub.models.base.UTCDateTime(), nullable=False),
        sa.Column("deadline", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("submitted_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("submit_reason", sa.String(length=8), nullable=True),
        sa.Column("score", studyhub.models.base.Hundredths(), nullable=True),
        sa.Column("max_score", studyhub.models.base.Hundredths(), nullable=True),
        sa.Column("percent", studyhub.models.base.Hundredths(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("origin IN ('local', 'imported')", name=op.f("ck_attempts_origin")),
        sa.CheckConstraint(
            "status <> 'submitted' OR submitted_at IS NOT NULL",
            name=op.f("ck_attempts_submitted_at"),
        ),
        sa.CheckConstraint(
            "status IN ('in_progress', 'submitted')", name=op.f("ck_attempts_status")
        ),
        sa.CheckConstraint(
            "submit_reason IS NULL OR submit_reason IN ('taker', 'expired', 'closed', 'imported')",
            name=op.f("ck_attempts_submit_reason"),
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_attempts_number")),
        sa.CheckConstraint(
            "percent IS NULL OR percent BETWEEN 0 AND 10000", name=op.f("ck_attempts_percent")
        ),
        sa.CheckConstraint(
            "score IS NULL OR max_score IS NULL OR score <= max_score",
            name=op.f("ck_attempts_score_max"),
        ),
        sa.CheckConstraint("score IS NULL OR score >= 0", name=op.f("ck_attempts_score")),
        sa.ForeignKeyConstraint(
            ["exam_id"], ["exams.id"], name=op.f("fk_attempts_exam_id_exams"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_attempts_staff_id_staff"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempts")),
        sa.UniqueConstraint(
            "exam_id", "staff_id", "number", name=op.f("uq_attempts_exam_id_staff_id_number")
        ),
    )
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index("ix_attempts_exam_status", ["exam_id", "status"], unique=False)
        batch_op.create_index("ix_attempts_staff_exam", ["staff_id", "exam_id"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("hours", studyhub.models.base.Hundredths(), nullable=True),
        sa.CheckConstraint("hours IS NULL OR hours >= 0", name=op.f("ck_attendance_hours")),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["study_activities.id"],
            name=op.f("fk_attendance_activity_id_study_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_attendance_staff_id_staff"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint(
            "activity_id", "staff_id", name=op.f("uq_attendance_activity_id_staff_id")
        ),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", studyhub.models.base.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_key", sa.String(length=128), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["staff.id"],
            name=op.f("fk_audit_events_actor_id_staff"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)

    op.create_table(
        "exemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(length=100), server_default="", nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("reason <> ''", name=op.f("ck_exemptions_reason")),
        sa.ForeignKeyConstraint(
            ["exam_id"], ["exams.id"], name=op.f("fk_exemptions_exam_id_exams"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_exemptions_staff_id_staff"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exemptions")),
        sa.UniqueConstraint("exam_id", "staff_id", name=op.f("uq_exemptions_exam_id_staff_id")),
    )
    with op.batch_alter_table("exemptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exemptions_exam_id"), ["exam_id"], unique=False)

    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), server_default="ready", nullable=False),
        sa.Column("current_version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('ready', 'hidden', 'draft')", name=op.f("ck_questions_status")
        ),
        sa.CheckConstraint("current_version >= 1", name=op.f("ck_questions_current_version")),
        sa.ForeignKeyConstraint(
            ["bank_id"], ["banks.id"], name=op.f("fk_questions_bank_id_banks"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_questions_topic_id_topics"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
        sa.UniqueConstraint(
            "bank_id", "external_id", name=op.f("uq_questions_bank_id_external_id")
        ),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index("ix_questions_topic_status", ["topic_id", "status"], unique=False)

    op.create_table(
        "staff_postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to > valid_from", name=op.f("ck_staff_postings_dates")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_staff_postings_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_postings_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_postings")),
    )
    with op.batch_alter_table("staff_postings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_postings_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            "ix_staff_postings_staff_from", ["staff_id", "valid_from"], unique=False
        )

    op.create_table(
        "question_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=8), nullable=False),
        sa.Column("stem", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.Text(), server_default="", nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column("difficulty", sa.Integer(), nullable=True),
        sa.Column("points", studyhub.models.base.Hundredths(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "type IN ('single', 'multiple', 'judge', 'fill')",
            name=op.f("ck_question_versions_type"),
        ),
        sa.CheckConstraint(
            "difficulty IS NULL OR difficulty BETWEEN 1 AND 5",
            name=op.f("ck_question_versions_difficulty"),
        ),
        sa.CheckConstraint(
            "points IS NULL OR points > 0", name=op.f("ck_question_versions_points")
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_question_versions_version")),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_question_versions_question_id_questions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_versions")),
        sa.UniqueConstraint(
            "question_id", "version", name=op.f("uq_question_versions_question_id_version")
        ),
    )
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_versions_type_difficulty", ["type", "difficulty"], unique=False
        )

    op.create_table(
        "attempt_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("points", studyhub.models.base.Hundredths(), nullable=False),
        sa.Column("option_order", sa.JSON(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("answered_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("awarded", studyhub.models.base.Hundredths(), nullable=True),
        sa.CheckConstraint(
            "awarded IS NULL OR (awarded >= 0 AND awarded <= points)",
            name=op.f("ck_attempt_items_awarded"),
        ),
        sa.CheckConstraint("points >= 0", name=op.f("ck_attempt_items_points")),
        sa.CheckConstraint("position >= 1", name=op.f("ck_attempt_items_position")),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_attempt_items_attempt_id_attempts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_versions.id"],
            name=op.f("fk_attempt_items_question_version_id_question_versions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt_items")),
        sa.UniqueConstraint(
            "attempt_id", "position", name=op.f("uq_attempt_items_attempt_id_position")
        ),
    )
    with op.batch_alter_table("attempt_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attempt_items_question_version_id"),
            ["question_version_id"],
            unique=False,
        )

    op.create_table(
        "question_tags",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["question_versions.id"],
            name=op.f("fk_question_tags_version_id_question_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "tag", name=op.f("pk_question_tags")),
    )
    with op.batch_alter_table("question_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_tags_tag"), ["tag"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("question_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_tags_tag"))

    op.drop_table("question_tags")
    with op.batch_alter_table("attempt_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attempt_items_question_version_id"))

    op.drop_table("attempt_items")
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_question_versions_type_difficulty")

    op.drop_table("question_versions")
    with op.batch_alter_table("staff_postings", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_postings_staff_from")
        batch_op.drop_index(batch_op.f("ix_staff_postings_department_id"))

    op.drop_table("staff_postings")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_topic_status")

    op.drop_table("questions")
    with op.batch_alter_table("exemptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exemptions_exam_id"))

    op.drop_table("exemptions")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_staff_id"))

    op.drop_table("attendance")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_staff_exam")
        batch_op.drop_index("ix_attempts_exam_status")

    op.drop_table("attempts")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_department_id"))

    op.drop_table("staff")
    op.drop_table("law_articles")
    with op.batch_alter_table("exam_audience", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_audience_department_id"))

    op.drop_table("exam_audience")
    with op.batch_alter_table("banks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_banks_topic_id"))

    op.drop_table("banks")
    with op.batch_alter_table("activity_topics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_topics_topic_id"))

    op.drop_table("activity_topics")
    with op.batch_alter_table("activity_laws", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_laws_law_name"))

    op.drop_table("activity_laws")
    op.drop_table("topics")
    with op.batch_alter_table("study_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_activities_kind"))
        batch_op.drop_index(batch_op.f("ix_study_activities_held_on"))

    op.drop_table("study_activities")
    with op.batch_alter_table("outreach_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outreach_events_held_on"))

    op.drop_table("outreach_events")
    op.drop_table("laws")
    with op.batch_alter_table("exams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exams_year"))
        batch_op.drop_index(batch_op.f("ix_exams_parent_id"))

    op.drop_table("exams")
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_departments_parent_id"))

    op.drop_table("departments")
