"""Versions of a law (issue #23): importing a new text, the diff of two versions, the questions
a revision puts in doubt and their review, and citations that resolve only in an old text.

V1 and V2 are two small versions of one statute written here: 第二条 changed, 第二条之一
inserted, 第三条 removed, every article after it renumbered (第六条 and 第八条 changed too).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub import migrate
from studyhub.banks.importer import import_files
from studyhub.banks.review import resolve_reviews, review_queue, suggest_source
from studyhub.db import Database, open_database
from studyhub.errors import InputError, NotFoundError
from studyhub.laws import (
    ArticleText,
    check_citations,
    cited_articles,
    diff_articles,
    import_law,
    law_diff,
    law_list,
    parse_law,
    render_diff,
    word_diff,
)
from studyhub.models import LawArticle, LawVersion, Question, QuestionReview

V1 = """\
# 中华人民共和国测试法

2020年1月1日 第十三届全国人民代表大会常务委员会第十五次会议通过

## 第一章 总则

第一条 为了规范示例活动，制定本法。

第二条 示例活动应当遵循公开、公平的原则。

第三条 任何单位不得妨碍示例活动。

第四条 县级以上人民政府负责本行政区域内的示例工作。

## 第二章 法律责任

第五条 示例单位应当建立内部管理制度。

第六条 违反本法规定的，处二千元以下罚款。

第七条 公民有权举报违反本法的行为。

第八条 本法自2020年3月1日起施行。
"""

V2 = """\
# 中华人民共和国测试法

2020年1月1日 第十三届全国人民代表大会常务委员会第十五次会议通过

2024年6月1日 第十四届全国人民代表大会常务委员会第九次会议修订

## 第一章 总则

第一条 为了规范示例活动，制定本法。

第二条 示例活动应当遵循公开、公平、公正的原则。

第二条之一 国家鼓励社会力量参与示例活动。

第三条 县级以上人民政府负责本行政区域内的示例工作。

## 第二章 法律责任

第四条 示例单位应当建立内部管理制度。

第五条 违反本法规定的，处五千元以下罚款。

第六条 公民有权举报违反本法的行为。

第七条 本法自2024年7月1日起施行。
"""

#: one question per kind of citation; the comment says whether V2 puts it in doubt
BANK = """\
bank: {key: demo, topic: tl}
questions:
  - {id: q1, type: judge, stem: 一, answer: true, source: 测试法 第1条}          # same
  - {id: q2, type: single, stem: 二, options: [公开公平, 保密], answer: A,
     explanation: 第二条规定公开、公平。, source: 《测试法》第二条}              # changed
  - {id: q3, type: judge, stem: 三, answer: true, source: 测试法 第3条}          # removed
  - {id: q4, type: judge, stem: 四, answer: true, source: 测试法 第4条}          # renumbered
  - {id: q5, type: judge, stem: 五, answer: true, source: 测试法 第五条}         # renumbered
  - {id: q6, type: single, stem: 六, options: [二千元, 五千元], answer: A,
     source: 测试法 第6条第1款}                                            # renumbered, changed
  - {id: q7, type: judge, stem: 七, answer: true, source: 测试法}                # the law only
  - {id: q8, type: judge, stem: 八, answer: true, source: 测试法 第8条}    # renumbered, changed
  - {id: q9, type: judge, stem: 九, answer: true, source: 其他法 第3条}          # another law
  - {id: q10, type: judge, stem: 十, answer: true, source: 测试法 第1条；测试法 第2条之一}
"""
IN_DOUBT = {"q2", "q3", "q4", "q5", "q6", "q8"}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def articles(tmp_path: Path, text: str) -> list[ArticleText]:
    law = parse_law(write(tmp_path, "law.md", text))
    return [ArticleText(a.number, a.sub, a.label, a.text) for a in law.articles]


def revised(database: Database, tmp_path: Path, bank: str = BANK) -> None:
    """V1 stored, the bank imported, then V2."""
    import_law(database, write(tmp_path, "v1.md", V1))
    import_files(database, [write(tmp_path, "bank.yaml", bank)])
    import_law(database, write(tmp_path, "v2.md", V2))


def test_the_diff_is_exact(tmp_path: Path) -> None:
    changes = diff_articles(articles(tmp_path, V1), articles(tmp_path, V2))
    found = [
        (c.kind, c.old.label if c.old else None, c.new.label if c.new else None, c.text_changed)
        for c in changes
    ]
    assert found == [
        ("added", None, "第二条之一", False),
        ("removed", "第三条", None, False),
        ("renumbered", "第四条", "第三条", False),
        ("renumbered", "第五条", "第四条", False),
        ("renumbered", "第六条", "第五条", True),
        ("renumbered", "第七条", "第六条", False),
        ("renumbered", "第八条", "第七条", True),
        ("changed", "第二条", "第二条", True),
    ]
    fine = next(c for c in changes if c.old and c.old.label == "第六条")
    assert fine.words == [
        ("=", "违反本法规定的，处"),
        ("-", "二"),
        ("+", "五"),
        ("=", "千元以下罚款。"),
    ]
    assert diff_articles(articles(tmp_path, V1), articles(tmp_path, V1)) == []


def test_renumbered_articles_are_matched_by_text_not_by_number(tmp_path: Path) -> None:
    """Two articles swapped: the numbers alone would say both changed."""
    swapped = V1.replace("第四条 县级", "第四条 示例单位应当建立内部管理制度。\n\n第X条 县级")
    swapped = swapped.replace("第五条 示例单位应当建立内部管理制度。", "")
    swapped = swapped.replace("第X条 县级", "第五条 县级")
    changes = diff_articles(articles(tmp_path, V1), articles(tmp_path, swapped))
    assert [(c.kind, c.old.label, c.new.label) for c in changes] == [  # type: ignore[union-attr]
        ("renumbered", "第五条", "第四条"),  # in the new text's order
        ("renumbered", "第四条", "第五条"),
    ]


def test_a_rewritten_article_under_the_threshold_is_removed_and_added(tmp_path: Path) -> None:
    other = V1.replace("任何单位不得妨碍示例活动。", "国务院制定具体办法并组织实施。")
    kinds = [(c.kind, (c.old or c.new).label) for c in diff_articles(  # type: ignore[union-attr]
        articles(tmp_path, V1), articles(tmp_path, other))]  # fmt: skip
    assert kinds == [("added", "第三条"), ("removed", "第三条")]


def test_word_diff_keeps_numbers_whole() -> None:
    assert word_diff("本法自2020年3月1日起施行。", "本法自2024年7月1日起施行。") == [
        ("=", "本法自"),
        ("-", "2020年3"),
        ("+", "2024年7"),
        ("=", "月1日起施行。"),
    ]


def test_a_new_text_is_a_new_version(database: Database, tmp_path: Path) -> None:
    first = import_law(database, write(tmp_path, "v1.md", V1))
    assert (first.outcome, first.dated.isoformat(), first.current) == ("new", "2020-01-01", True)  # type: ignore[union-attr]
    second = import_law(database, write(tmp_path, "v2.md", V2))
    assert (second.outcome, str(second.dated), second.current, second.articles) == (
        "version", "2024-06-01", True, 8)  # fmt: skip
    again = import_law(database, write(tmp_path, "v1.md", V1))
    assert (again.outcome, str(again.dated), again.current) == ("unchanged", "2020-01-01", False)
    listed = [(r["version"].isoformat(), r["current"], r["articles"]) for r in law_list(database)]  # type: ignore[attr-defined]
    assert listed == [("2020-01-01", False, "8 条"), ("2024-06-01", True, "8 条")]
    # an article in any version; 第二条之一 is an article of its own
    assert (
        cited_articles(database, "测试法 第3条")[0][1]
        == "县级以上人民政府负责本行政区域内的示例工作。"
    )
    old = cited_articles(database, "测试法 第3条", version="2020-01-01")
    assert old == [
        (
            "中华人民共和国测试法（2020-01-01 版） 第三条（第一章 总则）",
            "任何单位不得妨碍示例活动。",
        )
    ]
    assert cited_articles(database, "测试法 第2条之一")[0][1] == "国家鼓励社会力量参与示例活动。"
    with pytest.raises(NotFoundError, match="no such"):
        cited_articles(database, "测试法 第2条之一", version="2020-01-01")
    with pytest.raises(NotFoundError, match="测试法 has no version of 2019-01-01"):
        cited_articles(database, "测试法 第1条", version="2019-01-01")
    with pytest.raises(InputError, match="not a date"):
        cited_articles(database, "测试法 第1条", version="2019-13-01")


def test_an_older_text_imported_last_does_not_become_current(
    database: Database, tmp_path: Path
) -> None:
    import_files(database, [write(tmp_path, "bank.yaml", BANK)])
    import_law(database, write(tmp_path, "v2.md", V2))
    old = import_law(database, write(tmp_path, "v1.md", V1))
    assert (old.outcome, old.current, old.queued) == ("version", False, 0)
    assert cited_articles(database, "测试法 第7条")[0][1] == "本法自2024年7月1日起施行。"
    assert review_queue(database) == []


def test_an_undated_text_needs_a_date_once_the_law_is_stored(
    database: Database, tmp_path: Path
) -> None:
    undated = V1.replace("2020年1月1日 第十三届全国人民代表大会常务委员会第十五次会议通过\n", "")
    assert import_law(database, write(tmp_path, "a.md", undated)).dated is None
    other = undated.replace("公开、公平的原则", "公开、公平、公正的原则")
    with pytest.raises(InputError, match="gives no date") as caught:
        import_law(database, write(tmp_path, "b.md", other))
    assert "--version" in str(caught.value.hint)
    summary = import_law(database, write(tmp_path, "b.md", other), version="2024年6月1日")
    assert (summary.outcome, str(summary.dated), summary.current) == ("version", "2024-06-01", True)
    assert law_list(database)[0]["version"] is None  # undated: the oldest


def test_the_same_date_with_another_text_corrects_that_version(
    database: Database, tmp_path: Path
) -> None:
    import_law(database, write(tmp_path, "v1.md", V1))
    import_files(database, [write(tmp_path, "bank.yaml", BANK)])
    fixed = V1.replace("公开、公平的原则", "公开、公平、公正的原则")
    summary = import_law(database, write(tmp_path, "fixed.md", fixed))
    assert (summary.outcome, summary.queued) == ("corrected", 1)  # q2 cites 第二条
    assert len(law_list(database)) == 1
    assert [i.question for i in review_queue(database)] == ["q2"]


def test_the_questions_citing_what_changed_and_only_those_await_review(
    database: Database, tmp_path: Path
) -> None:
    hidden = BANK + "  - {id: q11, type: judge, stem: 十一, answer: true, source: 测试法 第3条}\n"
    import_law(database, write(tmp_path, "v1.md", V1))
    import_files(database, [write(tmp_path, "bank.yaml", hidden)])
    with database.session() as session:  # a question already retired stays out
        session.execute(
            sa.update(Question).where(Question.external_id == "q11").values(status="hidden")
        )
    summary = import_law(database, write(tmp_path, "v2.md", V2))
    assert summary.queued == len(IN_DOUBT)
    items = {i.question: i for i in review_queue(database)}
    assert set(items) == IN_DOUBT
    kinds = {q: [(a.kind, a.old_label, a.new_label) for a in i.articles] for q, i in items.items()}
    assert kinds == {
        "q2": [("changed", "第二条", "第二条")],
        "q3": [("removed", "第三条", None)],
        "q4": [("renumbered", "第四条", "第三条")],
        "q5": [("renumbered", "第五条", "第四条")],
        "q6": [("renumbered", "第六条", "第五条")],
        "q8": [("renumbered", "第八条", "第七条")],
    }
    q2 = items["q2"]
    assert (str(q2.old_date), str(q2.new_date), q2.answer, q2.explanation) == (
        "2020-01-01", "2024-06-01", [0], "第二条规定公开、公平。")  # fmt: skip
    assert q2.articles[0].old_text == "示例活动应当遵循公开、公平的原则。"
    assert q2.articles[0].new_text == "示例活动应当遵循公开、公平、公正的原则。"
    # moved articles are offered their new number, in the numerals the source used
    suggested = {q: i.suggested_source for q, i in items.items()}
    assert suggested == {"q2": None, "q3": None, "q4": "测试法 第3条", "q5": "测试法 第四条",
                         "q6": "测试法 第5条第1款", "q8": "测试法 第7条"}  # fmt: skip
    # importing V2 again queues nothing more
    assert import_law(database, write(tmp_path, "v2.md", V2)).queued == 0


def test_suggested_sources() -> None:
    moves = {(4, 0): (3, 0), (5, 0): (4, 1)}
    assert (
        suggest_source("《测试法》第4条；民法典 第4条", "测试法", moves)
        == "《测试法》第3条；民法典 第4条"
    )
    assert suggest_source("测试法 第五条", "测试法", moves) == "测试法 第四条之一"
    assert suggest_source("测试法 第4、5条", "测试法", moves) is None  # a list: not rewritten


def test_reviews_are_settled_three_ways(database: Database, tmp_path: Path) -> None:
    revised(database, tmp_path)
    ids = {i.question: i.id for i in review_queue(database)}
    # still right
    assert resolve_reviews(database, [ids["q4"], ids["q5"]], "ok", actor="admin") == 2
    # retired: hidden, and importing it again unchanged does not bring it back
    assert resolve_reviews(database, [ids["q3"]], "retired", actor="admin") == 1
    # rewritten: a new version through a normal bank import
    rewritten = BANK.replace("source: 测试法 第6条第1款", "source: 测试法 第5条第1款")
    import_files(database, [write(tmp_path, "bank.yaml", rewritten)])
    assert {i.question for i in review_queue(database)} == {"q2", "q8"}
    settled = {i.question: i.status for i in review_queue(database, include_closed=True)}
    assert settled == {"q2": "open", "q3": "retired", "q4": "ok", "q5": "ok",
                       "q6": "rewritten", "q8": "open"}  # fmt: skip
    with database.session(readonly=True) as session:
        status = dict(session.execute(sa.select(Question.external_id, Question.status)).all())
    assert status["q3"] == "hidden" and status["q6"] == "ready"
    with pytest.raises(NotFoundError, match=f"no open review {ids['q4']}"):
        resolve_reviews(database, [ids["q4"]], "ok")
    assert len(review_queue(database, banks=["demo"])) == 2
    with pytest.raises(NotFoundError, match="no bank nope"):
        review_queue(database, banks=["nope"])


def test_citations_that_resolve_only_in_an_older_version(
    database: Database, tmp_path: Path
) -> None:
    revised(database, tmp_path)
    # written for the old text, imported after the new one: no review, its 第8条 is gone
    late = "bank: {key: late, topic: tl}\nquestions:\n" \
        "  - {id: z1, type: judge, stem: 晚, answer: true, source: 测试法 第8条}\n"  # fmt: skip
    import_files(database, [write(tmp_path, "late.yaml", late)])
    ids = {i.question: i.id for i in review_queue(database)}
    resolve_reviews(database, [ids["q4"]], "ok")  # still right, but its citation is not
    resolve_reviews(database, [ids["q3"]], "retired")
    problems = {p.question: str(p.reason) for p in check_citations(database)}
    assert problems == {
        # awaiting review: the article it was written for changed (an "ok" would settle it)
        "q2": "测试法 第二条 of the version of 2020-01-01 is changed in the current text",
        # a question in doubt: what became of the article it cites, though 第4条 resolves
        "q4": "测试法 第四条 of the version of 2020-01-01 is 第三条 in the current text",
        "q5": "测试法 第五条 of the version of 2020-01-01 is 第四条 in the current text",
        "q6": "测试法 第六条 of the version of 2020-01-01 is 第五条 in the current text",
        "q8": "测试法 第八条 of the version of 2020-01-01 is 第七条 in the current text",
        "q9": "unknown law 其他法",
        "z1": "测试法 条 8 is only in the older version of 2020-01-01 (the current text has 1-7)",
    }
    # a rewritten question cites the current text
    rewritten = BANK.replace("source: 测试法 第4条", "source: 测试法 第3条")
    import_files(database, [write(tmp_path, "bank.yaml", rewritten)])
    assert "q4" not in {p.question for p in check_citations(database)}


def test_law_diff_of_stored_versions(database: Database, tmp_path: Path) -> None:
    revised(database, tmp_path)
    diff = law_diff(database, "中华人民共和国测试法")
    assert (str(diff.old_date), str(diff.new_date)) == ("2020-01-01", "2024-06-01")
    assert diff.counts() == {"added": 1, "removed": 1, "renumbered": 5, "changed": 1}
    assert law_diff(database, "测试法", "2024-06-01", "2020-01-01").counts() == {
        "added": 1, "removed": 1, "renumbered": 5, "changed": 1}  # fmt: skip
    data = json.loads(render_diff(diff, "json"))
    assert data["changes"][0] == {
        "kind": "added", "old": None, "text_changed": False, "similarity": 0.0,
        "new": {"number": 2, "sub": 1, "label": "第二条之一",
                "text": "国家鼓励社会力量参与示例活动。"},
        "words": [["+", "国家鼓励社会力量参与示例活动。"]],
    }  # fmt: skip
    markdown = render_diff(diff, "markdown")
    assert markdown.startswith("# 中华人民共和国测试法：2020-01-01 版 → 2024-06-01 版")
    assert (
        "- 第六条 → 第五条（内容有修改） 违反本法规定的，处~~二~~**五**千元以下罚款。" in markdown
    )
    assert "## 条号变动" in markdown
    with pytest.raises(InputError, match="no version older than 2020-01-01"):
        law_diff(database, "测试法", None, "2020-01-01")


def test_the_migration_keeps_the_stored_laws_as_version_1(db_url: str, tmp_path: Path) -> None:
    database = open_database(db_url)
    try:
        revised(database, tmp_path)
        migrate.downgrade(database, "0011")  # one text per law, the current one
        migrate.upgrade(database)
        with database.session(readonly=True) as session:
            versions = session.execute(sa.select(LawVersion.version, LawVersion.dated)).all()
            numbers = session.scalars(sa.select(LawArticle.version).distinct()).all()
            assert session.scalar(sa.select(sa.func.count()).select_from(QuestionReview)) == 0
        assert [(v, str(d)) for v, d in versions] == [(1, "2024-06-01")] and numbers == [1]
        assert (
            cited_articles(database, "测试法 第2条之一")[0][1] == "国家鼓励社会力量参与示例活动。"
        )
        # the same text again is recognised (the migrated version has no hash yet)
        assert import_law(database, write(tmp_path, "v2.md", V2)).outcome == "unchanged"
    finally:
        database.dispose()


def test_a_changed_preamble_puts_the_questions_citing_it_in_doubt(
    database: Database, tmp_path: Path
) -> None:
    old = V1.replace("## 第一章 总则", "## 序言\n\n本法是一部示例。\n\n## 第一章 总则")
    new = V2.replace("## 第一章 总则", "## 序言\n\n本法是一部新的示例。\n\n## 第一章 总则")
    bank = "bank: {key: p, topic: tl}\nquestions:\n" \
        "  - {id: p1, type: judge, stem: 序, answer: true, source: 测试法 序言}\n"  # fmt: skip
    import_law(database, write(tmp_path, "v1.md", old))
    import_files(database, [write(tmp_path, "p.yaml", bank)])
    import_law(database, write(tmp_path, "v2.md", new))
    (item,) = review_queue(database)
    assert (item.question, item.articles[0].kind, item.articles[0].old_label) == (
        "p1",
        "changed",
        "序言",
    )
    assert (item.articles[0].old_text, item.articles[0].new_text) == (
        "本法是一部示例。",
        "本法是一部新的示例。",
    )
    assert law_diff(database, "测试法").preamble_changed
    assert "序言有修改。" in render_diff(law_diff(database, "测试法"))
