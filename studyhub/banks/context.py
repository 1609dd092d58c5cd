"""What a format parser is given: the file, and where to report problems.

A parser is a function ``parse(ctx: ParseContext) -> Iterator[QuestionRecord]``. It reports
every problem it can find with ``ctx.error(...)`` (and goes on to the next question), and
raises :class:`~studyhub.errors.LocatedError` only when it cannot go on at all. Each record
it yields carries its ``location`` (file, sheet, line or row) so that later checks can say
where a question is. Questions of a type studyhub cannot ask go to ``ctx.unsupported(...)``.

At the start of each record a parser calls ``ctx.begin_record(raw, line)`` with the record's
text as it stands in the file (and, for line-based formats, the line it starts on), and
``ctx.add_raw(text, line)`` for each further line it reads into it: every error reported
while that record is read carries its text (``LocatedError.raw``), so that ``--skip-invalid``
can write it to the rejects file, and the record's start lines tell the importer which lines
of a text file no record came from. ``ctx.warn(...)`` reports what the admin should know
but is no error (a question type guessed, say).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from studyhub.banks.record import BankHeader
from studyhub.errors import LocatedError, Location
from studyhub.i18n import Lazy, msg

__all__ = ["MAX_FILE_BYTES", "ParseContext", "RawJson"]


def _limit() -> int:
    from studyhub.config import max_file_bytes

    return max_file_bytes()


#: files larger than this are refused before parsing (50 MB unless configured: a bank of
#: 100,000 questions in JSON is about 55 MB)
MAX_FILE_BYTES = _limit()


class RawJson:
    """A record read as data (YAML/JSON), shown as compact JSON only when it is rejected (a
    native file's records are dumped only then: importing stays as fast)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __str__(self) -> str:
        import json

        return json.dumps(self.value, ensure_ascii=False, default=str)


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
    #: things the admin should know that are not errors
    warnings: list[LocatedError] = field(default_factory=list)
    #: questions whose type the file did not say (worked out from answer and options)
    guessed_types: int = 0
    #: the lines of the record being read (shared with its errors, which see later lines)
    current_raw: list[str | RawJson] | None = None
    #: the lines (or rows) records started on
    record_starts: set[int] = field(default_factory=set)
    #: the lines (or rows) read into records: a record's text given to begin_record (its
    #: lines from the start line on) and the lines given to add_raw
    read_lines: set[int] = field(default_factory=set)
    _last_line: int | None = None

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

    def begin_record(self, raw: str | RawJson, line: int | None = None) -> None:
        """The parser starts reading a record whose text (so far) is ``raw``, at ``line``.
        If ``line`` was just added to the previous record (a parser reading one line ahead),
        it moves to this one."""
        if line is not None:
            if self.current_raw and self._last_line == line:
                self.current_raw.pop()
            self.record_starts.add(line)
            self.read_lines.update(range(line, line + str(raw).count("\n") + 1))
        self.current_raw = [raw]
        self._last_line = line

    def add_raw(self, text: str, line: int | None = None) -> None:
        """One more line of the record being read (ignored before the first record)."""
        if self.current_raw is not None:
            self.current_raw.append(text)
            self._last_line = line
            if line is not None:
                self.read_lines.add(line)

    def end_record(self) -> None:
        """The record read last is complete: errors reported now are about the file."""
        self.current_raw = None
        self._last_line = None

    def error(self, location: Location, message: str | Lazy) -> None:
        """Report a problem (``message`` made with :func:`~studyhub.i18n.msg`) and go on."""
        error = LocatedError(location, message)
        error.raw = self.current_raw
        self.errors.append(error)

    def warn(self, location: Location, message: str | Lazy) -> None:
        """Report something the admin should see after the import that is no error."""
        self.warnings.append(LocatedError(location, message))

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
            self.error(location, message)
