"""``studyhub record``: a person's year (学法档案), as text or a file to keep."""

from __future__ import annotations

import click

from studyhub.cli.context import AppContext
from studyhub.cli.report_cmd import emit, output_options


@click.command()
@click.argument("staff_no", metavar="[NO]", required=False)
@click.option("--year", type=int, help="Calendar year (Asia/Shanghai; default: this year).")
@click.option("--dept", "department", metavar="D",
              help="Everyone whose department in the year is D or under it, one after another "
              "(reporters and admins).")  # fmt: skip
@click.option("--required-hours", metavar="H", help="The hours each person must study in a year.")
@output_options
@click.pass_obj
def record(app: AppContext, staff_no: str | None, year: int | None, department: str | None,
           required_hours: str | None, fmt: str, output: str | None) -> None:  # fmt: skip
    """A person's record of the year (学法档案): postings, study activities with hours,
    topics and laws, online courses, hours against the required hours, the laws studied,
    every exam with each attempt (补考 and 免考 with its reason) and practice.

    An employee sees their own (NO may be left out); a reporter or admin anyone's, or with
    --dept D everyone in D. The figures are those of the reports. Keep a copy with
    --format docx -o FILE (or xlsx, md, json).
    """
    from studyhub.errors import InputError
    from studyhub.i18n import msg
    from studyhub.reports.meta import report_meta
    from studyhub.reports.record import check_record_access, current_year, person_records
    from studyhub.reports.record_view import records_tables
    from studyhub.values import parse_hours, reason_of

    if staff_no and department:
        raise InputError(msg("give a staff number or --dept D, not both"))
    wanted = check_record_access(app.signed_in, staff_no, department)
    hours = None
    if required_hours is not None:
        try:
            hours = parse_hours(required_hours)
        except ValueError as err:
            raise InputError(msg("required hours: {detail}", detail=reason_of(err))) from None
    database = app.database()
    chosen = year if year is not None else current_year(database)
    records = person_records(
        database, chosen, staff=[wanted] if wanted else None,
        department=None if wanted else department, required_hours=hours,
    )  # fmt: skip
    if not records:
        raise InputError(
            msg("nobody in {department} in {year}", department=department, year=chosen)
        )
    emit(records_tables(records), fmt, output, report_meta(database))
