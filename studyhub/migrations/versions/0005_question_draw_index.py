"""questions carry their current type and difficulty, indexed for drawing papers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 03:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("type", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("difficulty", sa.Integer(), nullable=True))
    for column in ("type", "difficulty"):
        op.execute(
            f"UPDATE questions SET {column} = (SELECT question_versions.{column} "
            "FROM question_versions WHERE question_versions.question_id = questions.id "
            "AND question_versions.version = questions.current_version)"
        )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_questions_draw", ["topic_id", "status", "type", "difficulty", "id"], unique=False
        )
        # the new index starts with (topic_id, status): the old one only misled the planner
        batch_op.drop_index("ix_questions_topic_status")


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index("ix_questions_topic_status", ["topic_id", "status"], unique=False)
        batch_op.drop_index("ix_questions_draw")
        batch_op.drop_column("difficulty")
        batch_op.drop_column("type")
