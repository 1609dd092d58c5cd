"""versions of a law (law_versions; law_articles.version; laws.current_version) and the review
queue of the questions a new version puts in doubt (question_reviews)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-09 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import studyhub.models.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "law_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("law_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("dated", sa.Date(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=2), server_default="条", nullable=False),
        sa.Column("adopted", sa.Date(), nullable=True),
        sa.Column("effective", sa.Date(), nullable=True),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("preamble", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "imported_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_law_versions_version")),
        sa.CheckConstraint("article_count >= 0", name=op.f("ck_law_versions_article_count")),
        sa.CheckConstraint("unit IN ('条', '项', '部分')", name=op.f("ck_law_versions_unit")),
        sa.ForeignKeyConstraint(
            ["law_id"], ["laws.id"], name=op.f("fk_law_versions_law_id_laws"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_law_versions")),
        sa.UniqueConstraint("law_id", "version", name=op.f("uq_law_versions_law_id_version")),
    )
    # every stored law becomes its own version 1, dated by its adoption (or last amendment);
    # an empty hash: the next import of the same text finds no articles changed and sets it
    op.execute(
        "INSERT INTO law_versions (law_id, version, dated, title, unit, adopted, effective, "
        "article_count, preamble, content_hash, imported_at) "
        "SELECT id, 1, adopted, title, unit, adopted, effective, article_count, preamble, '', "
        "imported_at FROM laws"
    )
    # laws is referenced by law_articles: a plain ADD COLUMN, no rebuild
    with op.batch_alter_table("laws", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("current_version", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("law_articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.drop_constraint(batch_op.f("uq_law_articles_law_id_number_sub"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_law_articles_law_id_version_number_sub"),
            ["law_id", "version", "number", "sub"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_law_articles_law_id_law_versions"),
            "law_versions",
            ["law_id", "version"],
            ["law_id", "version"],
            ondelete="CASCADE",
        )
    op.create_table(
        "question_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("question_version", sa.Integer(), nullable=False),
        sa.Column("law_id", sa.Integer(), nullable=False),
        sa.Column("from_version", sa.Integer(), nullable=False),
        sa.Column("to_version", sa.Integer(), nullable=False),
        sa.Column("articles", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="open", nullable=False),
        sa.Column(
            "created_at",
            studyhub.models.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("resolved_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=100), server_default="", nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'ok', 'rewritten', 'retired')",
            name=op.f("ck_question_reviews_status"),
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_question_reviews_question_id_questions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["law_id"],
            ["laws.id"],
            name=op.f("fk_question_reviews_law_id_laws"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_reviews")),
        sa.UniqueConstraint(
            "question_id",
            "law_id",
            "to_version",
            name=op.f("uq_question_reviews_question_id_law_id_to_version"),
        ),
    )
    with op.batch_alter_table("question_reviews", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_reviews_question_status", ["question_id", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("question_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_question_reviews_question_status")
    op.drop_table("question_reviews")
    # only the current text of each law survives
    op.execute(
        "DELETE FROM law_articles WHERE version <> "
        "(SELECT current_version FROM laws WHERE laws.id = law_articles.law_id)"
    )
    with op.batch_alter_table("law_articles", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_law_articles_law_id_law_versions"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("uq_law_articles_law_id_version_number_sub"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_law_articles_law_id_number_sub"), ["law_id", "number", "sub"]
        )
        batch_op.drop_column("version")
    with op.batch_alter_table("laws", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("current_version")
    op.drop_table("law_versions")
