"""Driver failures as one-line studyhub errors, with the password masked.

Below both the engine factory (:mod:`studyhub.db`) and the migration runner
(:mod:`studyhub.migrate`), which both turn driver errors into these.
"""

from __future__ import annotations

import re

from studyhub.config import mask_url
from studyhub.errors import DatabaseError, InputError, StudyhubError
from studyhub.i18n import Message, msg

__all__ = ["clean_message", "translate_driver_error", "translate_operational_error"]


def _password(url: str) -> str | None:
    match = re.match(r"^[^:/]+://[^:@/]*:([^@/]*)@", url)
    return match.group(1) if match and match.group(1) else None


def clean_message(exc: BaseException, url: str) -> str:
    """The first line of a driver error, with the password (if any) removed."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    password = _password(url)
    if password:
        text = text.replace(password, "***")
    return text


#: PostgreSQL's "value too long for type character varying(N)"
TOO_LONG_SQLSTATE = "22001"
#: PostgreSQL's "read-only SQL transaction" (a hot standby, default_transaction_read_only)
READ_ONLY_SQLSTATE = "25006"


def translate_driver_error(err: BaseException, url: str) -> StudyhubError | None:
    """A one-line error for a driver failure that is not the caller's to handle (server
    down, disk full, a read-only database, text PostgreSQL cannot store); None for the
    others (constraint violations, which callers turn into their own messages)."""
    from sqlalchemy import exc

    if isinstance(err, exc.OperationalError):
        return translate_operational_error(err, url)
    # The readers of files refuse these with their place; this is for every other way in.
    if isinstance(err, exc.DataError) and "NUL (0x00)" in str(getattr(err, "orig", err)):
        from studyhub.values import NUL_MESSAGE

        return InputError(msg("a text value {problem}; nothing was written", problem=NUL_MESSAGE))
    if getattr(getattr(err, "orig", None), "sqlstate", None) == TOO_LONG_SQLSTATE:
        return InputError(
            msg(
                "a text value is too long for the database ({detail}); nothing was written",
                detail=clean_message(err, url),
            )
        )
    if getattr(getattr(err, "orig", None), "sqlstate", None) == READ_ONLY_SQLSTATE:
        return DatabaseError(
            msg(
                "database {url} is read-only: {detail}",
                url=mask_url(url),
                detail=clean_message(err, url),
            ),
            hint=msg("a read replica serves reports only; make changes on the primary server"),
        )
    return None


def translate_operational_error(err: BaseException, url: str) -> DatabaseError:
    """A one-line DatabaseError for a driver-level failure (server down, disk full...)."""
    message = clean_message(err, url)
    hint: Message | None = None
    lowered = message.lower()
    if "readonly" in lowered or "read-only" in lowered:
        hint = msg("the database file or its directory is not writable")
    elif "disk" in lowered and "full" in lowered:
        hint = msg("free some disk space; everything committed before this is kept")
    elif "connection" in lowered or "server" in lowered:
        hint = msg("check that the database server is running and reachable")
    return DatabaseError(
        msg("database {url} failed: {detail}", url=mask_url(url), detail=message), hint
    )
