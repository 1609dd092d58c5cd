"""合格证书: issued to each person who passed an exam, checked by a short code.

Who passed, with which counted score, is read from the query behind the rates
(:func:`studyhub.reports.per_person.person_results`: the grading method, 补考 folded in), so
a certificate never says what the reports do not. Each certificate gets a serial (exam key,
year, sequence: ``fx-2026-2026-0007``) that is never reused (a unique constraint; revoked and
superseded certificates keep their rows), and a verification code derived with HMAC-SHA256
from the serial and a secret kept in the database's settings. Issuing again reprints the
same certificate while the result stands; a changed result gets a new certificate and the
old one is marked superseded. :func:`verify_certificate` says whose a code is and whether
the result still stands. Issuing and revoking are audited, in the same transaction.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError, NotFoundError
from studyhub.i18n import msg

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database
    from studyhub.models import Certificate

__all__ = [
    "CertificateView",
    "Verification",
    "issue_certificates",
    "own_certificates",
    "revoke_certificate",
    "verify_certificate",
]

#: the app_settings key of the secret verification codes are derived from
SECRET_KEY = "certificate_secret"
CODE_LENGTH = 10


@dataclass
class CertificateView:
    """A certificate as printed and as checked."""

    serial: str
    code: str
    exam: str
    exam_title: str
    year: int
    staff_no: str
    name: str
    department: str
    percent: Decimal
    points: Decimal | None
    band: str | None
    passed_on: dt.date
    issued_on: dt.date
    #: the issuing unit (the top department of the organisation)
    issuer: str = ""
    #: this run issued it (False: reprinted as issued before)
    new: bool = False


@dataclass
class Verification:
    """What a code says: the certificate, and ``status``: ``valid`` (the result stands),
    ``regraded`` (the counted score is now ``current``, still a pass; ``superseded_by`` names
    the newer certificate when one was issued), ``not_passed`` (the result no longer passes,
    or is gone), ``revoked`` (with ``reason``)."""

    certificate: CertificateView
    status: str
    current: Decimal | None = None
    superseded_by: str | None = None
    reason: str | None = None


def _secret(session: Session) -> bytes:
    from studyhub.models import AppSetting

    row = session.get(AppSetting, SECRET_KEY)
    if row is None:
        row = AppSetting(key=SECRET_KEY, value=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return bytes.fromhex(row.value)


def make_code(secret: bytes, serial: str) -> str:
    """The code of ``serial``: 10 letters and digits of its HMAC, as ``ABCDE-23456``."""
    digest = hmac.new(secret, serial.encode("utf-8"), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]
    return f"{text[:5]}-{text[5:]}"


def normalise_code(text: str) -> str:
    """A code as typed (lower case, spaces, full-width, without the dash) as stored."""
    import unicodedata

    folded = re.sub(r"[^A-Z0-9]", "", unicodedata.normalize("NFKC", text).upper())
    return f"{folded[:5]}-{folded[5:]}" if len(folded) == CODE_LENGTH else folded


def _issuer(session: Session) -> str:
    import sqlalchemy as sa

    from studyhub.models import Department

    roots = list(
        session.scalars(
            sa.select(Department.name)
            .where(Department.parent_id.is_(None))
            .order_by(Department.code)
        )
    )
    return roots[0] if len(roots) == 1 else ""


def _view(
    cert: Certificate, exam: Any, staff_no: str, issuer: str, new: bool = False
) -> CertificateView:
    from studyhub.timeutil import local_date

    return CertificateView(
        cert.serial, cert.code, exam.key, exam.title, exam.year, staff_no, cert.name,
        cert.department, cert.percent, cert.points, cert.band, cert.passed_on,
        local_date(cert.issued_at), issuer, new,
    )  # fmt: skip


def _passing(
    session: Session, exam: Any, staff_ids: list[int] | None, department: str | None
) -> list[Any]:
    """(staff id, staff no, name, department name, counted pct in hundredths, the day
    passed) of everyone who passed ``exam`` (its 补考 included), in staff-number order."""
    import sqlalchemy as sa

    from studyhub.exams.definitions import department_subtree
    from studyhub.models import Attempt, Department
    from studyhub.reports.per_person import person_results
    from studyhub.reports.scope import exam_scope

    scope = exam_scope(session, exam)
    rows = person_results(scope).subquery("people")
    exam_ids = [exam.id, *(m[0] for m in scope.makeups)]
    pct = sa.type_coerce(Attempt.percent, sa.Integer)
    days = (
        sa.select(
            Attempt.staff_id,
            sa.func.min(sa.case((pct == rows.c.pct, Attempt.submitted_at))).label("matched"),
            sa.func.max(Attempt.submitted_at).label("latest"),
        )
        .join(rows, rows.c.staff_id == Attempt.staff_id)
        .where(Attempt.exam_id.in_(exam_ids), Attempt.status == "submitted", rows.c.passed == 1)
        .group_by(Attempt.staff_id)
        .subquery("days")
    )
    query = (
        sa.select(rows.c.staff_id, rows.c.staff_no, rows.c.name, rows.c.department_name,
                  rows.c.pct, days.c.matched, days.c.latest)
        .join(days, days.c.staff_id == rows.c.staff_id)
        .where(rows.c.passed == 1)
        .order_by(rows.c.staff_no)
    )  # fmt: skip
    if staff_ids is not None:
        query = query.where(rows.c.staff_id.in_(staff_ids))
    if department is not None:
        root = session.scalar(sa.select(Department.id).where(Department.code == department))
        if root is None:
            raise NotFoundError(msg("no department {department}", department=department))
        query = query.where(rows.c.department_id.in_(department_subtree(session, [root])))
    return list(session.execute(query).all())


def issue_certificates(
    database: Database,
    exam_key: str,
    *,
    staff: str | None = None,
    department: str | None = None,
    actor: str = "system",
) -> list[CertificateView]:
    """The certificates of everyone who passed ``exam_key`` (or the one person ``staff``, or
    the people of ``department`` and its sub-departments on the exam's close day): a new one
    for each person without one, the one issued before while the result stands, a new one
    (the old one superseded) when the counted score changed. One transaction, audited."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.db import db_now
    from studyhub.exams.definitions import exam_by_key, paper_total
    from studyhub.exams.grading import band_for
    from studyhub.models import Certificate
    from studyhub.org.lookups import staff_ids_by_number
    from studyhub.timeutil import local_date

    with database.session() as session:
        exam = exam_by_key(session, exam_key)
        staff_ids = None
        if staff is not None:
            from studyhub.values import normalise_code as code_of

            found = staff_ids_by_number(session, [code_of(staff)])
            if not found:
                raise NotFoundError(msg("unknown staff number {staff_no}", staff_no=staff))
            staff_ids = list(found.values())
        passing = _passing(session, exam, staff_ids, department)
        now = db_now(session)
        secret = _secret(session)
        issuer = _issuer(session)
        current = {
            c.staff_id: c
            for c in session.scalars(
                sa.select(Certificate).where(
                    Certificate.exam_id == exam.id, Certificate.superseded_at.is_(None),
                    Certificate.revoked_at.is_(None))
            )
        }  # fmt: skip
        sequence = session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(Certificate.sequence), 0)).where(
                Certificate.exam_id == exam.id
            )
        )
        bands = [(n, Decimal(m)) for n, m in exam.bands or []]
        full_marks = paper_total(exam.paper or {})[0]
        views: list[CertificateView] = []
        issued, superseded = [], []
        for row in passing:
            percent = (Decimal(int(row.pct)) / 100).quantize(Decimal("0.01"))
            old = current.get(row.staff_id)
            if old is not None and old.percent == percent:
                views.append(_view(old, exam, row.staff_no, issuer))
                continue
            if old is not None:
                old.superseded_at = now
                superseded.append(old.serial)
            sequence += 1
            serial = f"{exam.key}-{exam.year}-{sequence:04d}"
            cert = Certificate(
                exam_id=exam.id, staff_id=row.staff_id, sequence=sequence, serial=serial,
                code=make_code(secret, serial), percent=percent,
                points=(percent * full_marks / 100).quantize(Decimal("0.01"))
                if full_marks > 0 else None,
                band=band_for(percent, Decimal(100), bands),
                passed_on=local_date(row.matched or row.latest), name=row.name,
                department=row.department_name or "", issued_at=now, issued_by=actor,
            )  # fmt: skip
            session.add(cert)
            issued.append(serial)
            views.append(_view(cert, exam, row.staff_no, issuer, new=True))
        session.flush()
        record_event(
            session, actor=actor, action="exam.certificates", object_type="exam",
            object_key=exam.key, at=now,
            details={"issued": issued, "superseded": superseded,
                     "reprinted": len(views) - len(issued)},
        )  # fmt: skip
    return views


def _current_pct(session: Session, exam: Any, staff_id: int) -> tuple[bool, Decimal | None]:
    """(passed, counted percentage) of one person now, from the rates' own query."""
    import sqlalchemy as sa

    from studyhub.reports.per_person import person_results
    from studyhub.reports.scope import exam_scope

    rows = person_results(exam_scope(session, exam), names=False).subquery()
    row = session.execute(
        sa.select(rows.c.passed, rows.c.pct, rows.c.participated).where(rows.c.staff_id == staff_id)
    ).first()
    if row is None or row.pct is None or not row.participated:
        return False, None
    return bool(row.passed), (Decimal(int(row.pct)) / 100).quantize(Decimal("0.01"))


def verify_certificate(database: Database, code: str) -> Verification:
    """Whose certificate ``code`` is, and whether its result still stands."""
    import sqlalchemy as sa

    from studyhub.models import Certificate, Exam, Staff

    wanted = normalise_code(code)
    with database.session(readonly=True) as session:
        cert = session.scalar(sa.select(Certificate).where(Certificate.code == wanted))
        secret_ok = cert is not None and hmac.compare_digest(
            make_code(_stored_secret(session), cert.serial), cert.code
        )
        if cert is None or not secret_ok:
            raise NotFoundError(
                msg("no certificate has the code {code}", code=code.strip()),
                hint=msg("check the code as printed on the certificate (10 letters and digits)"),
            )
        exam = session.get(Exam, cert.exam_id)
        staff_no = session.scalar(sa.select(Staff.staff_no).where(Staff.id == cert.staff_id))
        view = _view(cert, exam, staff_no or "", _issuer(session))
        if cert.revoked_at is not None:
            return Verification(view, "revoked", reason=cert.revoked_reason)
        passed, now = _current_pct(session, exam, cert.staff_id)
        newer = None
        if cert.superseded_at is not None:
            newer = session.scalar(
                sa.select(Certificate.serial)
                .where(Certificate.exam_id == cert.exam_id, Certificate.staff_id == cert.staff_id,
                       Certificate.sequence > cert.sequence)
                .order_by(Certificate.sequence.desc())
                .limit(1)
            )  # fmt: skip
        if not passed:
            return Verification(view, "not_passed", now, newer)
        if now != cert.percent or newer is not None:
            return Verification(view, "regraded", now, newer)
        return Verification(view, "valid", now)


def _stored_secret(session: Session) -> bytes:
    from studyhub.models import AppSetting

    row = session.get(AppSetting, SECRET_KEY)
    return bytes.fromhex(row.value) if row is not None else b""


def revoke_certificate(database: Database, serial: str, reason: str, *, actor: str) -> str:
    """Revoke the certificate ``serial`` (or with that code) for ``reason``; audited. Its
    serial stays taken. Returns the serial."""
    import sqlalchemy as sa

    from studyhub.admin.audit import record_event
    from studyhub.db import db_now
    from studyhub.models import Certificate

    if not reason.strip():
        raise InputError(msg("give the reason with --reason"))
    with database.session() as session:
        cert = session.scalar(
            sa.select(Certificate).where(
                sa.or_(Certificate.serial == serial.strip(),
                       Certificate.code == normalise_code(serial))
            )
        )  # fmt: skip
        if cert is None:
            raise NotFoundError(msg("no certificate {serial}", serial=serial))
        if cert.revoked_at is not None:
            raise InputError(msg("certificate {serial} is already revoked", serial=cert.serial))
        now = db_now(session)
        cert.revoked_at = now
        cert.revoked_reason = reason.strip()
        record_event(session, actor=actor, action="exam.certificate_revoke", at=now,
                     object_type="certificate", object_key=cert.serial,
                     details={"reason": reason.strip()})  # fmt: skip
        return cert.serial


def own_certificates(database: Database, staff_no: str) -> list[Verification]:
    """A person's certificates (newest first), each with what its code says now."""
    import sqlalchemy as sa

    from studyhub.models import Certificate, Staff

    with database.session(readonly=True) as session:
        codes = list(
            session.scalars(
                sa.select(Certificate.code)
                .join(Staff, Staff.id == Certificate.staff_id)
                .where(Staff.staff_no == staff_no, Certificate.superseded_at.is_(None))
                .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
            )
        )
    return [verify_certificate(database, code) for code in codes]
