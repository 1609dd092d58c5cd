"""What ``studyhub bank review`` shows: each question in doubt with the old and the new text
of the articles it cites side by side (the changed words marked), its key and 解析."""

from __future__ import annotations

import shutil

import click

from studyhub.banks.review import ReviewItem
from studyhub.i18n import N_, t

__all__ = ["STATUS_LABELS", "show_reviews"]

STATUS_LABELS = {
    "open": N_("review.status.open"),
    "ok": N_("review.status.ok"),
    "rewritten": N_("review.status.rewritten"),
    "retired": N_("review.status.retired"),
}


def show_reviews(items: list[ReviewItem]) -> None:
    from studyhub.laws.compare import KIND_LABELS
    from studyhub.laws.diff import word_diff
    from studyhub.quiz.render import response_text
    from studyhub.render import key_value_lines, printable, side_by_side

    width = max(20, (min(shutil.get_terminal_size((100, 24)).columns, 160) - 3) // 2)
    never = t("law.undated")
    for item in items:
        click.echo(
            t("review.heading", id=item.id, bank=item.bank, question=item.question,
              type=t(f"quiz.type.{item.type}"), law=item.law, old=item.old_date or never,
              new=item.new_date or never)
        )  # fmt: skip
        if item.status != "open":
            click.echo(t("review.closed", status=t(STATUS_LABELS[item.status])))
        rows = [(t("review.stem"), item.stem)]
        if item.options:
            shown = "　".join(f"{chr(ord('A') + i)}. {o}" for i, o in enumerate(item.options))
            rows.append((t("review.options"), shown))
        rows.append((t("review.key"), response_text(item.type, item.options, item.answer)))
        if item.explanation:
            rows.append((t("quiz.review.explanation"), item.explanation))
        rows.append((t("quiz.review.source"), item.source))
        if item.suggested_source:
            rows.append((t("review.suggested"), item.suggested_source))
        for line in key_value_lines(rows):
            click.echo(line)
        for article in item.articles:
            click.echo("")
            kind = t(KIND_LABELS[article.kind])
            old_head = f"{t('review.old', date=item.old_date or never)} {article.old_label}"
            new_head = (
                f"{t('review.new', date=item.new_date or never)} {article.new_label}"
                if article.new_label is not None
                else t("review.gone", date=item.new_date or never)
            )
            click.echo(f"【{kind}】")
            left, right = article.old_text, article.new_text or ""
            if article.new_text is not None:
                left = right = ""
                for op, text in word_diff(article.old_text, article.new_text):
                    if op in "=-":
                        left += text if op == "=" else f"[-{text}-]"
                    if op in "=+":
                        right += text if op == "=" else f"{{+{text}+}}"
            for line in side_by_side(old_head, new_head, width):
                click.echo(printable(line))
            click.echo("-" * width + "-+-" + "-" * width)
            for line in side_by_side(left, right, width):
                click.echo(printable(line))
        click.echo("")
