"""How a report value is written as text, by the kind of its column: the common cells (text,
whole counts, rates) take a short way that must give what the general rules give."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyhub.reports.cells import cell_text

KINDS = ["text", "count", "rate", "score", "points", "number", "date"]


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        ("办公室", "text", "办公室"),
        (12, "count", "12"),
        (12, "text", "12"),
        (12, "score", "12.00"),
        (12, "points", "12"),
        (Decimal("0.98333"), "rate", "98.33"),
        (Decimal("1.0000"), "rate", "100.00"),
        (Decimal("0E-4"), "rate", "0.00"),
        (Decimal("85.339"), "score", "85.33"),
        (Decimal("2.50"), "points", "2.5"),
        (Decimal("7"), "count", "7"),
        (None, "count", "-"),
        (["甲", None, "乙"], "text", "甲、乙"),
        (dt.date(2026, 12, 8), "date", "2026-12-08"),
        (True, "text", "是"),
    ],
)
def test_each_kind_of_cell(value: object, kind: str, text: str) -> None:
    assert cell_text(value, kind) == text


@given(
    value=st.one_of(st.integers(-(10**12), 10**12), st.text(max_size=8),
                    st.decimals(min_value=0, max_value=1, places=4)),
    kind=st.sampled_from(KINDS),
)  # fmt: skip
def test_the_short_way_gives_what_the_general_rules_give(value: object, kind: str) -> None:
    """The same value in a type the short way does not take (a subclass) goes the general
    way: both must write it alike."""

    class Int(int):
        pass

    class Str(str):
        pass

    class Dec(Decimal):
        pass

    other = {int: Int, str: Str, Decimal: Dec}[type(value)](value)
    assert cell_text(value, kind) == cell_text(other, kind)
