"""What Moodle refuses to import, studyhub refuses with the place: an answer grade not in
Moodle's list (GIFT ``%n%``, Moodle XML ``fraction``) and a multichoice without a correct
answer."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from studyhub.banks.context import ParseContext
from studyhub.banks.formats.gift import parse_gift
from studyhub.banks.formats.moodle_grades import is_moodle_grade
from studyhub.banks.formats.moodle_xml import parse_moodle_xml
from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.errors import MultipleErrors

pytestmark = pytest.mark.usefixtures("english")


def _errors(parse, path: Path) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    ctx = ParseContext(path, path.name)
    records = list(parse(ctx))
    return len(records), [str(e) for e in ctx.errors]


@pytest.mark.parametrize(
    ("percent", "accepted"),
    [
        ("100", True), ("-100", True), ("83.33333", True), ("33.333", True), ("12.5", True),
        ("0", True), ("-14.28571", True), ("37", False), ("33", False), ("99", False),
        ("12.34", False), ("110", False),
    ],
)  # fmt: skip
def test_moodle_grade_list(percent: str, accepted: bool) -> None:
    assert is_moodle_grade(Decimal(percent)) is accepted


def test_gift_weight_not_a_moodle_grade_is_refused_with_its_line(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "q.gift",
        "::a::甲？{\n~%50%一\n~%37%二\n~%50%三\n}\n\n"
        "::b::乙？{~%50%一 ~%50%二 ~%-100%三}\n\n"
        "::c::丙的首都是____。{=%83%北京 =北平}\n",
    )
    count, errors = _errors(parse_gift, path)
    assert count == 1  # b
    assert errors == [
        "q.gift, line 3, field weight: weight 37% is not a grade Moodle accepts (100, 90,"
        " 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571,"
        " 12.5, 11.11111, 10, 5, 0, or their negatives)",
        "q.gift, line 9, field weight: weight 83% is not a grade Moodle accepts (100, 90,"
        " 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571,"
        " 12.5, 11.11111, 10, 5, 0, or their negatives)",
    ]


def test_gift_choice_without_a_correct_answer_is_refused(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "q.gift", "::a::甲？{~一 ~二}\n\n::b::乙？{~%-50%一 ~%0%二}\n\n::c::丙？{=一 ~二}\n"
    )
    count, errors = _errors(parse_gift, path)
    assert count == 1
    message = "a choice question without a correct answer (mark it with = or a positive %weight%)"
    assert errors == [
        f"q.gift, line 1, field answer: {message}",
        f"q.gift, line 3, field answer: {message}",
    ]


def _quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def _multichoice(single: str, *fractions: str) -> str:
    answers = "".join(
        f'<answer fraction="{f}"><text>项{i}</text></answer>' for i, f in enumerate(fractions)
    )
    return (
        f'<question type="multichoice"><questiontext><text>题</text></questiontext>'
        f"<single>{single}</single>{answers}</question>"
    )


def test_moodle_xml_refusals_located(tmp_path: Path) -> None:
    path = tmp_path / "quiz.xml"
    path.write_text(
        _quiz(
            _multichoice("true", "100", "0"),
            '<question type="multichoice"><questiontext><text>题</text></questiontext>\n'
            '<single>false</single>\n<answer fraction="45"><text>甲</text></answer>'
            '<answer fraction="55"><text>乙</text></answer></question>',
            _multichoice("false", "0", "-100"),
            _multichoice("true", "50", "50"),
            _multichoice("false", "33.33333", "33.33333", "33.33333", "-100"),
        ),
        encoding="utf-8",
    )
    count, errors = _errors(parse_moodle_xml, path)
    assert count == 2
    assert errors == [
        "quiz.xml, line 6, field fraction: fraction 45 is not a grade Moodle accepts (100, 90,"
        " 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571,"
        " 12.5, 11.11111, 10, 5, 0, or their negatives)",
        "quiz.xml, line 7: multichoice question without a correct answer (no positive fraction)",
        "quiz.xml, line 8: single-answer multichoice question without an answer of fraction 100",
    ]


def test_refusals_fail_the_import_with_their_place(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "bank.gift"
    path.write_text("::a::甲？{=一 ~二}\n\n::b::乙？{~%40%一 ~%61%二 ~三}\n", encoding="utf-8")
    with pytest.raises(MultipleErrors) as raised:
        import_files(database, [path])
    assert [str(e) for e in raised.value.errors] == [
        f"{path}, line 3, field weight: weight 61% is not a grade Moodle accepts (100, 90,"
        " 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571,"
        " 12.5, 11.11111, 10, 5, 0, or their negatives)",
    ]
