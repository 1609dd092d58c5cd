"""Two stored versions of a law compared (``studyhub law diff``), as text, Markdown or JSON.

The articles are matched by :func:`studyhub.laws.diff.diff_articles` (by text similarity,
not by number alone). The changed words are marked ``[-removed-]{+inserted+}`` in the
terminal and ``~~removed~~**inserted**`` in Markdown; JSON gives the runs as they are.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError
from studyhub.i18n import N_, msg, t
from studyhub.laws.diff import ArticleChange, diff_articles

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = ["DIFF_FORMATS", "KIND_LABELS", "LawDiff", "law_diff", "marked", "render_diff"]

DIFF_FORMATS = ("text", "markdown", "json")
KINDS = ("added", "removed", "renumbered", "changed")
#: the heading of each kind of change (also the review's word for it)
KIND_LABELS = {
    "added": N_("law.diff.added"),
    "removed": N_("law.diff.removed"),
    "renumbered": N_("law.diff.renumbered"),
    "changed": N_("law.diff.changed"),
}


@dataclass
class LawDiff:
    law: str
    title: str
    unit: str
    old_version: int
    old_date: dt.date | None
    new_version: int
    new_date: dt.date | None
    changes: list[ArticleChange] = field(default_factory=list)
    preamble_changed: bool = False

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for c in self.changes if c.kind == kind) for kind in KINDS}

    def as_json(self) -> dict[str, Any]:
        return {
            "law": self.law,
            "title": self.title,
            "old": {"version": self.old_version, "date": _iso(self.old_date)},
            "new": {"version": self.new_version, "date": _iso(self.new_date)},
            "preamble_changed": self.preamble_changed,
            "counts": self.counts(),
            "changes": [c.as_json() for c in self.changes],
        }


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def law_diff(
    database: Database,
    name: str,
    old: dt.date | str | None = None,
    new: dt.date | str | None = None,
) -> LawDiff:
    """What changed from the version of date ``old`` to that of ``new`` of a law (by short
    name or title): ``new`` defaults to the current version, ``old`` to the one before it."""
    import sqlalchemy as sa

    from studyhub.laws.store import find_law, law_version, version_articles, version_order
    from studyhub.models import Law, LawVersion

    _, short, _ = find_law(database, name)
    with database.session(readonly=True) as session:
        law = session.scalar(sa.select(Law).where(Law.short_name == short))
        assert law is not None
        after = law_version(session, law, new)
        if old is not None:
            before = law_version(session, law, old)
        else:
            versions = sorted(
                session.scalars(sa.select(LawVersion).where(LawVersion.law_id == law.id)),
                key=version_order,
            )
            earlier = [v for v in versions if version_order(v) < version_order(after)]
            if not earlier:
                raise InputError(
                    msg("{law} has no version older than {date} to compare with",
                        law=short, date=after.dated or "-"),
                    hint=msg("studyhub law list shows the versions"),
                )  # fmt: skip
            before = earlier[-1]
        changes = diff_articles(
            version_articles(session, law.id, before.version),
            version_articles(session, law.id, after.version),
        )
        preamble = "".join((before.preamble or "").split()) != "".join(
            (after.preamble or "").split()
        )
        return LawDiff(short, after.title, after.unit, before.version, before.dated,
                       after.version, after.dated, changes, preamble)  # fmt: skip


def render_diff(diff: LawDiff, fmt: str = "text") -> str:
    """The diff as terminal text, Markdown or JSON, in the UI language."""
    if fmt == "json":
        return json.dumps(diff.as_json(), ensure_ascii=False, indent=2)
    markdown = fmt == "markdown"
    never = t("law.undated")
    header = t("law.diff.header", title=diff.title, old=diff.old_date or never,
               new=diff.new_date or never)  # fmt: skip
    counts = diff.counts()
    lines = [
        f"# {header}" if markdown else header,
        "",
        t("law.diff.counts", unit=diff.unit, **counts),
    ]
    if not markdown and any(c.text_changed for c in diff.changes if c.old and c.new):
        lines.append(t("law.diff.legend", removed="[-…-]", added="{+…+}"))
    if diff.preamble_changed:
        lines.append(t("law.diff.preamble"))
    if not diff.changes and not diff.preamble_changed:
        lines.append(t("law.diff.same"))
    for kind in KINDS:
        group = [c for c in diff.changes if c.kind == kind]
        if not group:
            continue
        heading = t(KIND_LABELS[kind])
        lines += ["", f"## {heading}" if markdown else f"【{heading}】"]
        for change in group:
            lines.append(_change_line(change, markdown))
    return "\n".join(lines)


def _change_line(change: ArticleChange, markdown: bool) -> str:
    bullet = "- " if markdown else ""
    if change.kind == "added":
        assert change.new is not None
        return f"{bullet}{_strong(change.new.label, markdown)} {_text(change.new.text, markdown)}"
    if change.kind == "removed":
        assert change.old is not None
        return f"{bullet}{_strong(change.old.label, markdown)} {_text(change.old.text, markdown)}"
    assert change.old is not None and change.new is not None
    if change.kind == "renumbered":
        moved = t("law.diff.moved", old=change.old.label, new=change.new.label)
        if not change.text_changed:
            return f"{bullet}{moved}"
        return f"{bullet}{moved}{t('law.diff.and_changed')} {marked(change.words, markdown)}"
    return f"{bullet}{_strong(change.new.label, markdown)} {marked(change.words, markdown)}"


def marked(words: list[tuple[str, str]], markdown: bool = False) -> str:
    """Word-diff runs as one text: ``[-removed-]{+inserted+}`` (Markdown:
    ``~~removed~~**inserted**``); paragraphs indented under the first."""
    out = []
    for op, text in words:
        shown = _escape(text) if markdown else text
        if op == "=":
            out.append(shown)
        elif op == "-":
            out.append(f"~~{shown}~~" if markdown else f"[-{shown}-]")
        else:
            out.append(f"**{shown}**" if markdown else f"{{+{shown}+}}")
    return _paragraphs("".join(out), markdown)


def _text(text: str, markdown: bool) -> str:
    return _paragraphs(_escape(text) if markdown else text, markdown)


def _strong(label: str, markdown: bool) -> str:
    return f"**{label}**" if markdown else label


def _paragraphs(text: str, markdown: bool) -> str:
    return text.replace("\n", "  \n  " if markdown else "\n    ")


def _escape(text: str) -> str:
    """Markdown's emphasis and markup characters shown as they are."""
    return re.sub(r"([\\`*_~<>\[\]#|])", r"\\\1", text)
