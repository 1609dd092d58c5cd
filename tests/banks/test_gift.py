from __future__ import annotations

import contextlib
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyhub.banks.context import ParseContext
from studyhub.banks.formats import textio
from studyhub.banks.formats.gift import BLANK, WS, export_gift, parse_gift
from studyhub.banks.formats.moodle_grades import MOODLE_GRADES
from studyhub.banks.record import BankHeader, QuestionRecord
from studyhub.errors import LocatedError, StudyhubError


def parse(path: Path, skip: bool = False) -> tuple[list[QuestionRecord], ParseContext]:
    ctx = ParseContext(path, path.name, skip_unsupported=skip)
    return list(parse_gift(ctx)), ctx


def errors(ctx: ParseContext) -> list[str]:
    return [str(e) for e in ctx.errors]


def one(write, text: str) -> QuestionRecord:  # type: ignore[no-untyped-def]
    records, ctx = parse(write("q.gift", text))
    assert errors(ctx) == []
    assert len(records) == 1
    return records[0]


# --- good files ------------------------------------------------------------------------------

GOOD = """\
// 民法典 总则
$CATEGORY: $course$/top/民法典/总则

::cc-0017-01:: 成年人是指已满多少周岁的自然人？{
=十八周岁#正确
~十六周岁#这是以劳动收入为主要生活来源的年龄
~二十周岁
####依据第十七条。
}

// a comment line inside a question
::cc-0019-01::下列哪些说法正确？{
~%50%甲
~%50%乙
// between the answers
~%-100%丙
}

Moodle costs {~lots of money =nothing ~a small amount} to download.

::j1::“以内”包括本数。{T}

::j2::A statement{FALSE#wrong#right####because}

Two plus two is {=4 =four}.

What is two plus two? {=4 =四}
"""


def test_good_file(write) -> None:  # type: ignore[no-untyped-def]
    records, ctx = parse(write("bank.gift", GOOD))
    assert errors(ctx) == []
    kinds = ["single", "multiple", "single", "judge", "judge", "fill", "fill"]
    assert [r.type for r in records] == kinds
    first = records[0]
    assert first == QuestionRecord(
        type="single",
        stem="成年人是指已满多少周岁的自然人？",
        options=["十八周岁", "十六周岁", "二十周岁"],
        correct=[0],
        external_id="cc-0017-01",
        explanation="依据第十七条。",
        tags=["总则"],
        feedback=["正确", "这是以劳动收入为主要生活来源的年龄", ""],
    )
    assert first.location is not None and first.location.line == 4
    second = records[1]
    assert second.correct == [0, 1]
    assert second.weights == [Decimal(50), Decimal(50), Decimal(-100)]
    assert second.feedback is None
    assert str(second.location) == "bank.gift, line 12"
    assert records[2].stem == "Moodle costs ____ to download."
    assert records[2].correct == [1] and records[2].external_id is None
    assert (records[3].truth, records[4].truth) == (True, False)
    assert records[4].explanation == "because"
    assert records[5].stem == "Two plus two is ____."
    assert records[5].blanks == [["4", "four"]]
    assert records[6].stem == "What is two plus two? ____"
    assert records[6].blanks == [["4", "四"]]


@pytest.mark.parametrize(
    ("answer", "truth"),
    [("T", True), ("TRUE", True), ("true", True), ("F", False), ("FALSE", False), ("F#no", False)],
)
def test_judge_words(write, answer: str, truth: bool) -> None:  # type: ignore[no-untyped-def]
    record = one(write, f"太阳从东方升起。{{{answer}}}\n")
    assert (record.type, record.truth) == ("judge", truth)


def test_weights_with_one_positive_option_is_single(write) -> None:  # type: ignore[no-untyped-def]
    record = one(write, "Q {~%100%a ~%0%b ~c}")
    assert (record.type, record.correct) == ("single", [0])
    assert record.weights == [Decimal(100), Decimal(0), Decimal(0)]


def test_equals_with_partial_credit_is_single(write) -> None:  # type: ignore[no-untyped-def]
    record = one(write, "Q {=a ~%50%b ~c}")
    assert (record.type, record.correct) == ("single", [0])
    assert record.weights == [Decimal(100), Decimal(50), Decimal(0)]


def test_fractional_weights(write) -> None:  # type: ignore[no-untyped-def]
    record = one(write, "Q {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}")
    assert (record.type, record.correct) == ("multiple", [0, 1, 2])
    assert record.weights is not None and record.weights[0] == Decimal("33.33333")


def test_escapes(write) -> None:  # type: ignore[no-untyped-def]
    record = one(
        write, "::a\\:b:: 1\\~2 \\= \\# \\{x\\} c\\:d e\\\\f\\ng {=x\\=y\\~z ~w\\#v\\{\\}}\n"
    )
    assert record.external_id == "a:b"
    assert record.stem == "1~2 = # {x} c:d e\\f\ng"
    assert record.options == ["x=y~z", "w#v{}"]


def test_format_tags(write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "::h::[html]<p>甲 &amp; 乙<br>丙</p>{=<b>对</b>#<i>好</i> ~[plain]<b>错</b>}\n\n"
        "::m::[moodle]Moodle text{T}\n\n"
        "::p::[plain]<plain> text{T}\n\n"
        "::d::[markdown]**md** text{=a ~b####[html]<em>解析</em>}\n"
    )
    records, ctx = parse(write("f.gift", text))
    assert errors(ctx) == []
    assert records[0].stem == "甲 & 乙\n丙"
    assert records[0].options == ["对", "<b>错</b>"]
    assert records[0].feedback == ["好", ""]
    assert records[1].stem == "Moodle text"
    assert records[2].stem == "<plain> text"
    assert records[3].stem == "**md** text"
    assert records[3].explanation == "解析"


def test_missing_word_fill(write) -> None:  # type: ignore[no-untyped-def]
    record = one(write, "民法典自{=2021 =二〇二一}年1月1日起施行。")
    assert record.type == "fill"
    assert record.stem == "民法典自____年1月1日起施行。"
    assert record.blanks == [["2021", "二〇二一"]]


def test_short_answer_variants(write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The capital of France is _____. {=Paris}\n\n"
        "No equals sign {Paris}\n\n"
        "Partial credit is dropped {=full =%50%half =%100%also}\n"
    )
    records, ctx = parse(write("s.gift", text))
    assert errors(ctx) == []
    assert records[0].stem == "The capital of France is ____."
    assert records[1].blanks == [["Paris"]]
    assert records[2].blanks == [["full", "also"]]


def test_multiline_question(write) -> None:  # type: ignore[no-untyped-def]
    record = one(write, "::x::第一行\n第二行\n{\n  =甲\n  ~乙\n}\n")
    assert record.stem == "第一行\n第二行"
    assert record.options == ["甲", "乙"]


def test_category_tags(write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "$CATEGORY: $course$/top/a//b\n\nQ1 {T}\n\n"
        "$CATEGORY: $course$/top\n\nQ2 {T}\n\n"
        "$CATEGORY: 合同编\nQ3 {T}\n"
    )
    records, ctx = parse(write("c.gift", text))
    assert errors(ctx) == []
    assert [r.tags for r in records] == [["a/b"], [], ["合同编"]]


def test_moodle_id_and_tag_comments(write) -> None:  # type: ignore[no-untyped-def]
    text = "$CATEGORY: 总则\n\n// [id:cc-1] [tag:自然人] [tag:a\\]b]\n::name::Q {T}\n"
    record = one(write, text)
    assert record.external_id == "cc-1"
    assert record.tags == ["总则", "自然人", "a]b"]


def test_studyhub_comment(write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "$CATEGORY: 总则\n\n"
        '// studyhub: {"source": "民法典 第17条", "difficulty": 2, "tags": ["自然人"], '
        '"topic": "civil-code"}\n'
        "::cc-0017-01::成年人是十八周岁以上的自然人。{T}\n"
    )
    record = one(write, text)
    assert record.source == "民法典 第17条"
    assert record.difficulty == 2
    assert record.tags == ["自然人"]
    assert record.topic == "civil-code"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("\ufeff::a::中文{T}\r\n\r\n::b::题{F}\r\n", "utf-8"),
        ("::a::中文{T}\n\n::b::题{F}\n", "gb18030"),
        ("::a::中文{T}\n\n::b::题{F}\n", "utf-16"),
    ],
)
def test_encodings(tmp_path: Path, data: str, encoding: str) -> None:
    path = tmp_path / "e.gift"
    path.write_bytes(data.encode(encoding))
    records, ctx = parse(path)
    assert errors(ctx) == []
    assert [(r.external_id, r.stem, r.truth) for r in records] == [
        ("a", "中文", True),
        ("b", "题", False),
    ]
    assert records[1].location is not None and records[1].location.line == 3


# --- unsupported and broken files ----------------------------------------------------------


UNSUPPORTED = """\
::num:: 2+2? {#4:0.5}

::match:: 配对 {=甲 -> 1 =乙 -> 2}

::essay:: 论述 {}

只是一段说明。

::ok::Q {T}
"""


def test_unsupported(write) -> None:  # type: ignore[no-untyped-def]
    records, ctx = parse(write("u.gift", UNSUPPORTED))
    assert [r.external_id for r in records] == ["ok"]
    assert errors(ctx) == [
        "u.gift, line 1: unsupported question type numerical; use --skip-unsupported to skip it",
        "u.gift, line 3: unsupported question type matching; use --skip-unsupported to skip it",
        "u.gift, line 5: unsupported question type essay; use --skip-unsupported to skip it",
        "u.gift, line 7: unsupported question type description; use --skip-unsupported to skip it",
    ]
    records, ctx = parse(write("u.gift", UNSUPPORTED), skip=True)
    assert errors(ctx) == []
    assert str(ctx.skipped[0]) == ("u.gift, line 1: unsupported question type numerical (skipped)")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("::a::Q {\n=a\n~b\n\n::b::Q2 {T}\n", "q.gift, line 1: unterminated { (opened here)"),
        ("::a::Q\nmore text {=a\n~b\n", "q.gift, line 2: unterminated { (opened here)"),
        ("::a::Q } {T}\n", "q.gift, line 1: } without a matching {"),
        ("::a::Q {T}\n}\n", "q.gift, line 2: } without a matching {"),
        ("::a::Q {T} and {F}\n", "q.gift, line 1: a second answer set {...} in one question"),
        ("::a::Q {=a\n~{b}\n", "q.gift, line 2: { inside an answer set (write \\{ for a brace)"),
        ("::a Q {T}\n", "q.gift, line 1: question title not closed with ::"),
        ("Q {=a\n~\n~c}\n", "q.gift, line 2: empty answer"),
        ("Q {=a ~#feedback}\n", "q.gift, line 1: empty answer"),
        ("Q {=a =}\n", "q.gift, line 1: empty answer"),
        ("Q {=%50%half}\n", "q.gift, line 1: no answer with full credit"),
        (
            "// studyhub: {oops\nQ {T}\n",
            "q.gift, line 1: the studyhub comment is not a JSON object",
        ),
        ("// studyhub: []\nQ {T}\n", "q.gift, line 1: the studyhub comment is not a JSON object"),
        (
            '// x\n// studyhub: {"difficulty": "2"}\nQ {T}\n',
            "q.gift, line 2: studyhub comment: difficulty must be an integer or null",
        ),
        (
            '// studyhub: {"tags": "a"}\nQ {T}\n',
            "q.gift, line 1: studyhub comment: tags must be a list of strings",
        ),
    ],
)
def test_errors(write, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    records, ctx = parse(write("q.gift", text))
    assert errors(ctx)[0] == message
    assert all(r.external_id != "a" for r in records)


def test_error_does_not_stop_the_file(write) -> None:  # type: ignore[no-untyped-def]
    records, ctx = parse(write("q.gift", "::a::Q {=x\n\n::b::Q2 {T}\n\n::c::Q3 {~%50%x ~%50%y}\n"))
    assert errors(ctx) == ["q.gift, line 1: unterminated { (opened here)"]
    assert [r.external_id for r in records] == ["b", "c"]


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.gift"
    path.write_bytes("::a::题{T}\n\n".encode() + b"::b::\xff{T}\n")
    with pytest.raises(LocatedError) as info:
        parse(path)
    assert str(info.value) == (
        "bad.gift, line 3: cannot decode the text: it is neither UTF-8 nor GB18030"
    )


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LocatedError) as info:
        parse(tmp_path / "none.gift")
    assert str(info.value) == "none.gift: cannot read file: no such file or directory"


def test_too_large_file(write, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(textio, "MAX_FILE_BYTES", 2**20)
    path = write("big.gift", "Q {T}\n\n" * (2**20 // 7 + 1))
    with pytest.raises(LocatedError) as info:
        parse(path)
    assert str(info.value) == "big.gift: file is larger than 1 MB"


# --- export ----------------------------------------------------------------------------------


def export(records: list[QuestionRecord], header: BankHeader | None = None) -> str:
    stream = io.BytesIO()
    export_gift(records, header or BankHeader(), stream)
    return stream.getvalue().decode("utf-8")


def test_export_text() -> None:
    records = [
        QuestionRecord(
            type="single",
            stem="成年人是指已满多少周岁的自然人？",
            options=["十六周岁", "十八周岁"],
            correct=[1],
            external_id="cc-0017-01",
            explanation="依据第十七条。",
            source="民法典 第17条",
            difficulty=1,
            tags=["总则"],
        ),
        QuestionRecord(
            type="multiple", stem="多选：a=b?", options=["甲", "乙", "丙"], correct=[0, 2]
        ),
        QuestionRecord(type="judge", stem="对吗", truth=False, external_id="j"),
        QuestionRecord(type="fill", stem="民法典自____年施行。", blanks=[["2021", "二〇二一"]]),
        QuestionRecord(type="fill", stem="答案是____", blanks=[["甲"]]),
        QuestionRecord(type="fill", stem="____年____月", blanks=[["1"], ["2"]], external_id="f2"),
    ]
    text = export(records, BankHeader(key="civil-code", title="民法典/题库"))
    assert text == (
        "$CATEGORY: $course$/top/民法典//题库\n\n"
        '// studyhub: {"source": "民法典 第17条", "difficulty": 1, "tags": ["总则"]}\n'
        "// [tag:总则]\n"
        "::cc-0017-01::成年人是指已满多少周岁的自然人？{\n"
        "~十六周岁\n"
        "=十八周岁\n"
        "####依据第十七条。\n"
        "}\n\n"
        '// studyhub: {"source": "", "difficulty": null, "tags": [], "derived_weights": true}\n'
        "多选：a\\=b?{\n"
        "~%50%甲\n"
        "~%-100%乙\n"
        "~%50%丙\n"
        "}\n\n"
        '// studyhub: {"source": "", "difficulty": null, "tags": []}\n'
        "::j::对吗{FALSE}\n\n"
        '// studyhub: {"source": "", "difficulty": null, "tags": []}\n'
        "民法典自{=2021 =二〇二一}年施行。\n\n"
        '// studyhub: {"source": "", "difficulty": null, "tags": []}\n'
        "答案是{=甲}\n\n"
        "// skipped f2: fill question with 2 blanks cannot be written as GIFT\n\n"
    )
    back, ctx = parse_text(text)
    assert errors(ctx) == []
    assert back == records[:5]


def parse_text(text: str) -> tuple[list[QuestionRecord], ParseContext]:
    with tempfile.NamedTemporaryFile(suffix=".gift", delete=False) as stream:
        stream.write(text.encode("utf-8"))
    path = Path(stream.name)
    try:
        return parse(path)
    finally:
        path.unlink()


def test_export_protects_special_starts() -> None:
    records = [
        QuestionRecord(type="judge", stem="// not a comment", truth=True),
        QuestionRecord(type="judge", stem="[html]<b>", truth=True, explanation="[plain]x"),
        QuestionRecord(
            type="single",
            stem="百分比",
            options=["%50% 对", "%20%错", "[markdown]x"],
            correct=[0],
            weights=None,
        ),
        QuestionRecord(type="fill", stem="____", blanks=[["%100%", "T"]]),
    ]
    text = export(records)
    assert "[plain]// not a comment{TRUE}" in text
    assert "[plain][html]<b>{TRUE####[plain][plain]x}" in text
    assert "=%50% 对\n~%0%%20%错\n~%0%[plain][markdown]x\n" in text
    assert "{=%100%%100% =T}" in text
    back, ctx = parse_text(text)
    assert errors(ctx) == []
    assert back == records


# --- properties ------------------------------------------------------------------------------


GIFT_WORDS = ["::", "//", "$CATEGORY:", "[html]", "####", "->", "%50%", "\\n", "\ufdd0"]
GIFT_PARTS = st.sampled_from(
    [*"~=#{}:\\%[]<>&/-_TF.aA 甲\n\n\t\r$", *GIFT_WORDS, '// studyhub: {"tags": [1]}']
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        st.lists(GIFT_PARTS, max_size=60).map(lambda p: "".join(p).encode()),
    )
)
def test_parser_raises_only_studyhub_errors(tmp_path_factory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.getbasetemp() / "fuzz.gift"
    path.write_bytes(data)
    with contextlib.suppress(StudyhubError):
        parse(path)


GIFT_ALPHABET = st.sampled_from(
    [*"法律民典中华人共和国甲乙abcXYZ 019~=#{}:\\%[]<>&/-!?。，；：\n\r\t\x0b", "\ufdd0", "\u3000"]
)
PREFIXES = st.sampled_from(["", "", "", "[html]", "//", "%50%", "::", "$CATEGORY:", "=", "~", "#"])


def gift_text() -> st.SearchStrategy[str]:
    """Non-empty texts with GIFT's special characters, trimmed as GIFT trims them."""
    raw = st.tuples(PREFIXES, st.text(GIFT_ALPHABET, max_size=10))
    return raw.map(lambda t: (t[0] + t[1]).strip(WS) or "题")


def optional_text() -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), gift_text())


@st.composite
def records(draw: st.DrawFn) -> QuestionRecord:
    kind = draw(st.sampled_from(["single", "multiple", "judge", "fill"]))
    record = QuestionRecord(
        type=kind,
        stem=draw(gift_text()),
        external_id=draw(st.one_of(st.none(), gift_text())),
        explanation=draw(optional_text()),
        source=draw(optional_text()),
        difficulty=draw(st.one_of(st.none(), st.integers(-3, 9))),
        tags=draw(st.lists(gift_text(), max_size=3, unique=True)),
        topic=draw(st.one_of(st.none(), gift_text())),
    )
    if kind == "judge":
        record.truth = draw(st.booleans())
    elif kind == "fill":
        before, after = draw(optional_text()), draw(optional_text())
        spaces = draw(st.sampled_from(["", " "]))
        record.stem = (before + spaces + BLANK + spaces + after).strip(WS)
        answer = gift_text().filter(lambda s: "->" not in s)
        record.blanks = [draw(st.lists(answer, min_size=1, max_size=3))]
    else:
        draw_choice(draw, record)
    return record


def draw_choice(draw: st.DrawFn, record: QuestionRecord) -> None:
    count = draw(st.integers(2, 6))
    record.options = draw(st.lists(gift_text(), min_size=count, max_size=count))
    indexes = list(range(count))
    if record.type == "single":
        record.correct = [draw(st.sampled_from(indexes))]
    else:
        record.correct = sorted(draw(st.sets(st.sampled_from(indexes), min_size=2)))
    if draw(st.booleans()):
        record.weights = [draw_weight(draw, record, i) for i in indexes]
    if draw(st.booleans()):
        feedback = draw(st.lists(optional_text(), min_size=count, max_size=count))
        record.feedback = feedback if any(feedback) else None


def draw_weight(draw: st.DrawFn, record: QuestionRecord, index: int) -> Decimal:
    """A weight in percent that agrees with the answer, one of Moodle's grades."""
    grades = [*MOODLE_GRADES, *(-g for g in MOODLE_GRADES if g)]
    if record.type == "single":
        allowed = [Decimal(100)] if index in record.correct else [g for g in grades if g < 100]
    else:
        allowed = [g for g in grades if (g > 0) == (index in record.correct)]
    return draw(st.sampled_from(allowed))


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    items=st.lists(records(), max_size=4),
    title=st.one_of(st.none(), gift_text()),
)
def test_export_parse_round_trip(items: list[QuestionRecord], title: str | None) -> None:
    text = export(items, BankHeader(title=title))
    back, ctx = parse_text(text)
    assert errors(ctx) == []
    assert back == items
