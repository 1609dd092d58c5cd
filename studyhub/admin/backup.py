"""Backing up and restoring a SQLite database, and the checks to run after a restore.

A backup is taken with SQLite's online backup API, so exam takers can go on writing while it
runs: the copy is one consistent snapshot of what was committed. It is written beside the
target first and renamed into place, so a half-written backup never carries the target's
name. PostgreSQL is backed up with its own tools (``pg_dump``, point-in-time recovery): see
docs/deployment.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from studyhub.admin.firstrun import DEMO_STAFF_NO
from studyhub.errors import DatabaseError, InputError
from studyhub.i18n import Lazy, Message, get_language, msg, msgn, render
from studyhub.values import describe

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = ["COUNTED_TABLES", "CheckReport", "Problems", "backup", "check", "restore"]

#: the tables whose row counts a check reports (what a bureau would look at after a restore)
COUNTED_TABLES = (
    "departments",
    "staff",
    "questions",
    "question_versions",
    "exams",
    "attempts",
    "attempt_items",
    "study_activities",
    "attendance",
    "exemptions",
    "law_articles",
    "book_entries",
    "audit_events",
)

_PG_HINT = msg(
    "back up PostgreSQL with pg_dump -Fc and restore with pg_restore "
    "(docs/deployment.md describes backups and point-in-time recovery)"
)


class Problems(Lazy):
    """Several problems as one text: ``a; b`` (``a；b``), each in the language shown."""

    __slots__ = ("items",)

    def __init__(self, items: list[Message]) -> None:
        self.items = items

    def render(self, language: str | None = None) -> str:
        separator = "；" if (language or get_language()) == "zh" else "; "
        return separator.join(render(item, language) for item in self.items)


@dataclass
class CheckReport:
    """What the checks found in one database file (or server)."""

    location: str
    revision: str | None
    head: str
    #: "ok", the problems PRAGMA integrity_check found, or None where it does not apply
    #: (PostgreSQL checks its pages itself)
    integrity: str | None = "ok"
    foreign_key_problems: list[Message] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    #: set by restore: the revision of the backup, when the restore upgraded it
    upgraded_from: str | None = None
    #: set by restore: where the replaced database was kept
    kept: Path | None = None
    #: staff numbers of people with no posting (every person belongs to a department; only
    #: the first admin before the roster import may be without one for a while)
    unposted: list[str] = field(default_factory=list)
    #: "exam/staff no" of people whose kept result (exam_results) differs from their
    #: attempts (studyhub.exams.counted; checked on a database at the current revision)
    result_mismatches: list[str] = field(default_factory=list)
    #: "exam/close day/staff no" of people whose row in a current kept scope differs from
    #: the roster (studyhub.reports.kept_scope)
    scope_mismatches: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        """The file itself is fine: integrity, foreign keys, schema revision."""
        return (
            self.integrity in ("ok", None)
            and not self.foreign_key_problems
            and self.revision == self.head
        )

    @property
    def ok(self) -> bool:
        """Sound, and its data keeps studyhub's rules (everyone has a posting)."""
        return (
            self.sound
            and not self.unposted
            and not self.result_mismatches
            and not self.scope_mismatches
        )

    def problems(self) -> list[Message]:
        """One line for each thing that is wrong (``str()`` of each is English)."""
        lines = []
        place = self.location
        if self.integrity not in ("ok", None):
            lines.append(msg("{place}: integrity check failed: {detail}", place=place,
                             detail=self.integrity))  # fmt: skip
        lines += [
            msg("{place}: {problem}", place=place, problem=p) for p in self.foreign_key_problems
        ]
        if self.revision is None:  # head never is
            lines.append(msg("{place}: schema revision none, studyhub expects {head} "
                             "(studyhub db upgrade)", place=place, head=self.head))  # fmt: skip
        elif self.revision != self.head:
            lines.append(msg("{place}: schema revision {revision}, studyhub expects {head} "
                             "(studyhub db upgrade)", place=place, revision=self.revision,
                             head=self.head))  # fmt: skip
        if self.unposted:
            shown = "、".join(self.unposted[:10]) + ("…" if len(self.unposted) > 10 else "")
            lines.append(
                msgn(
                    "{place}: {n} staff without a department ({shown}); give them one with "
                    "studyhub staff move NO --to D or a roster import",
                    "{place}: {n} staff without a department ({shown}); give them one with "
                    "studyhub staff move NO --to D or a roster import",
                    len(self.unposted),
                    place=place,
                    shown=shown,
                )
            )
        if self.result_mismatches:
            shown = "、".join(self.result_mismatches[:10])
            lines.append(
                msgn(
                    "{place}: the kept result of {n} person differs from their attempts "
                    "({shown}); studyhub db check --repair works the results out afresh",
                    "{place}: the kept results of {n} people differ from their attempts "
                    "({shown}); studyhub db check --repair works the results out afresh",
                    len(self.result_mismatches),
                    place=place,
                    shown=shown,
                )
            )
        if self.scope_mismatches:
            shown = "、".join(self.scope_mismatches[:10])
            lines.append(
                msgn(
                    "{place}: {n} person's place in a kept exam scope differs from the roster "
                    "({shown}); studyhub db check --repair drops the kept scopes",
                    "{place}: {n} people's places in kept exam scopes differ from the roster "
                    "({shown}); studyhub db check --repair drops the kept scopes",
                    len(self.scope_mismatches),
                    place=place,
                    shown=shown,
                )
            )
        return lines

    def summary(self) -> Problems:
        """Every problem as one text (for an error), in the language shown."""
        return Problems(self.problems())


#: people with no posting at all (the demo person aside)
UNPOSTED = (
    "SELECT staff_no FROM staff WHERE staff_no <> ? AND NOT EXISTS "
    "(SELECT 1 FROM staff_postings p WHERE p.staff_id = staff.id) ORDER BY staff_no"
)


# --- files ----------------------------------------------------------------------------------


def _sqlite_file(database: Database, verb: str) -> Path:
    from studyhub.db import sqlite_path

    if database.dialect != "sqlite":
        raise InputError(msg("db {verb} works on a SQLite file; this database is {url}",
                             verb=verb, url=database.url), hint=_PG_HINT)  # fmt: skip
    path = sqlite_path(database.engine.url.render_as_string(hide_password=False))
    if path is None:
        raise InputError(msg("db {verb} needs a SQLite file, not {url}", verb=verb,
                             url=database.url))  # fmt: skip
    return path.expanduser().resolve()


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    try:
        connection = sqlite3.connect(path.as_uri(), uri=True, isolation_level=None)
    except sqlite3.Error as err:
        raise DatabaseError(
            msg("cannot open {path}: {detail}", path=path, detail=str(err))
        ) from None
    try:
        connection.execute("PRAGMA busy_timeout = 10000")
        yield connection
    finally:
        connection.close()


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with _connect(path) as connection:
        return bool(connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
                    .fetchone()[0])  # fmt: skip


def _copy(source: Path, target: Path) -> None:
    """Copy with the online backup API into ``target`` (a new file), as one snapshot, and
    leave it a single self-contained file (rollback journal, not WAL), private (0600)."""
    if not target.exists():
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    with _connect(source) as src, _connect(target) as dst:
        try:
            src.backup(dst)  # pages=-1: every page in one step, so one consistent snapshot
        except sqlite3.Error as err:
            failed = msg("copying {source} to {target} failed: {detail}", source=source,
                         target=target, detail=str(err))  # fmt: skip
            raise DatabaseError(failed) from None
        dst.execute("PRAGMA journal_mode = DELETE")
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _scratch_beside(target: Path, label: str) -> Path:
    scratch = target.parent / f".{target.name}.{label}-{os.getpid()}"
    scratch.unlink(missing_ok=True)
    return scratch


# --- checks ---------------------------------------------------------------------------------


def _check_file(path: Path) -> CheckReport:
    """Integrity, foreign keys, schema revision and row counts of a SQLite file."""
    from studyhub import migrate

    report = CheckReport(str(path), None, migrate.head_revision())
    with _connect(path) as connection:
        try:
            rows = [r[0] for r in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as err:
            raise DatabaseError(msg("{path} is not a usable SQLite database: {detail}",
                                    path=path, detail=str(err))) from None  # fmt: skip
        report.integrity = "ok" if rows == ["ok"] else "; ".join(rows[:5])
        for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check"):
            report.foreign_key_problems.append(
                msg("row {row} of {table} refers to a missing row of {parent}", row=rowid,
                    table=table, parent=parent)
            )  # fmt: skip
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" in tables:
            found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            report.revision = found[0] if found else None
        for table in COUNTED_TABLES:
            if table in tables:
                report.counts[table] = connection.execute(
                    f'SELECT count(*) FROM "{table}"'
                ).fetchone()[0]
        if {"staff", "staff_postings"} <= tables:
            report.unposted = [row[0] for row in connection.execute(UNPOSTED, (DEMO_STAFF_NO,))]
    return report


def check(database: Database) -> CheckReport:
    """The checks after a restore (or at any time): on SQLite the integrity check, the foreign
    key check, the schema revision and row counts; on PostgreSQL the revision and counts; on
    both, that the kept exam results equal what the attempts give."""
    if database.dialect == "sqlite":
        report = _check_file(_sqlite_file(database, "check"))
    else:
        report = _check_server(database)
    if report.revision == report.head and report.integrity in ("ok", None):
        from studyhub.exams.counted import results_mismatches
        from studyhub.reports.kept_scope import scope_mismatches

        with database.session(readonly=True) as session:
            report.result_mismatches = [
                f"{m.exam}/{m.staff_no}" for m in results_mismatches(session)
            ]
            report.scope_mismatches = scope_mismatches(session)
    return report


def repair_results(database: Database) -> int:
    """Work every kept exam result out afresh from the attempts and drop the kept exam
    scopes (the reports keep them again) (``db check --repair``), in one transaction,
    audited; returns the result rows written."""
    from studyhub.admin.audit import record_event
    from studyhub.exams.counted import rebuild_results
    from studyhub.reports.kept_scope import drop_kept

    with database.session() as session:
        written = rebuild_results(session)
        dropped = drop_kept(session)
        details = {"rows": written, "scopes": dropped}
        record_event(session, actor="system", action="db.repair_results",
                     object_type="database", details=details)  # fmt: skip
    return written


def _check_server(database: Database) -> CheckReport:
    """:func:`check` on PostgreSQL: the revision and the row counts."""
    import sqlalchemy as sa

    from studyhub import migrate

    report = CheckReport(database.url, migrate.current_revision(database), migrate.head_revision())
    report.integrity = None
    present = set(sa.inspect(database.engine).get_table_names())
    with database.engine.connect() as connection:
        for table in COUNTED_TABLES:
            if table in present:
                report.counts[table] = connection.execute(
                    sa.text(f'SELECT count(*) FROM "{table}"')
                ).scalar_one()
        if {"staff", "staff_postings"} <= present:
            report.unposted = list(
                connection.execute(
                    sa.text(UNPOSTED.replace("?", ":demo")), {"demo": DEMO_STAFF_NO}
                ).scalars()
            )
    return report


# --- backup and restore ---------------------------------------------------------------------


def backup(database: Database, target: Path, *, overwrite: bool = False) -> CheckReport:
    """Copy the database into ``target`` while it stays in use; the copy is checked before it
    takes the target's name. Returns the checks of the copy."""
    from studyhub.fileio import check_output

    source = _sqlite_file(database, "backup")
    target = check_output(target)  # never the database, its companions or the session file
    if not target.parent.is_dir():
        raise InputError(msg("cannot write {target}: directory {folder} does not exist",
                             target=target, folder=target.parent))  # fmt: skip
    if target.exists() and not overwrite:
        raise InputError(msg("{target} exists", target=target),
                         hint=msg("give another file, or --force to replace it"))  # fmt: skip
    scratch = _scratch_beside(target, "backup")
    try:
        _copy(source, scratch)
        report = _check_file(scratch)
        if report.integrity != "ok" or report.foreign_key_problems:
            raise DatabaseError(report.summary())
        os.replace(scratch, target)
    except OSError as err:
        raise DatabaseError(msg("cannot write {path}: {detail}", path=target,
                                detail=describe(err))) from None  # fmt: skip
    finally:
        scratch.unlink(missing_ok=True)
    report.location = str(target)
    return report


def restore(database: Database, source: Path, *, replace: bool = False) -> CheckReport:
    """Restore the backup ``source`` into the (SQLite) database, which must be new or empty
    unless ``replace``: then its contents are first kept beside it (``FILE.before-restore-
    YYYYmmddHHMMSS``); nobody else may be using it then, since the file is swapped under
    their feet. The backup is checked before anything is touched, the restored file is
    upgraded to this studyhub's schema when it is older, and its checks are returned."""
    from studyhub import migrate

    target = _sqlite_file(database, "restore")
    source = Path(source).expanduser().resolve()
    if not source.is_file():
        raise InputError(msg("no backup file {source}", source=source))
    if source == target:
        raise InputError(msg("{source} is the database itself; give a backup file", source=source))
    if not _is_sqlite(source):
        raise InputError(msg("{source} is not a SQLite database file", source=source))
    before = _check_file(source)
    if before.integrity != "ok" or before.foreign_key_problems:
        raise InputError(msg("backup {source} is damaged: {problems}", source=source,
                             problems=before.summary()))  # fmt: skip
    if before.revision is None:
        raise InputError(
            msg("{source} is not a studyhub database (it has no schema revision)", source=source)
        )
    if not migrate._known(before.revision):
        raise InputError(
            msg("backup {source} has schema revision {revision}, which this studyhub does not "
                "know (its newest is {head})", source=source, revision=before.revision,
                head=before.head),
            hint=msg("restore it with the studyhub version that made it, or a newer one"),
        )  # fmt: skip
    occupied = _has_tables(target)
    if occupied and not replace:
        raise InputError(
            msg("{target} already holds a database", target=target),
            hint=msg("restore into a new file (--db sqlite:///NEW.db), or give --replace"),
        )
    database.dispose()  # no connection of ours may hold the file while it is swapped
    scratch = _scratch_beside(target, "restore")
    kept = None
    try:
        _copy(source, scratch)
        if occupied:
            stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
            kept = target.with_name(f"{target.name}.before-restore-{stamp}")
            _copy(target, kept)
        os.replace(scratch, target)
        for suffix in ("-wal", "-shm", "-journal"):  # the old file's, never to be replayed
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    except OSError as err:
        raise DatabaseError(msg("cannot write {path}: {detail}", path=target,
                                detail=describe(err))) from None  # fmt: skip
    finally:
        scratch.unlink(missing_ok=True)
    upgraded_from = None
    if before.revision != before.head:
        migrate.upgrade(database)
        upgraded_from = before.revision
    report = _check_file(target)
    report.upgraded_from = upgraded_from
    report.kept = kept
    return report
