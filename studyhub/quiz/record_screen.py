"""From the quiz menu: the person's own record of the year (学法档案) and their
certificates (合格证书), as text in the terminal, paged like the review."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from studyhub.i18n import t
from studyhub.quiz.paging import Page, PageKey, turn

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.quiz.prompter import Prompter

__all__ = ["page_text", "record_lines", "show_certificates", "show_record"]

#: the terminal's rows a page leaves for the key line and a notice
SPARE_ROWS = 3


def record_lines(database: Database, staff_no: str, year: int | None = None) -> list[str]:
    """The person's record of ``year`` (default: this year) as the terminal shows it, with
    the hint for keeping a copy at the end."""
    from studyhub.reports.export import TEXT_WIDTH, render_tables
    from studyhub.reports.record import current_year, person_record
    from studyhub.reports.record_view import record_tables

    chosen = year if year is not None else current_year(database)
    record = person_record(database, staff_no, chosen)
    width = min(shutil.get_terminal_size((TEXT_WIDTH, 24)).columns, 160)
    text = render_tables(record_tables(record), "table", width=width).decode("utf-8")
    return [*text.rstrip("\n").splitlines(), "", t("record.keep_copy", year=chosen)]


def page_text(prompter: Prompter, lines: list[str]) -> None:
    """Page ``lines`` a screen at a time until the reader leaves (q, Esc or Ctrl-C); ← on
    the first page and → on the last say so and stay. A front end that cannot page (plain
    mode, scripts) shows them all."""
    rows = max(10, shutil.get_terminal_size((100, 24)).lines - SPARE_ROWS)
    pages = [lines[i : i + rows] for i in range(0, len(lines), rows)] or [[]]
    index, notice = 0, ""
    while True:
        page = Page(pages[index], index, len(pages), notice,
                    keys=t("record.keys", page=index + 1, pages=len(pages)))  # fmt: skip
        notice = ""
        try:
            key = prompter.page(page)
        except KeyboardInterrupt:
            return
        if key is PageKey.QUIT:
            return
        index, notice = turn(page, key, t("record.at_first"), t("record.at_last"))


def show_record(database: Database, prompter: Prompter, staff_no: str) -> None:
    """The person's record of this year, paged."""
    page_text(prompter, record_lines(database, staff_no))


def show_certificates(database: Database, prompter: Prompter, staff_no: str) -> None:
    """The person's certificates, each with whether its result still stands."""
    from studyhub.reports.certificate_doc import certificate_lines, verification_lines
    from studyhub.reports.certificates import own_certificates

    found = own_certificates(database, staff_no)
    if not found:
        prompter.show(t("cert.own.none"))
        prompter.pause(t("record.back"))
        return
    lines: list[str] = []
    for item in found:
        lines += [*certificate_lines(item.certificate), verification_lines(item)[-1], ""]
    page_text(prompter, lines)
