"""Keeping an admin: no roster change may leave the database without an admin who can sign
in (setup mode never comes back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from studyhub.errors import PermissionDenied
from studyhub.i18n import msg

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["active_admins", "keep_an_admin"]


def active_admins(session: Session, *, open_ended: bool = False) -> set[str]:
    """Staff numbers of the admins who can sign in: a PIN, and in post today (with
    ``open_ended``, with no last day in post at all)."""
    import sqlalchemy as sa

    from studyhub.db import db_now
    from studyhub.models import Staff
    from studyhub.timeutil import local_date

    today = local_date(db_now(session))
    session.flush()
    return set(
        session.scalars(
            sa.select(Staff.staff_no).where(
                Staff.role == "admin",
                Staff.pin_hash.is_not(None),
                Staff.in_post_to.is_(None)
                if open_ended
                else sa.or_(Staff.in_post_to.is_(None), Staff.in_post_to >= today),
            )
        )
    )


def keep_an_admin(session: Session, before: set[str]) -> None:
    """Refuse a change (inside its unit of work) that leaves no admin able to sign in when
    there was one: the last admin with no last day in post cannot be demoted or given one,
    so the database always keeps an admin."""
    if before and not active_admins(session, open_ended=True):
        names = "、".join(sorted(before))
        raise PermissionDenied(
            msg(
                "this would leave no admin who can sign in ({names} is the last one); "
                "nothing was changed",
                names=names,
            ),
            hint=msg("make someone else an admin (and give them a PIN) first"),
        )
