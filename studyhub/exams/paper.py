"""Papers: which questions a rule may draw, and drawing them reproducibly from a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError
from studyhub.i18n import Lazy, msg, msgn

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

    from studyhub.exams.spec import PaperRule

__all__ = [
    "DrawnItem",
    "candidates",
    "check_rules",
    "draw_paper",
    "fixed_in_review",
    "fixed_versions",
    "held_back",
    "in_review",
]


@dataclass
class DrawnItem:
    version_id: int
    points: Decimal
    option_order: list[int] | None


def candidates(
    rule: PaperRule,
    exclude: set[int] | None = None,
    *,
    topic_id: int | None = None,
    bank_id: int | None = None,
    waiting: frozenset[int] | None = None,
) -> Select[Any]:
    """The ids (and difficulties) of the ready questions a rule may draw; the seed draws from
    them in (difficulty, id) order, the order of the index they are read from. Topic, type
    and difficulty are the questions' own columns (give the topic's and bank's ids when known:
    the planner then uses that index alone); tags need the current version. A question
    awaiting review after a law changed is left out unless the rule allows it (give the
    ids awaiting review as ``waiting`` when known: none costs nothing then)."""
    import sqlalchemy as sa

    from studyhub.models import Bank, Question, QuestionTag, QuestionVersion, Topic

    if topic_id is None:
        topic_id = sa.select(Topic.id).where(Topic.key == rule.topic).scalar_subquery()  # type: ignore[assignment]
    query = sa.select(Question.id, Question.difficulty).where(
        Question.topic_id == topic_id, Question.status == "ready", Question.type == rule.type
    )
    if rule.difficulty:
        low, high = rule.difficulty
        query = query.where(Question.difficulty.between(low, high))
    for tag in rule.tags or ():
        # one EXISTS per tag, correlated to the question of the enclosing query
        query = query.where(
            sa.exists().where(
                QuestionTag.tag == tag,
                QuestionTag.version_id == QuestionVersion.id,
                QuestionVersion.question_id == Question.id,
                QuestionVersion.version == Question.current_version,
            )
        )
    if rule.bank:
        if bank_id is None:
            bank_id = sa.select(Bank.id).where(Bank.key == rule.bank).scalar_subquery()  # type: ignore[assignment]
        query = query.where(Question.bank_id == bank_id)
    if exclude:
        query = query.where(Question.id.not_in(exclude))
    if rule.allow_unreviewed or (waiting is not None and not waiting):
        return query
    if waiting is not None and len(waiting) <= WAITING_AS_LIST:
        return query.where(Question.id.not_in(sorted(waiting)))
    return query.where(~in_review(Question.id))


#: up to this many questions awaiting review are left out of a draw by their ids (a list the
#: query carries); more, by a subquery
WAITING_AS_LIST = 500


def in_review(question_id: Any) -> Any:
    """True for a question with an open review (a law it cites changed): SQL. An IN over
    the open reviews, read once per query (a correlated EXISTS, evaluated for every row a
    draw skips over, made drawing 50 of 100,000 questions eight times slower)."""
    import sqlalchemy as sa

    from studyhub.models import QuestionReview

    return question_id.in_(
        sa.select(QuestionReview.question_id).where(QuestionReview.status == "open")
    )


def held_back(session: Session, rules: list[PaperRule]) -> list[tuple[int, PaperRule, int]]:
    """``(index, rule, questions)`` for every rule (1 is the first) whose pool leaves out
    questions awaiting review (none when the rule allows them)."""
    import dataclasses

    found = []
    for index, rule in enumerate(rules, start=1):
        if rule.allow_unreviewed:
            continue
        everything = _count(session, dataclasses.replace(rule, allow_unreviewed=True))
        missing = everything - _count(session, rule)
        if missing:
            found.append((index, rule, missing))
    return found


def fixed_in_review(session: Session, ids: list[str]) -> list[str]:
    """The question ids of a fixed paper that await review, in the paper's order."""
    import sqlalchemy as sa

    from studyhub.models import Question

    waiting = set(
        session.scalars(
            sa.select(Question.external_id).where(
                Question.external_id.in_(ids), in_review(Question.id)
            )
        )
    )
    return [i for i in ids if i in waiting]


def _count(session: Session, rule: PaperRule) -> int:
    import sqlalchemy as sa

    pool = candidates(rule, **_ids(session, rule)).subquery()
    return session.scalar(sa.select(sa.func.count()).select_from(pool)) or 0


def check_rules(session: Session, rules: list[PaperRule]) -> None:
    """Raise InputError naming every rule the banks cannot satisfy, with the shortfall."""
    from studyhub.exams.paper_rule import Joined

    problems: list[str | Lazy] = []
    for index, rule in enumerate(rules, start=1):
        available = _count(session, rule)
        if available < rule.count:
            problems.append(
                msgn("paper rule {index} ({rule}) needs {n} question, "
                     "the banks have {available} (short by {short})",
                     "paper rule {index} ({rule}) needs {n} questions, "
                     "the banks have {available} (short by {short})",
                     rule.count, index=index, rule=rule.describe(), available=available,
                     short=rule.count - available)
            )  # fmt: skip
            waiting = held_back(session, [rule])
            if waiting:
                problems.append(
                    msgn("{n} more awaits review after a law changed (studyhub bank review)",
                         "{n} more await review after a law changed (studyhub bank review)",
                         waiting[0][2])
                )  # fmt: skip
    if problems:
        raise InputError(
            Joined(problems, "; ", "；"), hint=msg("import more questions or change the rules")
        )


def _ids(session: Session, rule: PaperRule) -> dict[str, Any]:
    """The topic's and bank's ids (-1 when missing: nothing matches), and the questions
    awaiting review."""
    return _ids_all(session, [rule])[0]


def _ids_all(session: Session, rules: list[PaperRule]) -> list[dict[str, Any]]:
    """:func:`_ids` of every rule, in one query."""
    import sqlalchemy as sa

    from studyhub.models import Bank, Topic

    topics = {r.topic for r in rules}
    banks = {r.bank for r in rules if r.bank}
    query = sa.select(sa.literal("topic").label("kind"), Topic.key, Topic.id).where(
        Topic.key.in_(topics)
    )
    if banks:
        query = query.union_all(
            sa.select(sa.literal("bank").label("kind"), Bank.key, Bank.id).where(
                Bank.key.in_(banks)
            )
        )
    found = {(kind, key): ident for kind, key, ident in session.execute(query)}
    waiting = _waiting(session) if not all(r.allow_unreviewed for r in rules) else None
    result = []
    for rule in rules:
        ids: dict[str, Any] = {"topic_id": found.get(("topic", rule.topic), -1)}
        if rule.bank:
            ids["bank_id"] = found.get(("bank", rule.bank), -1)
        if waiting is not None:
            ids["waiting"] = waiting
        result.append(ids)
    return result


def _waiting(session: Session) -> frozenset[int] | None:
    """The ids of the questions awaiting review, when few (None: too many to list)."""
    import sqlalchemy as sa

    from studyhub.models import QuestionReview

    ids = session.scalars(
        sa.select(QuestionReview.question_id)
        .where(QuestionReview.status == "open")
        .distinct()
        .limit(WAITING_AS_LIST + 1)
    ).all()
    return frozenset(ids) if len(ids) <= WAITING_AS_LIST else None


#: pools up to this many questions (all rules together) are read whole, ids only, in one
#: query; larger ones are read one picked row at a time (see :func:`_pick_all`)
READ_WHOLE_POOL = 5000


def _pick_all(session: Session, rules: list[PaperRule], rng: random.Random) -> list[list[int]]:
    """The question ids of every rule, drawn in a fixed number of queries: one for the
    candidates' counts, one for the picked rows. A question that an earlier rule took is
    drawn again for the later rule (rules rarely overlap)."""
    import sqlalchemy as sa

    if not rules:
        return []
    ids = _ids_all(session, rules)
    pools = [candidates(rule, **ids[n]).subquery(f"pool{n}") for n, rule in enumerate(rules)]
    counted = sa.union_all(
        *(sa.select(sa.literal(n).label("rule"), sa.func.count().label("n")).select_from(pool)
          for n, pool in enumerate(pools))
    )  # fmt: skip
    available = {int(n): int(count) for n, count in session.execute(counted)}
    positions: list[list[int]] = []
    for n, rule in enumerate(rules):
        if available[n] < rule.count:
            raise InputError(_short(rule, available[n]))
        positions.append(rng.sample(range(available[n]), rule.count))
    if sum(available.values()) <= READ_WHOLE_POOL:
        found = _read_pools(session, rules, ids)
    else:
        found = _read_positions(session, rules, ids, positions)
    used: set[int] = set()
    chosen: list[list[int]] = []
    for n, rule in enumerate(rules):
        try:
            drawn = [found[(n, pos)] for pos in positions[n]]
        except KeyError:  # questions hidden between the count and the read
            raise InputError(
                msg("the question banks changed while the paper was drawn"),
                hint=msg("start again"),
            ) from None
        if not used.isdisjoint(drawn):  # overlapping rules: draw again, avoiding what is taken
            drawn = _pick(session, rule, used, rng)
        used.update(drawn)
        chosen.append(drawn)
    return chosen


def _read_pools(
    session: Session, rules: list[PaperRule], ids: list[dict[str, Any]]
) -> dict[tuple[int, int], int]:
    """Every candidate's id, by (rule, position in (difficulty, id) order): one query."""
    import sqlalchemy as sa

    pools = sa.union_all(
        *(candidates(rule, **ids[n]).add_columns(sa.literal(n).label("rule"))
          for n, rule in enumerate(rules))
    ).subquery("pools")  # fmt: skip
    query = sa.select(pools.c.rule, pools.c.id).order_by(
        pools.c.rule, pools.c.difficulty, pools.c.id
    )
    found: dict[tuple[int, int], int] = {}
    position = 0
    current = -1
    for rule, qid in session.execute(query):
        if rule != current:
            current, position = rule, 0
        found[(int(rule), position)] = int(qid)
        position += 1
    return found


def _read_positions(
    session: Session,
    rules: list[PaperRule],
    ids: list[dict[str, Any]],
    positions: list[list[int]],
) -> dict[tuple[int, int], int]:
    """The picked rows only, each read in index order (no sort, no full scan): for pools too
    large to read whole."""
    import sqlalchemy as sa

    from studyhub.models import Question

    picks = []
    for n, rule in enumerate(rules):
        ordered = candidates(rule, **ids[n])
        for position in positions[n]:
            one = (
                ordered.order_by(Question.difficulty, Question.id)
                .limit(1)
                .offset(position)
                .subquery()
            )
            picks.append(
                sa.select(sa.literal(n).label("rule"), sa.literal(position).label("pos"), one.c.id)
            )
    return {(int(n), int(pos)): int(qid) for n, pos, qid in session.execute(sa.union_all(*picks))}


def _pick(session: Session, rule: PaperRule, used: set[int], rng: random.Random) -> list[int]:
    """``rule.count`` question ids at positions the seed picks among the candidates: only the
    count and the picked rows leave the database. A question an earlier rule already took
    is replaced by another position (rules rarely overlap, so this loop is short)."""
    import sqlalchemy as sa

    pool = candidates(rule, **_ids(session, rule)).subquery("pool")
    available = session.scalar(sa.select(sa.func.count()).select_from(pool)) or 0
    left = available - _overlap(session, pool, used)
    if left < rule.count:
        raise InputError(_short(rule, left))
    order = (pool.c.difficulty, pool.c.id)
    numbered = sa.select(
        pool.c.id, (sa.func.row_number().over(order_by=order) - 1).label("position")
    ).subquery("numbered")
    untried = list(range(available))
    chosen: list[int] = []
    while len(chosen) < rule.count:
        wanted = rule.count - len(chosen)
        positions = rng.sample(untried, wanted)
        taken = set(positions)
        untried = [p for p in untried if p not in taken]
        found = {
            position: qid
            for qid, position in session.execute(
                sa.select(numbered.c.id, numbered.c.position).where(
                    numbered.c.position.in_(positions)
                )
            )
        }
        chosen.extend(found[p] for p in positions if found[p] not in used)
        if len(chosen) < rule.count and not untried:
            raise InputError(
                msg("paper rule {rule} cannot be met without repeats", rule=rule.describe())
            )
    return chosen


def _short(rule: PaperRule, available: int) -> Lazy:
    """The message for a rule the banks can no longer fill."""
    return msgn("paper rule {rule} needs {n} question, the banks have {available} now",
                "paper rule {rule} needs {n} questions, the banks have {available} now",
                rule.count, rule=rule.describe(), available=available)  # fmt: skip


def _overlap(session: Session, pool: Any, used: set[int]) -> int:
    import sqlalchemy as sa

    if not used:
        return 0
    return (
        session.scalar(sa.select(sa.func.count()).select_from(pool).where(pool.c.id.in_(used))) or 0
    )


def _current_versions(session: Session, question_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Each question's current version id and its number of options."""
    import sqlalchemy as sa

    from studyhub.models import Question, QuestionVersion

    return {
        qid: (vid, len(options or []))
        for qid, vid, options in session.execute(
            sa.select(Question.id, QuestionVersion.id, QuestionVersion.options)
            .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                           QuestionVersion.version == Question.current_version))
            .where(Question.id.in_(question_ids))
        )
    }  # fmt: skip


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
        raise InputError(msg("fixed paper: no question {ids}", ids=", ".join(missing[:5])))
    ambiguous = [i for i in ids if len(found[i]) > 1]
    if ambiguous:
        raise InputError(
            msg("fixed paper: question id {id} is in more than one bank", id=ambiguous[0])
        )
    hidden = [i for i in ids if found[i][0][3] != "ready"]
    if hidden:
        raise InputError(
            msg("fixed paper: question {id} is not ready (hidden or draft)", id=hidden[0])
        )
    return [(found[i][0][0], found[i][0][1], found[i][0][2]) for i in ids]


def still_current(session: Session, items: list[DrawnItem]) -> bool:
    """Whether every question of a paper drawn a moment ago is still ready, in the version
    drawn (one query over the paper's questions, whatever the size of the bank)."""
    import sqlalchemy as sa

    from studyhub.models import Question, QuestionVersion

    ids = {item.version_id for item in items}
    if not ids:
        return True
    current = session.scalar(
        sa.select(sa.func.count())
        .select_from(QuestionVersion)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(
            QuestionVersion.id.in_(ids),
            Question.current_version == QuestionVersion.version,
            Question.status == "ready",
        )
    )
    return current == len(ids)


def draw_paper(
    session: Session,
    paper: dict[str, Any],
    seed: int,
    *,
    shuffle_questions: bool,
    shuffle_options: bool,
) -> list[DrawnItem]:
    """The paper for one attempt: the same seed and banks always give the same paper."""
    from studyhub.exams.spec import PaperRule

    rng = random.Random(seed)
    picked: list[tuple[int, Decimal, int]] = []  # version id, points, number of options
    if "fixed" in paper:
        from studyhub.exams import fixed_questions

        fixed = fixed_questions(paper)
        picked = [
            (vid, points, len(options or []))
            for (_, vid, options), (_, points) in zip(
                fixed_versions(session, [qid for qid, _ in fixed]), fixed, strict=True
            )
        ]
    else:
        rules = [PaperRule.from_json(data) for data in paper.get("rules", [])]
        for rule in rules:
            rule.allow_unreviewed = bool(paper.get("allow_unreviewed"))
        chosen = _pick_all(session, rules, rng)
        versions = _current_versions(session, [qid for ids in chosen for qid in ids])
        for rule, ids in zip(rules, chosen, strict=True):
            picked.extend((versions[qid][0], rule.points, versions[qid][1]) for qid in ids)
    if shuffle_questions:
        rng.shuffle(picked)
    items = []
    for vid, points, option_count in picked:
        order: list[int] | None = None
        if option_count:
            order = list(range(option_count))
            if shuffle_options:
                rng.shuffle(order)
        items.append(DrawnItem(vid, points, order))
    return items
