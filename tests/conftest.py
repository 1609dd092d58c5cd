"""Shared fixtures: an isolated app dir for every test, and a fresh database per test.

The database is SQLite by default. Set ``STUDYHUB_TEST_DB`` to a PostgreSQL server URL
(e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``) to run the same suite on
PostgreSQL: each test then gets its own database, created from a template that the
migrations built once per session.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from studyhub import i18n
from studyhub.db import Database, create_engine, open_database

if TYPE_CHECKING:
    from tests.quiz.pty import Terminals

PG_SERVER = os.environ.get("STUDYHUB_TEST_DB", "").strip()
BACKEND = "postgresql" if PG_SERVER else "sqlite"


def pytest_report_header(config: pytest.Config) -> str:
    from studyhub.config import mask_url

    return f"studyhub test database: {BACKEND}" + (f" ({mask_url(PG_SERVER)})" if PG_SERVER else "")


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own app dir; the user's real config is never read."""
    home = tmp_path / "studyhub-home"
    monkeypatch.setenv("STUDYHUB_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ("STUDYHUB_DB", "STUDYHUB_DEBUG", "STUDYHUB_LANG"):
        monkeypatch.delenv(name, raising=False)
    i18n.set_language(None)
    yield home
    i18n.set_language(None)


@pytest.fixture
def english(app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The English UI (STUDYHUB_LANG=en, also for subprocesses): for tests that compare the
    stable English wording of errors, as scripts do."""
    monkeypatch.setenv("STUDYHUB_LANG", "en")


class PgServer:
    """Creates and drops databases on the PostgreSQL server named by STUDYHUB_TEST_DB."""

    def __init__(self, url: str) -> None:
        self.url = create_engine(url).url
        self.admin = create_engine(url).execution_options(isolation_level="AUTOCOMMIT")

    def url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        suffix = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{suffix}')
        return self.url_for(name)

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    if not PG_SERVER:
        yield None
        return
    server = PgServer(PG_SERVER)
    yield server
    server.admin.dispose()


@pytest.fixture(scope="session")
def template_db(
    pg_server: PgServer | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database migrated to the newest schema once; each test gets a copy."""
    if pg_server is None:
        path = tmp_path_factory.mktemp("template") / "template.db"
        database = open_database(f"sqlite:///{path}")
        database.dispose()  # closing the last connection checkpoints the WAL into the file
        yield str(path)
        return
    name = f"studyhub_tpl_{os.getpid()}"
    pg_server.drop(name)
    url = pg_server.create(name)
    database = open_database(url)
    database.dispose()
    yield name
    pg_server.drop(name)


@pytest.fixture
def blank_db_url(pg_server: PgServer | None, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no schema): for migration tests."""
    if pg_server is None:
        yield f"sqlite:///{tmp_path / 'blank.db'}"
        return
    name = f"studyhub_t_{uuid.uuid4().hex[:12]}"
    url = pg_server.create(name)
    yield url
    pg_server.drop(name)


@pytest.fixture
def db_url(pg_server: PgServer | None, template_db: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh database with the newest schema, built by the migrations."""
    if pg_server is None:
        path = tmp_path / "test.db"
        shutil.copyfile(template_db, path)
        yield f"sqlite:///{path}"
        return
    name = f"studyhub_t_{uuid.uuid4().hex[:12]}"
    url = pg_server.create(name, template=template_db)
    yield url
    pg_server.drop(name)


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def terminal(db_url: str) -> Iterator[Terminals]:
    """Spawn ``studyhub --db URL ...`` in pseudo-terminals (tests/quiz/pty.py); all killed
    at the end."""
    pytest.importorskip("pexpect")
    from tests.quiz.pty import Terminals

    terminals = Terminals(db_url)
    yield terminals
    terminals.close()
