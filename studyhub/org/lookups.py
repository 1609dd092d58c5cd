"""Staff looked up by number in batches, for imports of any size."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.models import Staff

__all__ = ["LOOKUP_BATCH", "staff_by_number", "staff_ids_by_number"]


#: staff numbers looked up per statement (SQLite allows at most 32,766 bound values)
LOOKUP_BATCH = 500


def staff_by_number(session: Session, numbers: Iterable[str]) -> dict[str, Staff]:
    """The staff with these numbers, looked up in batches (a province's roster is too large
    for one statement)."""
    import sqlalchemy as sa

    from studyhub.models import Staff

    wanted = sorted(set(numbers))
    found: dict[str, Staff] = {}
    for start in range(0, len(wanted), LOOKUP_BATCH):
        part = wanted[start : start + LOOKUP_BATCH]
        found.update(
            (person.staff_no, person)
            for person in session.scalars(sa.select(Staff).where(Staff.staff_no.in_(part)))
        )
    return found


def staff_ids_by_number(session: Session, numbers: Iterable[str]) -> dict[str, int]:
    """Staff ids by staff number, in batches (see :func:`staff_by_number`)."""
    import sqlalchemy as sa

    from studyhub.models import Staff

    wanted = sorted(set(numbers))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), LOOKUP_BATCH):
        part = wanted[start : start + LOOKUP_BATCH]
        found.update(
            (number, staff_id)
            for number, staff_id in session.execute(
                sa.select(Staff.staff_no, Staff.id).where(Staff.staff_no.in_(part))
            )
        )
    return found
