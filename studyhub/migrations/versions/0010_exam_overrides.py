"""per-person (or per-department) overrides of an exam's window, attempts and time limit

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 09:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import studyhub.models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exam_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("opens_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("closes_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("attempts_allowed", sa.Integer(), nullable=True),
        sa.Column("time_limit_s", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), server_default="", nullable=False),
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
            "(staff_id IS NULL) <> (department_id IS NULL)",
            name=op.f("ck_exam_overrides_one_person_or_department"),
        ),
        sa.CheckConstraint(
            "opens_at IS NOT NULL OR closes_at IS NOT NULL OR attempts_allowed IS NOT NULL "
            "OR time_limit_s IS NOT NULL",
            name=op.f("ck_exam_overrides_changes_something"),
        ),
        sa.CheckConstraint(
            "attempts_allowed IS NULL OR attempts_allowed BETWEEN 1 AND 100",
            name=op.f("ck_exam_overrides_attempts"),
        ),
        sa.CheckConstraint(
            "time_limit_s IS NULL OR time_limit_s > 0", name=op.f("ck_exam_overrides_time_limit")
        ),
        sa.CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at",
            name=op.f("ck_exam_overrides_window"),
        ),
        sa.CheckConstraint("reason <> ''", name=op.f("ck_exam_overrides_reason")),
        sa.ForeignKeyConstraint(
            ["exam_id"],
            ["exams.id"],
            name=op.f("fk_exam_overrides_exam_id_exams"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_exam_overrides_staff_id_staff"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_exam_overrides_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_overrides")),
        sa.UniqueConstraint("exam_id", "staff_id", name=op.f("uq_exam_overrides_exam_id_staff_id")),
        sa.UniqueConstraint(
            "exam_id", "department_id", name=op.f("uq_exam_overrides_exam_id_department_id")
        ),
    )
    with op.batch_alter_table("exam_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exam_overrides_exam_id"), ["exam_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exam_overrides_staff_id"), ["staff_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exam_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_overrides_staff_id"))
        batch_op.drop_index(batch_op.f("ix_exam_overrides_exam_id"))
    op.drop_table("exam_overrides")
