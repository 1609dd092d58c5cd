"""Writing output files: never over the database or the sign-in, never half a file.

Every writer of a user-named file (``-o``/``--output``, ``--chart``, ``db backup``, exports)
goes through :func:`check_output` (``atomic_output`` calls it): the files of an open SQLite
database (the file, its ``-wal``, ``-shm`` and ``-journal``) and the app dir's session and
config files are refused, however the path is spelled (relative, through a symlink, or a hard
link to one of them).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from studyhub.errors import InputError
from studyhub.i18n import Message, msg
from studyhub.values import describe

__all__ = ["atomic_output", "check_output", "protect_database_file"]


#: the files no output may replace: resolved path -> what it is (a SQLite companion's
#: suffix, "session" or "config": see :func:`_refusal`)
_PROTECTED: dict[Path, str] = {}
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def protect_database_file(path: Path) -> None:
    """Register a SQLite database file (and its companions) as never to be written over."""
    resolved = Path(path).expanduser().resolve()
    for suffix in SQLITE_COMPANIONS:
        _PROTECTED[Path(f"{resolved}{suffix}")] = suffix


def _app_files() -> dict[Path, str]:
    from studyhub.config import CONFIG_FILE_NAME, SESSION_FILE_NAME, app_dir

    directory = app_dir().resolve()
    return {directory / SESSION_FILE_NAME: "session", directory / CONFIG_FILE_NAME: "config"}


def _refusal(path: str | Path, what: str) -> Message:
    """Why ``path`` may not be written: it is the protected file ``what``."""
    if what == "session":
        return msg("{path} is the sign-in session file; give another output file", path=path)
    if what == "config":
        return msg("{path} is the config file; give another output file", path=path)
    if what:
        return msg(
            "{path} is the database's {suffix} file; give another output file",
            path=path,
            suffix=what[1:],
        )
    return msg("{path} is the database; give another output file", path=path)


def check_output(path: str | Path) -> Path:
    """``path`` resolved, or InputError when writing it would replace the database, its
    companion files, or the app dir's session or config file."""
    target = Path(path).expanduser().resolve()
    protected = {**_app_files(), **_PROTECTED}
    what = protected.get(target)
    if what is None and target.exists():
        for candidate, label in protected.items():
            try:
                if candidate.exists() and os.path.samefile(candidate, target):
                    what = label
                    break
            except OSError:
                continue
    if what is not None:
        raise InputError(_refusal(path, what))
    return target


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary stream that becomes ``path`` only when the block finishes without error;
    refuses a protected file (:func:`check_output`)."""
    check_output(path)
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(
            msg(
                "cannot write {path}: directory {folder} does not exist",
                path=target,
                folder=directory,
            )
        )
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except OSError as err:
        raise InputError(
            msg("cannot write {path}: {detail}", path=target, detail=describe(err))
        ) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def check_archive(path: Path, display: str, limit: int | None = None) -> None:
    """Refuse an Office file (.docx, .xlsx: a zip archive) that is not a readable zip, that
    has encrypted entries, or whose parts would unpack to more than ``limit`` bytes (the
    configured input limit, 50 MB by default): the sizes are read from the archive's
    directory, and :func:`read_member` stops past the limit whatever a header claims."""
    import zipfile

    from studyhub.config import max_file_bytes
    from studyhub.errors import LocatedError, Location

    limit = max_file_bytes() if limit is None else limit
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except FileNotFoundError:
        raise InputError(msg("{file}: no such file", file=display)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise LocatedError(Location(display), msg("not an Office (zip) file")) from None
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise LocatedError(Location(display), msg("the file is encrypted (remove its password)"))
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limit:
        raise LocatedError(
            Location(display),
            msg(
                "the file unpacks to {size} MB, more than the {limit} MB limit",
                size=unpacked // 2**20,
                limit=limit // 2**20,
            ),
        )


def read_member(path: Path, member: str, display: str, limit: int | None = None) -> bytes:
    """One part of a zip archive, read in chunks and refused past ``limit`` bytes (a lying
    size in the archive's directory does not get past it)."""
    import zipfile
    import zlib

    from studyhub.config import max_file_bytes
    from studyhub.errors import LocatedError, Location

    limit = max_file_bytes() if limit is None else limit
    chunks: list[bytes] = []
    size = 0
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
            while chunk := stream.read(1 << 16):
                size += len(chunk)
                if size > limit:
                    raise LocatedError(
                        Location(display),
                        msg(
                            "{part} unpacks to more than the {limit} MB limit",
                            part=member,
                            limit=limit // 2**20,
                        ),
                    )
                chunks.append(chunk)
    except KeyError:
        raise LocatedError(
            Location(display), msg("not a Word document (no {part})", part=member)
        ) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error,
            NotImplementedError, RuntimeError) as err:  # fmt: skip
        raise LocatedError(
            Location(display), msg("cannot read {part}: {detail}", part=member, detail=str(err))
        ) from None
    return b"".join(chunks)
