"""The questions a new text of a law puts in doubt, queued for review.

When the current version of a law changes (a newer version imported, or the current text
corrected), every question (not retired) whose current version cites an article of the
old text that the new text changed, renumbered or removed (or the preamble, when it
changed) gets a row in ``question_reviews``. Articles are matched as
:func:`studyhub.laws.diff.diff_articles` matches them, so a question citing 第五条 of a
text in which it became 第四条 is in doubt, and the review offers 第四条. A question whose
citation cannot be read is left to ``bank check-citations``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError
from studyhub.laws.citations import parse_citation
from studyhub.laws.diff import ArticleText, diff_articles
from studyhub.laws.statutes import short_name

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["PREAMBLE", "affected_articles", "queue_reviews"]

#: the (number, sub) a review stores for the preamble
PREAMBLE = (0, 0)

#: one text of a law: (version, articles in order, preamble)
Text = tuple[int, list[ArticleText], str | None]


def affected_articles(
    old: list[ArticleText],
    new: list[ArticleText],
    old_preamble: str | None,
    new_preamble: str | None,
) -> dict[tuple[int, int], dict[str, Any]]:
    """The old text's articles in doubt, by (number, sub): ``{"kind": "changed" |
    "renumbered" | "removed", "old": [number, sub], "new": [number, sub] | None}``."""
    found: dict[tuple[int, int], dict[str, Any]] = {}
    for change in diff_articles(old, new):
        if change.old is None:  # added: nothing cited it
            continue
        found[change.old.ref] = {
            "kind": change.kind,
            "old": list(change.old.ref),
            "new": list(change.new.ref) if change.new is not None else None,
        }
    same = "".join((old_preamble or "").split()) == "".join((new_preamble or "").split())
    if old_preamble and not same:
        found[PREAMBLE] = {
            "kind": "changed" if new_preamble else "removed",
            "old": list(PREAMBLE),
            "new": list(PREAMBLE) if new_preamble else None,
        }
    return found


def queue_reviews(session: Session, law_id: int, names: set[str], before: Text, after: Text) -> int:
    """Queue every question in doubt after the law's current text went from ``before`` to
    ``after``; ``names`` are the names citations give the law. Returns how many were
    queued (a question queued for this version already is not queued again)."""
    import sqlalchemy as sa

    from studyhub.models import Question, QuestionReview, QuestionVersion

    from_version, old, old_preamble = before
    to_version, new, new_preamble = after
    affected = affected_articles(old, new, old_preamble, new_preamble)
    if not affected:
        return 0
    rows = session.execute(
        sa.select(Question.id, Question.current_version, QuestionVersion.source)
        .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                       QuestionVersion.version == Question.current_version))
        .where(Question.status != "hidden", QuestionVersion.source != "")
    ).all()  # fmt: skip
    queued = set(
        session.scalars(
            sa.select(QuestionReview.question_id).where(
                QuestionReview.law_id == law_id, QuestionReview.to_version == to_version
            )
        )
    )
    cited: dict[str, list[dict[str, Any]]] = {}
    new_rows = []
    for question_id, version, source in rows:
        if source not in cited:
            cited[source] = _in_doubt(source, names, affected)
        if cited[source] and question_id not in queued:
            new_rows.append(
                {"question_id": question_id, "question_version": version, "law_id": law_id,
                 "from_version": from_version, "to_version": to_version,
                 "articles": cited[source], "status": "open"}
            )  # fmt: skip
    if new_rows:
        session.execute(sa.insert(QuestionReview), new_rows)
    return len(new_rows)


def _in_doubt(
    source: str, names: set[str], affected: dict[tuple[int, int], dict[str, Any]]
) -> list[dict[str, Any]]:
    try:
        citations = parse_citation(source)
    except InputError:
        return []
    found: list[dict[str, Any]] = []
    for citation in citations:
        if citation.law not in names and short_name(citation.law) not in names:
            continue
        refs = [PREAMBLE] if citation.preamble else list(citation.refs)
        for ref in refs:
            entry = affected.get(ref)
            if entry is not None and entry not in found:
                found.append(entry)
    return found
