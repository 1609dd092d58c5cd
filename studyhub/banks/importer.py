"""Importing question-bank files into the database: validated, versioned, all or nothing.

Records stream from the parsers into one transaction in batches; if any file has any error
(or ``check`` is set) the transaction is rolled back, so a failed import writes nothing.

With ``skip_invalid`` every valid question is imported and each invalid record (a parser's
error, a failed check, a conflicting repeat) is left out and written to a rejects file
(:mod:`~studyhub.banks.rejects`). What still fails the whole import: a file that cannot be
read to its end, a file from which no question can be read, a bank header that cannot be
stored.

A question is identified by its id, or in formats without ids by its content (stem, options
and, for fill questions, the accepted answers; see :mod:`~studyhub.banks.writer`). The same
question twice is kept once with a warning; with another answer it is a conflict (an error).
Lines of a text file that look like questions or answers but that no record came from are an
error (a warning under ``skip_invalid``): see :mod:`~studyhub.banks.coverage`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from studyhub.banks import coverage, rejects
from studyhub.banks.context import ParseContext
from studyhub.banks.record import QuestionRecord
from studyhub.banks.summary import BankCounts, FileSummary, ImportSummary, Progress
from studyhub.banks.validate import DuplicateCheck, Places, check_record, conflicts
from studyhub.banks.writer import KNOWN_TOPICS, Writer, bank_key_of
from studyhub.errors import InputError, LocatedError, MultipleErrors
from studyhub.i18n import msg, msgn

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database

__all__ = ["KNOWN_TOPICS", "BankCounts", "FileSummary", "ImportSummary", "import_files"]


class _CheckOnly(Exception):
    """Raised inside the transaction to roll a --check run back."""


def import_files(
    database: Database,
    paths: Sequence[str | Path],
    *,
    bank: str | None = None,
    topic: str | None = None,
    format: str | None = None,
    check: bool = False,
    skip_unsupported: bool = False,
    skip_invalid: bool = False,
    rejects_path: str | Path | None = None,
    retire_missing: bool = False,
    actor: str = "system",
    progress: Progress | None = None,
    field_map: dict[str, str] | None = None,
) -> ImportSummary:
    """Import question-bank files; raises MultipleErrors (and writes nothing) on any error.

    ``bank`` puts every question into that bank (default: the file's own bank key, else the
    file name); ``topic`` sets the topic (default: the file's, else the bank key).
    ``check`` validates everything and reports what would change without writing.
    ``skip_invalid`` imports the valid questions and leaves out the invalid records, written
    to ``rejects_path`` (default ``NAME.rejects.csv`` next to the first file; with ``check``
    only when ``rejects_path`` is given). ``progress(done, total)`` is called as the files
    are read, in lines (rows, paragraphs). ``field_map`` (``--map``) names the fields of JSON
    records the layouts do not detect.
    """
    if not paths:
        raise InputError(msg("no file to import"))
    files = [_detect(Path(path), format) for path in paths]
    summary = ImportSummary(checked_only=check)
    errors: list[LocatedError] = []
    tracker = _Tracker(files, progress)
    # under --skip-invalid a first reading finds the questions in conflict, so that every
    # place of one is rejected, the first too (before it would be written)
    found = _conflicts(files, bank, skip_unsupported, field_map) if skip_invalid else None
    try:
        with database.session() as session:
            writer = Writer(session, summary, tracker.record)
            duplicates = DuplicateCheck(found)
            for path, fmt in files:
                errors += _import_file(
                    writer, duplicates, path, fmt, bank, topic, skip_unsupported, skip_invalid,
                    retire_missing, field_map,
                )  # fmt: skip
                tracker.file_done()
            if errors:
                failed = MultipleErrors(errors, what=msg("import"))
                if not skip_invalid and any(error.raw for error in errors):
                    # errors in records (not a file that cannot be read): --skip-invalid helps
                    failed.hint_text = msg(
                        "fix them and import again, or give --skip-invalid to import the"
                        " other questions and write these to a rejects file"
                    )
                raise failed
            if check:
                raise _CheckOnly
            _audit(session, actor, summary)
    except _CheckOnly:
        pass
    if summary.rejects and (rejects_path is not None or not check):
        target = Path(rejects_path) if rejects_path else rejects.default_path(files[0][0])
        rejects.write_rejects(target, summary.rejects)
        summary.rejects_path = target
    return summary


def _detect(path: Path, format: str | None) -> tuple[Path, str]:
    from studyhub.banks import formats

    if not path.is_file():
        raise InputError(msg("{path}: no such file", path=path))
    if format is None:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
        format = formats.detect(path, head)
    formats.parser(format)  # an unknown format is refused before anything is read
    return path, format


def _import_file(
    writer: Writer,
    duplicates: DuplicateCheck,
    path: Path,
    fmt: str,
    bank: str | None,
    topic: str | None,
    skip_unsupported: bool,
    skip_invalid: bool,
    retire_missing: bool,
    field_map: dict[str, str] | None = None,
) -> list[LocatedError]:
    """Read, check and write one file; the errors that fail the import."""
    ctx = ParseContext(path, str(path), skip_unsupported=skip_unsupported)
    ctx.field_map = field_map
    file_summary = FileSummary(str(path), fmt, bank or "")
    writer.summary.files.append(file_summary)
    stream = _records(ctx, fmt)
    types: dict[int, str] = {}
    valid = _validated(ctx, stream, duplicates, file_summary, types)
    fatal: list[LocatedError] = []
    try:
        writer.write_file(ctx, file_summary, valid, topic, retire_missing)
    except LocatedError as err:
        fatal.append(err)
    if not fatal:
        empty = coverage.nothing_read(ctx, file_summary)
        if empty is not None:
            fatal.append(empty)
        else:
            _check_unread(ctx, fmt, skip_invalid)
    file_summary.skipped = [e.message_text for e in ctx.skipped]
    if ctx.guessed_types:
        ctx.warn(ctx.at(), msgn(
            "{count} question gave no type: it was worked out from its answer and options",
            "{count} questions gave no type: it was worked out from their answers and options",
            ctx.guessed_types, count=ctx.guessed_types))  # fmt: skip
    file_summary.warnings = ctx.warnings
    if not skip_invalid:
        return ctx.errors + fatal
    # the bank's header is no record: what is wrong with it fails the import
    header = [e for e in ctx.errors if (e.location.field or "").startswith("bank.")]
    file_summary.rejects = rejects.group([e for e in ctx.errors if e not in header], types)
    if file_summary.rejects and retire_missing:
        ctx.warn(ctx.at(), msg("no question was retired: some records were rejected"))
    return header + fatal


def _check_unread(ctx: ParseContext, fmt: str, skip_invalid: bool) -> None:
    unread = coverage.unread_lines(ctx, fmt)
    if not unread:
        return
    message = coverage.unread_message(unread)
    if skip_invalid:
        ctx.warn(ctx.at(unread[0]), message)
    else:
        ctx.errors.append(LocatedError(ctx.at(unread[0]), message))


def _records(ctx: ParseContext, fmt: str) -> Iterator[QuestionRecord]:
    """The records the parser of ``fmt`` reads from ``ctx``'s file."""
    from studyhub.banks import formats

    stream = _received(ctx, formats.parser(fmt)(ctx))
    return _titles(stream) if fmt == "gift" else stream


def _conflicts(
    files: list[tuple[Path, str]],
    bank: str | None,
    skip_unsupported: bool,
    field_map: dict[str, str] | None,
) -> Places:
    """The questions in conflict in ``files`` (see :func:`~studyhub.banks.validate.conflicts`),
    from a reading of the files that reports nothing (the import's own reading does)."""

    def valid() -> Iterator[tuple[str, QuestionRecord]]:
        for path, fmt in files:
            ctx = ParseContext(path, str(path), skip_unsupported=skip_unsupported)
            ctx.field_map = field_map
            file_summary = FileSummary(str(path), fmt, bank or "")
            try:
                for record in _records(ctx, fmt):
                    if check_record(ctx, record):
                        yield bank_key_of(ctx, file_summary), record
            except LocatedError:
                continue  # a file that cannot be read: the import says so

    return conflicts(valid())


def _received(ctx: ParseContext, records: Iterator[QuestionRecord]) -> Iterator[QuestionRecord]:
    """The parser's records, each with its text; errors reported between two records are
    about no record."""
    for record in records:
        if record.raw is None:
            record.raw = ctx.current_raw
        ctx.end_record()
        yield record


def _titles(records: Iterator[QuestionRecord]) -> Iterator[QuestionRecord]:
    """GIFT titles (``::name::``) are ids only when unique in their category in the file: a
    title given to two questions of a category identifies neither (their content does); a
    title unique in each of several categories is ``category/title``. Reads the file's
    records first."""
    held = list(records)
    titled = [r for r in held if r.title_scope is not None]
    counts = Counter((r.title_scope, r.external_id) for r in titled)
    scopes = Counter(r.external_id for r in titled if counts[(r.title_scope, r.external_id)] == 1)
    for record in titled:
        if counts[(record.title_scope, record.external_id)] > 1:
            record.external_id = None
        elif scopes[record.external_id] > 1:
            record.external_id = f"{record.title_scope}/{record.external_id}"
    yield from held


def _validated(
    ctx: ParseContext,
    records: Iterator[QuestionRecord],
    duplicates: DuplicateCheck,
    summary: FileSummary,
    types: dict[int, str],
) -> Iterator[QuestionRecord]:
    """The records that pass every check (the others are reported to ``ctx``, with their
    text; ``types`` gets the type of the record each error is about)."""
    for record in records:
        summary.questions += 1
        before = len(ctx.errors)
        ctx.current_raw = record.raw
        ok = check_record(ctx, record)
        if ok:
            record.digest = record.content_hash()
            ok = duplicates.check(ctx, bank_key_of(ctx, summary), record)
            summary.repeats += not ok and len(ctx.errors) == before
        ctx.current_raw = None
        for error in ctx.errors[before:]:
            types[id(error)] = record.type
        if ok:
            yield record


class _Tracker:
    """Turns the records written into ``progress(done, total)`` in lines (rows...)."""

    def __init__(self, files: list[tuple[Path, str]], progress: Progress | None) -> None:
        self.progress = progress
        self.sizes = [coverage.units(p, f) for p, f in files] if progress else []
        self.total = sum(self.sizes)
        self.index = 0
        self.before = 0  # the lines of the files done
        self.offset = 0  # the rows of the sheets done, in this file
        self.last = 0

    def record(self, record: QuestionRecord) -> None:
        if self.progress is None or record.location is None or record.location.line is None:
            return
        line = record.location.line
        if line < self.last:  # the next sheet of a workbook
            self.offset += self.last
        self.last = line
        self.progress(min(self.before + self.offset + line, self.total), self.total)

    def file_done(self) -> None:
        if self.progress is None:
            return
        self.before += self.sizes[self.index]
        self.index += 1
        self.offset = self.last = 0
        self.progress(self.before, self.total)


def _audit(session: Session, actor: str, summary: ImportSummary) -> None:
    from studyhub.admin.audit import record_event

    for key, counts in summary.banks.items():
        record_event(
            session,
            actor=actor,
            action="bank.import",
            object_type="bank",
            object_key=key,
            details={
                "files": [f.path for f in summary.files if f.bank == key],
                "added": counts.added,
                "changed": counts.changed,
                "unchanged": counts.unchanged,
                "retired": counts.retired,
                "rejected": sum(1 for f in summary.files if f.bank == key for _ in f.rejects),
            },
        )
