"""The audit trail: written in the same transaction as the change, listed, append-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from studyhub.admin.audit import grant_statements, list_events
from studyhub.banks.importer import import_files
from studyhub.cli import cli
from studyhub.db import Database
from studyhub.errors import InputError, MultipleErrors
from studyhub.models import AuditEvent

GOOD = "bank: {key: b}\nquestions:\n  - {id: q1, type: judge, stem: 对吗？, answer: true}\n"


def count(database: Database) -> int:
    with database.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0


def test_a_failing_change_leaves_no_audit_row(database: Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("answer: true", "answer: maybe"), encoding="utf-8")
    with pytest.raises(MultipleErrors):
        import_files(database, [bad], actor="A1")
    assert count(database) == 0
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    import_files(database, [good], actor="A1")
    [event] = list_events(database)
    assert (event["actor"], event["action"], event["object"]) == ("A1", "bank.import", "bank:b")
    assert event["details"]["added"] == 1


def test_audit_list_filters(database: Database, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    import_files(database, [good], actor="A1")
    import_files(database, [good], actor="A2")
    assert [e["actor"] for e in list_events(database, actor="A2")] == ["A2"]
    assert len(list_events(database, action="bank.")) == 2
    assert list_events(database, action="exam.create") == []
    url = database.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--db", url, "audit", "list", "--format", "json",
                                      "--actor", "A1"])  # fmt: skip
    assert result.exit_code == 0
    [row] = json.loads(result.stdout)
    assert (row["actor"], row["action"]) == ("A1", "bank.import")


def test_grant_statements_keep_the_audit_table_append_only() -> None:
    statements = grant_statements("studyhub_app", "studyhub")
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM studyhub_app" in statements
    with pytest.raises(InputError):
        grant_statements("x; DROP TABLE staff", "studyhub")


def test_grant_applies_on_postgresql(database: Database) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    if database.dialect != "postgresql":
        result = CliRunner().invoke(
            cli, ["--db", url, "--lang", "en", "db", "grant", "studyhub_app_test"]
        )
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == (
            "Error: db grant is for PostgreSQL; a SQLite file is protected by its permissions"
        )
        return
    with database.engine.begin() as connection:
        connection.exec_driver_sql("DROP ROLE IF EXISTS studyhub_app_test")
        connection.exec_driver_sql("CREATE ROLE studyhub_app_test")
    result = CliRunner().invoke(cli, ["--db", url, "db", "grant", "studyhub_app_test", "--apply"])
    assert result.exit_code == 0, result.stderr
    with database.engine.connect() as connection:
        rights = {
            row[0]
            for row in connection.exec_driver_sql(
                "SELECT privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = 'studyhub_app_test' AND table_name = 'audit_events'"
            )
        }
    assert "INSERT" in rights and "SELECT" in rights
    assert not rights & {"UPDATE", "DELETE", "TRUNCATE"}
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            f'REVOKE ALL ON DATABASE "{database.engine.url.database}" FROM studyhub_app_test'
        )
        connection.exec_driver_sql(
            "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM studyhub_app_test"
        )
        connection.exec_driver_sql(
            "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM studyhub_app_test"
        )
        connection.exec_driver_sql("REVOKE ALL ON SCHEMA public FROM studyhub_app_test")
        connection.exec_driver_sql("DROP ROLE studyhub_app_test")
