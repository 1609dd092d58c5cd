"""The paragraphs (款) of an article and the paragraph a citation names."""

from __future__ import annotations

from pathlib import Path

from studyhub.db import Database
from studyhub.laws import cited_articles, import_law
from studyhub.laws.paragraphs import cited_paragraphs, paragraph, paragraphs

ARTICLE = (
    "行政机关应当依法行政。\n有下列情形之一的，不予处罚：\n（一）轻微；\n(二)改正。\n本条另有规定。"
)


def test_items_belong_to_the_paragraph_above() -> None:
    assert paragraphs(ARTICLE) == [
        "行政机关应当依法行政。",
        "有下列情形之一的，不予处罚：\n（一）轻微；\n(二)改正。",
        "本条另有规定。",
    ]
    assert paragraph(ARTICLE, 3) == "本条另有规定。"
    assert paragraph(ARTICLE, 4) is None and paragraph(ARTICLE, 0) is None


def test_the_paragraph_a_citation_names() -> None:
    assert cited_paragraphs("《行政处罚法》第三十三条第一款") == {("行政处罚法", 33, 0): 1}
    assert cited_paragraphs("民法典 第1165条第2款；宪法 第5条") == {("民法典", 1165, 0): 2}
    assert cited_paragraphs("刑法 第120条之一第二款第三项") == {("刑法", 120, 1): 2}
    assert cited_paragraphs("示例法 第2条、第3条第１款") == {("示例法", 3, 0): 1}
    assert cited_paragraphs("示例法 第2、3条第1款") == {}  # a list: no single article
    assert cited_paragraphs("示例法 第2条") == {}
    assert cited_paragraphs("示例法") == {}


def test_cited_articles_cut_to_the_paragraph(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "示例法.md"
    path.write_text("# 中华人民共和国示例法\n\n## 第一章 总则\n\n第一条 甲。\n\n第二条 " + ARTICLE
                    + "\n", encoding="utf-8")  # fmt: skip
    import_law(database, path)
    assert cited_articles(database, "示例法 第2条第2款", paragraphs=True) == [
        ("中华人民共和国示例法 第二条第二款（第一章 总则）",
         "有下列情形之一的，不予处罚：\n（一）轻微；\n(二)改正。"),
    ]  # fmt: skip
    whole = ("中华人民共和国示例法 第二条（第一章 总则）", ARTICLE)
    assert cited_articles(database, "示例法 第2条第2款") == [whole]  # not asked to cut
    assert cited_articles(database, "示例法 第2条第7款", paragraphs=True) == [whole]
    assert cited_articles(database, "示例法 第1条、第2条第3款", paragraphs=True) == [
        ("中华人民共和国示例法 第一条（第一章 总则）", "甲。"),
        ("中华人民共和国示例法 第二条第三款（第一章 总则）", "本条另有规定。"),
    ]
