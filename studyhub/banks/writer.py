"""Writing validated records into banks, in batches, inside the importer's transaction.

A question is found by its identity (:meth:`QuestionRecord.identity`): its id, or for formats
without ids a hash of its content (:meth:`QuestionRecord.content_id`). Questions imported
before studyhub 0.20 by a hash of their stem alone are found under that hash and take the new
identity. Identical content changes nothing; changed content becomes a new version (and
settles the question's open reviews after a law changed: rewritten). A question retired in
review stays retired when imported again unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from studyhub.banks.context import ParseContext
from studyhub.banks.record import QuestionRecord
from studyhub.banks.review import close_rewritten, retired_in_review
from studyhub.banks.summary import BankCounts, FileSummary, ImportSummary
from studyhub.banks.validate import HEADER_LIMITS, unstorable_field
from studyhub.i18n import Lazy, msg
from studyhub.values import has_nul, too_long, unstorable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["BATCH", "KNOWN_TOPICS", "Writer", "bank_key_of", "keys_fit"]

BATCH = 500
#: names of the topics studyhub ships banks for
KNOWN_TOPICS = {
    "xi-rule-of-law": "习近平法治思想",
    "civil-code": "民法典",
    "st-progress-law": "科学技术进步法",
    "constitution": "宪法",
}
#: how many questions ``--check`` shows as they will be stored
PREVIEW = 5


class Writer:
    """Writes records into banks in batches, inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        summary: ImportSummary,
        progress: Callable[[QuestionRecord], None] | None = None,
    ):
        self.session = session
        self.summary = summary
        #: called after each batch with its last record
        self.progress = progress
        self.topic_ids: dict[str, int] = {}
        self.seen: dict[int, set[str]] = {}
        #: questions found under their pre-0.20 stem hash in this import
        self.claimed: set[int] = set()

    def write_file(
        self,
        ctx: ParseContext,
        file_summary: FileSummary,
        records: Iterator[QuestionRecord],
        topic: str | None,
        retire_missing: bool,
    ) -> None:
        """Write the file's records; retire the bank's questions the file does not hold when
        ``retire_missing`` (and no record of the file was left out)."""
        # The bank key may come from the file's header, which native parsers fill in as
        # they read: take the first record before deciding which bank it goes to.
        records = iter(records)
        first = next(records, None)
        named = bool(file_summary.bank or ctx.header.key)
        bank_key = bank_key_of(ctx, file_summary)
        file_summary.bank = bank_key
        if ctx.errors and first is None:
            return
        topic_key = topic or ctx.header.topic or bank_key
        if not keys_fit(ctx, named, bank_key, topic_key):
            for _ in records:  # read on, to report every other error of the file
                pass
            return
        bank_id, counts = self._bank(bank_key, ctx.header.title or bank_key, topic_key, ctx)
        seen = self.seen.setdefault(bank_id, set())
        before = (counts.added, counts.changed, counts.unchanged, counts.retired)
        batch: list[QuestionRecord] = []
        stream = [first] if first is not None else []
        for record in _chain(stream, records):
            batch.append(record)
            file_summary.imported[record.type] += 1
            if len(self.summary.preview) < PREVIEW:
                self.summary.preview.append((record, record.topic or topic_key))
            if len(batch) >= BATCH:
                self._write_batch(bank_id, topic_key, batch, counts, seen)
                batch = []
        if batch:
            self._write_batch(bank_id, topic_key, batch, counts, seen)
        if retire_missing and not ctx.errors:
            counts.retired += self._retire(bank_id, seen)
        file_summary.added = counts.added - before[0]
        file_summary.changed = counts.changed - before[1]
        file_summary.unchanged = counts.unchanged - before[2]
        file_summary.retired = counts.retired - before[3]

    def _bank(
        self, key: str, title: str, topic_key: str, ctx: ParseContext
    ) -> tuple[int, BankCounts]:
        import sqlalchemy as sa

        from studyhub.models import Bank

        counts = self.summary.banks.setdefault(key, BankCounts())
        topic_id = self._topic(topic_key)
        bank = self.session.scalar(sa.select(Bank).where(Bank.key == key))
        if bank is None:
            bank = Bank(key=key, title=title, topic_id=topic_id, version=ctx.header.version or "")
            self.session.add(bank)
            self.session.flush()
            counts.created = True
        else:
            if ctx.header.title and bank.title != ctx.header.title:
                bank.title = ctx.header.title
            if ctx.header.version and bank.version != ctx.header.version:
                bank.version = ctx.header.version
            if bank.topic_id is None:
                bank.topic_id = topic_id
        return bank.id, counts

    def _topic(self, key: str) -> int:
        if key not in self.topic_ids:
            import sqlalchemy as sa

            from studyhub.models import Topic

            topic_id = self.session.scalar(sa.select(Topic.id).where(Topic.key == key))
            if topic_id is None:
                topic = Topic(key=key, name=KNOWN_TOPICS.get(key, key))
                self.session.add(topic)
                self.session.flush()
                topic_id = topic.id
            self.topic_ids[key] = topic_id
        return self.topic_ids[key]

    def _write_batch(
        self,
        bank_id: int,
        topic_key: str,
        batch: list[QuestionRecord],
        counts: BankCounts,
        seen: set[str],
    ) -> None:
        import sqlalchemy as sa

        from studyhub.models import Question

        ids = [r.identity() for r in batch]
        hashes = [r.digest or r.content_hash() for r in batch]
        seen.update(ids)
        existing = {row.external_id: row for row in self._current(bank_id, ids)}
        self._find_legacy(bank_id, batch, ids, existing)
        new_questions: list[tuple[QuestionRecord, str]] = []
        new_versions: list[tuple[int, int, QuestionRecord, str]] = []
        restored: list[int] = []
        retired = retired_in_review(
            self.session,
            [(row.id, row.current_version) for row in existing.values() if row.status == "hidden"],
        )
        for record, identity, digest in zip(batch, ids, hashes, strict=True):
            row = existing.get(identity)
            if row is None:
                new_questions.append((record, digest))
            elif row.content_hash != digest:
                new_versions.append((row.id, row.current_version + 1, record, digest))
                counts.changed += 1
            elif row.status == "hidden" and row.id not in retired:
                restored.append(row.id)
                counts.changed += 1
            else:
                counts.unchanged += 1
        connection = self.session.connection()
        if restored:
            connection.execute(
                sa.update(Question).where(Question.id.in_(restored)).values(status="ready")
            )
        if new_questions:
            counts.added += len(new_questions)
            new_ids = [r.identity() for r, _ in new_questions]
            connection.execute(
                sa.insert(Question.__table__),
                [
                    {
                        "bank_id": bank_id,
                        "external_id": identity,
                        "topic_id": self._topic(r.topic or topic_key),
                        "status": "ready",
                        "current_version": 1,
                        "type": r.type,
                        "difficulty": r.difficulty,
                    }
                    for (r, _), identity in zip(new_questions, new_ids, strict=True)
                ],
            )
            id_of = {
                external_id: qid
                for external_id, qid in connection.execute(
                    sa.select(Question.external_id, Question.id).where(
                        Question.bank_id == bank_id, Question.external_id.in_(new_ids)
                    )
                )
            }
            new_versions.extend(
                (id_of[identity], 1, r, digest)
                for (r, digest), identity in zip(new_questions, new_ids, strict=True)
            )
        if new_versions:
            self._insert_versions(new_versions)
        if self.progress is not None:
            self.progress(batch[-1])

    def _current(self, bank_id: int, ids: list[str]) -> list[Any]:
        """The bank's questions with these ids, with their current content hash."""
        import sqlalchemy as sa

        from studyhub.models import Question, QuestionVersion

        return list(
            self.session.execute(
                sa.select(
                    Question.id,
                    Question.external_id,
                    Question.current_version,
                    Question.status,
                    QuestionVersion.content_hash,
                )
                .join(
                    QuestionVersion,
                    sa.and_(
                        QuestionVersion.question_id == Question.id,
                        QuestionVersion.version == Question.current_version,
                    ),
                )
                .where(Question.bank_id == bank_id, Question.external_id.in_(ids))
            ).all()
        )

    def _find_legacy(
        self, bank_id: int, batch: list[QuestionRecord], ids: list[str], existing: dict[str, Any]
    ) -> None:
        """Questions without ids that studyhub stored under a hash of their stem alone
        (before 0.20): found under that hash, they take their new identity (once each)."""
        import sqlalchemy as sa

        from studyhub.models import Question

        wanted = {
            record.stem_hash(): identity
            for record, identity in zip(batch, ids, strict=True)
            if record.external_id is None and identity not in existing
        }
        if not wanted:
            return
        for row in self._current(bank_id, list(wanted)):
            identity = wanted[row.external_id]
            if row.id in self.claimed or identity in existing:
                continue
            self.claimed.add(row.id)
            self.session.execute(
                sa.update(Question).where(Question.id == row.id).values(external_id=identity)
            )
            existing[identity] = row

    def _insert_versions(self, versions: list[tuple[int, int, QuestionRecord, str]]) -> None:
        import sqlalchemy as sa

        from studyhub.models import Question, QuestionTag, QuestionVersion

        connection = self.session.connection()
        connection.execute(
            sa.insert(QuestionVersion.__table__),
            [_version_row(qid, number, record, digest) for qid, number, record, digest in versions],
        )
        keys = {(qid, number) for qid, number, _, _ in versions}
        version_id = {
            (qid, number): vid
            for vid, qid, number in connection.execute(
                sa.select(
                    QuestionVersion.id, QuestionVersion.question_id, QuestionVersion.version
                ).where(QuestionVersion.question_id.in_([qid for qid, _ in keys]))
            )
            if (qid, number) in keys
        }
        tags = [
            {"version_id": version_id[(qid, number)], "tag": tag}
            for qid, number, record, _ in versions
            for tag in sorted(set(record.tags))
        ]
        if tags:
            connection.execute(sa.insert(QuestionTag.__table__), tags)
        close_rewritten(self.session, [qid for qid, number, _, _ in versions if number > 1])
        for qid, number, record, _ in versions:
            if number > 1:
                connection.execute(
                    sa.update(Question)
                    .where(Question.id == qid)
                    .values(current_version=number, status="ready", type=record.type,
                            difficulty=record.difficulty)
                )  # fmt: skip

    def _retire(self, bank_id: int, seen: set[str]) -> int:
        import sqlalchemy as sa

        from studyhub.models import Question

        retired = 0
        ids = self.session.execute(
            sa.select(Question.id, Question.external_id).where(
                Question.bank_id == bank_id, Question.status != "hidden"
            )
        ).all()
        missing = [row.id for row in ids if row.external_id not in seen]
        for start in range(0, len(missing), BATCH):
            chunk = missing[start : start + BATCH]
            self.session.execute(
                sa.update(Question).where(Question.id.in_(chunk)).values(status="hidden")
            )
            retired += len(chunk)
        return retired


def _version_row(
    question_id: int, number: int, record: QuestionRecord, digest: str
) -> dict[str, Any]:
    return {
        "question_id": question_id,
        "version": number,
        "type": record.type,
        "stem": record.stem,
        "options": list(record.options),
        "answer": record.answer_json(),
        "explanation": record.explanation,
        "source": record.source,
        "difficulty": record.difficulty,
        "points": record.points,
        "extra": record.extra_json(),
        "content_hash": digest,
    }


def _chain(first: list[QuestionRecord], rest: Iterable[QuestionRecord]) -> Iterator[QuestionRecord]:
    yield from first
    yield from rest


def keys_fit(ctx: ParseContext, named: bool, bank_key: str, topic_key: str) -> bool:
    """Whether the bank's key, topic, title and version fit their columns (and the reader
    refused none of the header's fields); reports those that do not (a native header's
    fields were already reported with their lines). Covers --bank, --topic and keys made
    from the file name (``named`` False) too."""
    # A header field refused by the reader (a NUL, say) may be one the database refuses too.
    fit = not any((e.location.field or "").startswith("bank.") for e in ctx.errors)
    values = {"key": bank_key, "title": ctx.header.title, "version": ctx.header.version}
    if topic_key != bank_key:  # a topic that is the bank key is reported as the key
        values["topic"] = topic_key
    for name, value in values.items():
        field = f"bank.{name}"
        if name == "key" and not named:
            message = _file_name_problem(field, value, HEADER_LIMITS[name])
        else:
            message = unstorable_field(field, value) or too_long(field, value, HEADER_LIMITS[name])
        if message is None:
            continue
        fit = False
        if not any(e.location.field == field for e in ctx.errors):
            ctx.error(ctx.at(field=field), message)
    return fit


def _file_name_problem(field: str, key: str, limit: int) -> Lazy | None:
    """Why a bank key made from the file name cannot be stored (an undecodable byte of the
    name, a name too long), saying how to give another; None when it can."""
    if unstorable(key) is not None and not has_nul(key):
        return msg(
            "{field} contains a lone surrogate (U+D800-U+DFFF), which is not a character"
            " (it is made from the file name: give one with --bank KEY)",
            field=field,
        )
    if len(key) > limit:
        return msg(
            "{field} is longer than {limit} characters (it is made from the file name: give one"
            " with --bank KEY)",
            field=field,
            limit=limit,
        )
    return unstorable_field(field, key)


def bank_key_of(ctx: ParseContext, summary: FileSummary) -> str:
    """--bank, else the file's own bank key, else one made from the file name."""
    return summary.bank or ctx.header.key or ctx.path.stem.replace("_", "-").lower()
