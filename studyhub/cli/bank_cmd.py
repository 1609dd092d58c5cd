"""``studyhub bank``: import, export and browse question banks."""

from __future__ import annotations

import sys

import click

from studyhub.cli.context import AppContext
from studyhub.cli.options import OUTPUT_FILE, QUESTION_TYPE
from studyhub.i18n import N_, msg, render, t

FORMAT_CHOICES = [
    "yaml", "json", "csv", "xlsx", "text", "docx", "gift", "aiken", "moodle-xml",
    "json-records", "jsonl", "tab-lines",
]  # fmt: skip
#: show a progress bar for imports of more lines (rows, paragraphs) than this: about 2,000
#: questions of a text bank, 5,000 rows of a workbook
PROGRESS_FROM = 5000


@click.group()
def bank() -> None:
    """Import, export and browse question banks."""


@bank.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--bank", "bank_key", metavar="KEY", help="Put every question into this bank.")
@click.option("--topic", metavar="KEY", help="Topic of the questions (default: the file's).")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), help="Format of the files.")
@click.option("--check", is_flag=True, help="Validate and report, write nothing.")
@click.option("--skip-unsupported", is_flag=True, help="Skip question types studyhub cannot ask.")
@click.option(
    "--skip-invalid", is_flag=True,
    help="Import the valid questions; write the invalid records to a rejects file.",
)  # fmt: skip
@click.option(
    "--rejects", "rejects", type=OUTPUT_FILE, metavar="FILE",
    help="The rejects file (default: NAME.rejects.csv next to the first file).",
)  # fmt: skip
@click.option("--retire-missing", is_flag=True, help="Hide questions no longer in the files.")
@click.option(
    "--map", "field_map", metavar="FIELD=PATH,...",
    help="Name the fields of JSON records, e.g. stem=content,options=choices[].content.",
)  # fmt: skip
@click.pass_obj
def import_(
    app: AppContext,
    files: tuple[str, ...],
    bank_key: str | None,
    topic: str | None,
    fmt: str | None,
    check: bool,
    skip_unsupported: bool,
    skip_invalid: bool,
    rejects: str | None,
    retire_missing: bool,
    field_map: str | None,
) -> None:
    """Import question-bank FILES (YAML/JSON, CSV, Excel, Word-style text or .docx, GIFT,
    Aiken, Moodle XML) in one transaction: all or nothing, unless --skip-invalid.

    --skip-invalid imports every valid question and writes each invalid record (file,
    place, field, reason and the record as it stands in the file) to NAME.rejects.csv
    next to the first file, or to --rejects FILE. --check writes nothing (the rejects file
    only when --rejects is given) and shows the first questions as they will be stored."""
    from studyhub.banks.importer import import_files
    from studyhub.cli.bank_import import show_preview, show_summary
    from studyhub.cli.progress import progress_bar
    from studyhub.errors import InputError

    if rejects is not None and not skip_invalid:
        raise InputError(msg("--rejects goes with --skip-invalid"))
    with progress_bar(t("bank.progress_label"), PROGRESS_FROM, t("bank.progress_unit")) as bar:
        summary = import_files(
            app.database(), files, bank=bank_key, topic=topic,
            format=_map_format(fmt, field_map, files), check=check,
            skip_unsupported=skip_unsupported, skip_invalid=skip_invalid,
            rejects_path=rejects, retire_missing=retire_missing, progress=bar,
            actor=app.actor(), field_map=_field_map(field_map, fmt),
        )  # fmt: skip
    if check:
        show_preview(summary)
    show_summary(summary, check)


def _field_map(text: str | None, fmt: str | None) -> dict[str, str] | None:
    """``--map stem=content,options=choices[].content`` as a dict (checked)."""
    if text is None:
        return None
    from studyhub.errors import InputError

    fields = ("stem", "options", "answer", "explanation", "type", "id")
    result: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, path = part.partition("=")
        name, path = name.strip(), path.strip()
        if not sep or name not in fields or not path:
            raise InputError(
                msg("--map: {part} is not FIELD=PATH", part=part),
                hint=msg("the fields are {fields}", fields=", ".join(fields)),
            )
        result[name] = path
    if fmt not in (None, "json-records", "jsonl"):
        raise InputError(msg("--map names the fields of JSON records (json-records, jsonl)"))
    return result


def _map_format(fmt: str | None, field_map: str | None, files: tuple[str, ...]) -> str | None:
    """With --map, .json files are records of another system, not studyhub's own JSON."""
    if fmt is None and field_map and all(f.lower().endswith(".json") for f in files):
        return "json-records"
    return fmt


@bank.command("export")
@click.argument("key")
@click.option(
    "--format", "fmt", type=click.Choice(["yaml", "json", "xlsx", "gift", "aiken"]),
    default="yaml", show_default=True, help="Format to write.",
)  # fmt: skip
@click.option("--output", "-o", type=OUTPUT_FILE, help="File (default: stdout).")
@click.option("--include-hidden", is_flag=True, help="Also export retired (hidden) questions.")
@click.pass_obj
def export(app: AppContext, key: str, fmt: str, output: str | None, include_hidden: bool) -> None:
    """Export bank KEY (its current question versions).

    Questions the format cannot express (Aiken: judge and fill; GIFT: several blanks, -> in
    an answer) are left out, each named on standard error."""
    from studyhub.banks.export import export_bank
    from studyhub.errors import InputError

    database = app.database()
    if output is None:
        if fmt == "xlsx" and sys.stdout.isatty():
            raise InputError(
                msg("an Excel file cannot be written to the terminal; use --output FILE")
            )
        summary = export_bank(database, key, fmt, sys.stdout.buffer, include_hidden=include_hidden)
        sys.stdout.flush()
    else:
        from studyhub.fileio import atomic_output

        with atomic_output(output) as stream:
            summary = export_bank(database, key, fmt, stream, include_hidden=include_hidden)
    for skipped in summary.skipped:
        click.echo(f"{t('bank.export_skipped', format=fmt)}: {render(skipped)}", err=True)
    if output is not None:
        click.echo(t("bank.exported", count=summary.written, path=output), err=True)


@bank.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def list_(app: AppContext, fmt: str) -> None:
    """List banks with their topic and question counts by type and status."""
    from dataclasses import asdict

    from studyhub.banks.browse import bank_list
    from studyhub.render import render_rows

    rows = [asdict(r) | {"total": r.total} for r in bank_list(app.database())]
    columns = [(k, t(f"col.{k}")) for k in
               ("key", "title", "topic", "single", "multiple", "judge", "fill", "ready",
                "hidden", "total")]  # fmt: skip
    click.echo(render_rows(rows, columns, fmt))


@bank.command("show")
@click.argument("key")
@click.option("--type", "qtype", type=QUESTION_TYPE)
@click.option("--tag", help="Only questions with this tag.")
@click.option("--include-hidden", is_flag=True, help="Also show retired (hidden) questions.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def show(
    app: AppContext, key: str, qtype: str | None, tag: str | None, include_hidden: bool, fmt: str
) -> None:
    """Show the questions of bank KEY (without answer keys)."""
    from dataclasses import asdict

    from studyhub.banks.browse import bank_questions
    from studyhub.render import render_rows, shorten

    rows = [
        asdict(r)
        for r in bank_questions(
            app.database(), key, type=qtype, tag=tag, include_hidden=include_hidden
        )
    ]
    if fmt == "table":
        for row in rows:
            row["stem"] = shorten(str(row["stem"]), 40)
    keys = ("id", "type", "difficulty", "stem", "source", "tags", "version", "status")
    columns = [(k, t(f"col.{k}")) for k in keys]
    click.echo(render_rows(rows, columns, fmt))


@bank.command("stats")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def stats(app: AppContext, fmt: str) -> None:
    """Question counts per bank, topic, type, difficulty and status."""
    from studyhub.banks.browse import bank_stats
    from studyhub.render import render_rows

    rows = bank_stats(app.database())
    columns = [(k, t(f"col.{k}")) for k in
               ("bank", "topic", "type", "difficulty", "status", "count")]  # fmt: skip
    click.echo(render_rows(rows, columns, fmt))


@bank.command("check-citations")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def check_citations(app: AppContext, fmt: str) -> None:
    """List every question citation that does not resolve to a stored statute article.

    Import the statutes first with ``studyhub law import``. Exits 1 when any is found.
    """
    from dataclasses import asdict

    from studyhub.laws import check_citations as check
    from studyhub.render import render_rows

    problems = check(app.database())
    if problems or fmt != "table":
        columns = [(k, t(f"col.{k}")) for k in ("bank", "question", "source", "reason")]
        click.echo(render_rows([asdict(p) for p in problems], columns, fmt))
    if problems:
        click.echo(t("bank.unresolved", count=len(problems)), err=True)
        raise SystemExit(1)
    if fmt == "table":
        click.echo(t("bank.citations_ok"))


@bank.command("review")
@click.option("--bank", "banks", multiple=True, metavar="KEY", help="Only this bank (repeatable).")
@click.option(
    "--ok",
    "ok",
    multiple=True,
    type=int,
    metavar="ID",
    help="Mark review ID still right (repeatable).",
)
@click.option(
    "--retire",
    "retire",
    multiple=True,
    type=int,
    metavar="ID",
    help="Retire the question of review ID (repeatable).",
)
@click.option("--all", "everything", is_flag=True, help="Also the reviews already settled.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def review(app: AppContext, banks: tuple[str, ...], ok: tuple[int, ...],
           retire: tuple[int, ...], everything: bool, fmt: str) -> None:  # fmt: skip
    """List the questions a law's new version put in doubt, with the old and new article
    side by side, the key and 解析; mark one still right (--ok ID) or retire it (--retire
    ID). To rewrite one, import its new version as usual: that settles its review. Until
    reviewed, no paper draws them (unless the exam says allow_unreviewed: true)."""
    from studyhub.banks.review import resolve_reviews, review_queue
    from studyhub.errors import InputError

    database = app.database()
    if ok or retire:
        if set(ok) & set(retire):
            raise InputError(msg("a review cannot be both --ok and --retire"))
        for ids, outcome in ((ok, "ok"), (retire, "retired")):
            if ids:
                count = resolve_reviews(database, ids, outcome, actor=app.actor())
                done = N_("review.done.ok") if outcome == "ok" else N_("review.done.retired")
                click.echo(t(done, count=count))
        return
    items = review_queue(database, banks=banks, include_closed=everything)
    if fmt == "json":
        import json
        from dataclasses import asdict

        click.echo(json.dumps([asdict(i) for i in items], ensure_ascii=False, indent=2,
                              default=str))  # fmt: skip
        return
    from studyhub.cli.review_view import show_reviews

    show_reviews(items)
    if items:
        click.echo(t("law.diff.legend", removed="[-…-]", added="{+…+}"))
    click.echo(t("review.count", count=len(items)))


@bank.command("check")
@click.argument("keys", nargs=-1, metavar="[KEY]...")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def check(app: AppContext, keys: tuple[str, ...], fmt: str) -> None:
    """Warn about explanations whose option letters cannot follow shuffled options.

    An explanation naming options by letter (A、C错误, 选项B, AB) is shown with the letters
    as the options were shown. Listed here: a letter beyond the options, a repeated letter, a
    range (A-C). Checks banks KEY (all when none are given); exits 0 (warnings only).
    """
    from dataclasses import asdict

    from studyhub.banks.checks import check_letters
    from studyhub.render import render_rows, shorten

    problems = check_letters(app.database(), keys)
    if problems or fmt != "table":
        rows = [asdict(p) for p in problems]
        if fmt == "table":
            for row in rows:
                row["explanation"] = shorten(str(row["explanation"]), 40)
        columns = [(k, t(f"col.{k}")) for k in ("bank", "question", "reason")]
        columns.append(("explanation", t("col.explanation")))
        click.echo(render_rows(rows, columns, fmt))
    if problems:
        click.echo(t("bank.letters_unmapped", count=len(problems)), err=True)
    elif fmt == "table":
        click.echo(t("bank.letters_ok"))


@bank.command("flagged")
@click.option(
    "--min-wrong",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Flag questions answered wrongly at least this often...",
)
@click.option(
    "--min-share",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="...and in at least this share of their answers.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def flagged(app: AppContext, min_wrong: int, min_share: float, fmt: str) -> None:
    """Questions many people get wrong (in exams and practice): check their key and wording."""
    from dataclasses import asdict
    from decimal import Decimal

    from studyhub.practice import flagged_questions
    from studyhub.render import render_rows

    rows = [
        asdict(f) | {"wrong_share": str(f.wrong_share)}
        for f in flagged_questions(app.database(), min_wrong=min_wrong,
                                   min_share=Decimal(str(min_share)))
    ]  # fmt: skip
    columns = [(k, t(f"col.{k}")) for k in ("bank", "question", "stem", "answers", "wrong",
                                            "wrong_share")]  # fmt: skip
    click.echo(render_rows(rows, columns, fmt))
