"""per exam and close day, who is in scope and where, kept for a province's reports

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import studyhub.models.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    version = op.create_table(
        "roster_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_roster_version_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_version")),
    )
    op.bulk_insert(version, [{"id": 1, "version": 1}])
    op.create_table(
        "kept_scopes",
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("close_day", sa.Date(), nullable=False),
        sa.Column("roster_version", sa.Integer(), nullable=False),
        sa.Column(
            "built_at", studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["exam_id"], ["exams.id"], name=op.f("fk_kept_scopes_exam_id_exams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("exam_id", "close_day", name=op.f("pk_kept_scopes")),
    )  # fmt: skip
    op.create_table(
        "kept_scope_people",
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("close_day", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("candidate", sa.SmallInteger(), nullable=False),
        sa.Column("exempt", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("candidate IN (0, 1)", name=op.f("ck_kept_scope_people_candidate")),
        sa.CheckConstraint("exempt IN (0, 1)", name=op.f("ck_kept_scope_people_exempt")),
        # no foreign keys (studyhub.models.kept: checking them row by row was most of the
        # time of keeping a province's scope)
        sa.PrimaryKeyConstraint(
            "exam_id", "close_day", "staff_id", name=op.f("pk_kept_scope_people")
        ),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("kept_scope_people")
    op.drop_table("kept_scopes")
    op.drop_table("roster_version")
