"""Importing into the database: versioning, idempotence, all-or-nothing, retiring."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.banks.export import ExportSummary, export_bank
from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.errors import MultipleErrors
from studyhub.models import AuditEvent, Bank, Question, QuestionTag, QuestionVersion, Topic

BANK = """\
bank: {{key: demo, title: 演示题库, topic: civil-code}}
questions:
  - id: q1
    type: single
    stem: 成年人的年龄是？
    options: [十六周岁, 十八周岁]
    answer: {q1_answer}
    tags: [总则]
  - id: q2
    type: judge
    stem: 诉讼时效期间为三年。
    answer: true
  - id: q3
    type: fill
    stem: 民法典共____编。
    answer: [["7", "七"]]
"""


def bank_file(tmp_path: Path, name: str = "demo.yaml", q1_answer: str = "B") -> Path:
    path = tmp_path / name
    path.write_text(BANK.format(q1_answer=q1_answer), encoding="utf-8")
    return path


def counts(database: Database) -> dict[str, int]:
    with database.session(readonly=True) as session:
        return {
            model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Bank, Topic, Question, QuestionVersion, QuestionTag, AuditEvent)
        }


def test_import_then_reimport_changes_nothing(database: Database, tmp_path: Path) -> None:
    path = bank_file(tmp_path)
    first = import_files(database, [path])
    assert (first.added, first.changed, first.unchanged) == (3, 0, 0)
    assert first.banks["demo"].created
    before = counts(database)
    again = import_files(database, [path])
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    after = counts(database)
    assert after["question_versions"] == before["question_versions"] == 3
    assert after["audit_events"] == before["audit_events"] + 1
    with database.session() as session:
        topic = session.scalar(sa.select(Topic).where(Topic.key == "civil-code"))
        assert topic is not None and topic.name == "民法典"


def test_changed_content_makes_a_new_version_and_keeps_the_old(
    database: Database, tmp_path: Path
) -> None:
    import_files(database, [bank_file(tmp_path)])
    with database.session() as session:
        old = session.execute(
            sa.select(QuestionVersion.id, QuestionVersion.answer)
            .join(Question).where(Question.external_id == "q1")
        ).one()  # fmt: skip
    summary = import_files(database, [bank_file(tmp_path, q1_answer="A")])
    assert (summary.added, summary.changed, summary.unchanged) == (0, 1, 2)
    with database.session() as session:
        question = session.scalar(sa.select(Question).where(Question.external_id == "q1"))
        assert question is not None and question.current_version == 2
        versions = session.execute(
            sa.select(QuestionVersion.version, QuestionVersion.answer)
            .where(QuestionVersion.question_id == question.id)
            .order_by(QuestionVersion.version)
        ).all()
        assert [tuple(v) for v in versions] == [(1, [1]), (2, [0])]
        # the version an attempt may have pinned is untouched
        assert session.get(QuestionVersion, old.id).answer == [1]  # type: ignore[union-attr]


def test_failed_import_writes_nothing(database: Database, tmp_path: Path) -> None:
    good = bank_file(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "questions:\n  - id: b1\n    type: single\n    stem: 题\n    options: [甲, 乙, 丙, 丁]\n"
        "    answer: E\n",
        encoding="utf-8",
    )
    before = counts(database)
    with pytest.raises(MultipleErrors) as info:
        import_files(database, [good, bad])
    assert [e.reason for e in info.value.errors] == [
        f"{bad}, line 2, field answer: answer letter E is beyond the options (A-D)"
    ]
    assert info.value.reason.startswith("1 error in import, nothing was written:\n")
    assert counts(database) == before


def test_check_reports_without_writing(database: Database, tmp_path: Path) -> None:
    before = counts(database)
    summary = import_files(database, [bank_file(tmp_path)], check=True)
    assert summary.checked_only and summary.added == 3
    assert counts(database) == before


def test_duplicate_ids_name_both_places(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(
        "questions:\n"
        "  - {id: d1, type: judge, stem: 甲, answer: true}\n"
        "  - {id: d1, type: judge, stem: 乙, answer: false}\n",
        encoding="utf-8",
    )
    with pytest.raises(MultipleErrors) as info:
        import_files(database, [path])
    assert [e.reason for e in info.value.errors] == [
        f"{path}, line 3, field id: duplicate id d1 (first at {path}, line 2)"
    ]


def test_retire_missing_hides_and_reimport_restores(database: Database, tmp_path: Path) -> None:
    import_files(database, [bank_file(tmp_path)])
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(
        "bank: {key: demo}\nquestions:\n  - {id: q2, type: judge, stem: 诉讼时效期间为三年。, "
        "answer: true}\n",
        encoding="utf-8",
    )
    summary = import_files(database, [smaller], retire_missing=True)
    assert summary.retired == 2 and summary.unchanged == 1
    with database.session() as session:
        statuses = dict(session.execute(sa.select(Question.external_id, Question.status)).all())
    assert statuses == {"q1": "hidden", "q2": "ready", "q3": "hidden"}
    again = import_files(database, [bank_file(tmp_path)])
    assert again.changed == 2  # restored
    with database.session() as session:
        assert set(session.scalars(sa.select(Question.status))) == {"ready"}


def test_questions_without_ids_are_identified_by_their_content(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "noid.json"
    path.write_text(
        '[{"type": "judge", "stem": "宪法是根本法。", "answer": true},'
        ' {"type": "judge", "stem": "宪法 是根本法。", "answer": true}]',
        encoding="utf-8",
    )
    summary = import_files(database, [path], bank="b", check=True)
    assert summary.added == 1 and summary.files[0].repeats == 1
    assert [str(w) for w in summary.warnings] == [
        f"{path}, line 1: repeated question, written differently (spacing, explanation,"
        f" source...): the first is kept (first at {path}, line 1)"
    ]
    path.write_text(
        '[{"type": "judge", "stem": "宪法是根本法。", "answer": true}]', encoding="utf-8"
    )
    assert import_files(database, [path], bank="b").added == 1
    assert import_files(database, [path], bank="b").unchanged == 1


def test_many_errors_are_capped_at_fifty(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(
        "questions:\n"
        + "".join(f"  - {{id: m{i}, type: judge, stem: '', answer: true}}\n" for i in range(60)),
        encoding="utf-8",
    )
    with pytest.raises(MultipleErrors) as info:
        import_files(database, [path])
    lines = info.value.reason.splitlines()
    assert lines[0] == "60 errors in import, nothing was written:"
    assert len(lines) == 52 and lines[-1] == "... and 10 more"


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_database_round_trip(database: Database, tmp_path: Path, fmt: str) -> None:
    import_files(database, [bank_file(tmp_path)])
    buffer = io.BytesIO()
    assert export_bank(database, "demo", fmt, buffer) == ExportSummary(written=3, skipped=[])
    exported = tmp_path / f"exported.{fmt}"
    exported.write_bytes(buffer.getvalue())
    summary = import_files(database, [exported])
    assert (summary.added, summary.changed, summary.unchanged) == (0, 0, 3)


def test_shipped_banks_round_trip(database: Database, tmp_path: Path) -> None:
    from studyhub.banks import shipped_bank_files

    files = shipped_bank_files()
    first = import_files(database, files)
    for key in first.banks:
        buffer = io.BytesIO()
        export_bank(database, key, "yaml", buffer)
        (tmp_path / f"{key}.yaml").write_bytes(buffer.getvalue())
    again = import_files(database, sorted(tmp_path.glob("*.yaml")))
    assert again.added == again.changed == 0
    assert again.unchanged == first.added
