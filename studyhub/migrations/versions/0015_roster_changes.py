"""who each raise of the roster version was about, so kept scopes are brought up to date

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 00:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import studyhub.models.base

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roster_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("exam_id", sa.Integer(), nullable=True),
        sa.Column(
            "logged_at", studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False,
        ),
        # no foreign keys: a removed person's or exam's changes still say whose rows to drop
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_changes")),
    )  # fmt: skip
    op.create_index(op.f("ix_roster_changes_version"), "roster_changes", ["version"])


def downgrade() -> None:
    op.drop_index(op.f("ix_roster_changes_version"), table_name="roster_changes")
    op.drop_table("roster_changes")
