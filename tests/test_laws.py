"""Statutes and citations, on small statute files written here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.errors import InputError, LocatedError
from studyhub.laws import (
    Citation,
    check_citations,
    cited_articles,
    import_law,
    parse_citation,
    parse_law,
    short_name,
)
from studyhub.numerals import cn_to_int, int_to_cn

STATUTE = """\
# 中华人民共和国示例法

2020年5月28日 第十三届全国人民代表大会第三次会议通过

<!-- a comment
over two lines -->

## 序言

本法是一部示例。

## 第一编 总则

### 第一章 基本规定

第一条 为了示例，制定本法。

第二条 民事主体一律平等。

第二款的内容。

### 第二章 附则

第三条 本法自2021年1月1日起施行。
"""

ITEMS = """\
# 示例思想：“三个坚持”

## 原文

1. 坚持第一项；
2. 坚持第二项；
3. 坚持第三项。

Later text.
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_statute(tmp_path: Path) -> None:
    law = parse_law(write(tmp_path, "law.md", STATUTE))
    assert (law.title, law.short_name, law.unit) == ("中华人民共和国示例法", "示例法", "条")
    assert (law.adopted, law.effective) == (dt.date(2020, 5, 28), dt.date(2021, 1, 1))
    assert law.preamble == "本法是一部示例。"
    assert [a.number for a in law.articles] == [1, 2, 3]
    assert law.articles[1].text == "民事主体一律平等。\n第二款的内容。"
    assert law.articles[1].path == "第一编 总则 / 第一章 基本规定"
    assert law.articles[2].label == "第三条"


def test_numbered_items_become_items(tmp_path: Path) -> None:
    law = parse_law(write(tmp_path, "items.md", ITEMS))
    assert (law.short_name, law.unit, len(law.articles)) == ("示例思想", "项", 3)
    assert law.articles[2].text == "坚持第三项。"


def test_article_out_of_order_names_the_line(tmp_path: Path) -> None:
    text = STATUTE.replace("第二条 民事主体", "第四条 民事主体")
    with pytest.raises(LocatedError) as info:
        parse_law(write(tmp_path, "law.md", text))
    assert info.value.reason == f"{tmp_path}/law.md, line 18: article 4 where 2 was expected"


def test_file_without_articles(tmp_path: Path) -> None:
    with pytest.raises(LocatedError, match="no articles"):
        parse_law(write(tmp_path, "x.md", "# 某法\n\n只有正文。\n"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《民法典》第一百八十八条", [Citation("民法典", "条", (188,))]),
        ("民法典第188条", [Citation("民法典", "条", (188,))]),
        ("科学技术进步法 第2、3条", [Citation("科学技术进步法", "条", (2, 3))]),
        ("民法典 第1127-1129条", [Citation("民法典", "条", (1127, 1128, 1129))]),
        ("民法典 第二条至第四条", [Citation("民法典", "条", (2, 3, 4))]),
        ("民法典 第1127条、第1128条", [Citation("民法典", "条", (1127, 1128))]),
        ("民法典 第188条第二款", [Citation("民法典", "条", (188,))]),
        ("宪法 序言", [Citation("宪法", preamble=True)]),
        ("习近平法治思想 第3项", [Citation("习近平法治思想", "项", (3,))]),
        ("中华人民共和国宪法", [Citation("宪法")]),
        (
            "民法典 第1条；宪法 第5条",
            [Citation("民法典", "条", (1,)), Citation("宪法", "条", (5,))],
        ),
    ],
)
def test_parse_citation(text: str, expected: list[Citation]) -> None:
    assert parse_citation(text) == expected


@pytest.mark.parametrize("text", ["", "民法典 第X条", "民法典 第1条 附近", "第一条"])
def test_unreadable_citations(text: str) -> None:
    with pytest.raises(InputError):
        parse_citation(text)


def test_short_names() -> None:
    assert short_name("中华人民共和国民法典") == "民法典"
    assert short_name("中华人民共和国宪法（2018年修正文本）") == "宪法"
    assert short_name("习近平法治思想：“十一个坚持”") == "习近平法治思想"


def test_numerals_round_trip() -> None:
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1, 2000))
    assert cn_to_int("一千二百六十") == 1260 and cn_to_int("十") == 10


def test_import_and_check_citations(database: Database, tmp_path: Path) -> None:
    summary = import_law(database, write(tmp_path, "law.md", STATUTE))
    assert (summary.short_name, summary.articles, summary.replaced) == ("示例法", 3, False)
    assert import_law(database, write(tmp_path, "law.md", STATUTE)).replaced
    import_law(database, write(tmp_path, "items.md", ITEMS))
    bank = write(
        tmp_path,
        "bank.yaml",
        "bank: {key: demo}\nquestions:\n"
        "  - {id: ok1, type: judge, stem: 一, answer: true, source: 示例法 第2条}\n"
        "  - {id: ok2, type: judge, stem: 二, answer: true, source: 《示例法》序言}\n"
        "  - {id: ok3, type: judge, stem: 三, answer: true, source: 示例思想 第3项}\n"
        "  - {id: bad1, type: judge, stem: 四, answer: true, source: 示例法 第9条}\n"
        "  - {id: bad2, type: judge, stem: 五, answer: true, source: 未知法 第1条}\n"
        "  - {id: bad3, type: judge, stem: 六, answer: true, source: 示例思想 第3条}\n"
        "  - {id: bad4, type: judge, stem: 七, answer: true, source: 示例法 第X条}\n"
        "  - {id: bad5, type: judge, stem: 八, answer: true}\n",
    )
    import_files(database, [bank])
    problems = {p.question: str(p.reason) for p in check_citations(database)}
    assert problems == {
        "bad1": "示例法 has no 条 9 (it has 1-3)",
        "bad2": "unknown law 未知法",
        "bad3": "示例思想 is cited by 项, not 条",
        "bad4": "cannot read citation '示例法 第X条'",
        "bad5": "no source",
    }
    articles = cited_articles(database, "示例法 第2条")
    assert articles == [
        (
            "中华人民共和国示例法 第二条（第一编 总则 / 第一章 基本规定）",
            "民事主体一律平等。\n第二款的内容。",
        )
    ]


@pytest.mark.parametrize(
    ("name", "count"),
    [("civil_code.md", 1260), ("st_progress_law.md", 117), ("constitution.md", 143)],
)
def test_real_statutes_when_available(name: str, count: int) -> None:
    path = Path(__file__).resolve().parents[2] / "shared" / "statutes" / name
    if not path.exists():
        pytest.skip("../shared/statutes is not beside this checkout")
    assert len(parse_law(path).articles) == count
