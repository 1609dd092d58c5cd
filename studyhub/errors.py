"""The studyhub error hierarchy.

Every expected failure (bad input, a database that cannot be opened, a refused action)
raises a :class:`StudyhubError`. The command-line boundary turns it into one line
``Error: <reason>`` (and a hint line) on stderr with exit code 1; library callers can
catch it and read ``reason`` and ``hint``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ConfigError",
    "DatabaseError",
    "InputError",
    "LocatedError",
    "Location",
    "MultipleErrors",
    "NotFoundError",
    "PermissionDenied",
    "StudyhubError",
]


class StudyhubError(Exception):
    """Base class: ``reason`` says what is wrong, ``hint`` (optional) what to do."""

    def __init__(self, reason: str, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint

    def __str__(self) -> str:
        return self.reason


class ConfigError(StudyhubError):
    """The configuration (flag, environment, config file) is unusable."""


class DatabaseError(StudyhubError):
    """The database cannot be opened, reached or migrated."""


class NotFoundError(StudyhubError):
    """A named object (bank, exam, staff member...) does not exist."""


class PermissionDenied(StudyhubError):
    """The acting person may not do this."""


class InputError(StudyhubError):
    """A value given by the user is invalid."""


@dataclass(frozen=True)
class Location:
    """Where in an input file something is: file, sheet, line or row, field."""

    file: str
    line: int | None = None
    sheet: str | None = None
    field: str | None = None
    row_word: str = "line"

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.line is not None:
            parts.append(f"{self.row_word} {self.line}")
        text = ", ".join(parts)
        if self.field:
            text += f", field {self.field}"
        return text

    def with_field(self, field: str | None) -> Location:
        return Location(self.file, self.line, self.sheet, field, self.row_word)


class LocatedError(InputError):
    """An error at a place in an input file."""

    def __init__(self, location: Location, message: str, hint: str | None = None) -> None:
        super().__init__(f"{location}: {message}", hint)
        self.location = location
        self.message = message


class MultipleErrors(InputError):
    """Several located errors found in one pass (an import validates everything first)."""

    #: how many errors a rendering shows before summarising the rest
    SHOWN = 50

    def __init__(self, errors: list[LocatedError], what: str = "input") -> None:
        self.errors = list(errors)
        count = len(self.errors)
        lines = [str(e.reason) for e in self.errors[: self.SHOWN]]
        if count > self.SHOWN:
            lines.append(f"... and {count - self.SHOWN} more")
        noun = "error" if count == 1 else "errors"
        reason = f"{count} {noun} in {what}, nothing was written:\n" + "\n".join(lines)
        super().__init__(reason)
