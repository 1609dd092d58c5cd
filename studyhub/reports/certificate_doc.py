"""A certificate as text (the terminal, ``exam verify``) and as a Word document (laid out
as the reports' documents are: :func:`studyhub.reports.docx_writer.render_docx`), and the
documents converted to PDF when LibreOffice (``soffice``) is on the machine."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from studyhub.i18n import t

if TYPE_CHECKING:
    from studyhub.reports.certificates import CertificateView, Verification

__all__ = [
    "certificate_docx",
    "certificate_lines",
    "pdf_converter",
    "verification_lines",
    "write_certificates",
]

#: how long LibreOffice may take to convert a batch of documents (seconds)
PDF_TIMEOUT_S = 600


def _score(view: CertificateView) -> str:
    from studyhub.reports.cells import points_and_percent

    return points_and_percent(view.points, view.percent)


def _date(day: object) -> str:
    import datetime as dt

    if isinstance(day, dt.date):
        return t("cert.date", year=day.year, month=day.month, day=day.day)
    return str(day)


def certificate_lines(view: CertificateView) -> list[str]:
    """The certificate's words, one paragraph a line (title first)."""
    lines = [
        t("cert.title"),
        t("cert.holder", name=view.name, staff_no=view.staff_no,
          department=view.department or "-"),
        t("cert.body", date=_date(view.passed_on), exam=view.exam_title, score=_score(view),
          band=view.band or t("cert.passed")),
        t("cert.serial", serial=view.serial),
        t("cert.code", code=view.code),
    ]  # fmt: skip
    if view.issuer:
        lines.append(t("cert.issuer", issuer=view.issuer))
    lines.append(t("cert.issued_on", date=_date(view.issued_on)))
    return lines


def certificate_docx(view: CertificateView) -> bytes:
    """The certificate as a Word document (A4, the official fonts)."""
    from studyhub.reports.docx_writer import render_docx

    title, *body = certificate_lines(view)
    return render_docx([], None, title=title, paragraphs=body)


def verification_lines(found: Verification) -> list[str]:
    """What ``exam verify`` says: whose it is, then whether the result stands."""
    from studyhub.reports.cells import points_and_percent

    view = found.certificate
    lines = [
        t("cert.verify.whose", serial=view.serial, name=view.name, staff_no=view.staff_no,
          department=view.department or "-"),
        t("cert.verify.result", exam=view.exam_title, key=view.exam, score=_score(view),
          band=view.band or t("cert.passed"), date=_date(view.passed_on)),
    ]  # fmt: skip
    now = points_and_percent(None, found.current) if found.current is not None else "-"
    status = {
        "valid": t("cert.verify.valid"),
        "regraded": t("cert.verify.regraded", score=now),
        "not_passed": t("cert.verify.not_passed", score=now),
        "revoked": t("cert.verify.revoked", reason=found.reason or "-"),
    }[found.status]
    lines.append(status)
    if found.superseded_by:
        lines.append(t("cert.verify.superseded", serial=found.superseded_by))
    return lines


def pdf_converter() -> str | None:
    """The LibreOffice program that converts to PDF, when one is on the PATH."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _file_name(view: CertificateView) -> str:
    safe = "".join(ch for ch in view.staff_no if ch.isalnum() or ch in "-_")
    return f"{view.serial}-{safe}.docx"


def write_certificates(
    views: Sequence[CertificateView], directory: str | Path, *, pdf: bool = True
) -> tuple[list[Path], list[Path] | None]:
    """Write each certificate as a docx into ``directory`` (created if missing), and, with
    ``pdf`` and LibreOffice on the machine, a PDF beside each. Returns (docx paths, PDF
    paths, or None when no PDF was made)."""
    from studyhub.errors import InputError
    from studyhub.fileio import atomic_output
    from studyhub.i18n import msg

    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise InputError(msg("{path} is not a directory", path=folder))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for view in views:
        target = folder / _file_name(view)
        with atomic_output(target) as stream:
            stream.write(certificate_docx(view))
        target.chmod(0o600)
        written.append(target)
    program = pdf_converter() if pdf else None
    if program is None or not written:
        return written, None
    return written, _convert(program, written, folder)


def _convert(program: str, documents: list[Path], folder: Path) -> list[Path]:
    """PDFs of ``documents`` by LibreOffice, headless, with a profile of its own (so that
    a LibreOffice already open on the machine does not get in the way)."""
    from studyhub.errors import InputError
    from studyhub.i18n import msg

    with tempfile.TemporaryDirectory(prefix="studyhub-soffice-") as profile:
        command = [
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, documents),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PDF_TIMEOUT_S)
        except (OSError, subprocess.SubprocessError) as err:
            raise InputError(
                msg("LibreOffice could not make the PDFs: {detail}", detail=str(err)),
                hint=msg("the Word files are written; give --no-pdf to skip the PDFs"),
            ) from None
    made = [doc.with_suffix(".pdf") for doc in documents]
    for path in made:
        if path.exists():
            path.chmod(0o600)
    return [path for path in made if path.exists()]
