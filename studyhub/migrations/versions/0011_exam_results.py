"""per exam and person, the result that counts, kept as attempts are submitted

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import studyhub.models.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exam_results",
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("pct", sa.Integer(), nullable=True),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=64), nullable=True),
        sa.Column("submitted_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.CheckConstraint("passed IN (0, 1)", name=op.f("ck_exam_results_passed")),
        sa.CheckConstraint("attempts >= 1", name=op.f("ck_exam_results_attempts")),
        sa.ForeignKeyConstraint(
            ["exam_id"], ["exams.id"], name=op.f("fk_exam_results_exam_id_exams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_exam_results_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("exam_id", "staff_id", name=op.f("pk_exam_results")),
    )  # fmt: skip
    op.create_index(op.f("ix_exam_results_staff_id"), "exam_results", ["staff_id"], unique=False)
    # the results of the attempts already submitted, by the rules of this revision
    # (studyhub.exams.counted; the tables it reads are as this revision leaves them)
    from sqlalchemy.orm import Session

    from studyhub.exams.counted import rebuild_results

    rebuild_results(Session(bind=op.get_bind()))


def downgrade() -> None:
    op.drop_index(op.f("ix_exam_results_staff_id"), table_name="exam_results")
    op.drop_table("exam_results")
