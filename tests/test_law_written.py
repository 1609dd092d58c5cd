"""The law version a question version cites (issue #23, item 4): the one in force when the
question version was written (its created_at), or the one its reviews name; check-citations
and the articles shown (review, practice) follow it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from studyhub.banks.importer import import_files
from studyhub.banks.review import resolve_reviews, review_queue
from studyhub.db import Database
from studyhub.laws import check_citations, import_law, question_articles
from studyhub.laws.written import cited_versions, law_versions, starts
from studyhub.models import Question, QuestionVersion
from tests.test_law_versions import V1, V2, write

#: V2 adopted (修订 2024-06-01) and imported, but in force only from 2099: a bank imported
#: now was written for V1, the text in force
V2_LATER = V2.replace("本法自2024年7月1日起施行", "本法自2099年1月1日起施行")

LATE = """\
bank: {key: late, topic: tl}
questions:
  - {id: a1, type: judge, stem: 同, answer: true, source: 测试法 第1条}
  - {id: a2, type: judge, stem: 改, answer: true, source: 测试法 第2条}
  - {id: a3, type: judge, stem: 删, answer: true, source: 测试法 第3条}
  - {id: a4, type: judge, stem: 移, answer: true, source: 测试法 第4条}
  - {id: a5, type: judge, stem: 新, answer: true, source: 测试法 第2条之一}
"""


def versions_of(database: Database) -> dict[str, int]:
    """The version of 测试法 each current question version cites, by question id."""
    with database.session(readonly=True) as session:
        rows = session.execute(
            sa.select(Question.external_id, QuestionVersion.id, Question.id,
                      QuestionVersion.version, QuestionVersion.source,
                      QuestionVersion.created_at)
            .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                           QuestionVersion.version == Question.current_version))
        ).all()  # fmt: skip
        cited = cited_versions(session, [tuple(r[1:]) for r in rows])
    return {r[0]: next(iter(cited[r[1]].values())) for r in rows if cited[r[1]]}


def backdate(database: Database, question: str, day: str) -> None:
    """The question's current version as written on ``day`` (noon, Beijing time)."""
    when = dt.datetime.fromisoformat(f"{day}T04:00:00+00:00")
    with database.session() as session:
        qid = session.scalar(sa.select(Question.id).where(Question.external_id == question))
        session.execute(
            sa.update(QuestionVersion)
            .where(QuestionVersion.question_id == qid)
            .values(created_at=when)
        )


def test_a_version_starts_on_the_later_of_its_date_and_its_effective_date() -> None:
    assert starts(dt.date(2024, 6, 1), dt.date(2024, 7, 1)) == dt.date(2024, 7, 1)
    # an amendment keeping the law's first 施行 date starts on its own date
    assert starts(dt.date(2017, 9, 1), dt.date(1996, 10, 1)) == dt.date(2017, 9, 1)
    assert starts(None, None) == dt.date.min


def test_a_bank_for_the_old_text_imported_after_the_new_one_is_caught(
    database: Database, tmp_path: Path
) -> None:
    """V2 is imported (and current) but not in force yet: a bank imported now cites V1; no
    review holds it, but check-citations says what the current text made of its articles."""
    import_law(database, write(tmp_path, "v1.md", V1))
    import_law(database, write(tmp_path, "v2.md", V2_LATER))
    import_files(database, [write(tmp_path, "late.yaml", LATE)])
    assert review_queue(database) == []
    with database.session(readonly=True) as session:
        (law,) = law_versions(session).values()
    assert (law.current, law.in_force(dt.date(2026, 1, 1)), law.in_force(dt.date(2099, 1, 1))) == (
        2, 1, 2)  # fmt: skip
    assert versions_of(database) == {"a1": 1, "a2": 1, "a3": 1, "a4": 1, "a5": 1}
    problems = {p.question: str(p.reason) for p in check_citations(database)}
    assert problems == {
        "a2": "测试法 第二条 of the version of 2020-01-01 is changed in the current text",
        "a3": "测试法 第三条 of the version of 2020-01-01 is not in the current text",
        "a4": "测试法 第四条 of the version of 2020-01-01 is 第三条 in the current text",
        # a5 names an article only the new text has: it was written for it
    }


def test_citations_resolve_in_the_version_in_force_when_written(
    database: Database, tmp_path: Path
) -> None:
    """V2 in force since 2024-07-01: a question written in 2022 cites V1, one written now V2.
    The same 第8条 is a renumbered article for the first, a citation that resolves only in
    an older version for the second."""
    import_law(database, write(tmp_path, "v1.md", V1))
    import_law(database, write(tmp_path, "v2.md", V2))
    bank = "bank: {key: b, topic: tl}\nquestions:\n" \
        "  - {id: old, type: judge, stem: 旧, answer: true, source: 测试法 第8条}\n" \
        "  - {id: new, type: judge, stem: 新, answer: true, source: 测试法 第8条}\n" \
        "  - {id: gap, type: judge, stem: 缺, answer: true, source: 测试法 第9条}\n"  # fmt: skip
    import_files(database, [write(tmp_path, "b.yaml", bank)])
    backdate(database, "old", "2022-03-01")
    backdate(database, "gap", "2022-03-01")
    assert versions_of(database) == {"old": 1, "new": 2, "gap": 1}
    problems = {p.question: str(p.reason) for p in check_citations(database)}
    assert problems == {
        "old": "测试法 第八条 of the version of 2020-01-01 is 第七条 in the current text",
        "new": "测试法 条 8 is only in the older version of 2020-01-01 (the current text has 1-7)",
        "gap": "测试法 has no 条 9 (it has 1-7)",
    }
    # the day a version starts is the day in Beijing: 2024-07-01 00:30 there is V2's first day
    with database.session() as session:
        session.execute(
            sa.update(QuestionVersion).values(
                created_at=dt.datetime(2024, 6, 30, 16, 30, tzinfo=dt.UTC)
            )
        )
    assert set(versions_of(database).values()) == {2}


def test_a_review_names_the_text_written_for_and_ok_settles_a_change(
    database: Database, tmp_path: Path
) -> None:
    """Imported before V2 (so reviewed from V1) though created after V2's date: the review
    decides. Still right (ok) settles a changed article, not a renumbered one."""
    import_law(database, write(tmp_path, "v1.md", V1))
    import_files(database, [write(tmp_path, "late.yaml", LATE)])
    import_law(database, write(tmp_path, "v2.md", V2))
    assert versions_of(database) == {"a1": 2, "a2": 1, "a3": 1, "a4": 1, "a5": 2}
    ids = {i.question: i.id for i in review_queue(database)}
    before = {p.question for p in check_citations(database)}
    assert before == {"a2", "a3", "a4"}
    resolve_reviews(database, [ids["a2"], ids["a4"]], "ok")
    after = {p.question: str(p.reason) for p in check_citations(database)}
    assert set(after) == {"a3", "a4"}  # a4's 第4条 still names another article now


def test_the_articles_shown_are_those_of_the_version_cited(
    database: Database, tmp_path: Path
) -> None:
    """What the review and practice show: the article of the version the question version
    cites, with that version's date when it is not the current one."""
    import_law(database, write(tmp_path, "v1.md", V1))
    import_law(database, write(tmp_path, "v2.md", V2_LATER))
    import_files(database, [write(tmp_path, "late.yaml", LATE)])
    with database.session(readonly=True) as session:
        version = dict(
            session.execute(
                sa.select(Question.external_id, QuestionVersion.id).join(
                    QuestionVersion, QuestionVersion.question_id == Question.id
                )
            ).all()
        )
    shown = question_articles(database, version.values())
    title = "中华人民共和国测试法"
    assert shown[version["a4"]] == [
        (f"{title}（2020-01-01 版） 第四条（第一章 总则）",
         "县级以上人民政府负责本行政区域内的示例工作。")
    ]  # fmt: skip
    assert shown[version["a2"]] == [
        (f"{title}（2020-01-01 版） 第二条（第一章 总则）", "示例活动应当遵循公开、公平的原则。")
    ]
    # an article only the current text has is read there, without a date
    assert shown[version["a5"]] == [
        (f"{title} 第二条之一（第一章 总则）", "国家鼓励社会力量参与示例活动。")
    ]
    # once the new text is in force, a new version of a question cites it
    rewritten = LATE.replace("stem: 移", "stem: 移动")
    with database.session() as session:
        session.execute(sa.text("UPDATE law_versions SET effective = :d WHERE version = 2"),
                        {"d": dt.date(2024, 7, 1)})  # fmt: skip
    import_files(database, [write(tmp_path, "late.yaml", rewritten)])
    with database.session(readonly=True) as session:
        newest = session.scalar(
            sa.select(sa.func.max(QuestionVersion.id))
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(Question.external_id == "a4")
        )
    assert question_articles(database, [newest])[newest] == [
        (f"{title} 第四条（第二章 法律责任）", "示例单位应当建立内部管理制度。")
    ]
