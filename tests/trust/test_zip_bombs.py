"""Sizes after decompression: an .xlsx or .docx whose parts unpack past the input limit is
refused, whether its zip directory tells the truth (read before anything is unpacked) or
lies (Python's zipfile never unpacks past the declared size, and the damaged entry is then a
located error)."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.errors import StudyhubError
from studyhub.tabular import Column, read_rows


def workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["工号", "姓名"])
    book.active.append(["0001", "张三"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def document() -> bytes:
    import docx

    doc = docx.Document()
    doc.add_paragraph("1. 民法典自2021年1月1日起施行。")
    doc.add_paragraph("答案：对")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def with_bomb(data: bytes, megabytes: int) -> bytes:
    """The archive plus one part of zeros that deflates to almost nothing (honest sizes)."""
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/bomb.bin", b"\0" * (megabytes * 2**20))
    return buffer.getvalue()


def lying(data: bytes) -> bytes:
    """The bomb part's uncompressed size rewritten to 1 byte in both headers."""
    raw = bytearray(data)
    name = b"xl/media/bomb.bin"
    central = raw.rfind(b"PK\x01\x02" + b"")  # the last central header is the bomb's
    while central != -1:
        name_length = struct.unpack_from("<H", raw, central + 28)[0]
        if raw[central + 46 : central + 46 + name_length] == name:
            struct.pack_into("<I", raw, central + 24, 1)
            local = struct.unpack_from("<I", raw, central + 42)[0]
            struct.pack_into("<I", raw, local + 22, 1)
            break
        central = raw.rfind(b"PK\x01\x02", 0, central)
    return bytes(raw)


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYHUB_MAX_FILE_MB", "2")


def test_an_honest_bomb_in_a_roster(tmp_path: Path, small_limit: None) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(with_bomb(workbook(), 3))
    assert path.stat().st_size < 100_000
    with pytest.raises(StudyhubError, match="unpacks to 3 MB, more than the 2 MB limit"):
        list(read_rows(path, [Column("staff_no", ("工号",)), Column("name", ("姓名",))]))


def test_a_lying_bomb_in_a_roster(tmp_path: Path, small_limit: None) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(lying(with_bomb(workbook(), 3)))
    with zipfile.ZipFile(path) as archive:
        assert sum(i.file_size for i in archive.infolist()) < 2 * 2**20  # it lies
    rows = list(read_rows(path, [Column("staff_no", ("工号",)), Column("name", ("姓名",))]))
    assert [r.values["staff_no"] for r in rows] == ["0001"]  # the bomb is never unpacked


@pytest.mark.parametrize(("name", "make"), [("bank.xlsx", workbook), ("bank.docx", document)])
def test_an_honest_bomb_in_a_bank(
    database: Database, tmp_path: Path, small_limit: None, name: str, make: object
) -> None:
    path = tmp_path / name
    path.write_bytes(with_bomb(make(), 3))  # type: ignore[operator]
    with pytest.raises(StudyhubError, match="unpacks to"):
        import_files(database, [path])


def test_lookups_of_a_province_sized_roster_go_in_batches(database: Database) -> None:
    """40,000 staff numbers in one IN would be 'too many SQL variables' on SQLite."""
    from studyhub.models import Staff
    from studyhub.org.lookups import staff_by_number, staff_ids_by_number

    with database.session() as session:
        session.add(Staff(staff_no="39999", name="张三"))
    numbers = [str(n) for n in range(40_000)]
    with database.session() as session:
        assert list(staff_ids_by_number(session, numbers)) == ["39999"]
        assert list(staff_by_number(session, numbers)) == ["39999"]
