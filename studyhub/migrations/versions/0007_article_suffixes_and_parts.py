"""articles numbered 第X条之一 are articles of their own (law_articles.sub); texts cited by
part (unit 部分, such as 党的二十大报告 第七部分（二）)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 10:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("law_articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sub", sa.Integer(), server_default="0", nullable=False))
        batch_op.drop_constraint(batch_op.f("uq_law_articles_law_id_number"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_law_articles_law_id_number_sub"), ["law_id", "number", "sub"]
        )
        batch_op.create_check_constraint(batch_op.f("ck_law_articles_sub"), "sub >= 0")
    with op.batch_alter_table("laws", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_laws_unit"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_laws_unit"), "unit IN ('条', '项', '部分')")


def downgrade() -> None:
    op.execute("DELETE FROM law_articles WHERE sub > 0")
    op.execute("DELETE FROM laws WHERE unit = '部分'")
    with op.batch_alter_table("laws", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_laws_unit"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_laws_unit"), "unit IN ('条', '项')")
    with op.batch_alter_table("law_articles", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_law_articles_sub"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_law_articles_law_id_number_sub"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_law_articles_law_id_number"), ["law_id", "number"]
        )
        batch_op.drop_column("sub")
