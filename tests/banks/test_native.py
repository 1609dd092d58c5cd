from __future__ import annotations

import contextlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.native import export_json, export_yaml, parse_json, parse_yaml
from studyhub.banks.record import BankHeader, QuestionRecord
from studyhub.errors import LocatedError, StudyhubError

GOOD = """\
format: studyhub-bank/1
bank:
  key: civil-code
  title: 民法典题库
  topic: civil-code
  version: "2026.1"
questions:
  - id: cc-0017-01
    type: single
    stem: 成年人是指已满多少周岁的自然人？
    options: [十六周岁, 十八周岁, 二十周岁, 二十二周岁]
    answer: B
    explanation: 第十七条。
    source: 民法典 第17条
    difficulty: 1
    tags: [总则, 自然人]
  - id: cc-0019-01
    type: multiple
    stem: 下列说法正确的是？
    options:
      A: 甲
      B: 乙
      C: 丙
    answer: [A, C]
    source: 民法典 第19条
  - id: cc-1259-01
    type: judge
    stem: “以内”包括本数。
    answer: true
  - id: cc-0000-01
    type: fill
    stem: 民法典自____年____月1日起施行。
    answer: [["2021", "二〇二一"], "1"]
    points: 2.5
"""


def parse(path: Path, kind: str = "yaml") -> tuple[list[QuestionRecord], ParseContext]:
    ctx = ParseContext(path, path.name)
    records = list((parse_yaml if kind == "yaml" else parse_json)(ctx))
    return records, ctx


def test_good_file(write) -> None:  # type: ignore[no-untyped-def]
    records, ctx = parse(write("bank.yaml", GOOD))
    assert ctx.errors == []
    assert ctx.header == BankHeader("civil-code", "民法典题库", "civil-code", "2026.1")
    single, multiple, judge, fill = records
    assert (single.type, single.correct, single.options[1]) == ("single", [1], "十八周岁")
    assert single.tags == ["总则", "自然人"] and single.difficulty == 1
    assert single.location is not None and single.location.line == 8
    assert (multiple.correct, multiple.options) == ([0, 2], ["甲", "乙", "丙"])
    assert judge.truth is True
    assert fill.blanks == [["2021", "二〇二一"], ["1"]]
    assert fill.points == Decimal("2.5")


def test_json_is_read_the_same_way(write) -> None:  # type: ignore[no-untyped-def]
    text = (
        '{"bank": {"key": "k"},\n "questions": [\n'
        '  {"id": "q1", "type": "judge", "stem": "对吗？", "answer": false}\n]}'
    )
    records, ctx = parse(write("bank.json", text), "json")
    assert ctx.errors == [] and ctx.header.key == "k"
    assert records[0].truth is False
    assert records[0].location is not None and records[0].location.line == 3


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("    type: essay\n    stem: x\n    answer: A\n",
         "b.yaml, line 3, field type: unknown type essay (single, multiple, judge or fill)"),
        ("    type: single\n    stem: x\n    options: [a, b]\n",
         "b.yaml, line 2, field answer: missing answer"),
        ("    type: single\n    stem: x\n    options: [a, b]\n    answer: 1\n",
         "b.yaml, line 6, field answer: answer '1' is not option letters"),
        ("    type: judge\n    stem: x\n    answer: maybe\n",
         "b.yaml, line 5, field answer: answer 'maybe' of a judge question must be true or false"),
        ("    type: judge\n    stem: x\n    answer: true\n    colour: red\n",
         "b.yaml, line 6, field colour: unknown field colour"),
        ("    type: judge\n    stem: x\n    answer: true\n    difficulty: 2.5\n",
         "b.yaml, line 6, field difficulty: difficulty 2.5 is not a whole number"),
    ],
)  # fmt: skip
def test_errors_name_line_and_field(write, snippet: str, message: str) -> None:  # type: ignore[no-untyped-def]
    text = "questions:\n  - id: q1\n" + snippet
    records, ctx = parse(write("b.yaml", text))
    assert [e.reason for e in ctx.errors] == [message]
    assert records == []


def test_broken_yaml_is_one_located_error(write) -> None:  # type: ignore[no-untyped-def]
    path = write("b.yaml", "questions:\n  - id: q1\n    stem: [unclosed\n  - id: q2\n")
    with pytest.raises(LocatedError) as info:
        parse(path)
    assert info.value.reason.startswith("b.yaml, line ")
    assert "invalid YAML/JSON" in info.value.reason


def test_gbk_file_is_refused_cleanly(write) -> None:  # type: ignore[no-untyped-def]
    path = write("b.yaml", "questions:\n  - stem: 中文\n", encoding="gbk")
    with pytest.raises(LocatedError, match="invalid YAML/JSON"):
        parse(path)


def test_python_tags_are_refused(write) -> None:  # type: ignore[no-untyped-def]
    path = write("b.yaml", "questions:\n  - stem: !!python/object:os.system x\n")
    with pytest.raises(LocatedError, match=r"b\.yaml, line 2: bad value"):
        parse(path)


texts = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def records(draw: st.DrawFn) -> QuestionRecord:
    qtype = draw(st.sampled_from(["single", "multiple", "judge", "fill"]))
    record = QuestionRecord(
        type=qtype,
        stem=draw(texts),
        external_id=draw(st.from_regex(r"[a-z]{2}-[0-9]{4}-[0-9]{2}", fullmatch=True)),
        explanation=draw(st.one_of(st.just(""), texts)),
        source=draw(st.one_of(st.just(""), texts)),
        difficulty=draw(st.one_of(st.none(), st.integers(1, 5))),
        tags=draw(st.lists(texts, max_size=3, unique=True)),
    )
    if qtype in ("single", "multiple"):
        record.options = draw(st.lists(texts, min_size=2, max_size=8))
        count = 1 if qtype == "single" else draw(st.integers(2, len(record.options)))
        record.correct = sorted(draw(st.permutations(range(len(record.options))))[:count])
    elif qtype == "judge":
        record.truth = draw(st.booleans())
    else:
        blanks = draw(st.integers(1, 3))
        record.stem = record.stem + "____" * blanks
        record.blanks = draw(st.lists(st.lists(texts, min_size=1, max_size=3), min_size=blanks,
                                      max_size=blanks))  # fmt: skip
    return record


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(records(), max_size=5))
def test_export_parse_round_trip(tmp_path: Path, items: list[QuestionRecord]) -> None:
    header = BankHeader("k", '标题: "引号"', "t", "1")
    for kind, export, parse_fn in (
        ("yaml", export_yaml, parse_yaml),
        ("json", export_json, parse_json),
    ):
        buffer = io.BytesIO()
        export(items, header, buffer)
        path = tmp_path / f"b.{kind}"
        path.write_bytes(buffer.getvalue())
        ctx = ParseContext(path)
        assert list(parse_fn(ctx)) == items
        assert ctx.errors == []
        assert ctx.header == header


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_studyhub_errors(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    with contextlib.suppress(StudyhubError):
        list(parse_yaml(ParseContext(path)))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_studyhub_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("questions:\n  - " + text, encoding="utf-8", errors="replace")
    with contextlib.suppress(StudyhubError):
        list(parse_yaml(ParseContext(path)))
