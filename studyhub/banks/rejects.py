"""The records ``--skip-invalid`` leaves out, and the rejects file they are written to.

Each rejected record is one row: file, location (sheet, line or row), field(s), reason(s),
and the raw record as it stood in the file (the lines or cells the parser gave to
``ctx.begin_record``), so that it can be fixed and imported again. The file is CSV in UTF-8
with a BOM (Excel opens it as UTF-8); its header row is in the UI language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from studyhub.banks.summary import Reject
from studyhub.errors import LocatedError, Location, field_name
from studyhub.i18n import get_language, msg, render, t

__all__ = ["default_path", "group", "write_rejects"]


def group(errors: Sequence[LocatedError], types: dict[int, str]) -> list[Reject]:
    """One reject per record: the errors that share a record's text are one row (an error
    about no record is a row of its own). ``types`` maps ``id(error)`` to the record's type
    where it is known."""
    rejects: list[Reject] = []
    by_record: dict[int, Reject] = {}
    for error in errors:
        raw = error.raw
        reject = by_record.get(id(raw)) if raw is not None else None
        field = error.location.field or ""
        reason = render(error.message)
        if reject is None:
            reject = Reject(
                file=error.location.file,
                location=place(error.location),
                fields=[field] if field else [],
                reasons=[reason],
                raw="\n".join(str(line) for line in raw or []),
                type=types.get(id(error), ""),
                line=error.location.line,
            )
            rejects.append(reject)
            if raw is not None:
                by_record[id(raw)] = reject
        else:
            if field and field not in reject.fields:
                reject.fields.append(field)
            reject.reasons.append(reason)
            reject.type = reject.type or types.get(id(error), "")
    return rejects


def place(location: Location) -> str:
    """The sheet and line (or row, paragraph) of a location, without file and field."""
    bare = Location("", location.line, location.sheet, None, location.row_word)
    return bare.render().removeprefix(render(msg("place.sep"))).strip()


def default_path(first: Path) -> Path:
    """``NAME.rejects.csv`` next to the first file imported."""
    return first.with_name(first.stem + ".rejects.csv")


def write_rejects(path: Path, rejects: Sequence[Reject]) -> None:
    """Write the rejects file (atomically: a half-written file is never left)."""
    from studyhub.fileio import atomic_output

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [t("rejects.file"), t("rejects.location"), t("rejects.field"), t("rejects.reason"),
         t("rejects.raw")]
    )  # fmt: skip
    separator = ", " if get_language() == "en" else "、"
    for reject in rejects:
        writer.writerow(
            [reject.file, reject.location, separator.join(field_name(f) for f in reject.fields),
             "; ".join(reject.reasons), reject.raw]
        )  # fmt: skip
    with atomic_output(path) as stream:
        stream.write(buffer.getvalue().encode("utf-8-sig"))
