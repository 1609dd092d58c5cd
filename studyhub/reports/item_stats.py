"""The formulas of the item analysis, on figures already fetched (no database here).

Test statistics, as Moodle's quiz statistics calculator
(mod/quiz/report/statistics/classes/calculator.php, ``calculate``) over the ``s`` attempts'
totals ``t`` (points) with ``p`` questions on a fixed paper:

* mean and median (s ≥ 1): the median is the middle total, or the mean of the two middle ones;
* SD = √(Σ(t - mean)² / (s - 1)) (s > 1);
* with m_k = Σ(t - mean)^k / s, k2 = s·m2/(s - 1), k3 = s²·m3/((s - 1)(s - 2)):
  skewness = k3 / k2^(3/2) (s > 2, k2 ≠ 0);
  kurtosis = k4 / k2² with k4 = s²((s + 1)m4 - 3(s - 1)m2²)/((s - 1)(s - 2)(s - 3)) (s > 3);
* CIC = 100·p/(p - 1)·(1 - Σ markvariance / k2) (s > 2, k2 ≠ 0, p > 1): Cronbach's α as a
  percentage; error ratio = 100·√(1 - CIC/100); standard error = error ratio × SD / 100.

Question statistics, as question/classes/statistics/questions/calculator.php
(``secondary_question_walker``) with ``x`` the mark on the question and ``r`` the rest of the
attempt's marks: facility = mean(x) / points; SD = √var(x) / points; discrimination index
= 100·cov(x, r)/√(var(x)·var(r)); discriminative efficiency = 100·cov(x, r) / cov of the two
sorted lists; intended weight = points / the paper's points; effective weight =
100·√cov(x, t) / Σ √cov(x', t) over the questions with cov ≥ 0 (none for a negative one).
Variances and covariances divide by s - 1 (s > 1). Everything runs on exact fractions of
the stored hundredths; only the square roots are floats.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

__all__ = [
    "FACILITY_HIGH",
    "FACILITY_LOW",
    "ItemFigures",
    "ItemStats",
    "PaperStats",
    "ResponseRow",
    "TestStats",
    "item_figures",
    "response_analysis",
    "round_figure",
    "test_statistics",
]

#: a question easier than this (facility, %) or harder than FACILITY_LOW is to review
FACILITY_HIGH = 95
FACILITY_LOW = 20
#: the most common wrong answers shown per blank of a 填空
WRONG_ANSWERS = 3

Flag = tuple[str, dict[str, Any]]


def round_figure(value: Fraction | float, places: str = "0.01") -> Decimal:
    """A figure rounded half up to ``places``."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(repr(value))
    return exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _optional(value: Fraction | float | None, places: str = "0.01") -> Decimal | None:
    return None if value is None else round_figure(value, places)


# --- the test --------------------------------------------------------------------------------


@dataclass
class TestStats:
    """Moodle's test statistics of the attempts analysed; None where its thresholds leave a
    figure undefined. Points for mean, median, SD and standard error; CIC and error ratio
    as percentages."""

    __test__ = False  # not a pytest class

    s: int
    mean: Decimal | None = None
    median: Decimal | None = None
    sd: Decimal | None = None
    skewness: Decimal | None = None
    kurtosis: Decimal | None = None
    cic: Decimal | None = None
    error_ratio: Decimal | None = None
    standard_error: Decimal | None = None


def test_statistics(
    totals: Sequence[Fraction], p: int, sum_of_mark_variance: Fraction | None
) -> TestStats:
    """The test statistics of the attempts' ``totals`` (points, any order), with ``p``
    questions and the sum of their mark variances (None: no CIC, the attempts did not all
    have the same questions)."""
    s = len(totals)
    stats = TestStats(s)
    if s == 0:
        return stats
    ordered = sorted(totals)
    mean = sum(ordered, Fraction(0)) / s
    middle = ordered[(s - 1) // 2 : s // 2 + 1]
    stats.mean = round_figure(mean)
    stats.median = round_figure(sum(middle, Fraction(0)) / len(middle))
    if s <= 1:
        return stats
    power2 = sum(((t - mean) ** 2 for t in ordered), Fraction(0))
    power3 = sum(((t - mean) ** 3 for t in ordered), Fraction(0))
    power4 = sum(((t - mean) ** 4 for t in ordered), Fraction(0))
    sd = math.sqrt(power2 / (s - 1))
    stats.sd = round_figure(sd)
    if s <= 2:
        return stats
    m2, m3, m4 = power2 / s, power3 / s, power4 / s
    k2 = s * m2 / (s - 1)
    k3 = s * s * m3 / ((s - 1) * (s - 2))
    if k2 == 0:
        return stats
    stats.skewness = round_figure(float(k3) / float(k2) ** 1.5, "0.0001")
    if s > 3:
        k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
        stats.kurtosis = round_figure(k4 / (k2 * k2), "0.0001")
    if p > 1 and sum_of_mark_variance is not None:
        cic = Fraction(100 * p, p - 1) * (1 - sum_of_mark_variance / k2)
        error_ratio = 100 * math.sqrt(max(0.0, float(1 - cic / 100)))
        stats.cic = round_figure(cic)
        stats.error_ratio = round_figure(error_ratio)
        stats.standard_error = round_figure(error_ratio * sd / 100)
    return stats


# --- one question ----------------------------------------------------------------------------


@dataclass
class ItemFigures:
    """Moodle's figures of one question version (percentages; None: undefined)."""

    s: int
    points: Decimal
    facility: Decimal | None
    sd: Decimal | None
    intended_weight: Decimal | None
    discrimination: Decimal | None
    efficiency: Decimal | None
    #: Σ(x - x̄)² and Σ(x - x̄)(t - t̄), in hundredths²: for the CIC and the effective weights
    sum_squares: Fraction
    sum_products_total: Fraction


def item_figures(row: Any, paper_points: Fraction | None) -> ItemFigures:
    """The figures of a row of :func:`~studyhub.reports.items_sql.item_aggregates_query`;
    ``paper_points`` is the mean full marks of the attempts, in hundredths (for the
    intended weight)."""
    n = int(row.n)
    sx, sxx, sr, srr, sxr = (int(v or 0) for v in (row.sx, row.sxx, row.sr, row.srr, row.sxr))
    sp, sxr_max = int(row.sp or 0), int(row.sxr_max or 0)
    ss_x = Fraction(sxx) - Fraction(sx * sx, n)
    ss_r = Fraction(srr) - Fraction(sr * sr, n)
    sp_xr = Fraction(sxr) - Fraction(sx * sr, n)
    sp_max = Fraction(sxr_max) - Fraction(sx * sr, n)
    # t = r + x: Σx·t = Σxr + Σx², Σt = Σr + Σx
    sp_xt = Fraction(sxr + sxx) - Fraction(sx * (sr + sx), n)
    points = Fraction(sp, n)  # the mean points of the question (hundredths)
    facility = Fraction(100 * sx, sp) if sp else None
    sd = None
    if n > 1 and sp:
        sd = 100 * math.sqrt(ss_x / (n - 1)) / float(points)
    discrimination = None
    if ss_x > 0 and ss_r > 0:
        discrimination = 100 * float(sp_xr) / math.sqrt(float(ss_x) * float(ss_r))
    efficiency = 100 * sp_xr / sp_max if sp_max != 0 else None
    intended = 100 * points / paper_points if paper_points else None
    return ItemFigures(
        s=n, points=round_figure(points / 100), facility=_optional(facility), sd=_optional(sd),
        intended_weight=_optional(intended), discrimination=_optional(discrimination),
        efficiency=_optional(efficiency), sum_squares=ss_x, sum_products_total=sp_xt,
    )  # fmt: skip


def effective_weights(items: Sequence[ItemFigures]) -> list[Decimal | None]:
    """Moodle's effective weight of each question of a fixed paper (None for a question whose
    covariance with the total is negative, or when no question has a positive one)."""
    roots = [math.sqrt(i.sum_products_total) if i.sum_products_total >= 0 else None
             for i in items]  # fmt: skip
    whole = sum(r for r in roots if r is not None)
    if not whole:
        return [None for _ in items]
    return [None if r is None else round_figure(100 * r / whole) for r in roots]


# --- responses -------------------------------------------------------------------------------


@dataclass
class ResponseRow:
    """One option of a question (or one wrong answer to a blank, or no answer) and how many
    of the attempts analysed chose it, all of them and the top third."""

    #: "A".., "true"/"false" (判断), "blank" (填空, with ``blank``), "none" (no answer)
    option: str
    text: str
    key: bool
    count: int
    share: Decimal | None
    top: int | None
    blank: int | None = None
    flags: list[str] = field(default_factory=list)


def _share(count: int, n: int) -> Decimal | None:
    """count / n as a fraction truncated to 4 places (as the rates are)."""
    if not n:
        return None
    return (Decimal(count) / Decimal(n)).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else str(index + 1)


def response_analysis(
    qtype: str, options: Sequence[str], answer: Any, responses: Sequence[tuple[Any, bool]]
) -> tuple[list[ResponseRow], list[Flag]]:
    """The option shares of one question version from its ``responses`` ((response, in the
    top third) of each attempt analysed), and what they flag: an option nobody chose, or a
    wrong option the top third chose more often than the key (for 多选, than its least
    chosen right option). For 填空, the most common wrong answers of each blank."""
    from studyhub.exams.grading import normalise_answer

    n = len(responses)
    answered = [(r, top) for r, top in responses if r not in (None, [], "")]
    rows: list[ResponseRow] = []
    flags: list[Flag] = []
    if qtype in ("single", "multiple", "judge"):
        if qtype == "judge":
            choices = [("true", True), ("false", False)]
            keys = {bool(answer)}

            def chose(response: Any, value: Any) -> bool:
                return bool(response) == value and isinstance(response, bool | int)

        else:
            choices = [(_letter(i), i) for i in range(len(options))]
            keys = {int(i) for i in answer or []}

            def chose(response: Any, value: Any) -> bool:
                return isinstance(response, list) and value in {int(i) for i in response}

        for label, value in choices:
            picked = [top for r, top in answered if chose(r, value)]
            text = options[value] if qtype != "judge" else ""
            rows.append(ResponseRow(label, str(text), value in keys, len(picked),
                                    _share(len(picked), n), sum(picked)))  # fmt: skip
        key_rows = [row for row in rows if row.key]
        least_key = min(key_rows, key=lambda row: row.top or 0) if key_rows else None
        for row in rows:
            if row.count == 0:
                row.flags.append("unused")
                flags.append(("unused", {"option": row.option}))
            elif not row.key and least_key is not None and (row.top or 0) > (least_key.top or 0):
                row.flags.append("distractor")
                flags.append(("distractor", {"option": row.option, "count": row.top,
                                             "key": least_key.option,
                                             "key_count": least_key.top}))  # fmt: skip
    elif qtype == "fill":
        blanks = list(answer or [])
        for index, accepted in enumerate(blanks):
            right = {normalise_answer(str(a)) for a in accepted}
            seen: dict[str, list[tuple[str, bool]]] = {}
            for response, top in answered:
                given = list(response) if isinstance(response, list) else []
                text = str(given[index]).strip() if index < len(given) else ""
                norm = normalise_answer(text)
                if norm and norm not in right:
                    seen.setdefault(norm, []).append((" ".join(text.split()), top))
            common = sorted(seen.items(), key=lambda item: (-len(item[1]), item[0]))
            for _, found in common[:WRONG_ANSWERS]:
                forms = [form for form, _ in found]
                shown = max(dict.fromkeys(forms), key=forms.count)
                rows.append(ResponseRow("blank", shown, False, len(found), _share(len(found), n),
                                        sum(top for _, top in found), blank=index + 1))  # fmt: skip
    if n > len(answered):
        missing = [top for r, top in responses if r in (None, [], "")]
        rows.append(ResponseRow("none", "", False, len(missing), _share(len(missing), n),
                                sum(missing)))  # fmt: skip
    return rows, flags


# --- the figures of a report ------------------------------------------------------------------


@dataclass
class ItemStats:
    """One question version's figures (percentages; None where undefined)."""

    question: str
    version: int
    qtype: str
    stem: str
    position: int
    attempts: int
    points: Decimal
    facility: Decimal | None
    sd: Decimal | None
    intended_weight: Decimal | None
    effective_weight: Decimal | None
    discrimination: Decimal | None
    efficiency: Decimal | None
    #: why it is to be reviewed: (reason, values) in order; ``flags`` are the reasons alone
    reasons: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    responses: list[ResponseRow] = field(default_factory=list)
    #: Σ(x - mean)² in hundredths², for the CIC
    sum_squares: Fraction = Fraction(0)

    @property
    def flags(self) -> list[str]:
        return list(dict.fromkeys(reason for reason, _ in self.reasons))


@dataclass
class PaperStats(TestStats):
    """The paper's figures over the attempts analysed (``method``): Moodle's test statistics
    (``s`` attempts), the submitted attempts ``left_out`` for want of item data (imported
    results), the question versions shown and the mean full marks."""

    method: str = "first"
    left_out: int = 0
    questions: int = 0
    max_score: Decimal | None = None
    fixed_paper: bool = False
    #: the method is the exam's grading method's (no --attempts given)
    default_method: bool = True

    @property
    def attempts(self) -> int:
        return self.s
