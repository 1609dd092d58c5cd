from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from studyhub import migrate
from studyhub.db import open_database
from studyhub.migrations import HEAD
from studyhub.models import Base


def table_names(url: str) -> set[str]:
    database = open_database(url, upgrade=False)
    try:
        return set(sa.inspect(database.engine).get_table_names())
    finally:
        database.dispose()


def test_head_constant_matches_the_revision_tree() -> None:
    assert migrate.head_revision() == HEAD


def test_blank_to_head(blank_db_url: str) -> None:
    database = open_database(blank_db_url, upgrade=False)
    assert migrate.current_revision(database) is None
    migrate.upgrade(database)
    assert migrate.current_revision(database) == HEAD
    assert set(Base.metadata.tables) | {"alembic_version"} == table_names(blank_db_url)
    database.dispose()


def test_migrated_schema_matches_the_models(blank_db_url: str) -> None:
    database = open_database(blank_db_url)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    database.dispose()
    assert diff == []


def test_upgrade_downgrade_upgrade(blank_db_url: str) -> None:
    database = open_database(blank_db_url)  # upgrades by itself
    assert migrate.current_revision(database) == HEAD
    migrate.downgrade(database, "base")
    assert migrate.current_revision(database) is None
    assert table_names(blank_db_url) <= {"alembic_version"}
    migrate.upgrade(database)
    assert migrate.current_revision(database) == HEAD
    database.dispose()


def test_opening_upgrades_automatically(blank_db_url: str) -> None:
    database = open_database(blank_db_url)
    assert migrate.current_revision(database) == HEAD
    database.dispose()


def test_unknown_revision_is_refused(blank_db_url: str) -> None:
    import pytest

    from studyhub.errors import DatabaseError

    database = open_database(blank_db_url)
    with database.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'ffff'"))
    database.dispose()
    with pytest.raises(DatabaseError, match="schema revision ffff, which this version"):
        open_database(blank_db_url)
