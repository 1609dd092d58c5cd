"""``studyhub exam certificates / verify / revoke-certificate``: 合格证书 (registered on the
``exam`` group by studyhub.cli.exam_cmd)."""

from __future__ import annotations

import click

from studyhub.cli.context import AppContext
from studyhub.i18n import t


@click.command("certificates")
@click.argument("key")
@click.option("--staff", "staff_no", metavar="NO", help="Only NO's certificate.")
@click.option(
    "--dept",
    "department",
    metavar="D",
    help="Only the people of D and its sub-departments (on the exam's close day).",
)
@click.option(
    "--output",
    "-o",
    "output",
    metavar="DIR",
    required=True,
    type=click.Path(file_okay=False),
    help="The directory to write the documents to.",
)
@click.option(
    "--no-pdf",
    is_flag=True,
    help="Word documents only (by default also PDF when LibreOffice is installed).",
)
@click.pass_obj
def certificates(app: AppContext, key: str, staff_no: str | None, department: str | None,
                 output: str, no_pdf: bool) -> None:  # fmt: skip
    """Write a certificate (合格证书) for each person who passed exam KEY into DIR.

    Each names the person, their staff number and department, the exam, the day passed,
    the counted score and band, a serial (exam key, year, sequence) and a verification code
    (studyhub exam verify CODE). A person certified before gets the same certificate while
    their result stands; a changed result gets a new serial. Issuing is audited. A Word file
    each, and a PDF beside it when LibreOffice (soffice) is installed.
    """
    from studyhub.errors import InputError
    from studyhub.i18n import msg
    from studyhub.reports.certificate_doc import pdf_converter, write_certificates
    from studyhub.reports.certificates import issue_certificates

    if staff_no and department:
        raise InputError(msg("give --staff NO or --dept D, not both"))
    views = issue_certificates(
        app.database(), key, staff=staff_no, department=department, actor=app.actor()
    )
    if not views:
        click.echo(t("cert.none", key=key))
        return
    documents, pdfs = write_certificates(views, output, pdf=not no_pdf)
    new = sum(1 for v in views if v.new)
    click.echo(t("cert.written", count=len(documents), new=new, again=len(views) - new,
                 folder=output))  # fmt: skip
    if pdfs is not None:
        click.echo(t("cert.pdf_written", count=len(pdfs)))
    elif not no_pdf and pdf_converter() is None:
        click.echo(t("cert.no_pdf"), err=True)


@click.command("verify")
@click.argument("code")
@click.pass_obj
def verify(app: AppContext, code: str) -> None:
    """Whose certificate CODE is, and whether its result still stands (re-graded, no
    longer a pass, or revoked: it says so)."""
    from studyhub.reports.certificate_doc import verification_lines
    from studyhub.reports.certificates import verify_certificate

    found = verify_certificate(app.database(), code)
    for line in verification_lines(found):
        click.echo(line)
    if found.status != "valid":
        raise SystemExit(2)


@click.command("revoke-certificate")
@click.argument("serial")
@click.option("--reason", required=True, help="Why (kept with the certificate and audited).")
@click.pass_obj
def revoke_certificate(app: AppContext, serial: str, reason: str) -> None:
    """Revoke the certificate SERIAL (or with that code): verify then says so. The serial
    is never given to another certificate."""
    from studyhub.reports.certificates import revoke_certificate as revoke

    done = revoke(app.database(), serial, reason, actor=app.actor())
    click.echo(t("cert.revoked", serial=done))
