"""Moodle XML question banks."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyhub.banks.context import ParseContext
from studyhub.banks.formats import moodle_xml
from studyhub.banks.formats.moodle_xml import html_to_text, parse_moodle_xml
from studyhub.banks.record import QuestionRecord
from studyhub.errors import LocatedError, StudyhubError

GOOD = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/法律//法规/宪法</text></category>
  </question>
  <question type="multichoice">
    <name><text>Q1</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>我国的<b>根本法</b>是&nbsp;&lt;哪部&gt;？</p><p>第二行<br/>第三行</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text>&lt;p&gt;最高效力。&lt;/p&gt;</text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <single>true</single>
    <answer fraction="100"><text>宪法</text><feedback><text>对</text></feedback></answer>
    <answer fraction="0" format="html"><text>&lt;i&gt;刑法&lt;/i&gt;</text></answer>
    <tags><tag><text>基础</text></tag><tag><text>宪法</text></tag></tags>
  </question>
  <question type="multichoice">
    <name><text>Q2</text></name>
    <questiontext format="plain_text"><text>下列属于基本权利的有</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>选举权</text></answer>
    <answer fraction="50"><text>言论自由</text></answer>
    <answer fraction="-100"><text>纳税</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Q3</text></name>
    <questiontext format="html"><text>只有一个正确答案</text></questiontext>
    <single>false</single>
    <answer fraction="100"><text>甲</text></answer>
    <answer fraction="0"><text>乙</text></answer>
  </question>
  <question type="category">
    <category><text>$course$/top</text></category>
  </question>
  <question type="truefalse">
    <name><text>TF</text></name>
    <questiontext format="html"><text>宪法是根本法。</text></questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <questiontext format="html"><text>我国的根本法是</text></questiontext>
    <defaultgrade>1.5</defaultgrade>
    <answer fraction="100"><text>宪法</text></answer>
    <answer fraction="100"><text>中华人民共和国宪法</text></answer>
    <answer fraction="50"><text>宪</text></answer>
  </question>
  <question type="shortanswer">
    <questiontext format="moodle_auto_format"><text>根本法是______，对吗？</text></questiontext>
    <answer fraction="100"><text>宪法</text></answer>
  </question>
</quiz>
"""


def _path(tmp_path: Path, content: str | bytes, name: str = "quiz.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _parse(
    tmp_path: Path, content: str | bytes, skip: bool = False
) -> tuple[list[QuestionRecord], list[str]]:
    ctx = ParseContext(_path(tmp_path, content), display="quiz.xml", skip_unsupported=skip)
    records = list(parse_moodle_xml(ctx))
    return records, [str(error) for error in ctx.errors + ctx.skipped]


def _fatal(tmp_path: Path, content: str | bytes) -> str:
    with pytest.raises(LocatedError) as caught:
        _parse(tmp_path, content)
    return str(caught.value)


def _quiz(*questions: str) -> str:
    return "<quiz>\n" + "\n".join(questions) + "\n</quiz>\n"


def test_good_file(tmp_path: Path) -> None:
    records, errors = _parse(tmp_path, GOOD)
    assert errors == []
    assert records == [
        QuestionRecord(
            type="single",
            stem="我国的根本法是 <哪部>？\n第二行\n第三行",
            options=["宪法", "刑法"],
            correct=[0],
            external_id="Q1",
            explanation="最高效力。",
            tags=["基础", "宪法"],
            points=Decimal("2"),
            feedback=["对", ""],
        ),
        QuestionRecord(
            type="multiple",
            stem="下列属于基本权利的有",
            options=["选举权", "言论自由", "纳税"],
            correct=[0, 1],
            external_id="Q2",
            tags=["宪法"],
            weights=[Decimal("50"), Decimal("50"), Decimal("-100")],
        ),
        QuestionRecord(
            type="single",
            stem="只有一个正确答案",
            options=["甲", "乙"],
            correct=[0],
            external_id="Q3",
            tags=["宪法"],
        ),
        QuestionRecord(type="judge", stem="宪法是根本法。", truth=False, external_id="TF"),
        QuestionRecord(
            type="fill",
            stem="我国的根本法是____",
            blanks=[["宪法", "中华人民共和国宪法"]],
            points=Decimal("1.5"),
        ),
        QuestionRecord(type="fill", stem="根本法是____，对吗？", blanks=[["宪法"]]),
    ]
    assert [str(r.location) for r in records] == [
        "quiz.xml, line 6",
        "quiz.xml, line 18",
        "quiz.xml, line 26",
        "quiz.xml, line 36",
        "quiz.xml, line 42",
        "quiz.xml, line 49",
    ]


def test_html_to_text() -> None:
    assert html_to_text("<p>甲\n  乙</p>\n<p></p><div>丙&amp;丁<br>戊</div>") == "甲 乙\n丙&丁\n戊"
    assert html_to_text("a &lt;b&gt; &#x4E2D; &quot;c&quot;") == 'a <b> 中 "c"'


def test_fractions_as_weights(tmp_path: Path) -> None:
    question = """<question type="multichoice"><questiontext><text>题</text></questiontext>
      <single>false</single>
      <answer fraction="33.33333"><text>甲</text></answer>
      <answer fraction="33.33333"><text>乙</text></answer>
      <answer fraction="33.33334"><text>丙</text></answer>
      <answer fraction="-50"><text>丁</text></answer>
    </question>"""
    records, errors = _parse(tmp_path, _quiz(question))
    assert errors == []
    assert records[0].weights == [
        Decimal("33.33333"),
        Decimal("33.33333"),
        Decimal("33.33334"),
        Decimal("-50"),
    ]
    assert (records[0].type, records[0].correct) == ("multiple", [0, 1, 2])


def test_category_tags(tmp_path: Path) -> None:
    category = '<question type="category"><category><text>{}</text></category></question>'
    plain = (
        '<question type="truefalse"><questiontext><text>题</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer></question>'
    )
    content = _quiz(
        category.format("$course$/top/普法/民法典"),
        plain,
        category.format("$system$/top/a//b"),
        plain,
        category.format("$course$/Default for 法治"),
        plain,
    )
    records, errors = _parse(tmp_path, content)
    assert errors == []
    assert [r.tags for r in records] == [["民法典"], ["a/b"], ["Default for 法治"]]


@pytest.mark.parametrize("kind", ["matching", "numerical", "essay", "description", "multianswer"])
def test_unsupported(tmp_path: Path, kind: str) -> None:
    content = _quiz(
        f'<question type="{kind}">\n<questiontext><text>x</text></questiontext>\n</question>',
        '<question type="truefalse"><questiontext><text>题</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer></question>',
    )
    records, errors = _parse(tmp_path, content)
    assert errors == [
        f"quiz.xml, line 2: unsupported question type {kind}; use --skip-unsupported to skip it"
    ]
    assert len(records) == 1
    records, skipped = _parse(tmp_path, content, skip=True)
    assert skipped == [f"quiz.xml, line 2: unsupported question type {kind} (skipped)"]
    assert len(records) == 1


@pytest.mark.parametrize(
    ("question", "error"),
    [
        (
            '<question type="truefalse"><answer fraction="0"><text>true</text></answer></question>',
            "line 2: true/false question without an answer of fraction 100",
        ),
        (
            '<question type="truefalse"><answer fraction="100"><text>yes</text></answer>'
            "</question>",
            "line 2: true/false answer yes is neither true nor false",
        ),
        (
            '<question type="shortanswer"><answer fraction="90"><text>甲</text></answer>'
            "</question>",
            "line 2: short-answer question without an answer of fraction 100",
        ),
        (
            '<question type="shortanswer"><questiontext><text>甲___乙___</text></questiontext>'
            '<answer fraction="100"><text>甲</text></answer></question>',
            "line 2: short-answer question with 2 blanks in its text (it has one)",
        ),
        (
            '<question type="multichoice">\n<answer fraction="abc"><text>甲</text></answer>'
            "</question>",
            "line 3, field fraction: fraction abc is not a number",
        ),
        (
            '<question type="multichoice">\n\n<defaultgrade>x</defaultgrade></question>',
            "line 4, field defaultgrade: defaultgrade x is not a number",
        ),
        ("<question><questiontext/></question>", "line 2: question without a type attribute"),
    ],
)
def test_question_errors(tmp_path: Path, question: str, error: str) -> None:
    good = (
        '<question type="truefalse"><questiontext><text>题</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer></question>'
    )
    records, errors = _parse(tmp_path, _quiz(question, good))
    assert errors == [f"quiz.xml, {error}"]
    assert len(records) == 1


def test_malformed_xml(tmp_path: Path) -> None:
    content = (
        '<quiz>\n<question type="truefalse">\n'
        "  <questiontext><text>a</text></questiontex>\n</question></quiz>\n"
    )
    assert (
        _fatal(tmp_path, content) == "quiz.xml, line 3: malformed XML at column 33: mismatched tag"
    )


def test_questions_before_the_malformed_part_are_read(tmp_path: Path) -> None:
    good = (
        '<question type="truefalse"><questiontext><text>题</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer></question>'
    )
    path = _path(tmp_path, _quiz(good) + "<extra/>")
    ctx = ParseContext(path, display="quiz.xml")
    records = parse_moodle_xml(ctx)
    assert next(records).stem == "题"
    with pytest.raises(LocatedError) as caught:
        next(records)
    assert (
        str(caught.value)
        == "quiz.xml, line 4: malformed XML at column 1: junk after document element"
    )


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("", "quiz.xml, line 1: malformed XML at column 1: no element found"),
        ("<quiz>", "quiz.xml, line 1: malformed XML at column 7: no element found"),
        ("<quiz>&nope;</quiz>", "quiz.xml, line 1: malformed XML at column 7: undefined entity"),
        (
            "<html/>",
            "quiz.xml, line 1: not a Moodle XML file: the root element is <html>, not <quiz>",
        ),
    ],
)
def test_not_xml(tmp_path: Path, content: str, error: str) -> None:
    assert _fatal(tmp_path, content) == error


def test_entity_bomb_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n'
        "<!DOCTYPE quiz [\n"
        ' <!ENTITY a "aaaaaaaaaa">\n'
        ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        ' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n'
        "]>\n"
        '<quiz><question type="truefalse"><questiontext><text>&c;</text></questiontext>'
        "</question></quiz>\n"
    )
    assert _fatal(tmp_path, bomb) == (
        "quiz.xml, line 2: DTDs and entity declarations are refused (they can hide entity bombs)"
    )


def test_external_entity_refused(tmp_path: Path) -> None:
    content = '<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "file:///etc/passwd">\n<quiz/>\n'
    assert _fatal(tmp_path, content) == (
        "quiz.xml, line 2: DTDs and entity declarations are refused (they can hide entity bombs)"
    )


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moodle_xml, "MAX_FILE_BYTES", 2**20)
    assert _fatal(tmp_path, b" " * (2**20 + 1)) == "quiz.xml: file is larger than 1 MB"


# --- never anything but StudyhubError --------------------------------------------------------

_FRAGMENTS = [
    "<quiz>",
    "</quiz>",
    '<question type="multichoice">',
    '<question type="truefalse">',
    '<question type="shortanswer">',
    '<question type="category">',
    '<question type="essay">',
    "<question>",
    "</question>",
    '<questiontext format="html"><text>&lt;p&gt;题____&lt;/p&gt;</text></questiontext>',
    "<category><text>$course$/top/a</text></category>",
    '<answer fraction="100"><text>true</text></answer>',
    '<answer fraction="x"><text>甲</text><feedback><text>f</text></feedback></answer>',
    "<single>false</single>",
    "<defaultgrade>1e999</defaultgrade>",
    "<tags><tag><text>t</text></tag><tag>u</tag></tags>",
    "<name><text>n</text></name>",
    "<!DOCTYPE x>",
    "&amp;",
    "<![CDATA[<b>]]>",
]


def _fuzz(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xml"
        path.write_bytes(data)
        ctx = ParseContext(path)
        try:
            for record in parse_moodle_xml(ctx):
                assert record.location is not None
        except StudyhubError:
            pass


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    _fuzz(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=8)), max_size=30))
def test_arbitrary_documents(parts: list[str]) -> None:
    _fuzz("".join(parts).encode("utf-8", "surrogatepass"))


def test_unknown_encoding_in_the_declaration_is_located(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found by tests/fuzz: an unknown encoding name raised a raw LookupError."""
    import pytest

    from studyhub.banks.context import ParseContext
    from studyhub.banks.formats.moodle_xml import parse_moodle_xml
    from studyhub.errors import LocatedError

    path = tmp_path / "q.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="TRUEUTF-8"?>\n<quiz></quiz>\n')
    with pytest.raises(LocatedError) as caught:
        list(parse_moodle_xml(ParseContext(path, display="q.xml")))
    assert caught.value.reason == "q.xml, line 1: malformed XML: unknown encoding: TRUEUTF-8"
