"""Word-style question banks: plain text (.txt/.md) and Word documents (.docx)."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyhub.banks.context import ParseContext
from studyhub.banks.formats import textio
from studyhub.banks.formats.text import parse_docx, parse_text
from studyhub.banks.record import QuestionRecord
from studyhub.errors import LocatedError, StudyhubError

GOOD = """\
2024年度学法用法考试题库
（本卷共四大题）

一、单项选择题（每题2分，共20分）
1. 我国的根本大法是（  ）。
A.宪法  B.民法典  C.刑法\tD.行政法
答案：A
解析：宪法是国家的根本法，
具有最高的法律效力。
出处：《宪法》序言
难度：2
2、下列哪一机关是最高国家权力机关（C）
（A）国务院
（B）最高人民法院
（C）全国人民代表大会
（D）最高人民检察院
二．多项选择题
（1）下列属于公民基本权利的有
（  ）
A、选举权B、言论自由C、依法纳税
【答案】AB【解析】依法纳税是公民的基本义务。
三、判断题
1) 宪法是国家的根本法。（√）
2) 法律可以与宪法相抵触。
答案：错误
依据：《宪法》第五条
四、填空题（每小题1.5分）
1．我国的根本法是______，它由(  )制定。
答案：宪法；全国人民代表大会|全国人大
"""


def _parse(
    tmp_path: Path,
    content: str | bytes,
    name: str = "bank.txt",
    skip: bool = False,
) -> tuple[list[QuestionRecord], list[str]]:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    ctx = ParseContext(path, display=name, skip_unsupported=skip)
    records = list(parse_text(ctx))
    return records, [str(error) for error in ctx.errors + ctx.skipped]


def _one(tmp_path: Path, content: str) -> QuestionRecord:
    records, errors = _parse(tmp_path, content)
    assert errors == []
    assert len(records) == 1
    return records[0]


def _errors(tmp_path: Path, content: str) -> list[str]:
    return _parse(tmp_path, content)[1]


def test_good_file(tmp_path: Path) -> None:
    records, errors = _parse(tmp_path, GOOD)
    assert errors == []
    assert records == [
        QuestionRecord(
            type="single",
            stem="我国的根本大法是（  ）。",
            options=["宪法", "民法典", "刑法", "行政法"],
            correct=[0],
            explanation="宪法是国家的根本法，\n具有最高的法律效力。",
            source="《宪法》序言",
            difficulty=2,
            points=Decimal("2"),
        ),
        QuestionRecord(
            type="single",
            stem="下列哪一机关是最高国家权力机关（  ）",
            options=["国务院", "最高人民法院", "全国人民代表大会", "最高人民检察院"],
            correct=[2],
            points=Decimal("2"),
        ),
        QuestionRecord(
            type="multiple",
            stem="下列属于公民基本权利的有\n（  ）",
            options=["选举权", "言论自由", "依法纳税"],
            correct=[0, 1],
            explanation="依法纳税是公民的基本义务。",
        ),
        QuestionRecord(type="judge", stem="宪法是国家的根本法。（  ）", truth=True),
        QuestionRecord(
            type="judge",
            stem="法律可以与宪法相抵触。",
            truth=False,
            source="《宪法》第五条",
        ),
        QuestionRecord(
            type="fill",
            stem="我国的根本法是____，它由____制定。",
            blanks=[["宪法"], ["全国人民代表大会", "全国人大"]],
            points=Decimal("1.5"),
        ),
    ]
    assert [str(r.location) for r in records] == [
        "bank.txt, line 5",
        "bank.txt, line 12",
        "bank.txt, line 18",
        "bank.txt, line 23",
        "bank.txt, line 24",
        "bank.txt, line 28",
    ]


@pytest.mark.parametrize(
    ("heading", "kind", "points"),
    [
        ("一、单选题", "single", None),
        ("一、单项选择题", "single", None),
        ("二、多选题", "multiple", None),
        ("多项选择题", "multiple", None),
        ("三、判断题", "judge", None),
        ("四、填空题", "fill", None),
        ("一.单选题（每题2分，共20分）", "single", Decimal("2")),
        ("一．单选题 (每小题 1.5 分)", "single", Decimal("1.5")),
        ("# 二、多项选择题（共10题，每题２分）", "multiple", Decimal("2")),
        ("## 三、判断题：每题1分", "judge", Decimal("1")),
        ("**四、填空题**", "fill", None),
        ("一、单选题（共20分）", "single", None),
    ],
)
def test_headings(tmp_path: Path, heading: str, kind: str, points: Decimal | None) -> None:
    answers = {"single": "A", "multiple": "AB", "judge": "对", "fill": "甲"}
    content = f"{heading}\n1. 题干____\nA.甲\nB.乙\n答案：{answers[kind]}\n"
    if kind in ("judge", "fill"):
        content = f"{heading}\n1. 题干____\n答案：{answers[kind]}\n"
    record = _one(tmp_path, content)
    assert (record.type, record.points) == (kind, points)


@pytest.mark.parametrize("number", ["1.", "1、", "1．", "（1）", "(1)", "1)", "12 .", "１．"])
def test_question_numbers(tmp_path: Path, number: str) -> None:
    record = _one(tmp_path, f"一、单选题\n{number}宪法是什么\nA.甲\nB.乙\n答案：B\n")
    assert (record.stem, record.options, record.correct) == ("宪法是什么", ["甲", "乙"], [1])


@pytest.mark.parametrize(
    "options",
    [
        "A.甲\nB.乙\nC.丙",
        "A、甲\nB、乙\nC、丙",
        "A．甲\nB．乙\nC．丙",
        "（A）甲\n（B）乙\n（C）丙",
        "(A)甲\n(B)乙\n(C)丙",
        "A)甲\nB)乙\nC)丙",
        "Ａ．甲\nＢ．乙\nＣ．丙",
        "A.甲  B.乙  C.丙",
        "A.甲\tB.乙\tC.丙",
        "A.甲B.乙C.丙",
        "A、甲B、乙\nC、丙",
        "(A) 甲 (B) 乙 (C) 丙",
        "A. 甲　　B. 乙　　C. 丙",
    ],
)
def test_option_forms(tmp_path: Path, options: str) -> None:
    record = _one(tmp_path, f"1. 题干\n{options}\n答案：C\n")
    assert (record.type, record.options, record.correct) == ("single", ["甲", "乙", "丙"], [2])


def test_options_split_only_at_the_next_letter(tmp_path: Path) -> None:
    record = _one(tmp_path, "1. 题干\nA.依据GB.50016标准  B.乙C.丙\n答案：A\n")
    assert record.options == ["依据GB.50016标准", "乙", "丙"]


def test_option_continues_over_lines(tmp_path: Path) -> None:
    record = _one(tmp_path, "1. 题干\nA.甲\n续行\nB.乙\n答案：A\n")
    assert record.options == ["甲\n续行", "乙"]


@pytest.mark.parametrize(
    ("line", "correct"),
    [
        ("答案：B", [1]),
        ("答案:B", [1]),
        ("答案： b。", [1]),
        ("【答案】B", [1]),
        ("[答案] B", [1]),
        ("参考答案：Ｂ", [1]),
        ("正确答案：AB", [0, 1]),
        ("答案：A、C", [0, 2]),
        ("答 案：A,B,C", [0, 1, 2]),
    ],
)
def test_choice_answers(tmp_path: Path, line: str, correct: list[int]) -> None:
    record = _one(tmp_path, f"1. 题干\nA.甲\nB.乙\nC.丙\n{line}\n")
    assert record.correct == correct
    assert record.type == ("single" if len(correct) == 1 else "multiple")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("对", True),
        ("正确", True),
        ("√", True),
        ("T", True),
        ("错", False),
        ("错误", False),
        ("×", False),
        ("F", False),
    ],
)
def test_judge_answers(tmp_path: Path, answer: str, truth: bool) -> None:
    record = _one(tmp_path, f"三、判断题\n1. 宪法是根本法。\n答案：{answer}\n")
    assert (record.type, record.truth) == ("judge", truth)
    # the same without a heading: the answer tells the type
    record = _one(tmp_path, f"1. 宪法是根本法。\n答案：{answer}\n")
    assert (record.type, record.truth) == ("judge", truth)


def test_judge_written_as_a_choice(tmp_path: Path) -> None:
    record = _one(tmp_path, "三、判断题\n1. 宪法是根本法。\nA.正确  B.错误\n答案：A\n")
    assert (record.type, record.options, record.truth) == ("judge", [], True)


def test_answer_in_the_stem_bracket(tmp_path: Path) -> None:
    record = _one(tmp_path, "二、多选题\n1. 下列说法正确的是（ A C ）。\nA.甲\nB.乙\nC.丙\n")
    assert (record.stem, record.correct) == ("下列说法正确的是（  ）。", [0, 2])
    record = _one(tmp_path, "1. 宪法是根本法。(×)\n")
    assert (record.type, record.stem, record.truth) == ("judge", "宪法是根本法。（  ）", False)


def test_answer_line_wins_over_the_stem_bracket(tmp_path: Path) -> None:
    record = _one(tmp_path, "1. 依照（A）项规定，应当（  ）\nA.甲\nB.乙\n答案：B\n")
    assert (record.stem, record.correct) == ("依照（A）项规定，应当（  ）", [1])


def test_multi_line_stem_and_explanation(tmp_path: Path) -> None:
    content = (
        "1. 第一行\n第二行\n\nA.甲\nB.乙\n答案：A\n【解析】第一句\n第二句\n"
        "来源：《立法法》\n2. 下一题\nA.甲\nB.乙\n答案：B\n"
    )
    records, errors = _parse(tmp_path, content)
    assert errors == []
    assert records[0].stem == "第一行\n第二行"
    assert records[0].explanation == "第一句\n第二句"
    assert records[0].source == "《立法法》"
    assert records[1].explanation == ""


@pytest.mark.parametrize(
    ("stem", "answer", "marked", "blanks"),
    [
        ("根本法是（  ）。", "宪法", "根本法是____。", [["宪法"]]),
        ("根本法是(  )。", "宪法", "根本法是____。", [["宪法"]]),
        ("根本法是___，由____制定。", "宪法；全国人大", "根本法是____，由____制定。", None),
        ("根本法是________。", "宪法|中华人民共和国宪法", "根本法是____。", None),
        ("有___个", "三/3", "有____个", [["三", "3"]]),
        ("我国的根本法是什么", "宪法", "我国的根本法是什么____", [["宪法"]]),
    ],
)
def test_fill(
    tmp_path: Path, stem: str, answer: str, marked: str, blanks: list[list[str]] | None
) -> None:
    record = _one(tmp_path, f"四、填空题\n1. {stem}\n答案：{answer}\n")
    assert (record.type, record.stem) == ("fill", marked)
    expected = blanks or [part.split("|") for part in answer.split("；")]
    assert record.blanks == expected


def test_type_inferred_without_heading(tmp_path: Path) -> None:
    content = (
        "1. 单选\nA.甲\nB.乙\n答案：B\n"
        "2. 多选\nA.甲\nB.乙\n答案：AB\n"
        "3. 判断\n答案：√\n"
        "4. 填空____\n答案：甲\n"
    )
    records, errors = _parse(tmp_path, content)
    assert errors == []
    assert [r.type for r in records] == ["single", "multiple", "judge", "fill"]


def test_markdown_and_gb18030_and_crlf(tmp_path: Path) -> None:
    content = "# 题库\r\n\r\n## 一、单选题\r\n1. **宪法**是\r\nA.甲  B.乙\r\n**答案：** A\r\n"
    records, errors = _parse(tmp_path, content.encode("gb18030"), name="bank.md")
    assert errors == []
    assert [(r.stem, r.options, r.correct) for r in records] == [("宪法是", ["甲", "乙"], [0])]
    assert str(records[0].location) == "bank.md, line 4"


def test_utf8_bom_and_utf16(tmp_path: Path) -> None:
    content = "1. 宪法是根本法\n答案：对\n"
    for data in (b"\xef\xbb\xbf" + content.encode(), content.encode("utf-16")):
        records, errors = _parse(tmp_path, data)
        assert errors == []
        assert [(r.stem, r.truth) for r in records] == [("宪法是根本法", True)]


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        ("A.甲\n1. 题\n答案：对\n", ["line 1: option A before any question"]),
        ("答案：A\n", ["line 1: answer before any question"]),
        ("一、单选题\n（A）甲\n", ["line 2: option A before any question"]),
        ("标题\n解析：说明\n", ["line 2: explanation before any question"]),
        ("1. 题干\nA.甲\nB.乙\n", ["line 1: question has no answer"]),
        (
            "一、单选题\n1. 题干\nA.甲\nB.乙\n答案：X\n",
            ["line 5: answer X is not an option letter"],
        ),
        (
            "一、单选题\n1. 题干\nA.甲\nB.乙\n答案：对\n",
            ["line 5: answer 对 is not an option letter"],
        ),
        (
            "二、多选题\n1. 题干\nA.甲\nB.乙\n答案：A和B\n",
            ["line 5: answer A和B is neither option letters nor the text of an option"],
        ),
        (
            "三、判断题\n1. 题干\n答案：B\n",
            ["line 3: answer B does not fit a judge question (use 对/错, 正确/错误, √/× or T/F)"],
        ),
        (
            "1. 题干\n答案：宪法\n",
            [
                "line 2: cannot tell the question type from the answer 宪法: "
                "put the question under a heading such as 一、单选题"
            ],
        ),
        (
            "1. 题干\nA.甲\nC.丙\n答案：A\n",
            ["line 3: option C out of order (expected B)"],
        ),
        ("1. 题干\nA.甲  C.丙\n答案：A\n", []),
        ("1. 题干\nA.甲\n答案：A\nB.乙\n", ["line 4: option B after the answer"]),
        (
            "四、填空题\n1. 题干\nA.甲\n答案：甲\n",
            ["line 3: option A in a fill question"],
        ),
        (
            "1. 题干\n答案：对\n答案：错\n",
            ["line 3: second answer for the same question"],
        ),
        ("1. 题干\n答案：\n", ["line 2: empty answer"]),
        (
            "1. 题干\n答案：对\n难度：高\n",
            ["line 3: difficulty 高 is not a whole number"],
        ),
        (
            "四、填空题\n1. 甲____乙____\n答案：甲\n",
            ["line 3: 2 blanks in the stem but 1 answers (separate them with ；)"],
        ),
    ],
)
def test_errors(tmp_path: Path, content: str, errors: list[str]) -> None:
    assert _errors(tmp_path, content) == [f"bank.txt, {error}" for error in errors]


def test_broken_question_does_not_stop_the_next(tmp_path: Path) -> None:
    content = "一、单选题\n1. 坏题\nA.甲\n答案：Z\n2. 好题\nA.甲\nB.乙\n答案：B\n"
    records, errors = _parse(tmp_path, content)
    assert errors == ["bank.txt, line 4: answer Z is not an option letter"]
    assert [(r.stem, r.correct) for r in records] == [("好题", [1])]


def test_out_of_range_answer_is_yielded_for_the_validator(tmp_path: Path) -> None:
    record = _one(tmp_path, "一、单选题\n1. 题干\nA.甲\nB.乙\n答案：D\n")
    assert record.correct == [3]


def test_unsupported_sections(tmp_path: Path) -> None:
    content = (
        "五、简答题（每题10分）\n1. 简述依法治国。\n答：略\n2. 第二题\n"
        "一、单选题\n1. 题\nA.甲\nB.乙\n答案：A\n"
    )
    records, errors = _parse(tmp_path, content)
    assert errors == [
        "bank.txt, line 2: unsupported question type 简答题; use --skip-unsupported to skip it",
        "bank.txt, line 4: unsupported question type 简答题; use --skip-unsupported to skip it",
    ]
    assert len(records) == 1
    records, skipped = _parse(tmp_path, "案例分析题\n1. 案例\n答案：略\n", skip=True)
    assert records == []
    assert skipped == ["bank.txt, line 2: unsupported question type 案例分析题 (skipped)"]


def test_undecodable_file(tmp_path: Path) -> None:
    with pytest.raises(LocatedError) as caught:
        _parse(tmp_path, b"1. abc\n\xff\xff\n")
    assert str(caught.value) == (
        "bank.txt, line 2: cannot decode the text: it is neither UTF-8 nor GB18030"
    )


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textio, "MAX_FILE_BYTES", 3 * 2**20)
    with pytest.raises(LocatedError) as caught:
        _parse(tmp_path, b"x" * (3 * 2**20 + 1))
    assert str(caught.value) == "bank.txt: file is larger than 3 MB"


# --- .docx ---------------------------------------------------------------------------------


def _docx(tmp_path: Path, paragraphs: list[str], name: str = "bank.docx") -> ParseContext:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    path = tmp_path / name
    document.save(str(path))
    return ParseContext(path, display=name)


def test_docx(tmp_path: Path) -> None:
    ctx = _docx(tmp_path, GOOD.splitlines())
    records = list(parse_docx(ctx))
    assert ctx.errors == []
    text_records, _ = _parse(tmp_path, GOOD)
    assert records == text_records
    assert str(records[2].location) == "bank.docx, paragraph 18"


def test_docx_line_breaks_and_headings(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("一、单选题", level=1)
    paragraph = document.add_paragraph("1. 宪法是")
    paragraph.add_run().add_break()
    paragraph.add_run("A.甲\tB.乙")
    document.add_paragraph("答案：C")
    document.add_paragraph("A.丙")
    path = tmp_path / "bank.docx"
    document.save(str(path))
    ctx = ParseContext(path, display="bank.docx")
    records = list(parse_docx(ctx))
    assert [(r.stem, r.options, r.correct) for r in records] == []
    assert [str(e) for e in ctx.errors] == [
        "bank.docx, paragraph 4: option A after the answer",
    ]
    ctx = _docx(tmp_path, ["A.甲", "1. 题", "A.甲", "B.乙", "答案：B"])
    assert [(r.stem, r.correct) for r in parse_docx(ctx)] == [("题", [1])]
    assert [str(e) for e in ctx.errors] == ["bank.docx, paragraph 1: option A before any question"]


def test_docx_soft_break_lines(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("1. 宪法是")
    paragraph.add_run().add_break()
    paragraph.add_run("A.甲\tB.乙")
    paragraph.add_run().add_break()
    paragraph.add_run("答案：B")
    path = tmp_path / "bank.docx"
    document.save(str(path))
    ctx = ParseContext(path, display="bank.docx")
    records = list(parse_docx(ctx))
    assert ctx.errors == []
    assert [(r.stem, r.options, r.correct) for r in records] == [("宪法是", ["甲", "乙"], [1])]
    assert str(records[0].location) == "bank.docx, paragraph 1"


_LIST = """<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 w:abstractNumId="90">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%2."/></w:lvl>
</w:abstractNum>"""
_HEADINGS = _LIST.replace('"90"', '"91"').replace('w:val="decimal"', 'w:val="chineseCounting"')
_NUMS = """<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 w:numId="{num}"><w:abstractNumId w:val="{abstract}"/></w:num>"""


def _numbered(paragraph: Any, num: int, level: int) -> None:
    """Put a paragraph into Word's list ``num`` at ``level`` (automatic numbering)."""
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", level), ("w:numId", num)):
        child = OxmlElement(tag)
        child.set(qn("w:val"), str(value))
        num_pr.append(child)
    p_pr.append(num_pr)


def test_docx_automatic_numbering(tmp_path: Path) -> None:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for xml in (_LIST, _HEADINGS):
        numbering.insert(0, parse_xml(xml))
    numbering.append(parse_xml(_NUMS.format(num=90, abstract=90)))
    numbering.append(parse_xml(_NUMS.format(num=91, abstract=91)))
    # 一、单选题 / 1、题一 A. B. / 2、题二 A. B. C. / 二、判断题 / 1. (List Number style)
    layout = [
        ("单选题（每题2分）", 91, 0),
        ("题一", 90, 0),
        ("甲", 90, 1),
        ("乙", 90, 1),
        ("答案：B", None, 0),
        ("题二", 90, 0),
        ("丙", 90, 1),
        ("丁", 90, 1),
        ("戊", 90, 1),
        ("答案：C", None, 0),
        ("判断题", 91, 0),
        ("宪法是根本法。", None, 0),
        ("答案：对", None, 0),
    ]
    for text, num, level in layout:
        style = "List Number" if text.startswith("宪法") else None
        paragraph = document.add_paragraph(text, style=style)
        if num is not None:
            _numbered(paragraph, num, level)
    path = tmp_path / "bank.docx"
    document.save(str(path))
    ctx = ParseContext(path, display="bank.docx")
    records = list(parse_docx(ctx))
    assert ctx.errors == []
    assert records == [
        QuestionRecord("single", "题一", ["甲", "乙"], [1], points=Decimal(2)),
        QuestionRecord("single", "题二", ["丙", "丁", "戊"], [2], points=Decimal(2)),
        QuestionRecord("judge", "宪法是根本法。", truth=True),
    ]


def test_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    with pytest.raises(LocatedError) as caught:
        list(parse_docx(ParseContext(path, display="old.docx")))
    assert str(caught.value) == (
        "old.docx: not a .docx file (an old .doc document must be saved as .docx first)"
    )


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(LocatedError) as caught:
        list(parse_docx(ParseContext(path, display="x.docx")))
    assert str(caught.value).startswith("x.docx: cannot read the Word document: ")


# --- never anything but StudyhubError --------------------------------------------------------

_FRAGMENTS = [
    "一、单选题",
    "二、多选题（每题2分）",
    "三、判断题",
    "四、填空题",
    "五、简答题",
    "1. 题干（  ）",
    "（2）题干____",
    "A.甲  B.乙",
    "C、丙",
    "(H)辛",
    "答案：",
    "答案：A",
    "答案：对",
    "【答案】甲；乙|丙",
    "解析：因为",
    "出处：法",
    "难度：x",
    "难度：3",
    "随便一行",
    "",
]


def _fuzz(data: bytes, suffix: str = ".txt") -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        ctx = ParseContext(path)
        try:
            for record in (parse_docx if suffix == ".docx" else parse_text)(ctx):
                assert record.location is not None
        except StudyhubError:
            pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    _fuzz(data)
    _fuzz(data, ".docx")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=12)), max_size=25))
def test_arbitrary_lines(lines: list[str]) -> None:
    _fuzz("\n".join(lines).encode("utf-8", "surrogatepass"))
