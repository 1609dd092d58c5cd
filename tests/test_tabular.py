from __future__ import annotations

from pathlib import Path

import pytest

from studyhub.errors import InputError, LocatedError
from studyhub.tabular import Column, read_rows

COLUMNS = [
    Column("staff_no", ("工号", "staff_no"), required=True),
    Column("name", ("姓名", "name"), required=True),
    Column("department", ("部门", "department")),
]


def rows(path: Path) -> list[tuple[int, dict]]:
    return [(r.number, {k: r.text(k) for k in r.values}) for r in read_rows(path, COLUMNS)]


def test_csv_with_instruction_row_bom_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "说明：工号必填\n工号,姓名,部门\n001,张三,办公室\n\n002,李四,\n", encoding="utf-8-sig"
    )
    assert rows(path) == [
        (3, {"staff_no": "001", "name": "张三", "department": "办公室"}),
        (5, {"staff_no": "002", "name": "李四", "department": ""}),
    ]


def test_gbk_and_semicolons_and_english_headers(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("Staff_No;Name\n007;王五\n".encode("gbk"))
    assert rows(path) == [(2, {"staff_no": "007", "name": "王五"})]


def test_missing_and_unknown_columns(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("工号,部门\n1,办公室\n", encoding="utf-8")
    with pytest.raises(LocatedError) as info:
        rows(path)
    assert info.value.reason == f"{path}, row 1: missing column 姓名"
    path.write_text("工号,姓名,备注\n1,张三,x\n", encoding="utf-8")
    with pytest.raises(LocatedError) as info:
        rows(path)
    assert info.value.reason == f"{path}, row 1, field 备注: unknown column 备注"


def test_no_header(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(LocatedError, match="no header row found"):
        rows(path)


def test_xlsx_rows_and_locations(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["人员名单"])
    sheet.append(["工号", "姓名", "部门"])
    sheet.append([101, "赵六", "科技科"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    [row] = list(read_rows(path, COLUMNS))
    assert (row.number, row.text("staff_no"), row.text("name")) == (3, "101", "赵六")
    assert str(row.at("name")) == f"{path}, sheet 花名册, row 3, field 姓名"


def test_other_files_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        rows(tmp_path / "none.csv")
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match=r"expected a \.csv or \.xlsx file"):
        rows(tmp_path / "x.pdf")


def test_damaged_sheet_inside_a_readable_workbook_is_located(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found by tests/fuzz: openpyxl reads sheets lazily, so a corrupt sheet stream failed
    with a raw zlib.error while rows were read."""
    import io
    import zipfile

    import openpyxl
    import pytest

    from studyhub.errors import LocatedError
    from studyhub.tabular import Column, read_rows

    book = openpyxl.Workbook()
    book.active.append(["工号", "姓名"])
    book.active.append(["0001", "张三"])
    buffer = io.BytesIO()
    book.save(buffer)
    damaged = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    raw = bytearray(damaged.getvalue())
    start = raw.index(b"xl/worksheets/sheet1.xml") + len(b"xl/worksheets/sheet1.xml")
    for offset in range(start + 5, start + 40):  # scramble the compressed sheet
        raw[offset] ^= 0x5A
    path = tmp_path / "roster.xlsx"
    path.write_bytes(bytes(raw))
    with pytest.raises(LocatedError) as caught:
        list(read_rows(path, [Column("staff_no", ("工号",), required=True)]))
    assert caught.value.reason.startswith(f"{path}")
    assert (
        "damaged workbook" in caught.value.reason or "not a readable .xlsx" in caught.value.reason
    )


def _encrypted_entries(data: bytes) -> bytes:
    """The zip archive with every entry flagged as encrypted (general-purpose bit 0)."""
    raw = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := raw.find(signature, start)) != -1:
            raw[start + flag_at] |= 0x01
            start += 4
    return bytes(raw)


def test_a_workbook_with_encrypted_entries_is_refused_with_its_name(tmp_path: Path) -> None:
    """Found by bench/fuzz.py (tabular-xlsx, 10 minutes): zipfile's RuntimeError ("File ... is
    encrypted, password required") escaped from openpyxl."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["工号", "姓名"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(_encrypted_entries(buffer.getvalue()))
    with pytest.raises(LocatedError) as caught:
        rows(path)
    assert str(caught.value) == f"{path}: the file is encrypted (remove its password)"
