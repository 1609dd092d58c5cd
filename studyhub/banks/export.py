"""Exporting a bank: its current versions, streamed to any exportable format."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from studyhub.banks.record import BankHeader, QuestionRecord
from studyhub.errors import NotFoundError
from studyhub.i18n import Lazy, msg

if TYPE_CHECKING:
    from studyhub.db import Database

__all__ = ["ExportSummary", "export_bank", "version_to_record"]


@dataclass
class ExportSummary:
    """What an export wrote: the number of questions, and each question the format cannot
    express (left out of the file) as "<id>: <reason>" (shown in the UI language)."""

    written: int = 0
    skipped: list[str | Lazy] = field(default_factory=list)


def version_to_record(
    external_id: str, topic: str | None, version: Any, tags: list[str]
) -> QuestionRecord:
    """The canonical record of a stored question version."""
    record = QuestionRecord(
        type=version.type,
        stem=version.stem,
        options=list(version.options or []),
        external_id=external_id,
        explanation=version.explanation,
        source=version.source,
        difficulty=version.difficulty,
        tags=sorted(tags),
        topic=topic,
        points=version.points,
    )
    if version.type in ("single", "multiple"):
        record.correct = list(version.answer)
    elif version.type == "judge":
        record.truth = bool(version.answer)
    else:
        record.blanks = [list(b) for b in version.answer]
    extra = version.extra or {}
    if "weights" in extra:
        record.weights = [Decimal(w) for w in extra["weights"]]
    if "feedback" in extra:
        record.feedback = list(extra["feedback"])
    return record


def export_bank(
    database: Database, key: str, format: str, stream: IO[bytes], *, include_hidden: bool = False
) -> ExportSummary:
    """Write bank ``key`` in ``format`` to ``stream``; says how many questions were written
    and which ones the format could not express."""
    from studyhub.banks import formats

    write = formats.exporter(format)
    unwritable = formats.unwritable(format)
    summary = ExportSummary()

    def counted(records: Iterator[QuestionRecord]) -> Iterator[QuestionRecord]:
        for record in records:
            reason = unwritable(record)
            if reason:
                summary.skipped.append(msg("{id}: {reason}", id=record.identity(), reason=reason))
            else:
                summary.written += 1
            yield record

    with database.session(readonly=True) as session:
        header, records = _bank_records(session, key, include_hidden)
        write(counted(records), header, stream)
    return summary


def _bank_records(
    session: Any, key: str, include_hidden: bool
) -> tuple[BankHeader, Iterator[QuestionRecord]]:
    import sqlalchemy as sa

    from studyhub.models import Bank, Question, QuestionTag, QuestionVersion, Topic

    bank = session.scalar(sa.select(Bank).where(Bank.key == key))
    if bank is None:
        raise NotFoundError(
            msg("no bank {key}", key=key), hint=msg("studyhub bank list shows the banks")
        )
    bank_topic = session.scalar(sa.select(Topic.key).where(Topic.id == bank.topic_id))
    header = BankHeader(
        key=bank.key, title=bank.title, topic=bank_topic, version=bank.version or None
    )
    query = (
        sa.select(Question.external_id, Topic.key.label("topic"), QuestionVersion)
        .join(
            QuestionVersion,
            sa.and_(
                QuestionVersion.question_id == Question.id,
                QuestionVersion.version == Question.current_version,
            ),
        )
        .outerjoin(Topic, Topic.id == Question.topic_id)
        .where(Question.bank_id == bank.id)
        .order_by(Question.id)
    )
    if not include_hidden:
        query = query.where(Question.status != "hidden")

    def records() -> Iterator[QuestionRecord]:
        for chunk in session.execute(query.execution_options(yield_per=500)).partitions():
            version_ids = [row.QuestionVersion.id for row in chunk]
            tags: dict[int, list[str]] = {}
            for vid, tag in session.execute(
                sa.select(QuestionTag.version_id, QuestionTag.tag).where(
                    QuestionTag.version_id.in_(version_ids)
                )
            ):
                tags.setdefault(vid, []).append(tag)
            for row in chunk:
                topic = row.topic if row.topic != bank_topic else None
                yield version_to_record(
                    row.external_id,
                    topic,
                    row.QuestionVersion,
                    tags.get(row.QuestionVersion.id, []),
                )

    return header, records()
