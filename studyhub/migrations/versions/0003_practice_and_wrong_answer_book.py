"""practice and wrong-answer book

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 03:19:07.680033
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import studyhub.models.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "book_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.Column("due", studyhub.models.base.UTCDateTime(), nullable=False),
        sa.Column("wrong_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("right_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_wrong_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("last_review_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "wrong_count >= 0 AND right_count >= 0", name=op.f("ck_book_entries_counts")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_book_entries_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_book_entries_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_book_entries")),
        sa.UniqueConstraint(
            "staff_id", "question_id", name=op.f("uq_book_entries_staff_id_question_id")
        ),
    )
    with op.batch_alter_table("book_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_book_entries_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index("ix_book_entries_staff_due", ["staff_id", "due"], unique=False)

    op.create_table(
        "practice_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("answered_at", studyhub.models.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "source IN ('practice', 'book')", name=op.f("ck_practice_answers_source")
        ),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_versions.id"],
            name=op.f("fk_practice_answers_question_version_id_question_versions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_practice_answers_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_answers")),
    )
    with op.batch_alter_table("practice_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_answers_question_version_id"),
            ["question_version_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_practice_answers_staff_at", ["staff_id", "answered_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("practice_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_answers_staff_at")
        batch_op.drop_index(batch_op.f("ix_practice_answers_question_version_id"))

    op.drop_table("practice_answers")
    with op.batch_alter_table("book_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_book_entries_staff_due")
        batch_op.drop_index(batch_op.f("ix_book_entries_question_id"))

    op.drop_table("book_entries")
