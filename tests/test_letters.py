"""Option letters in a 解析, rewritten to the order the options were shown (studyhub.letters),
on the forms issue #18 names and on real explanations of the shipped banks."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from studyhub.banks import shipped_bank_files
from studyhub.letters import LETTERS, problems, references, remap

HISTORY = Path(__file__).parent / "quiz" / "letter_explanations.yaml"
#: shown order: the option shown first is the bank's D, then A, C, B
ORDER = [3, 0, 2, 1]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("A、B错误", "B、D错误"),  # A、B
        ("因此A项“一律不予处罚”错误", "因此B项“一律不予处罚”错误"),  # A项
        ("选项A与法条不符", "选项B与法条不符"),  # 选项A
        ("A和C都对", "B和C都对"),  # A和C
        ("答案为AB", "答案为BD"),  # AB, put back in alphabetical order
        ("A、B、C分别是第九、十一、八项", "B、D、C分别是第九、十一、八项"),  # order kept
        ("依次为AB", "依次为BD"),
        ("依次为DA", "依次为AB"),  # a sequence keeps its order
        ("故Ａ、Ｃ错误", "故Ｂ、Ｃ错误"),  # full width stays full width
        ("只有D的顺序正确。A是第一项", "只有A的顺序正确。B是第一项"),
        ("C错误.A正确", "C错误.B正确"),
    ],
)
def test_the_forms_of_letter_references(text: str, shown: str) -> None:
    assert remap(text, ORDER) == shown
    assert problems(text, 4) == []


@pytest.mark.parametrize(
    "text",
    [
        "利用AI换脸伪造肖像",  # a word
        "GDP和CPI",  # letters beyond H
        "A股市场、B超检查、A级景区、C类企业、B型血",  # names
        "A4纸、3A景区、5G网络",  # a digit touches the letter
        "Word文档、iPhone",  # lower case
        "",
    ],
)
def test_words_are_not_references(text: str) -> None:
    assert references(text) == []
    assert remap(text, ORDER) == text


def test_references_that_cannot_be_mapped_are_left_and_reported() -> None:
    text = "A、E错误；AA重复；A-C均为第一章的规定；A至D均正确"
    assert [str(p) for p in problems(text, 4)] == [
        "names option E, but the question has 4 options (A-D)",
        "AA repeats a letter",
        "the range A-C cannot be kept when the options are shuffled",
    ]  # A至D spans every option: it stays right whatever the order
    assert remap(text, ORDER) == "B、E错误；AA重复；A-C均为第一章的规定；A至D均正确"


def test_bank_order_and_bad_orders_change_nothing() -> None:
    text = "A、C错误"
    assert remap(text, [0, 1, 2, 3]) == text
    assert remap(text, None) == text
    assert remap(text, [0, 0, 1, 2]) == text  # not a permutation


def _history() -> list[dict[str, object]]:
    data = yaml.safe_load(HISTORY.read_text(encoding="utf-8"))
    return list(data["questions"])


def test_every_historical_explanation_names_the_same_options_after_shuffling() -> None:
    """The 34 explanations the shipped banks once had, each under 20 random orders: every
    letter of the rewritten text names the option (as shown) that the bank's letter named."""
    questions = _history()
    assert len(questions) == 34
    rng = random.Random(18)
    for question in questions:
        options = list(question["options"])  # type: ignore[call-overload]
        text = str(question["explanation"])
        assert problems(text, len(options)) == [], question["id"]
        before = references(text)
        assert before, question["id"]
        for _ in range(20):
            order = list(range(len(options)))
            rng.shuffle(order)
            shown = [options[i] for i in order]
            after = references(remap(text, order))
            assert len(after) == len(before)
            for old, new in zip(before, after, strict=True):
                named = {options[i] for i in old.indexes()}
                assert {shown[i] for i in new.indexes()} == named, (question["id"], order)


def test_the_shipped_banks_name_options_by_what_they_say() -> None:
    """Today's shipped explanations name no option letter, so nothing needs rewriting (and
    `studyhub bank check` has nothing to warn about)."""
    named = []
    for path in shipped_bank_files():
        for question in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            text = str(question.get("explanation") or "")
            if references(text):
                named.append(question["id"])
    assert named == []


def test_letters_are_the_option_letters() -> None:
    assert LETTERS == "ABCDEFGH"
