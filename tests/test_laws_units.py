"""Statute units beyond plain articles: 第X条之一, texts cited by part, Word files as the
national law database offers them."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.errors import LocatedError
from studyhub.laws import (
    Citation,
    check_citations,
    cited_articles,
    import_law,
    parse_citation,
    parse_law,
)

INSERTED = """\
# 中华人民共和国示例法

2020年5月28日 第十三届全国人民代表大会第三次会议通过

## 第一章 总则

第一条 为了示例，制定本法。

第二条 第二条的内容。

第二条之一 修正时插入的一条。

第二条之二 又插入的一条。

第三条 本法自2021年1月1日起施行。
"""

REPORT = """\
# 某某会议报告（节选）：三、坚持依法办事

Notes before the text are not part of it.

- Source: written for this test.

## 三、坚持依法办事

第一段导语。

第二段导语。

### （一）依法决策

决策的内容。

### （二）依法执法

执法的内容。
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_inserted_articles_are_articles_of_their_own(tmp_path: Path) -> None:
    law = parse_law(write(tmp_path, "law.md", INSERTED))
    assert [(a.number, a.sub, a.label) for a in law.articles] == [
        (1, 0, "第一条"),
        (2, 0, "第二条"),
        (2, 1, "第二条之一"),
        (2, 2, "第二条之二"),
        (3, 0, "第三条"),
    ]
    assert law.articles[2].text == "修正时插入的一条。"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("第二条之二 又", "第二条之三 又", "article 2之3 where 2之2 was expected"),
        ("第二条之一 修正", "第一条之一 修正", "article 1之1 where 2之1 was expected"),
        ("第三条 本法", "第二条之一 本法", "article 2之1 where 2之3 was expected"),
    ],
)
def test_inserted_articles_out_of_order(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(LocatedError, match=message):
        parse_law(write(tmp_path, "law.md", INSERTED.replace(old, new)))


def test_a_text_cited_by_part(tmp_path: Path) -> None:
    law = parse_law(write(tmp_path, "report.md", REPORT))
    assert (law.short_name, law.unit) == ("某某会议报告", "部分")
    assert [(a.number, a.sub, a.label, a.text) for a in law.articles] == [
        (3, 0, "第三部分", "第一段导语。\n第二段导语。"),
        (3, 1, "第三部分（一）", "决策的内容。"),
        (3, 2, "第三部分（二）", "执法的内容。"),
    ]
    assert law.articles[2].path == "三、坚持依法办事 / （二）依法执法"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("刑法 第120条之一", [Citation("刑法", "条", subs=((120, 1),))]),
        ("示例法 第二条之一、第3条", [Citation("示例法", "条", (3,), subs=((2, 1),))]),
        ("某某会议报告 第三部分", [Citation("某某会议报告", "部分", (3,))]),
        ("某某会议报告 第三部分（二）", [Citation("某某会议报告", "部分", subs=((3, 2),))]),
        ("行政处罚法 第8条第2款", [Citation("行政处罚法", "条", (8,))]),
        ("公务员法 第59条第4项", [Citation("公务员法", "条", (59,))]),
    ],
)
def test_citations_of_inserted_articles_and_parts(text: str, expected: list[Citation]) -> None:
    assert parse_citation(text) == expected


def test_inserted_articles_and_parts_resolve(database: Database, tmp_path: Path) -> None:
    import_law(database, write(tmp_path, "law.md", INSERTED))
    import_law(database, write(tmp_path, "report.md", REPORT))
    bank = write(
        tmp_path,
        "bank.yaml",
        "bank: {key: demo}\nquestions:\n"
        "  - {id: ok1, type: judge, stem: 一, answer: true, source: 示例法 第2条之一}\n"
        "  - {id: ok2, type: judge, stem: 二, answer: true, source: 某某会议报告 第三部分（二）}\n"
        "  - {id: ok3, type: judge, stem: 三, answer: true, source: 某某会议报告 第三部分}\n"
        "  - {id: bad1, type: judge, stem: 四, answer: true, source: 示例法 第2条之三}\n"
        "  - {id: bad2, type: judge, stem: 五, answer: true, source: 某某会议报告 第三部分（三）}\n"
        "  - {id: bad3, type: judge, stem: 六, answer: true, source: 某某会议报告 第3条}\n",
    )
    import_files(database, [bank])
    problems = {p.question: str(p.reason) for p in check_citations(database)}
    assert problems == {
        "bad1": "示例法 has no 条 2之3 (it has 1-3)",
        "bad2": "某某会议报告 has no 部分 3（3） (it has 1-3)",
        "bad3": "某某会议报告 is cited by 部分, not 条",
    }
    assert cited_articles(database, "示例法 第2条之一") == [
        ("中华人民共和国示例法 第二条之一（第一章 总则）", "修正时插入的一条。")
    ]
    heading, text = cited_articles(database, "某某会议报告 第三部分（一）")[0]
    assert heading.startswith("某某会议报告（节选）：三、坚持依法办事 第三部分（一）")
    assert text == "决策的内容。"


def official_docx(path: Path, *, articles: list[str] | None = None) -> Path:
    """A small statute laid out as the national law database's Word files are."""
    import docx

    document = docx.Document()
    for text in [
        "中华人民共和国示例法",
        "（2003年8月27日第十届全国人民代表大会常务委员会第四次会议通过　根据2019年4月23日"
        "第十三届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》修正）",
        "目　　录",
        "第一章　总　　则",
        "第二章　实施",
        "第一节　一般规定",
        "附　　则",
        "第一章　总　　则",
        *(articles or ["第一条　为了示例，制定本法。", "第二条　第二条的内容。", "第二款的内容。"]),
        "第二章　实施",
        "第一节　一般规定",
        "第二条之一　插入的一条。",
        "第三条　本法自2004年7月1日起施行。",
    ]:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def test_a_word_file_from_the_national_law_database(tmp_path: Path) -> None:
    law = parse_law(official_docx(tmp_path / "示例法.docx"))
    assert (law.title, law.short_name) == ("中华人民共和国示例法", "示例法")
    assert [a.label for a in law.articles] == ["第一条", "第二条", "第二条之一", "第三条"]
    assert law.articles[1].text == "第二条的内容。\n第二款的内容。"
    assert law.articles[2].path == "第二章 实施 / 第一节 一般规定"
    assert law.articles[0].path == "第一章 总则"
    assert str(law.adopted) == "2019-04-23"
    assert str(law.effective) == "2004-07-01"


def test_a_word_file_with_an_article_out_of_order_names_its_paragraph(tmp_path: Path) -> None:
    path = official_docx(tmp_path / "坏.docx", articles=["第一条　一。", "第三条　三。"])
    with pytest.raises(LocatedError, match="line 10: article 3 where 2 was expected"):
        parse_law(path)


def test_a_word_file_that_unpacks_past_the_limit(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("STUDYHUB_MAX_FILE_MB", "0.001")
    with pytest.raises(LocatedError, match="unpacks to"):
        parse_law(official_docx(tmp_path / "大.docx"))


def test_not_a_word_file(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(LocatedError, match="not an Office"):
        parse_law(path)
