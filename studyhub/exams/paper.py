"""Papers: which questions a rule may draw, and drawing them reproducibly from a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

    from studyhub.exams.spec import PaperRule

__all__ = ["DrawnItem", "candidates", "check_rules", "draw_paper", "fixed_versions"]


@dataclass
class DrawnItem:
    version_id: int
    points: Decimal
    option_order: list[int] | None


def candidates(rule: PaperRule, exclude: set[int] | None = None) -> Select[Any]:
    """Current ready versions a rule may draw, as (question id, version id), in question-id
    order (the order the seed draws from)."""
    import sqlalchemy as sa

    from studyhub.models import Bank, Question, QuestionTag, QuestionVersion, Topic

    query = (
        sa.select(
            Question.id,
            QuestionVersion.id.label("version_id"),
        )
        .join(
            QuestionVersion,
            sa.and_(
                QuestionVersion.question_id == Question.id,
                QuestionVersion.version == Question.current_version,
            ),
        )
        .join(Topic, Topic.id == Question.topic_id)
        .where(
            Topic.key == rule.topic, Question.status == "ready", QuestionVersion.type == rule.type
        )
        .order_by(Question.id)
    )
    if rule.difficulty:
        low, high = rule.difficulty
        query = query.where(QuestionVersion.difficulty.between(low, high))
    for tag in rule.tags:
        query = query.where(
            sa.exists().where(QuestionTag.version_id == QuestionVersion.id, QuestionTag.tag == tag)
        )
    if rule.bank:
        query = query.join(Bank, Bank.id == Question.bank_id).where(Bank.key == rule.bank)
    if exclude:
        query = query.where(Question.id.not_in(exclude))
    return query


def _count(session: Session, rule: PaperRule) -> int:
    import sqlalchemy as sa

    return session.scalar(sa.select(sa.func.count()).select_from(candidates(rule).subquery())) or 0


def check_rules(session: Session, rules: list[PaperRule]) -> None:
    """Raise InputError naming every rule the banks cannot satisfy, with the shortfall."""
    problems = []
    for index, rule in enumerate(rules, start=1):
        available = _count(session, rule)
        if available < rule.count:
            problems.append(
                f"paper rule {index} ({rule.describe()}) needs {rule.count} questions, "
                f"the banks have {available} (short by {rule.count - available})"
            )
    if problems:
        raise InputError("; ".join(problems), hint="import more questions or change the rules")


def fixed_versions(session: Session, ids: list[str]) -> list[tuple[int, int, list[str]]]:
    """(question id, current version id, options) for each fixed question id, in order."""
    import sqlalchemy as sa

    from studyhub.models import Question, QuestionVersion

    rows = session.execute(
        sa.select(Question.external_id, Question.id, QuestionVersion.id, QuestionVersion.options,
                  Question.status)
        .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                       QuestionVersion.version == Question.current_version))
        .where(Question.external_id.in_(ids))
    ).all()  # fmt: skip
    found: dict[str, list[Any]] = {}
    for external_id, qid, vid, options, status in rows:
        found.setdefault(external_id, []).append((qid, vid, options, status))
    missing = [i for i in ids if i not in found]
    if missing:
        raise InputError(f"fixed paper: no question {', '.join(missing[:5])}")
    ambiguous = [i for i in ids if len(found[i]) > 1]
    if ambiguous:
        raise InputError(f"fixed paper: question id {ambiguous[0]} is in more than one bank")
    hidden = [i for i in ids if found[i][0][3] != "ready"]
    if hidden:
        raise InputError(f"fixed paper: question {hidden[0]} is not ready (hidden or draft)")
    return [(found[i][0][0], found[i][0][1], found[i][0][2]) for i in ids]


def draw_paper(
    session: Session,
    paper: dict[str, Any],
    seed: int,
    *,
    shuffle_questions: bool,
    shuffle_options: bool,
) -> list[DrawnItem]:
    """The paper for one attempt: the same seed and banks always give the same paper."""
    import sqlalchemy as sa

    from studyhub.exams.spec import PaperRule
    from studyhub.models import QuestionVersion

    rng = random.Random(seed)
    picked: list[tuple[int, Decimal]] = []
    if "fixed" in paper:
        points = Decimal(paper.get("points", "2"))
        picked = [(vid, points) for _, vid, _ in fixed_versions(session, list(paper["fixed"]))]
    else:
        used: set[int] = set()
        for data in paper.get("rules", []):
            rule = PaperRule.from_json(data)
            rows = session.execute(candidates(rule, used)).all()
            if len(rows) < rule.count:
                raise InputError(
                    f"paper rule {rule.describe()} needs {rule.count} questions, "
                    f"the banks have {len(rows)} now"
                )
            for qid, vid in rng.sample(rows, rule.count):
                used.add(qid)
                picked.append((vid, rule.points))
    if shuffle_questions:
        rng.shuffle(picked)
    option_counts = {
        vid: len(options or [])
        for vid, options in session.execute(
            sa.select(QuestionVersion.id, QuestionVersion.options).where(
                QuestionVersion.id.in_([vid for vid, _ in picked])
            )
        )
    }
    items = []
    for vid, points in picked:
        order: list[int] | None = None
        if option_counts.get(vid):
            order = list(range(option_counts[vid]))
            if shuffle_options:
                rng.shuffle(order)
        items.append(DrawnItem(vid, points, order))
    return items
