"""Sign-in: PINs hashed with scrypt, lockout kept in the database, signed session tokens.

A PIN is 6+ digits, or a password of 8+ characters. It is stored as
``scrypt$N$r$p$salt$hash`` (per-user random salt; the parameters travel with the hash so they
can be raised later) and compared in constant time. After ``MAX_FAILURES`` failures in a row
the account is locked for ``LOCK_MINUTES``; the count and the lock live in the staff table,
so every terminal sees them. A session token names a server-side session, the database it
was issued for, and an HMAC over both with a key kept in that database; logout and a PIN
change revoke it. No PIN or hash is ever printed, logged or exported.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyhub.errors import InputError, NotFoundError, PermissionDenied, StudyhubError
from studyhub.i18n import N_, msg
from studyhub.labels import Word

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.models import Staff

__all__ = [
    "ROLES",
    "AuthError",
    "SignedIn",
    "authenticate",
    "change_pin",
    "check_pin_policy",
    "hash_pin",
    "init_admin",
    "issue_token",
    "logout",
    "require_role",
    "set_pin",
    "verify_pin",
    "verify_token",
]

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_DKLEN = 32
MAX_FAILURES = 5
LOCK_MINUTES = 15
SESSION_HOURS = 8

#: what each role may do: an admin everything, a reporter reports (read-only) and their own
#: quizzes, an employee their own quizzes, practice and results
ROLES = {"employee": 1, "reporter": 2, "admin": 3}


class AuthError(PermissionDenied):
    """Sign-in refused (wrong PIN, locked account, bad or expired token)."""


@dataclass(frozen=True)
class SignedIn:
    staff_id: int
    staff_no: str
    name: str
    role: str
    must_change_pin: bool = False

    def may(self, role: str) -> bool:
        return ROLES[self.role] >= ROLES[role]


def check_pin_policy(pin: str) -> None:
    """A PIN of 6+ digits, or a password of 8+ characters."""
    if pin != pin.strip() or not pin:
        raise InputError(msg("a PIN may not start or end with spaces"))
    if pin.isdigit():
        if len(pin) < 6:
            raise InputError(msg("a PIN has at least 6 digits"))
        return
    if len(pin) < 8:
        raise InputError(msg("a password has at least 8 characters (or use a PIN of 6+ digits)"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=SCRYPT_DKLEN)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_pin(stored: str | None, pin: str) -> bool:
    """Constant-time comparison against a stored hash (False for no hash or a bad one)."""
    if not stored:
        # spend the same time as a real check, so a missing PIN does not show
        hashlib.scrypt(pin.encode("utf-8"), salt=b"0" * 16, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                       dklen=SCRYPT_DKLEN)  # fmt: skip
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(pin.encode("utf-8"), salt=base64.b64decode(salt), n=int(n),
                                r=int(r), p=int(p), dklen=len(expected))  # fmt: skip
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _staff(session: Session, staff_no: str) -> Staff:
    import sqlalchemy as sa

    from studyhub.models import Staff
    from studyhub.values import normalise_code

    person = session.scalar(sa.select(Staff).where(Staff.staff_no == normalise_code(staff_no)))
    if person is None:
        raise NotFoundError(msg("no staff member {staff_no}", staff_no=staff_no))
    return person


def _now(session: Session) -> dt.datetime:
    from studyhub.db import db_now

    return db_now(session)


def _signed_in(person: Staff) -> SignedIn:
    return SignedIn(person.id, person.staff_no, person.name, person.role, person.pin_must_change)


WRONG = N_("wrong staff number or PIN")


def authenticate(database: Database, staff_no: str, pin: str) -> SignedIn:
    """Check a PIN; AuthError when it is refused.

    At most ``MAX_FAILURES`` wrong PINs are ever evaluated per lock window, however many
    terminals try at once: each evaluation first takes a slot with one atomic, conditional
    ``UPDATE ... SET failed_logins = failed_logins + 1 WHERE failed_logins < MAX`` (committed
    before the slow scrypt check, which runs outside any transaction), and the slot that
    reaches MAX sets the 15-minute lock in the same statement, so a check cut off by Ctrl-C
    or a lost connection can never leave the account locked for good; a correct PIN clears
    count and lock. An account's state (unknown, no PIN yet, locked, no longer in post)
    shows only after a correct PIN: every other refusal is the same "wrong staff number or
    PIN", after the same scrypt work and two units of work on every path.
    """
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Staff
    from studyhub.timeutil import local_date
    from studyhub.values import normalise_code

    staff_no = normalise_code(staff_no)
    with database.session() as session:
        now = _now(session)
        person = session.scalar(sa.select(Staff).where(Staff.staff_no == staff_no))
        slot: int | None = None
        if person is not None and person.pin_hash is not None:
            last = Staff.failed_logins + 1 >= MAX_FAILURES
            taken = session.execute(
                sa.update(Staff)
                .where(
                    Staff.id == person.id,
                    Staff.failed_logins < MAX_FAILURES,
                    sa.or_(Staff.locked_until.is_(None), Staff.locked_until <= now),
                )
                .values(
                    failed_logins=sa.case((last, 0), else_=Staff.failed_logins + 1),
                    locked_until=sa.case(
                        (last, now + dt.timedelta(minutes=LOCK_MINUTES)), else_=None
                    ),
                )
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken:  # the row is ours until commit: read what the slot made of it
                count, locked = session.execute(
                    sa.select(Staff.failed_logins, Staff.locked_until).where(Staff.id == person.id)
                ).one()
                slot = MAX_FAILURES if locked is not None else count
        identity = (person.id, person.pin_hash, person.in_post_to) if slot else None
        refusal = None if slot else _refusal(person, now)
        known_id = person.id if person is not None else None
    correct = verify_pin(identity[1] if identity else None, pin)  # the same work either way
    with database.session() as session:
        now = _now(session)
        if identity is None:
            # unknown, no PIN yet, locked or out of slots: nothing was evaluated; what was
            # typed as a staff number is not kept (it may be a PIN in the wrong field)
            record_event(
                session, actor=staff_no if known_id else "(unknown)", actor_id=known_id,
                action="auth.fail", object_type="staff",
                object_key=staff_no if known_id else "(unknown)", details={"reason": refusal},
            )  # fmt: skip
            failure = AuthError(msg(WRONG))
        else:
            staff_id, _, in_post_to = identity
            person = session.get(Staff, staff_id)
            assert person is not None and slot is not None
            if correct:
                person.failed_logins = 0
                person.locked_until = None
                if in_post_to is None or in_post_to >= local_date(now):
                    return _signed_in(person)
                record_event(session, actor=staff_no, actor_id=staff_id, action="auth.fail",
                             object_type="staff", object_key=staff_no,
                             details={"reason": "no longer in post"})  # fmt: skip
                failure = AuthError(msg("{staff_no} is no longer in post", staff_no=staff_no))
            else:
                details: dict[str, object] = {"failures": slot}
                action = "auth.fail"
                if slot >= MAX_FAILURES:
                    action = "auth.lock"
                    details["locked_until"] = str(person.locked_until)
                record_event(session, actor=staff_no, actor_id=staff_id, action=action,
                             object_type="staff", object_key=staff_no,
                             details=details)  # fmt: skip
                failure = AuthError(msg(WRONG))
    raise failure


def _refusal(person: Staff | None, now: dt.datetime) -> str:
    """Why a sign-in was refused before any PIN was evaluated (for the audit trail only)."""
    if person is None:
        return "unknown staff number"
    if person.pin_hash is None:
        return "no PIN yet"
    if person.locked_until is not None and person.locked_until > now:
        return "locked"
    return "too many sign-ins at once"


def _local(moment: dt.datetime) -> str:
    from studyhub.timeutil import to_local

    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def _revoke_all(session: Session, staff_id: int, now: dt.datetime) -> None:
    import sqlalchemy as sa

    from studyhub.models import AuthSession

    session.execute(
        sa.update(AuthSession)
        .where(AuthSession.staff_id == staff_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def set_pin(database: Database, staff_no: str, pin: str, *, actor: str = "system",
            must_change: bool = True) -> None:  # fmt: skip
    """An admin sets a person's PIN; they must change it at their next sign-in."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.models import Staff

    check_pin_policy(pin)
    with database.session() as session:
        person = _staff(session, staff_no)
        anyone = session.scalar(sa.select(Staff.id).where(Staff.pin_hash.is_not(None)).limit(1))
        if anyone is None and (person.role != "admin" or person.in_post_to is not None):
            raise PermissionDenied(
                msg(
                    "the first PIN goes to an admin in post (with no last day), so that "
                    "someone can always sign in as admin"
                ),
                hint=msg("studyhub init --admin NO"),
            )
        now = _now(session)
        person.pin_hash = hash_pin(pin)
        person.pin_must_change = must_change
        person.pin_changed_at = now
        person.failed_logins = 0
        person.locked_until = None
        _revoke_all(session, person.id, now)
        record_event(session, actor=actor, action="staff.set_pin", object_type="staff",
                     object_key=staff_no)  # fmt: skip


def change_pin(database: Database, staff_no: str, old: str, new: str) -> None:
    """A person changes their own PIN (the old one is checked first)."""
    from studyhub.admin.audit import record_event

    check_pin_policy(new)
    authenticate(database, staff_no, old)
    if old == new:
        raise InputError(msg("the new PIN is the same as the old one"))
    with database.session() as session:
        person = _staff(session, staff_no)
        now = _now(session)
        person.pin_hash = hash_pin(new)
        person.pin_must_change = False
        person.pin_changed_at = now
        _revoke_all(session, person.id, now)
        record_event(session, actor=staff_no, actor_id=person.id, action="auth.change_pin",
                     object_type="staff", object_key=staff_no)  # fmt: skip


def init_admin(
    database: Database,
    staff_no: str,
    pin: str,
    *,
    name: str = "管理员",
    department: str | None = None,
) -> None:
    """Create the first admin, on a database with no staff yet (the demo person aside, who
    is retired), posted in ``department`` from today when given, else in the department the
    first roster import lists them in."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.admin.firstrun import DEMO_STAFF_NO, retire_demo
    from studyhub.models import Staff

    check_pin_policy(pin)
    with database.session() as session:
        if database.dialect == "postgresql":  # two inits at once: one waits for the other
            session.execute(sa.text("SELECT pg_advisory_xact_lock(7385102)"))
        others = session.scalar(
            sa.select(sa.func.count()).select_from(Staff).where(Staff.staff_no != DEMO_STAFF_NO)
        )
        if others:
            raise PermissionDenied(
                msg(
                    "studyhub init works only on a database without staff; this one has staff "
                    "already"
                ),
                hint=msg(
                    "sign in as an admin (studyhub login); an admin sets PINs with "
                    "studyhub staff set-pin"
                ),
            )
        retire_demo(session, actor=staff_no)
        now = _now(session)
        person = Staff(staff_no=staff_no, name=name, role="admin", pin_hash=hash_pin(pin),
                       pin_must_change=False, pin_changed_at=now)  # fmt: skip
        session.add(person)
        session.flush()
        if department is not None:
            from studyhub.org.roster import find_department, move
            from studyhub.timeutil import local_date

            move(session, person, find_department(session, department).id, local_date(now))
        record_event(session, actor=staff_no, actor_id=person.id, action="auth.init",
                     object_type="staff", object_key=staff_no,
                     details={"department": department})  # fmt: skip


def _setting(session: Session, key: str, make: bool = True) -> str:
    from studyhub.models import AppSetting

    row = session.get(AppSetting, key)
    if row is None:
        if not make:
            raise AuthError(msg("this database has issued no sessions"))
        row = AppSetting(key=key, value=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return row.value


def _signature(secret: str, session_id: str, database_id: str) -> str:
    message = f"{session_id}.{database_id}".encode("ascii")
    return hmac.new(bytes.fromhex(secret), message, hashlib.sha256).hexdigest()


def issue_token(database: Database, signed_in: SignedIn, *, hours: int = SESSION_HOURS) -> str:
    """A session token for a person who has just signed in."""
    from studyhub.models import AuthSession

    with database.session() as session:
        database_id = _setting(session, "database_id")
        secret = _setting(session, "token_key")
        now = _now(session)
        session_id = secrets.token_hex(16)
        session.add(AuthSession(id=session_id, staff_id=signed_in.staff_id, issued_at=now,
                                expires_at=now + dt.timedelta(hours=hours),
                                role=signed_in.role))  # fmt: skip
    return f"{session_id}.{database_id}.{_signature(secret, session_id, database_id)}"


def verify_token(database: Database, token: str) -> SignedIn:
    """Who a token signs in; AuthError when it is forged, from another database, expired,
    revoked, or older than the person's last PIN change, or when the person has left, is
    locked or has another role than the session was issued for (checked on every command)."""
    from studyhub.models import AuthSession, Staff
    from studyhub.timeutil import local_date

    parts = token.strip().split(".")
    if len(parts) != 3:
        raise AuthError(msg("the saved sign-in is damaged; sign in again with studyhub login"))
    session_id, database_id, signature = parts
    with database.session(readonly=True) as session:
        try:
            own_id = _setting(session, "database_id", make=False)
            secret = _setting(session, "token_key", make=False)
        except AuthError:
            raise AuthError(
                msg("the saved sign-in is for another database; sign in again")
            ) from None
        if not hmac.compare_digest(database_id, own_id):
            raise AuthError(msg("the saved sign-in is for another database; sign in again"))
        if not hmac.compare_digest(signature, _signature(secret, session_id, database_id)):
            raise AuthError(msg("the saved sign-in is not valid; sign in again"))
        record = session.get(AuthSession, session_id)
        now = _now(session)
        if record is None or record.revoked_at is not None:
            raise AuthError(msg("you have signed out (or your PIN changed); sign in again"))
        if record.expires_at <= now:
            raise AuthError(msg("your sign-in has expired; sign in again"))
        person = session.get(Staff, record.staff_id)
        if person is None or (person.pin_changed_at and person.pin_changed_at > record.issued_at):
            raise AuthError(msg("your PIN changed since you signed in; sign in again"))
        if person.in_post_to is not None and person.in_post_to < local_date(now):
            raise AuthError(msg("{staff_no} is no longer in post", staff_no=person.staff_no))
        if person.locked_until is not None and person.locked_until > now:
            raise AuthError(msg("your account is locked after repeated wrong PINs; sign in later"))
        if record.role != person.role:
            raise AuthError(msg("your role changed since you signed in; sign in again"))
        return _signed_in(person)


def logout(database: Database, token: str) -> None:
    """Revoke the session a token names (signing out everywhere it was copied)."""
    from studyhub.models import AuthSession

    session_id = token.strip().split(".")[0]
    with database.session() as session:
        record = session.get(AuthSession, session_id)
        if record is not None and record.revoked_at is None:
            record.revoked_at = _now(session)


def require_role(signed_in: SignedIn, role: str, what: str) -> None:
    """Refuse with one line naming the role needed."""
    if not signed_in.may(role):
        raise PermissionDenied(
            msg(
                "{what} needs the {role} role; {staff_no} is {current}",
                what=what,
                role=Word(role),
                staff_no=signed_in.staff_no,
                current=Word(signed_in.role),
            )
        )


class PinChangeRequired(StudyhubError):
    """The person signed in with an initial PIN and must choose their own first."""
