"""The studyhub error hierarchy.

Every expected failure (bad input, a database that cannot be opened, a refused action)
raises a :class:`StudyhubError` carrying a translatable message. The command-line boundary
turns it into one line ``错误：<reason>`` (``Error: <reason>`` under ``--lang en``), and a
hint line, on stderr with exit code 1; library callers can catch it and read ``reason`` and
``hint`` (English) or :meth:`StudyhubError.shown` (the UI language).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studyhub.i18n import N_, Lazy, msg, msgn, render

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
    """Base class: ``reason`` says what is wrong, ``hint`` (optional) what to do.

    Both are given as :class:`~studyhub.i18n.Message` (English text with values, made by
    :func:`~studyhub.i18n.msg`); ``reason`` and ``hint`` read them in English, for scripts
    and library callers, and :meth:`shown` / :meth:`shown_hint` in the user's language.
    """

    def __init__(self, reason: str | Lazy, hint: str | Lazy | None = None) -> None:
        self.message_text = reason
        self.hint_text = hint
        super().__init__(str(reason))

    @property
    def reason(self) -> str:
        return str(self.message_text)

    @property
    def hint(self) -> str | None:
        return None if self.hint_text is None else str(self.hint_text)

    def shown(self, language: str | None = None) -> str:
        """The reason in ``language`` (default: the current UI language)."""
        return render(self.message_text, language)

    def shown_hint(self, language: str | None = None) -> str | None:
        return None if self.hint_text is None else render(self.hint_text, language)

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

    def render(self, language: str | None = None) -> str:
        """``file, sheet S, line 12, field F`` (``file，工作表 S，第 12 行，字段 F``)."""
        parts = [self.file]
        if self.sheet:
            parts.append(msg("place.sheet", sheet=self.sheet).render(language))
        if self.line is not None:
            words = {"row": N_("place.row"), "paragraph": N_("place.paragraph")}
            key = words.get(self.row_word, N_("place.line"))
            parts.append(msg(key, line=self.line).render(language))
        if self.field:
            shown = field_name(self.field, language)
            parts.append(msg("place.field", field=shown).render(language))
        return msg("place.sep").render(language).join(parts)

    def __str__(self) -> str:
        return self.render("en")

    def with_field(self, field: str | None) -> Location:
        return Location(self.file, self.line, self.sheet, field, self.row_word)


#: the fields of a question (and a bank header) by the names errors give them, shown in the
#: language of the message (a table's columns are named as its header row writes them)
FIELD_NAMES = {
    "type": N_("field.type"), "stem": N_("field.stem"), "options": N_("field.options"),
    "answer": N_("field.answer"), "explanation": N_("field.explanation"),
    "source": N_("field.source"), "difficulty": N_("field.difficulty"),
    "tags": N_("field.tags"), "id": N_("field.id"), "topic": N_("field.topic"),
    "points": N_("field.points"), "feedback": N_("field.feedback"),
    "weights": N_("field.weights"), "bank.key": N_("field.bank_key"),
    "bank.title": N_("field.bank_title"), "bank.topic": N_("field.bank_topic"),
    "bank.version": N_("field.bank_version"),
}  # fmt: skip


def field_name(field: str, language: str | None = None) -> str:
    """A field as the user reads it: 答案 for ``answer`` in Chinese; other names as given."""
    key = FIELD_NAMES.get(field)
    return field if key is None else msg(key).render(language)


class _At(Lazy):
    """``<location>: <message>`` in the language shown."""

    __slots__ = ("location", "message")

    def __init__(self, location: Location, message: str | Lazy) -> None:
        self.location = location
        self.message = message

    def render(self, language: str | None = None) -> str:
        place = self.location.render(language)
        text = msg("place.message", place=place, message=render(self.message, language))
        return text.render(language)


class LocatedError(InputError):
    """An error at a place in an input file."""

    def __init__(
        self, location: Location, message: str | Lazy, hint: str | Lazy | None = None
    ) -> None:
        super().__init__(_At(location, message), hint)
        self.location = location
        self.message = message
        #: the record the error is about, as its lines stood in the file (filled by
        #: :meth:`~studyhub.banks.context.ParseContext.error`; None when unknown)
        self.raw: list[Any] | None = None


class _ErrorList(Lazy):
    """The heading and the first :attr:`MultipleErrors.SHOWN` errors, one per line."""

    __slots__ = ("errors", "what")

    def __init__(self, errors: list[LocatedError], what: str | Lazy) -> None:
        self.errors = errors
        self.what = what

    def render(self, language: str | None = None) -> str:
        count = len(self.errors)
        heading = msgn(
            "{n} error in {what}, nothing was written:",
            "{n} errors in {what}, nothing was written:",
            count,
            what=self.what,
        )
        lines = [heading.render(language)]
        lines += [e.shown(language) for e in self.errors[: MultipleErrors.SHOWN]]
        if count > MultipleErrors.SHOWN:
            rest = count - MultipleErrors.SHOWN
            lines.append(msgn("... and {n} more", "... and {n} more", rest).render(language))
        return "\n".join(lines)


class MultipleErrors(InputError):
    """Several located errors found in one pass (an import validates everything first)."""

    #: how many errors a rendering shows before summarising the rest
    SHOWN = 50

    def __init__(self, errors: list[LocatedError], what: str | Lazy | None = None) -> None:
        self.errors = list(errors)
        super().__init__(_ErrorList(self.errors, msg("input") if what is None else what))
