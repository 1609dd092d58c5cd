from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from studyhub.errors import LocatedError, MultipleErrors
from studyhub.exams.spec import load_spec
from studyhub.timeutil import LOCAL_TZ, parse_duration


def spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "exam.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
key: fx-2026
title: 2026年度学法考试
year: 2026
opens: 2026-11-01
closes: 2026-11-30
time_limit: 1h30m
grading: average
pass_mark: 70
bands: {优秀: 90, 合格: 70}
audience: [D01, D02]
scoring: partial
review: full
review_after_close: true
paper:
  rules:
    - {topic: civil-code, type: 单选, count: 20, points: 2}
    - {topic: civil-code, type: multiple, count: 10, points: 3, difficulty: [2, 4], tags: [总则]}
"""


def test_good_spec(tmp_path: Path) -> None:
    s = load_spec(spec(tmp_path, GOOD))
    assert (s.key, s.year, s.grading, s.scoring, s.review) == (
        "fx-2026", 2026, "average", "partial", "full")  # fmt: skip
    assert s.opens == dt.datetime(2026, 11, 1, tzinfo=LOCAL_TZ)
    assert s.closes == dt.datetime(2026, 12, 1, tzinfo=LOCAL_TZ)  # the whole of Nov 30
    assert s.time_limit == dt.timedelta(minutes=90)
    assert s.bands == [("优秀", Decimal(90)), ("合格", Decimal(70))]
    assert s.audience == ["D01", "D02"] and s.review_after_close
    assert [(r.type, r.count, r.points, r.difficulty, r.tags) for r in s.rules] == [
        ("single", 20, Decimal(2), None, []),
        ("multiple", 10, Decimal(3), (2, 4), ["总则"]),
    ]
    assert s.total_points() == Decimal(70)


def test_defaults(tmp_path: Path) -> None:
    s = load_spec(spec(tmp_path, "key: k\ntitle: t\nyear: 2026\npaper: {fixed: [a, b]}\n"))
    assert (s.attempts, s.grading, s.pass_mark, s.scoring, s.review) == (
        3, "highest", Decimal(60), "all_or_nothing", "wrong")  # fmt: skip
    assert [b[0] for b in s.bands] == ["优秀", "良好", "合格"]
    assert s.shuffle_questions and s.shuffle_options
    assert s.fixed == ["a", "b"] and s.total_points() == Decimal(4)


def test_errors_name_line_and_field(tmp_path: Path) -> None:
    text = (
        "key: k\ntitle: t\nyear: 1999\ngrading: median\ntime_limit: soon\n"
        "opens: 2026-12-01\ncloses: 2026-11-01\ncolour: red\nkind: makeup\n"
        "paper:\n  rules:\n    - {topic: t, type: single, count: 0, points: 2}\n"
    )
    path = spec(tmp_path, text)
    with pytest.raises(MultipleErrors) as info:
        load_spec(path)
    reasons = [e.reason for e in info.value.errors]
    assert reasons == [
        f"{path}, line 8, field colour: unknown field colour",
        f"{path}, line 3, field year: year 1999 is not a year between 2000 and 2100",
        f"{path}, line 4, field grading: grading must be one of highest, last, first, average "
        "(got 'median')",
        f"{path}, line 9, field makeup_of: "
        "a makeup exam (补考) needs makeup_of: the key of its exam",
        f"{path}, line 7, field closes: closes must be after opens",
        f"{path}, line 5, field time_limit: 'soon' is not a duration (write 90m, 1h30m or 5400s)",
        f"{path}, line 12, field paper.rules[1]: count is a whole number from 1 to 1000 (got 0)",
    ]


def test_invalid_yaml(tmp_path: Path) -> None:
    path = spec(tmp_path, "key: [k\n")
    with pytest.raises(LocatedError, match=r"line \d+: invalid YAML"):
        load_spec(path)


@pytest.mark.parametrize(
    ("text", "minutes"), [("90m", 90), ("1h30m", 90), ("5400s", 90), ("45", 45), (30, 30)]
)
def test_durations(text: str | int, minutes: int) -> None:
    assert parse_duration(text) == dt.timedelta(minutes=minutes)


def test_character_yaml_refuses_is_located(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found by tests/fuzz: a NUL (or other non-printable) character raised a raw
    yaml.reader.ReaderError."""
    import pytest

    from studyhub.errors import LocatedError
    from studyhub.exams.spec import load_spec

    path = tmp_path / "spec.yaml"
    path.write_bytes(b"key: e1\ntitle: \x00\n")
    with pytest.raises(LocatedError) as caught:
        load_spec(path)
    assert caught.value.reason == f"{path}, line 2: invalid YAML: character #x0000 is not allowed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key: e1\ntitle: t\n!0 : x\n", "line 3: invalid YAML: could not determine a "
         "constructor for the tag '!0'"),
        ("key: e1\ntitle: t\nyear: 2026\nkind: external\npaper:\n  rules:\n"
         "    - {topic: !x a, type: single, count: 1, points: 1}\n",
         "line 7: invalid YAML: could not determine a constructor for the tag '!x'"),
        ("key: e1\ntitle: t\nyear: 2026\nkind: external\n"
         "paper: {fixed: !!python/name:os.system }\n",
         "line 5: invalid YAML: could not determine a constructor for the tag "
         "'tag:yaml.org,2002:python/name:os.system'"),
    ],
)  # fmt: skip
def test_a_tag_yaml_cannot_construct_is_located(tmp_path: Path, text: str, expected: str) -> None:
    """Found by bench/fuzz.py: an unknown tag on a key or inside the paper raised a raw
    yaml.constructor.ConstructorError."""
    path = spec(tmp_path, text)
    with pytest.raises(LocatedError) as caught:
        load_spec(path)
    assert caught.value.reason == f"{path}, {expected}"


def test_a_tagged_field_value_is_one_line_at_its_field(tmp_path: Path) -> None:
    path = spec(tmp_path, "key: e1\ntitle: !0 t\nyear: 2026\nkind: external\n")
    with pytest.raises(MultipleErrors) as caught:
        load_spec(path)
    assert [str(e) for e in caught.value.errors] == [
        f"{path}, line 2, field title: invalid YAML: could not determine a constructor for "
        "the tag '!0'"
    ]
