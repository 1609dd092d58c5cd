"""Checks on the stored questions that need nothing else (``studyhub bank check``).

Letter references in explanations: an explanation naming options by letter (``A、C错误``) is
rewritten to the letters shown when the options are shuffled (:mod:`studyhub.letters`); the
check lists the explanations with a reference that cannot be mapped (a letter beyond the
options, a repeated letter, a range), which would keep the bank's letters on a shuffled screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyhub.errors import NotFoundError
from studyhub.i18n import Lazy, msg
from studyhub.letters import problems

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = ["LetterProblem", "check_letters"]


@dataclass
class LetterProblem:
    bank: str
    question: str
    #: why a letter cannot be mapped (English as ``str()``, shown in the UI language)
    reason: str | Lazy
    explanation: str


def check_letters(database: Database, banks: Sequence[str] = ()) -> list[LetterProblem]:
    """Every current single- or multiple-choice question (not hidden) of ``banks`` (all when
    empty) whose explanation names an option letter that cannot be mapped."""
    import sqlalchemy as sa

    from studyhub.models import Bank, Question, QuestionVersion

    with database.session(readonly=True) as session:
        if banks:
            known = set(session.scalars(sa.select(Bank.key).where(Bank.key.in_(banks))))
            for key in banks:
                if key not in known:
                    raise NotFoundError(
                        msg("no bank {key}", key=key),
                        hint=msg("studyhub bank list shows the banks"),
                    )
        query = (
            sa.select(Bank.key, Question.external_id, QuestionVersion.options,
                      QuestionVersion.explanation)
            .join(Question, Question.bank_id == Bank.id)
            .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                           QuestionVersion.version == Question.current_version))
            .where(Question.status != "hidden", QuestionVersion.type.in_(("single", "multiple")),
                   QuestionVersion.explanation.is_not(None), QuestionVersion.explanation != "")
            .order_by(Bank.key, Question.external_id)
        )  # fmt: skip
        if banks:
            query = query.where(Bank.key.in_(banks))
        rows = session.execute(query).all()
    found = []
    for bank, question, options, explanation in rows:
        for reason in problems(explanation, len(options or [])):
            found.append(LetterProblem(bank, question, reason, explanation))
    return found
