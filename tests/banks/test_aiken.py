from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyhub.banks.context import ParseContext
from studyhub.banks.formats import textio
from studyhub.banks.formats.aiken import _ANSWER_RE, _OPTION_RE, export_aiken, parse_aiken
from studyhub.banks.record import BankHeader, QuestionRecord
from studyhub.errors import LocatedError, StudyhubError


def parse(path: Path) -> tuple[list[QuestionRecord], ParseContext]:
    ctx = ParseContext(path, path.name)
    return list(parse_aiken(ctx)), ctx


def errors(ctx: ParseContext) -> list[str]:
    return [str(e) for e in ctx.errors]


GOOD = """\
成年人是指已满多少周岁的自然人？
A. 十六周岁
B) 十八周岁
C、二十周岁
D．二十二周岁
ANSWER: B

下列哪些属于民事主体？
（多选）
A）自然人
B）法人
C）行政区划
答案：A、B

Which is right?
Ａ．one
Ｂ．two
ANSWER：b
第四题
A.甲
B.乙

C.丙
答案: C
Fifth
A) x
B) y
ANSWER: A,B
"""


def test_good_file(write) -> None:  # type: ignore[no-untyped-def]
    records, ctx = parse(write("bank.txt", GOOD))
    assert errors(ctx) == []
    assert records[0] == QuestionRecord(
        type="single",
        stem="成年人是指已满多少周岁的自然人？",
        options=["十六周岁", "十八周岁", "二十周岁", "二十二周岁"],
        correct=[1],
    )
    assert str(records[0].location) == "bank.txt, line 1"
    assert records[1].stem == "下列哪些属于民事主体？\n（多选）"
    assert records[1].options == ["自然人", "法人", "行政区划"]
    assert (records[1].type, records[1].correct) == ("multiple", [0, 1])
    assert (records[2].options, records[2].correct) == (["one", "two"], [1])
    assert str(records[3].location) == "bank.txt, line 19"
    assert (records[3].options, records[3].correct) == (["甲", "乙", "丙"], [2])
    assert (records[4].type, records[4].correct) == ("multiple", [0, 1])


def test_question_text_that_looks_like_an_option_or_answer(write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A、B两公司签订合同，下列说法正确的是？\nA. 甲\nB. 乙\nANSWER: A\n\n"
        "A、B两人\n订立合同。\nA. 甲\nB. 乙\nANSWER: B\n\n"
        "答案：\nA) 甲\nB) 乙\n答案：A\n"
    )
    records, ctx = parse(write("q.txt", text))
    assert errors(ctx) == []
    assert [r.stem for r in records] == [
        "A、B两公司签订合同，下列说法正确的是？",
        "A、B两人\n订立合同。",
        "答案：",
    ]
    assert all(r.options == ["甲", "乙"] for r in records)


def test_ascii_label_needs_a_space(write) -> None:  # type: ignore[no-untyped-def]
    text = "A.I. is a field\nA) yes\nB) no\nANSWER: A\n"
    records, ctx = parse(write("q.txt", text))
    assert errors(ctx) == []
    assert records[0].stem == "A.I. is a field"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "q.txt"
    path.write_bytes("题目一\r\nA. 甲\r\nB. 乙\r\n答案：A\r\n".encode(encoding))
    records, ctx = parse(path)
    assert errors(ctx) == []
    assert [(r.stem, r.options, r.correct) for r in records] == [("题目一", ["甲", "乙"], [0])]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A. 甲\nB. 乙\nANSWER: A\n", "q.txt, line 1: option A before any question"),
        ("Q0\nA. a\nB. b\nANSWER: A\nB. orphan\n", "q.txt, line 5: option B before any question"),
        ("Q1\nA. a\nB. b\n\nQ2\nA. a\nANSWER: A\n", "q.txt, line 1: question without ANSWER"),
        ("Q1\nA. a\nB. b\n", "q.txt, line 1: question without ANSWER"),
        ("Q1\n\nQ2\nA. a\nANSWER: A\n", "q.txt, line 1: question without ANSWER"),
        ("Q1\nA. a\nB. b\nANSWER: E\n", "q.txt, line 4: ANSWER E is not one of the options A-B"),
        ("Q1\nA. a\nB. b\nANSWER: 2\n", 'q.txt, line 4: ANSWER "2" is not option letters'),
        ("Q1\nA. a\nB. b\n答案：\n", 'q.txt, line 4: ANSWER "" is not option letters'),
        (
            "Q1\nA. a\nB. b\nANSWER: A or B\n",
            'q.txt, line 4: ANSWER "A or B" is not option letters',
        ),
        ("Q1\nA. a\nC. c\nANSWER: A\n", "q.txt, line 3: option C out of order (expected B)"),
        ("ANSWER: A\n", "q.txt, line 1: ANSWER before any question"),
        ("Q1\nANSWER: A\n", "q.txt, line 1: question without options"),
    ],
)
def test_errors(write, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    records, ctx = parse(write("q.txt", text))
    assert errors(ctx)[0] == message
    assert all(r.stem != "Q1" for r in records)


def test_error_does_not_stop_the_file(write) -> None:  # type: ignore[no-untyped-def]
    text = (
        "A. orphan\nB. orphan\nANSWER: A\n\n"
        "Q1\nA. a\nB. b\nANSWER: Z\n\n"
        "Q2\nA. a\nB. b\nANSWER: B\n"
    )
    records, ctx = parse(write("q.txt", text))
    assert errors(ctx) == [
        "q.txt, line 1: option A before any question",
        "q.txt, line 8: ANSWER Z is not one of the options A-B",
    ]
    assert [(r.stem, r.correct) for r in records] == [("Q2", [1])]


def test_undecodable_and_large_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Q\n\x80\n")
    with pytest.raises(LocatedError) as info:
        parse(path)
    assert (
        str(info.value)
        == "bad.txt, line 2: cannot decode the text: it is neither UTF-8 nor GB18030"
    )
    monkeypatch.setattr(textio, "MAX_FILE_BYTES", 2**20)
    path.write_bytes(b"Q\n" * 2**20)
    with pytest.raises(LocatedError) as info:
        parse(path)
    assert str(info.value) == "bad.txt: file is larger than 1 MB"


# --- export ----------------------------------------------------------------------------------


def export(records: list[QuestionRecord]) -> str:
    stream = io.BytesIO()
    export_aiken(records, BankHeader(title="题库"), stream)
    return stream.getvalue().decode("utf-8")


def test_export_text() -> None:
    records = [
        QuestionRecord(
            type="single",
            stem="成年人是指已满多少周岁的自然人？",
            options=["十六周岁", "十八周岁"],
            correct=[1],
            explanation="lost",
        ),
        QuestionRecord(type="judge", stem="对吗", truth=True),
        QuestionRecord(type="fill", stem="____年", blanks=[["2021"]]),
        QuestionRecord(
            type="multiple", stem="第一行\n\n第二行", options=["a\nb", "c"], correct=[0, 1]
        ),
    ]
    text = export(records)
    assert text == (
        "成年人是指已满多少周岁的自然人？\nA. 十六周岁\nB. 十八周岁\nANSWER: B\n\n"
        "第一行\n第二行\nA. a b\nB. c\nANSWER: AB\n\n"
    )


def test_export_writes_nothing_for_judge_and_fill() -> None:
    records = [
        QuestionRecord(type="judge", stem="对吗", truth=True),
        QuestionRecord(type="fill", stem="____年", blanks=[["2021"]]),
    ]
    assert export(records) == ""


# --- properties ------------------------------------------------------------------------------

AIKEN_PARTS = st.sampled_from(
    [*"ABCＡ.)、．）：:答案ANSWERanswer 甲乙丙 \n\n\t\r19,", "ANSWER: ", "答案：", "A. ", "B) "]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        st.lists(AIKEN_PARTS, max_size=60).map(lambda p: "".join(p).encode()),
    )
)
def test_parser_raises_only_studyhub_errors(tmp_path_factory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.getbasetemp() / "fuzz.txt"
    path.write_bytes(data)
    with contextlib.suppress(StudyhubError):
        parse(path)


TEXT = st.text(
    st.sampled_from([*"法律民典中华人共和国甲乙abcXYZ 019:：.)、#%ANSWER", "　", "\t"]), max_size=12
).map(str.strip)


def plain_line(text: str) -> bool:
    return bool(text) and not _OPTION_RE.fullmatch(text) and not _ANSWER_RE.fullmatch(text)


LOOKALIKE = st.sampled_from(["", "", "A、", "B. ", "Ａ．", "答案：", "ANSWER: ", "answer:"])


@st.composite
def choice_records(draw: st.DrawFn) -> QuestionRecord:
    # the last line of the stem may look like an option or an answer: option A follows it
    last = draw(st.tuples(LOOKALIKE, TEXT).map(lambda t: (t[0] + t[1]).strip()).filter(bool))
    lines = [*draw(st.lists(TEXT.filter(plain_line), max_size=2)), last]
    stem = "\n".join(lines)
    count = draw(st.integers(2, 8))
    options = draw(st.lists(TEXT.filter(bool), min_size=count, max_size=count))
    correct = sorted(draw(st.sets(st.integers(0, count - 1), min_size=1, max_size=count)))
    kind = "single" if len(correct) == 1 else "multiple"
    return QuestionRecord(type=kind, stem=stem, options=options, correct=correct)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(choice_records(), max_size=4))
def test_export_parse_round_trip(items: list[QuestionRecord]) -> None:
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as stream:
        stream.write(export(items).encode("utf-8"))
    path = Path(stream.name)
    try:
        back, ctx = parse(path)
    finally:
        path.unlink()
    assert errors(ctx) == []

    def fields(records: list[QuestionRecord]) -> list[tuple[object, ...]]:
        return [(r.type, r.stem, r.options, r.correct) for r in records]

    assert fields(back) == fields(items)
