"""Importing question-bank files into the database: validated, versioned, all or nothing.

Records stream from the parsers into one transaction in batches; if any file has any error
(or ``check`` is set) the transaction is rolled back, so a failed import writes nothing.
A question is identified by its external id, or by a hash of its normalised stem when its
format has no ids. Identical content changes nothing; changed content becomes a new version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyhub.banks.context import ParseContext
from studyhub.banks.record import QuestionRecord
from studyhub.banks.validate import HEADER_LIMITS, DuplicateCheck, check_record, unstorable_field
from studyhub.errors import InputError, LocatedError, MultipleErrors
from studyhub.i18n import Lazy, msg
from studyhub.values import has_nul, too_long, unstorable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database

__all__ = ["FileSummary", "ImportSummary", "import_files"]

BATCH = 500
#: names of the topics studyhub ships banks for
KNOWN_TOPICS = {
    "xi-rule-of-law": "习近平法治思想",
    "civil-code": "民法典",
    "st-progress-law": "科学技术进步法",
    "constitution": "宪法",
}

Progress = Callable[[int], None]


@dataclass
class FileSummary:
    path: str
    format: str
    bank: str
    questions: int = 0
    #: the unsupported questions left out, as "<place>: <reason>" (shown in the UI language)
    skipped: list[str | Lazy] = field(default_factory=list)


@dataclass
class BankCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    retired: int = 0
    created: bool = False


@dataclass
class ImportSummary:
    """What an import did (or, with ``check``, would do)."""

    files: list[FileSummary] = field(default_factory=list)
    banks: dict[str, BankCounts] = field(default_factory=dict)
    checked_only: bool = False

    def total(self, name: str) -> int:
        return sum(getattr(c, name) for c in self.banks.values())

    @property
    def added(self) -> int:
        return self.total("added")

    @property
    def changed(self) -> int:
        return self.total("changed")

    @property
    def unchanged(self) -> int:
        return self.total("unchanged")

    @property
    def retired(self) -> int:
        return self.total("retired")

    @property
    def skipped(self) -> list[str | Lazy]:
        return [s for f in self.files for s in f.skipped]


class _CheckOnly(Exception):
    """Raised inside the transaction to roll a --check run back."""


def import_files(
    database: Database,
    paths: Sequence[str | Path],
    *,
    bank: str | None = None,
    topic: str | None = None,
    format: str | None = None,
    check: bool = False,
    skip_unsupported: bool = False,
    retire_missing: bool = False,
    actor: str = "system",
    progress: Progress | None = None,
    field_map: dict[str, str] | None = None,
) -> ImportSummary:
    """Import question-bank files; raises MultipleErrors (and writes nothing) on any error.

    ``bank`` puts every question into that bank (default: the file's own bank key, else the
    file name); ``topic`` sets the topic (default: the file's, else the bank key).
    ``check`` validates everything and reports what would change without writing.
    ``field_map`` (``--map``) names the fields of JSON records the layouts do not detect.
    """
    if not paths:
        raise InputError(msg("no file to import"))
    summary = ImportSummary(checked_only=check)
    errors: list[LocatedError] = []
    try:
        with database.session() as session:
            writer = _Writer(session, summary, progress)
            duplicates = DuplicateCheck()
            for path in paths:
                ctx, records, file_summary = _open_file(Path(path), bank, format, skip_unsupported)
                ctx.field_map = field_map
                summary.files.append(file_summary)
                valid = _validated(ctx, records, duplicates, file_summary)
                try:
                    writer.write_file(ctx, file_summary, valid, topic, retire_missing)
                except LocatedError as err:
                    ctx.errors.append(err)
                errors.extend(ctx.errors)
                file_summary.skipped = [e.message_text for e in ctx.skipped]
            if errors:
                raise MultipleErrors(errors, what=msg("import"))
            if check:
                raise _CheckOnly
            _audit(session, actor, summary)
    except _CheckOnly:
        pass
    return summary


def _open_file(
    path: Path, bank: str | None, format: str | None, skip_unsupported: bool
) -> tuple[ParseContext, Iterator[QuestionRecord], FileSummary]:
    from studyhub.banks import formats

    if not path.is_file():
        raise InputError(msg("{path}: no such file", path=path))
    if format is None:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
        format = formats.detect(path, head)
    parse = formats.parser(format)
    ctx = ParseContext(path, str(path), skip_unsupported=skip_unsupported)
    records = parse(ctx)
    summary = FileSummary(str(path), format, bank or "")
    return ctx, records, summary


def _validated(
    ctx: ParseContext,
    records: Iterator[QuestionRecord],
    duplicates: DuplicateCheck,
    summary: FileSummary,
) -> Iterator[QuestionRecord]:
    """The records that pass every check (the others are reported to ``ctx``)."""
    for record in records:
        summary.questions += 1
        ok = check_record(ctx, record)
        ok = duplicates.check(ctx, _bank_key(ctx, summary), record) and ok
        if ok:
            yield record


class _Writer:
    """Writes records into banks in batches, inside the caller's transaction."""

    def __init__(self, session: Session, summary: ImportSummary, progress: Progress | None):
        self.session = session
        self.summary = summary
        self.progress = progress
        self.done = 0
        self.topic_ids: dict[str, int] = {}
        self.seen: dict[int, set[str]] = {}

    def write_file(
        self,
        ctx: ParseContext,
        file_summary: FileSummary,
        records: Iterator[QuestionRecord],
        topic: str | None,
        retire_missing: bool,
    ) -> None:
        # The bank key may come from the file's header, which native parsers fill in as
        # they read: take the first record before deciding which bank it goes to.
        records = iter(records)
        first = next(records, None)
        named = bool(file_summary.bank or ctx.header.key)
        bank_key = _bank_key(ctx, file_summary)
        file_summary.bank = bank_key
        if ctx.errors and first is None:
            return
        topic_key = topic or ctx.header.topic or bank_key
        if not _keys_fit(ctx, named, bank_key, topic_key):
            for _ in records:  # read on, to report every other error of the file
                pass
            return
        bank_id, counts = self._bank(bank_key, ctx.header.title or bank_key, topic_key, ctx)
        seen = self.seen.setdefault(bank_id, set())
        batch: list[QuestionRecord] = []
        stream = [first] if first is not None else []
        for record in _chain(stream, records):
            batch.append(record)
            if len(batch) >= BATCH:
                self._write_batch(bank_id, topic_key, batch, counts, seen)
                batch = []
        if batch:
            self._write_batch(bank_id, topic_key, batch, counts, seen)
        if retire_missing and not ctx.errors:
            counts.retired += self._retire(bank_id, seen)

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
        import sqlalchemy as sa

        from studyhub.models import Topic

        if key not in self.topic_ids:
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

        from studyhub.models import Question, QuestionVersion

        ids = [r.identity() for r in batch]
        hashes = [r.content_hash() for r in batch]
        seen.update(ids)
        rows = self.session.execute(
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
        existing = {row.external_id: row for row in rows}
        new_questions: list[tuple[QuestionRecord, str]] = []
        new_versions: list[tuple[int, int, QuestionRecord, str]] = []
        restored: list[int] = []
        for record, identity, digest in zip(batch, ids, hashes, strict=True):
            row = existing.get(identity)
            if row is None:
                new_questions.append((record, digest))
            elif row.content_hash != digest:
                new_versions.append((row.id, row.current_version + 1, record, digest))
                counts.changed += 1
            elif row.status == "hidden":
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
        self.done += len(batch)
        if self.progress is not None:
            self.progress(self.done)

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


def _keys_fit(ctx: ParseContext, named: bool, bank_key: str, topic_key: str) -> bool:
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


def _bank_key(ctx: ParseContext, summary: FileSummary) -> str:
    """--bank, else the file's own bank key, else one made from the file name."""
    return summary.bank or ctx.header.key or ctx.path.stem.replace("_", "-").lower()


def _audit(session: Session, actor: str, summary: ImportSummary) -> None:
    from studyhub.admin.audit import record_event

    for key, counts in summary.banks.items():
        record_event(
            session,
            actor=actor,
            action="bank.import",
            object_type="bank",
            object_key=key,
            details={
                "files": [f.path for f in summary.files if f.bank == key],
                "added": counts.added,
                "changed": counts.changed,
                "unchanged": counts.unchanged,
                "retired": counts.retired,
            },
        )
