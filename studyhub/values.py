"""Parsing the values admins type or keep in spreadsheets: dates, hours, counts, lists.

Every parser raises :class:`ValueError` carrying a short reason (a translatable
:class:`~studyhub.i18n.Message`; :func:`reason_of` gives it back); importers wrap it in a
:class:`~studyhub.errors.LocatedError` naming the file, row and field, and the library's
single-value entry points (``--on DATE`` and the like) turn it into an InputError.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from studyhub.errors import InputError
from studyhub.i18n import Lazy, Message, msg

__all__ = [
    "LOCAL_TZ",
    "NUL_MESSAGE",
    "SURROGATE_MESSAGE",
    "CellReader",
    "date_arg",
    "describe",
    "has_nul",
    "normalise_code",
    "parse_count",
    "parse_date",
    "parse_hours",
    "reason_of",
    "split_list",
    "split_numbers",
    "today",
    "too_long",
    "unstorable",
]

#: Asia/Shanghai (no daylight saving since 1991): every date boundary is local time here
LOCAL_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
#: Excel's day 0 (serial numbers count days from here, with the 1900 leap-year bug built in)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


#: PostgreSQL cannot store U+0000 in text, so every reader of input refuses it where it is
NUL_MESSAGE = msg("contains a NUL character (U+0000), which cannot be stored")


def has_nul(value: Any) -> bool:
    """Whether ``value`` (text, or a list or dict of them, as parsed from a file) holds a
    NUL character anywhere."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    return False


#: the longest answer a taker may type into one blank (characters)
MAX_ANSWER_LENGTH = 1000

#: a lone surrogate (from a ``\\ud800`` escape in JSON or YAML) is not a character: no
#: database stores it
SURROGATE_MESSAGE = msg("contains a lone surrogate (U+D800-U+DFFF), which is not a character")


def unstorable(value: Any) -> Message | None:
    """Why ``value`` (text, or a list or dict of them) cannot be stored: a NUL character or
    a lone surrogate anywhere; None when it can."""
    if value is None:
        return None
    if isinstance(value, str):
        if _UNSTORABLE.search(value) is None:
            return None  # the common case, in one pass
    elif isinstance(value, list | tuple) and all(
        isinstance(item, str) and _UNSTORABLE.search(item) is None for item in value
    ):
        return None  # a list of clean texts (options, tags)
    if has_nul(value):
        return NUL_MESSAGE
    if _has_surrogate(value):
        return SURROGATE_MESSAGE
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list | tuple):
        return any(_has_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    return False


def normalise_code(value: str) -> str:
    """A staff number or code as typed or pasted: NFKC (full-width digits and letters
    folded), invisible characters (bidi marks, zero-width spaces and joiners, BOM, soft
    hyphens) removed, spaces trimmed."""
    text = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def too_long(what: str | Lazy, value: str | None, limit: int) -> Message | None:
    """The message for ``value`` when it is longer than ``limit`` characters (the length of
    the column it goes into: PostgreSQL enforces it), else None. ``what`` names the value
    (a field name, or a :func:`~studyhub.i18n.msg` such as ``msg("the title")``)."""
    if value is not None and len(value) > limit:
        return msg("{what} is longer than {limit} characters", what=what, limit=limit)
    return None


def reason_of(err: BaseException) -> str | Lazy:
    """The reason a parser's :class:`ValueError` carries: its Message (shown in the user's
    language), else its text."""
    first = err.args[0] if len(err.args) == 1 else None
    return first if isinstance(first, Lazy) else str(err)


def today() -> dt.date:
    """Today's date in Asia/Shanghai."""
    return dt.datetime.now(LOCAL_TZ).date()


def parse_date(value: Any) -> dt.date:
    """A date from a cell or a typed value: ``2026-03-05``, ``2026/3/5``, ``2026年3月5日``
    (a time after it is ignored), an Excel date cell, or an Excel serial day number."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TZ)
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(
            msg("bad date {value} (expected 2026-03-05, 2026/3/5 or 2026年3月5日)", value=value)
        )
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _DATE_RE.match(text)
    if match is None:
        raise ValueError(
            msg("bad date {value!r} (expected 2026-03-05, 2026/3/5 or 2026年3月5日)", value=text)
        )
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise ValueError(msg("bad date {value!r}: no such day", value=text)) from None


def date_arg(value: dt.date | str | None, *, default_today: bool = True) -> dt.date | None:
    """A date given to a library function (a date, a text as :func:`parse_date` reads it,
    or None for today); raises InputError for a bad one."""
    if value is None:
        return today() if default_today else None
    try:
        return parse_date(value)
    except ValueError as err:
        raise InputError(reason_of(err)) from None


def parse_hours(value: Any) -> Decimal:
    """Hours as an exact decimal with at most two places: ``2``, ``1.5``, ``3学时``."""
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        for unit in ("学时", "小时", "课时", "hours", "hour", "h"):
            if text.lower().endswith(unit):
                text = text[: -len(unit)].strip()
                break
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                msg("bad hours {value!r} (expected a number such as 2 or 1.5)", value=value)
            ) from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(msg("bad hours {value!r} (expected a number 0 or more)", value=value))
    if amount >= 10000:  # before quantize, which fails on numbers too long for its precision
        raise ValueError(msg("bad hours {value!r} (too many)", value=value))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(msg("bad hours {value!r} (at most two decimal places)", value=value))
    return abs(amount.quantize(Decimal("0.01")))  # abs: -0 is 0


def parse_count(value: Any) -> int:
    """A whole number 0 or more (``1200``, ``1,200``, ``1200份``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
        text = re.sub(r"(份|人次|人|次|件|册)$", "", text).strip()
        if not text.isdigit():
            raise ValueError(
                msg("bad number {value!r} (expected a whole number such as 120)", value=value)
            )
        number = int(text)
    if number < 0:
        raise ValueError(msg("bad number {value!r} (expected 0 or more)", value=value))
    return number


def split_list(value: Any) -> list[str]:
    """The items of a list cell: separated by 、 , ， ; ； | or line breaks (order kept,
    empty items dropped). Spaces are kept inside items."""
    if value is None:
        return []
    text = unicodedata.normalize("NFC", str(value))
    return [item.strip() for item in re.split(r"[、,，;；|\n\r]+", text) if item.strip()]


def split_numbers(value: Any) -> list[str]:
    """Staff numbers in a cell: like :func:`split_list`, and spaces separate too."""
    return [part for item in split_list(value) for part in item.split()]


class CellReader:
    """Reads the cells of import rows, collecting every problem instead of stopping at one.

    ``get`` returns the parsed value, None for an empty cell (recording "missing value" when
    the field is required), or None after recording the parser's complaint (its
    :func:`reason_of`).
    """

    def __init__(self) -> None:
        from studyhub.errors import LocatedError

        self.errors: list[LocatedError] = []

    def get(self, row: Any, name: str, parse: Any = None, *, required: bool = False) -> Any:
        raw = row.raw(name)
        text = row.text(name)
        if text == "":
            if required:
                self.errors.append(row.error(name, msg("missing value")))
            return None
        if parse is None:
            return text
        try:
            return parse(raw if not isinstance(raw, str) else text)
        except ValueError as err:
            self.errors.append(row.error(name, reason_of(err)))
            return None

    def fail(self, row: Any, name: str | None, message: str | Lazy) -> None:
        self.errors.append(row.error(name, message))

    def raise_if_any(self, what: str | Lazy) -> None:
        from studyhub.errors import MultipleErrors

        if self.errors:
            raise MultipleErrors(self.errors, what)


#: what the usual operating-system errors mean, in words that can be translated
_OS_REASONS = {
    errno.ENOENT: msg("no such file or directory"),
    errno.EACCES: msg("permission denied"),
    errno.EPERM: msg("permission denied"),
    errno.EISDIR: msg("is a directory"),
    errno.ENOTDIR: msg("a part of the path is not a directory"),
    errno.ENOSPC: msg("no space left on the disk"),
    errno.EROFS: msg("the file system is read-only"),
    errno.EEXIST: msg("the file already exists"),
    errno.ENAMETOOLONG: msg("the file name is too long"),
    errno.EBUSY: msg("the file is in use"),
}


def describe(err: BaseException) -> Message | str:
    """The reason behind a failed read or write, in words that can be translated (an
    operating-system error by its errno, text that is not UTF-8 with the byte's place);
    anything else in the library's own words."""
    if isinstance(err, UnicodeDecodeError):
        return msg("not UTF-8 text (byte {position})", position=err.start)
    if isinstance(err, OSError) and err.errno in _OS_REASONS:
        return _OS_REASONS[err.errno]
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err)
