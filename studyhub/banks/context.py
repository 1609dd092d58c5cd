"""What a format parser is given: the file, and where to report problems.

A parser is a function ``parse(ctx: ParseContext) -> Iterator[QuestionRecord]``. It reports
every problem it can find with ``ctx.error(...)`` (and goes on to the next question), and
raises :class:`~studyhub.errors.LocatedError` only when it cannot go on at all. Each record
it yields carries its ``location`` (file, sheet, line or row) so that later checks can say
where a question is. Questions of a type studyhub cannot ask go to ``ctx.unsupported(...)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from studyhub.banks.record import BankHeader
from studyhub.errors import LocatedError, Location
from studyhub.i18n import Lazy, msg

__all__ = ["MAX_FILE_BYTES", "ParseContext"]


def _limit() -> int:
    from studyhub.config import max_file_bytes

    return max_file_bytes()


#: files larger than this are refused before parsing (50 MB unless configured: a bank of
#: 100,000 questions in JSON is about 55 MB)
MAX_FILE_BYTES = _limit()


@dataclass
class ParseContext:
    path: Path
    #: the file name shown in messages (as the user gave it)
    display: str = ""
    skip_unsupported: bool = False
    errors: list[LocatedError] = field(default_factory=list)
    #: unsupported questions skipped because skip_unsupported was given
    skipped: list[LocatedError] = field(default_factory=list)
    #: set by native formats, which name their bank and topic
    header: BankHeader = field(default_factory=BankHeader)
    #: ``--map``: question field (stem, options, answer, explanation, type, id) -> where the
    #: file keeps it (``content``, ``choices[].content``); read by the JSON record layouts
    field_map: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if not self.display:
            self.display = str(self.path)

    def at(
        self,
        line: int | None = None,
        *,
        sheet: str | None = None,
        field: str | None = None,
        row: bool = False,
    ) -> Location:
        """A location in this file; ``row=True`` for table rows (CSV, Excel)."""
        return Location(self.display, line, sheet, field, "row" if row else "line")

    def error(self, location: Location, message: str | Lazy) -> None:
        """Report a problem (``message`` made with :func:`~studyhub.i18n.msg`) and go on."""
        self.errors.append(LocatedError(location, message))

    def fail(self, location: Location, message: str | Lazy) -> LocatedError:
        """An error after which the file cannot be read further: ``raise ctx.fail(...)``."""
        return LocatedError(location, message)

    def unsupported(self, location: Location, what: str | Lazy) -> None:
        """A question type studyhub cannot ask (matching, numerical, essay, ...): ``what`` is
        its name as the file gives it, or a :func:`~studyhub.i18n.msg` describing it."""
        if self.skip_unsupported:
            message = msg("unsupported question type {type} (skipped)", type=what)
            self.skipped.append(LocatedError(location, message))
        else:
            message = msg(
                "unsupported question type {type}; use --skip-unsupported to skip it", type=what
            )
            self.errors.append(LocatedError(location, message))
