"""Alembic environment: run with the connection studyhub hands over (never from alembic.ini)."""

from __future__ import annotations

from alembic import context

from studyhub.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("studyhub migrations run online only (studyhub db upgrade)")
run_migrations_online()
