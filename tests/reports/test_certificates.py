"""合格证书 on the 60-person bureau: only those who passed get one; serials (exam key, year,
sequence) are never reused; issuing again reprints while the result stands; verify of a
valid, a re-graded (a 补考 raised the score), a no-longer-passing, a revoked and an unknown
code; issuing and revoking are audited; the Word file (and the PDF with LibreOffice)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from studyhub.admin.audit import list_events
from studyhub.cli import cli
from studyhub.db import Database
from studyhub.errors import NotFoundError
from studyhub.models import Attempt, Certificate, Exam, Staff
from studyhub.reports.certificate_doc import pdf_converter, write_certificates
from studyhub.reports.certificates import (
    issue_certificates,
    make_code,
    revoke_certificate,
    verify_certificate,
)
from studyhub.reports.people import people
from tests.scenario_bureau import add_annual_exam, build_bureau, cli_ok

KEY = "fxzx-2026"


@pytest.fixture
def bureau(db_url: str, tmp_path: Path) -> str:
    add_annual_exam(db_url, tmp_path, build_bureau(db_url, tmp_path))
    return db_url


def run(db_url: str, *args: str, lang: str = "zh") -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", lang, *args])
    return result.exit_code, result.stdout, result.stderr


def test_certificates_only_for_those_who_passed(bureau: str, database: Database) -> None:
    issued = issue_certificates(database, KEY, actor="A1")
    passed = {p.staff_no for p in people(database, KEY, "scores") if p.passed}
    assert len(passed) == 53
    assert {v.staff_no for v in issued} == passed
    # failed (0001-0003), never sat (0057, 0058), exempt (0059), left (0060): none
    assert not {"0001", "0002", "0003", "0057", "0058", "0059", "0060"} & {
        v.staff_no for v in issued
    }
    assert [v.serial for v in issued[:2]] == ["fxzx-2026-2026-0001", "fxzx-2026-2026-0002"]
    first = issued[0]
    assert (first.staff_no, first.name, first.department, first.percent, first.new) == (
        "0004", "职工4", "某某局", Decimal("88.00"), True,
    )  # fmt: skip
    assert str(first.passed_on) == "2026-11-23"  # the day the counted result was submitted
    assert first.issuer == "某某局"
    assert len({v.code for v in issued}) == 53
    # again: the same certificates, nothing new
    again = issue_certificates(database, KEY, actor="A1")
    assert [(v.serial, v.code, v.new) for v in again] == [(v.serial, v.code, False) for v in issued]
    events = [e for e in list_events(database) if e["action"] == "exam.certificates"]
    assert len(events) == 2
    assert len(events[0]["details"]["issued"]) == 53 or len(events[1]["details"]["issued"]) == 53


def test_one_person_or_one_department(bureau: str, database: Database) -> None:
    assert [v.staff_no for v in issue_certificates(database, KEY, staff="0011")] == ["0011"]
    assert issue_certificates(database, KEY, staff="0001") == []  # failed: none
    fin = issue_certificates(database, KEY, department="FIN")
    assert [v.staff_no for v in fin] == [f"{n:04d}" for n in range(31, 41)]
    assert fin[0].serial == "fxzx-2026-2026-0002"  # 0011 had 0001
    with pytest.raises(NotFoundError):
        issue_certificates(database, KEY, staff="9999")


def _code_of(database: Database, staff_no: str) -> str:
    with database.session(readonly=True) as session:
        return session.scalar(
            sa.select(Certificate.code)
            .join(Staff, Staff.id == Certificate.staff_id)
            .where(Staff.staff_no == staff_no)
            .order_by(Certificate.sequence)
        )


def test_verify_valid_regraded_no_longer_passing_revoked_and_unknown(
    bureau: str, database: Database, tmp_path: Path
) -> None:
    issue_certificates(database, KEY)
    valid = verify_certificate(database, _code_of(database, "0004").lower().replace("-", " "))
    assert (valid.status, valid.certificate.name, valid.current) == (
        "valid", "职工4", Decimal("88.00"),
    )  # fmt: skip

    # a 补考 of the exam raises 0005's counted score to 95: the result is re-graded
    makeup = tmp_path / "bk.yaml"
    makeup.write_text(f"key: fxzx-bk\ntitle: 补考\nyear: 2026\nkind: makeup\nmakeup_of: {KEY}\n"
                      "opens: 2026-12-01\ncloses: 2026-12-05\n", encoding="utf-8")  # fmt: skip
    cli_ok(bureau, "exam", "create", str(makeup))
    results = tmp_path / "bk.csv"
    results.write_text("工号,成绩,提交时间\n0005,95,2026-12-02 10:00\n", encoding="utf-8")
    cli_ok(bureau, "exam", "import-results", "fxzx-bk", str(results))
    old_code = _code_of(database, "0005")
    regraded = verify_certificate(database, old_code)
    assert (regraded.status, regraded.current, regraded.superseded_by) == (
        "regraded", Decimal("95.00"), None,
    )  # fmt: skip
    # issuing again: a new certificate (a new serial) for 0005, the old one superseded
    again = {v.staff_no: v for v in issue_certificates(database, KEY)}
    assert (again["0005"].serial, again["0005"].new, again["0005"].percent) == (
        "fxzx-2026-2026-0054", True, Decimal("95.00"),
    )  # fmt: skip
    assert verify_certificate(database, old_code).superseded_by == "fxzx-2026-2026-0054"
    assert verify_certificate(database, again["0005"].code).status == "valid"

    # a result corrected below the pass mark (as a re-grade would): no longer stands
    with database.session() as session:
        staff_id = session.scalar(sa.select(Staff.id).where(Staff.staff_no == "0006"))
        exam_id = session.scalar(sa.select(Exam.id).where(Exam.key == KEY))
        for attempt in session.scalars(  # through the ORM: the kept results follow
            sa.select(Attempt).where(Attempt.staff_id == staff_id, Attempt.exam_id == exam_id)
        ):
            attempt.score, attempt.percent, attempt.passed = Decimal(40), Decimal(40), False
    gone = verify_certificate(database, _code_of(database, "0006"))
    assert (gone.status, gone.current) == ("not_passed", Decimal("40.00"))

    revoke_certificate(database, "fxzx-2026-2026-0007", "证书信息有误", actor="A1")
    revoked = verify_certificate(database, _code_of(database, "0010"))
    assert (revoked.certificate.serial, revoked.status, revoked.reason) == (
        "fxzx-2026-2026-0007", "revoked", "证书信息有误",
    )  # fmt: skip
    (revoking,) = [e for e in list_events(database) if e["action"] == "exam.certificate_revoke"]
    assert (revoking["object"], revoking["actor"]) == ("certificate:fxzx-2026-2026-0007", "A1")
    # a revoked serial is never given again
    assert "fxzx-2026-2026-0007" not in {v.serial for v in issue_certificates(database, KEY)}

    with pytest.raises(NotFoundError):
        verify_certificate(database, "ABCDE-23456")


def test_serials_and_codes_are_unique_in_the_database(bureau: str, database: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    issue_certificates(database, KEY, staff="0004")
    with pytest.raises(IntegrityError), database.session() as session:
        first = session.scalar(sa.select(Certificate))
        copy = Certificate(**{c.name: getattr(first, c.name) for c in Certificate.__table__.c
                              if c.name not in ("id", "code")}, code="ZZZZZ-ZZZZZ")  # fmt: skip
        session.add(copy)
        session.flush()


def test_a_code_is_the_hmac_of_its_serial() -> None:
    code = make_code(b"k" * 32, "fx-2026-2026-0001")
    assert len(code) == 11 and code[5] == "-"
    assert code == make_code(b"k" * 32, "fx-2026-2026-0001")
    assert code != make_code(b"j" * 32, "fx-2026-2026-0001")


def test_certificates_and_verify_on_the_command_line(bureau: str, tmp_path: Path) -> None:
    out_dir = tmp_path / "证书"
    code, out, err = run(bureau, "exam", "certificates", KEY, "--dept", "FIN", "-o",
                         str(out_dir), "--no-pdf")  # fmt: skip
    assert code == 0, err
    assert out.strip() == f"已生成 10 份合格证书（新发 10 份，重印 0 份），保存在 {out_dir}"
    files = sorted(p.name for p in out_dir.iterdir())
    assert files[0] == "fxzx-2026-2026-0001-0031.docx" and len(files) == 10
    import docx

    text = "\n".join(p.text for p in docx.Document(str(out_dir / files[0])).paragraphs)
    assert "合格证书" in text and "职工31（工号 0031，财务科）" in text
    assert "证书编号：fxzx-2026-2026-0001" in text and "2026年11月" in text
    code_line = next(line for line in text.splitlines() if line.startswith("验证码："))
    verification = code_line.split("：", 1)[1].split("（", 1)[0]
    code, out, err = run(bureau, "exam", "verify", verification)
    assert code == 0, err
    assert out.splitlines() == [
        "证书 fxzx-2026-2026-0001：职工31（工号 0031，财务科）",
        "2026年度法宣在线学法考试（fxzx-2026），成绩88.00%，等次良好，2026年11月23日及格",
        "有效：成绩与发证时一致。",
    ]
    code, out, err = run(bureau, "exam", "verify", "nothing-here", lang="en")
    assert code == 1 and out == ""
    assert err.splitlines()[0] == "Error: no certificate has the code nothing-here"
    code, out, _ = run(bureau, "exam", "revoke-certificate", "fxzx-2026-2026-0001", "--reason",
                       "重复发放")  # fmt: skip
    assert (code, out.strip()) == (0, "证书 fxzx-2026-2026-0001 已撤销")
    code, out, _ = run(bureau, "exam", "verify", verification)
    assert code == 2 and out.splitlines()[-1] == "已撤销：重复发放"
    code, _, err = run(bureau, "exam", "certificates", "fxzx-2026", "--staff", "0031",
                       "--dept", "FIN", "-o", str(out_dir), lang="en")  # fmt: skip
    assert code == 1 and err.strip() == "Error: give --staff NO or --dept D, not both"


@pytest.mark.skipif(pdf_converter() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_beside_the_word_file_with_libreoffice(bureau: str, database: Database,
                                                   tmp_path: Path) -> None:  # fmt: skip
    views = issue_certificates(database, KEY, staff="0031")
    documents, pdfs = write_certificates(views, tmp_path / "out")
    assert [p.suffix for p in documents] == [".docx"]
    assert pdfs is not None and [p.name for p in pdfs] == ["fxzx-2026-2026-0001-0031.pdf"]
    assert pdfs[0].read_bytes().startswith(b"%PDF")


def test_without_libreoffice_only_word_files(
    bureau: str, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    code, out, err = run(bureau, "exam", "certificates", KEY, "--staff", "0031", "-o",
                         str(tmp_path / "o"))  # fmt: skip
    assert (code, out.splitlines()) == (
        0,
        [f"已生成 1 份合格证书（新发 1 份，重印 0 份），保存在 {tmp_path / 'o'}"],
    )
    assert err.strip() == "本机未安装 LibreOffice（soffice），只生成了 Word 文件。"
    assert [p.suffix for p in (tmp_path / "o").iterdir()] == [".docx"]
