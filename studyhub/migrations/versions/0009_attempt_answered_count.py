"""submitted attempts record how many questions had an answer (an attempt with none does not
count when the person has another with answers)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN: attempts is referenced by attempt_items, and rebuilding it (a check
    # constraint would need that on SQLite) fails with foreign keys on once it holds rows
    with op.batch_alter_table("attempts", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("answered", sa.Integer(), nullable=True))
    # attempts submitted before: counted from their items, as submitting counts them now
    op.execute(
        "UPDATE attempts SET answered = (SELECT count(*) FROM attempt_items "
        "WHERE attempt_items.attempt_id = attempts.id AND attempt_items.answered_at IS NOT NULL) "
        "WHERE status = 'submitted' AND origin = 'local'"
    )


def downgrade() -> None:
    with op.batch_alter_table("attempts", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("answered")
