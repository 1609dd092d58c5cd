"""certificates (合格证书) with serials and verification codes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-09 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import studyhub.models.base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("percent", studyhub.models.base.Hundredths(), nullable=False),
        sa.Column("points", studyhub.models.base.Hundredths(), nullable=True),
        sa.Column("band", sa.String(length=32), nullable=True),
        sa.Column("passed_on", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=100), server_default="", nullable=False),
        sa.Column("issued_at", studyhub.models.base.UTCDateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.Column("superseded_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", studyhub.models.base.UTCDateTime(), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("sequence >= 1", name=op.f("ck_certificates_sequence")),
        sa.CheckConstraint("percent BETWEEN 0 AND 10000", name=op.f("ck_certificates_percent")),
        sa.CheckConstraint(
            "revoked_at IS NULL OR revoked_reason <> ''",
            name=op.f("ck_certificates_revoked_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["exam_id"],
            ["exams.id"],
            name=op.f("fk_certificates_exam_id_exams"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_certificates_staff_id_staff"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_certificates_code")),
        sa.UniqueConstraint("exam_id", "sequence", name=op.f("uq_certificates_exam_id_sequence")),
        sa.UniqueConstraint("serial", name=op.f("uq_certificates_serial")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_staff_id"), ["staff_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_staff_id"))
    op.drop_table("certificates")
