"""Sign-in: PIN hashing, lockout, session tokens, roles."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.admin import auth
from studyhub.db import Database, open_database
from studyhub.errors import InputError, PermissionDenied
from studyhub.models import AuditEvent, AuthSession, Staff


@pytest.fixture
def people(database: Database) -> Database:
    auth.init_admin(database, "A1", "246810")
    with database.session() as session:
        session.add(Staff(staff_no="E1", name="张三"))
    auth.set_pin(database, "E1", "135792", actor="A1")
    return database


def audit(database: Database, action: str) -> int:
    with database.session() as session:
        return (
            session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == action)
            )
            or 0
        )


def test_hash_format_and_parameters() -> None:
    stored = auth.hash_pin("135792")
    scheme, n, r, p, _salt, _digest = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**14, 8, 1)
    assert "135792" not in stored
    assert auth.hash_pin("135792") != stored  # per-user salt
    assert auth.verify_pin(stored, "135792") and not auth.verify_pin(stored, "135793")
    assert not auth.verify_pin(None, "135792") and not auth.verify_pin("garbage", "1")
    weaker = auth.hash_pin("135792", n=2**10)
    assert auth.verify_pin(weaker, "135792")  # parameters travel with the hash


@pytest.mark.parametrize("pin", ["12345", "abc", " 123456", "passw0r"])
def test_pin_policy(pin: str) -> None:
    with pytest.raises(InputError):
        auth.check_pin_policy(pin)


def test_sign_in_and_wrong_pin(people: Database) -> None:
    signed = auth.authenticate(people, "E1", "135792")
    assert (signed.staff_no, signed.role, signed.must_change_pin) == ("E1", "employee", True)
    with pytest.raises(auth.AuthError, match="wrong staff number or PIN"):
        auth.authenticate(people, "E1", "000000")
    with pytest.raises(auth.AuthError, match="wrong staff number or PIN"):
        auth.authenticate(people, "NOBODY", "000000")
    assert audit(people, "auth.fail") == 2


def test_lockout_and_its_expiry(people: Database) -> None:
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(auth.AuthError, match="wrong staff number or PIN"):
            auth.authenticate(people, "E1", "000000")
    with pytest.raises(auth.AuthError, match="too many wrong PINs: account E1 is locked until"):
        auth.authenticate(people, "E1", "000000")
    # locked: even the right PIN is refused, from any process (the lock is in the database)
    other = open_database(people.engine.url.render_as_string(hide_password=False))
    with pytest.raises(auth.AuthError, match="account E1 is locked until"):
        auth.authenticate(other, "E1", "135792")
    other.dispose()
    assert audit(people, "auth.lock") == 1
    with people.session() as session:
        person = session.scalar(sa.select(Staff).where(Staff.staff_no == "E1"))
        person.locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert auth.authenticate(people, "E1", "135792").staff_no == "E1"


def test_tokens(people: Database) -> None:
    signed = auth.authenticate(people, "A1", "246810")
    token = auth.issue_token(people, signed)
    assert auth.verify_token(people, token).staff_no == "A1"
    session_id, database_id, signature = token.split(".")
    with pytest.raises(auth.AuthError, match="not valid"):
        auth.verify_token(people, f"{session_id}.{database_id}.{'0' * len(signature)}")
    auth.logout(people, token)
    with pytest.raises(auth.AuthError, match="signed out"):
        auth.verify_token(people, token)


def test_token_expiry(people: Database) -> None:
    token = auth.issue_token(people, auth.authenticate(people, "A1", "246810"))
    with people.session() as session:
        session.execute(sa.update(AuthSession).values(
            expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))  # fmt: skip
    with pytest.raises(auth.AuthError, match="expired"):
        auth.verify_token(people, token)


def test_pin_change_revokes_sessions(people: Database) -> None:
    token = auth.issue_token(people, auth.authenticate(people, "E1", "135792"))
    auth.change_pin(people, "E1", "135792", "97531086")
    with pytest.raises(auth.AuthError, match=r"signed out|PIN changed"):
        auth.verify_token(people, token)
    assert not auth.authenticate(people, "E1", "97531086").must_change_pin


def test_token_from_another_database_is_refused(people: Database, tmp_path: Path) -> None:
    token = auth.issue_token(people, auth.authenticate(people, "A1", "246810"))
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    auth.init_admin(other, "A1", "246810")
    auth.issue_token(other, auth.authenticate(other, "A1", "246810"))
    with pytest.raises(auth.AuthError, match="another database"):
        auth.verify_token(other, token)
    other.dispose()


def test_init_only_on_an_empty_database(people: Database) -> None:
    with pytest.raises(PermissionDenied, match="only on an empty database"):
        auth.init_admin(people, "A2", "246810")


def test_roles() -> None:
    employee = auth.SignedIn(1, "E1", "张三", "employee")
    reporter = auth.SignedIn(2, "R1", "李四", "reporter")
    assert reporter.may("employee") and not reporter.may("admin")
    auth.require_role(reporter, "reporter", "report rates")
    with pytest.raises(PermissionDenied) as info:
        auth.require_role(employee, "admin", "bank import")
    assert info.value.reason == "bank import needs the admin role; E1 is employee"


def test_no_pin_in_clear_in_the_database(people: Database) -> None:
    """Dump every text value of every table: the PINs never appear."""
    with people.session() as session:
        tables = sa.inspect(people.engine).get_table_names()
        dump = []
        for table in tables:
            for row in session.execute(sa.text(f'SELECT * FROM "{table}"')):
                dump.extend(str(v) for v in row)
    text = "\n".join(dump)
    for pin in ("135792", "246810"):
        assert pin not in text
        assert hashlib.sha256(pin.encode()).hexdigest() not in text
