"""The answer grades Moodle accepts, shared by the GIFT and Moodle XML parsers.

Moodle refuses to import a question whose answer fraction is not one of its grades: the list
is ``get_grade_options()`` in Moodle's ``question/lib.php`` (every p/q for q <= 6, p/10,
1/q for q <= 10, and 1/20, with their negatives), and the check is
``match_grade_options(..., 'error')`` called by ``question/format.php`` on import, which
allows a difference below 0.00001 in fraction (0.001 in percent). studyhub refuses the same
files, so that a bank it reads is a bank Moodle reads.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["MOODLE_GRADES", "is_moodle_grade"]

#: Moodle's grades in percent (question/lib.php, get_grade_options), negatives added below
MOODLE_GRADES: tuple[Decimal, ...] = tuple(
    Decimal(text)
    for text in (
        "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
        "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0",
    )
)  # fmt: skip
#: match_grade_options: abs(grade - value) < 0.00001 in fraction, i.e. 0.001 in percent
_TOLERANCE = Decimal("0.001")


def is_moodle_grade(percent: Decimal) -> bool:
    """Whether Moodle accepts ``percent`` as an answer grade (or its negative)."""
    size = abs(percent)
    return any(abs(size - grade) < _TOLERANCE for grade in MOODLE_GRADES)


def grade_list() -> str:
    """The grades as a message shows them: ``100, 90, 83.33333, ...``."""
    return ", ".join(format(grade, "f") for grade in MOODLE_GRADES)
