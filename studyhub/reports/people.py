"""The people behind every figure: absentees, failed, exempt, and each person's score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.reports.rates import exam_scope, person_results

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.reports.rates import RateRow

__all__ = ["PersonRow", "first_lists", "people", "people_lists"]

KINDS = ("absentees", "failed", "exempt", "scores", "not_passed")

#: how many people of a department each list holds, from its figures
_IN_LIST = {
    "absentees": lambda row: row.required - row.participants,
    "failed": lambda row: row.participants - row.passed,
    "exempt": lambda row: row.exempt,
    "scores": lambda row: row.required,
    "not_passed": lambda row: row.required - row.passed,
}


@dataclass
class PersonRow:
    staff_no: str
    name: str
    department: str | None
    department_name: str | None
    attempts: int
    score: Decimal | None
    passed: bool
    band: str | None
    reason: str | None = None
    #: the counted score in points of the paper's full marks (None: the paper has no points,
    #: as for results imported from elsewhere)
    points: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "staff_no": self.staff_no, "name": self.name, "department": self.department,
            "department_name": self.department_name, "attempts": self.attempts,
            "score": None if self.score is None else str(self.score), "passed": self.passed,
            "band": self.band, "reason": self.reason,
            "points": None if self.points is None else str(self.points),
        }  # fmt: skip


def people(
    database: Database,
    exam: str,
    kind: str,
    *,
    department: str | None = None,
    as_of: dt.date | None = None,
    staff: Sequence[str] | None = None,
) -> list[PersonRow]:
    """The list behind a figure of exam ``exam``:

    ``absentees``: required but never sat; ``failed``: sat but did not pass;
    ``not_passed``: required and not (yet) passed; ``exempt``: exempt (with the reason);
    ``scores``: every required person with counted score, attempts and band.
    ``department`` limits the list to a department code and its sub-departments, ``staff``
    to those staff numbers (a person's record reads their rows here).
    """
    return people_lists(database, exam, [kind], department=department, as_of=as_of,
                        staff=staff)[kind]  # fmt: skip


def people_lists(
    database: Database,
    exam: str,
    kinds: Sequence[str],
    *,
    department: str | None = None,
    as_of: dt.date | None = None,
    staff: Sequence[str] | None = None,
    limit: int | None = None,
    through: str | None = None,
) -> dict[str, list[PersonRow]]:
    """Several of :func:`people`'s lists from one reading of the per-person figures (``report
    progress``: who has not sat, who has not passed yet), by kind; with ``limit``, the first
    ``limit`` people of each (by department and staff number), numbered within each list in
    the same reading. ``through``: only the departments whose code sorts up to it (see
    :func:`first_lists`)."""
    import sqlalchemy as sa

    from studyhub.exams.definitions import department_subtree, exam_by_key, paper_total
    from studyhub.exams.grading import band_for
    from studyhub.models import Department, Exemption

    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown list {kind}")
    from studyhub.reports.kept_scope import keep_scopes

    keep_scopes(database, exam=exam, as_of=as_of)
    with database.session(readonly=True) as session:
        item = exam_by_key(session, exam)
        scope = exam_scope(session, item, as_of=as_of)
        rows = person_results(scope).subquery("people")
        conditions = {
            "absentees": sa.and_(rows.c.required == 1, rows.c.participated == 0),
            "failed": sa.and_(rows.c.participated == 1, rows.c.passed == 0),
            "not_passed": sa.and_(rows.c.required == 1, rows.c.passed == 0),
            "exempt": rows.c.exempt == 1,
            "scores": rows.c.required == 1,
        }
        flags = [sa.case((conditions[kind], 1), else_=0).label(f"in_{kind}") for kind in kinds]
        query = (
            sa.select(rows, Exemption.reason, *flags)
            .outerjoin(Exemption, sa.and_(Exemption.staff_id == rows.c.staff_id,
                                          Exemption.exam_id == scope.exam_id))
            .order_by(rows.c.department_code, rows.c.staff_no)
        )  # fmt: skip
        if department is not None:
            root = session.scalar(sa.select(Department.id).where(Department.code == department))
            if root is None:
                from studyhub.errors import NotFoundError
                from studyhub.i18n import msg

                raise NotFoundError(msg("no department {department}", department=department))
            query = query.where(rows.c.department_id.in_(department_subtree(session, [root])))
        if staff is not None:
            query = query.where(rows.c.staff_no.in_(list(staff)))
        if through is not None:
            query = query.where(rows.c.department_code <= through)
        bands = [(n, Decimal(m)) for n, m in item.bands or []]
        full_marks = paper_total(item.paper or {})[0]
        result: dict[str, list[PersonRow]] = {kind: [] for kind in kinds}
        either = sa.or_(*(conditions[k] for k in kinds))
        if limit is None:
            found: Any = ((row, kinds) for row in session.execute(query.where(either)))
        else:  # each list's first people, from one reading: numbered within each list
            # by a running count of each list's flag in one shared order (one sort for all
            # the lists; a row_number per list sorted the rows once per list)
            order = (rows.c.department_code, rows.c.staff_no)
            numbered = query.where(either).order_by(None).add_columns(*(
                sa.func.sum(sa.case((conditions[kind], 1), else_=0))
                .over(order_by=order, rows=(None, 0)).label(f"n_{kind}")
                for kind in kinds
            )).subquery("numbered")  # fmt: skip
            first = {kind: sa.and_(numbered.c[f"in_{kind}"] == 1,
                                   numbered.c[f"n_{kind}"] <= limit) for kind in kinds}  # fmt: skip
            found = (
                (row, [kind for kind in kinds if getattr(row, f"in_{kind}")
                       and getattr(row, f"n_{kind}") <= limit])
                for row in session.execute(
                    sa.select(numbered).where(sa.or_(*first.values()))
                    .order_by(numbered.c.department_code, numbered.c.staff_no)
                )
            )  # fmt: skip
        for row, its_kinds in found:
            score = (
                None if row.pct is None else (Decimal(int(row.pct)) / 100).quantize(Decimal("0.01"))
            )
            band = band_for(score, Decimal(100), bands) if score is not None else None
            for kind in its_kinds:
                if not getattr(row, f"in_{kind}"):
                    continue
                result[kind].append(
                    PersonRow(
                        row.staff_no,
                        row.name,
                        row.department_code,
                        row.department_name,
                        int(row.attempts),
                        score,
                        bool(row.passed),
                        band,
                        row.reason if kind == "exempt" else None,
                        (score * full_marks / 100).quantize(Decimal("0.01"))
                        if score is not None and full_marks > 0
                        else None,
                    )
                )
        return result


def first_lists(
    database: Database,
    exam: str,
    kinds: Sequence[str],
    by_department: Sequence[RateRow],
    *,
    limit: int,
    as_of: dt.date | None = None,
) -> dict[str, list[PersonRow]]:
    """:func:`people_lists`' first ``limit`` people of each list, reading only the
    departments that hold them: ``by_department`` are the exam's figures by department
    counted the same day (``rates(..., by="department")``, in department code order, as the
    lists are sorted), which say how many people of each list every department has. At a
    province's size the first 500 are in a few departments, and the lists need not read the
    other million people. Should a list come out shorter than the figures promise (a
    submission between the two readings), it is read again in full."""
    wanted = {kind: 0 for kind in kinds}
    through: str | None = None
    for row in by_department:
        open_lists = [kind for kind in kinds if wanted[kind] < limit]
        if not open_lists:
            break
        for kind in open_lists:
            wanted[kind] += _IN_LIST[kind](row)
        through = row.group
    else:
        through = None  # every department is needed
    lists = people_lists(database, exam, kinds, as_of=as_of, limit=limit, through=through)
    if through is not None and any(len(lists[kind]) < min(limit, wanted[kind]) for kind in kinds):
        lists = people_lists(database, exam, kinds, as_of=as_of, limit=limit)
    return lists
