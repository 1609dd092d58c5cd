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
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.AuthError, match=r"^wrong staff number or PIN$"):
            auth.authenticate(people, "E1", "000000")
    assert audit(people, "auth.lock") == 1
    # locked: even the right PIN is refused, from any process (the lock is in the database),
    # with the same message as a wrong one (the lock shows only in the audit trail)
    other = open_database(people.engine.url.render_as_string(hide_password=False))
    with pytest.raises(auth.AuthError, match=r"^wrong staff number or PIN$"):
        auth.authenticate(other, "E1", "135792")
    other.dispose()
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
    with pytest.raises(PermissionDenied, match="only on a database without staff"):
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


def test_account_states_do_not_show_before_a_correct_pin(people: Database) -> None:
    """Unknown, no PIN yet, locked: the same message; no longer in post: only after a
    correct PIN."""
    with people.session() as session:
        session.add(Staff(staff_no="E2", name="李四"))
        person = session.scalar(sa.select(Staff).where(Staff.staff_no == "E1"))
        person.in_post_to = dt.date(2020, 1, 1)
    messages = set()
    for number, pin in (("NOBODY", "135792"), ("E2", "135792"), ("E1", "000000")):
        with pytest.raises(auth.AuthError) as info:
            auth.authenticate(people, number, pin)
        messages.add(info.value.reason)
    assert messages == {"wrong staff number or PIN"}
    with pytest.raises(auth.AuthError, match="E1 is no longer in post"):
        auth.authenticate(people, "E1", "135792")


def test_every_refusal_spends_the_same_scrypt_work(
    people: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = hashlib.scrypt

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs.get("n", 0))
        return real(*args, **kwargs)

    monkeypatch.setattr(auth.hashlib, "scrypt", counting)
    with people.session() as session:
        session.add(Staff(staff_no="E2", name="李四"))
    for number in ("NOBODY", "E2", "E1"):
        calls.clear()
        with pytest.raises(auth.AuthError):
            auth.authenticate(people, number, "000001")
        assert calls == [auth.SCRYPT_N], number


def _wrong_pin(url: str, staff_no: str, results: object) -> None:
    from studyhub.admin import auth as auth_module
    from studyhub.db import open_database as opener

    database = opener(url)
    try:
        auth_module.authenticate(database, staff_no, "000000")
    except auth_module.AuthError:
        pass
    finally:
        database.dispose()


def test_lockout_holds_under_parallel_attempts(people: Database) -> None:
    """20 processes try wrong PINs at once: at most MAX_FAILURES PINs are evaluated (each
    evaluation is an auth.fail or auth.lock with a failure count), then the account is
    locked."""
    import multiprocessing

    url = people.engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_wrong_pin, args=(url, "E1", None)) for _ in range(20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    with people.session() as session:
        events = session.execute(
            sa.select(AuditEvent.action, AuditEvent.details).where(
                AuditEvent.object_key == "E1", AuditEvent.action.in_(["auth.fail", "auth.lock"])
            )
        ).all()
        person = session.scalar(sa.select(Staff).where(Staff.staff_no == "E1"))
        assert person.locked_until is not None
    evaluated = [e for e in events if "failures" in (e.details or {})]
    assert 1 <= len(evaluated) <= auth.MAX_FAILURES
    assert [e.action for e in evaluated].count("auth.lock") == 1
    assert len(events) == 20


def test_sessions_end_when_the_person_leaves_is_demoted_or_locked(people: Database) -> None:
    for change, message in (
        ({"in_post_to": dt.date(2020, 1, 1)}, "no longer in post"),
        ({"role": "reporter"}, "your role changed"),
        ({"locked_until": dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)}, "locked"),
    ):
        with people.session() as session:
            person = session.scalar(sa.select(Staff).where(Staff.staff_no == "A1"))
            person.in_post_to, person.role, person.locked_until = None, "admin", None
        token = auth.issue_token(people, auth.authenticate(people, "A1", "246810"))
        assert auth.verify_token(people, token).staff_no == "A1"
        with people.session() as session:
            person = session.scalar(sa.select(Staff).where(Staff.staff_no == "A1"))
            for field, value in change.items():
                setattr(person, field, value)
        with pytest.raises(auth.AuthError, match=message):
            auth.verify_token(people, token)


def test_sign_ins_cut_off_mid_check_never_lock_for_good(
    people: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or a lost connection) during the scrypt check, five times: the fifth slot
    set a 15-minute lock itself, which expires like any other."""

    def interrupted(stored: object, pin: str) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(auth, "verify_pin", interrupted)
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(KeyboardInterrupt):
            auth.authenticate(people, "E1", "135792")
    monkeypatch.undo()
    with people.session() as session:
        person = session.scalar(sa.select(Staff).where(Staff.staff_no == "E1"))
        assert person.locked_until is not None and person.failed_logins == 0
        person.locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert auth.authenticate(people, "E1", "135792").staff_no == "E1"


def test_a_full_width_staff_number_signs_in(people: Database) -> None:
    assert auth.authenticate(people, "Ｅ１", "135792").staff_no == "E1"


def test_the_first_pin_goes_to_an_admin_in_post(database: Database) -> None:
    with database.session() as session:
        session.add(Staff(staff_no="X9", name="旧管理员", role="admin",
                          in_post_to=dt.date(2020, 1, 1)))  # fmt: skip
    with pytest.raises(PermissionDenied, match="admin in post"):
        auth.set_pin(database, "X9", "135792")
