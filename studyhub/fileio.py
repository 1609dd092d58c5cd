"""Writing output files so that a failure never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from studyhub.errors import InputError

__all__ = ["atomic_output"]


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary stream that becomes ``path`` only when the block finishes without error."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"cannot write {target}: directory {directory} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except OSError as err:
        raise InputError(f"cannot write {target}: {err.strerror}") from None
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
        raise InputError(f"{display}: no such file") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise LocatedError(Location(display), "not an Office (zip) file") from None
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise LocatedError(Location(display), "the file is encrypted (remove its password)")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limit:
        raise LocatedError(
            Location(display),
            f"the file unpacks to {unpacked // 2**20} MB, more than the {limit // 2**20} MB limit",
        )


def read_member(path: Path, member: str, display: str, limit: int | None = None) -> bytes:
    """One part of a zip archive, read in chunks and refused past ``limit`` bytes (a lying
    size in the archive's directory does not get past it)."""
    import zipfile

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
                        f"{member} unpacks to more than the {limit // 2**20} MB limit",
                    )
                chunks.append(chunk)
    except KeyError:
        raise LocatedError(Location(display), f"not a Word document (no {member})") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise LocatedError(Location(display), f"cannot read {member}: {err}") from None
    return b"".join(chunks)
