"""What ``studyhub bank import`` shows: the first questions (``--check``), a table per file,
the warnings, the rejects, and the totals."""

from __future__ import annotations

from collections import Counter

import click

from studyhub.banks.record import LETTERS, QuestionRecord
from studyhub.banks.summary import ImportSummary
from studyhub.i18n import render, t

__all__ = ["show_preview", "show_summary"]

TYPES = ("single", "multiple", "judge", "fill")


def by_type(counts: Counter[str]) -> str:
    """``单选 3，判断 1`` (the types with a count; unknown types last)."""
    parts = [f"{t(f'quiz.type.{k}')} {counts[k]}" for k in TYPES if counts[k]]
    if counts[""]:
        parts.append(f"{t('bank.type_unknown')} {counts['']}")
    return t("bank.list_sep").join(parts)


def show_preview(summary: ImportSummary) -> None:
    """The first questions as they will be stored, so that a wrong column mapping is seen
    before anything is written."""
    if not summary.preview:
        return
    click.echo(t("bank.preview", count=len(summary.preview)))
    for number, (record, topic) in enumerate(summary.preview, 1):
        click.echo(
            t("bank.preview_head", number=number, type=t(f"quiz.type.{record.type}"),
              topic=topic, stem=" ".join(record.stem.split()))
        )  # fmt: skip
        for index, option in enumerate(record.options):
            click.echo(f"    {LETTERS[index]}. {' '.join(option.split())}")
        click.echo("    " + t("bank.preview_key", key=_key(record)))
    click.echo("")


def _key(record: QuestionRecord) -> str:
    if record.type in ("single", "multiple"):
        return "".join(LETTERS[i] for i in sorted(record.correct) if i < len(LETTERS))
    if record.type == "judge":
        return t("bank.truth_yes") if record.truth else t("bank.truth_no")
    return " ；".join(" / ".join(blank) for blank in record.blanks)


def show_summary(summary: ImportSummary, check: bool) -> None:
    from studyhub.render import render_rows

    rows = [
        {"file": f.path, "bank": f.bank, **{k: f.imported[k] for k in TYPES},
         "added": f.added, "changed": f.changed, "unchanged": f.unchanged,
         "retired": f.retired, "rejected": len(f.rejects), "repeats": f.repeats}
        for f in summary.files
    ]  # fmt: skip
    keys = ("file", "bank", *TYPES, "added", "changed", "unchanged", "retired", "rejected",
            "repeats")  # fmt: skip
    headings = {k: t(f"col.{k}") for k in TYPES} | {
        "file": t("bank.col.file"), "bank": t("bank.col.bank"), "added": t("bank.col.added"),
        "changed": t("bank.col.changed"), "unchanged": t("bank.col.unchanged"),
        "retired": t("bank.col.retired"), "rejected": t("bank.col.rejected"),
        "repeats": t("bank.col.repeats"),
    }  # fmt: skip
    click.echo(render_rows(rows, [(k, headings[k]) for k in keys], numbers=keys[2:]))
    for skipped in summary.skipped:
        click.echo(f"{t('bank.skipped')}: {render(skipped)}", err=True)
    for warning in summary.warnings:
        click.echo(t("bank.warning", text=warning.shown()), err=True)
    imported = summary.imported
    line = t("bank.imported", count=sum(imported.values()), types=by_type(imported) or "-")
    rejected = summary.rejected
    if summary.rejects:
        line += t("bank.list_sep") + t(
            "bank.rejected", count=len(summary.rejects), types=by_type(rejected)
        )
    click.echo(line)
    if summary.rejects_path is not None:
        click.echo(
            t("bank.rejects_written", count=len(summary.rejects), path=summary.rejects_path),
            err=True,
        )
    elif summary.rejects:
        click.echo(t("bank.rejects_not_written", count=len(summary.rejects)), err=True)
    click.echo(
        t("bank.import_total", added=summary.added, changed=summary.changed,
          unchanged=summary.unchanged)
        + (" " + t("bank.check_only") if check else "")
    )  # fmt: skip
