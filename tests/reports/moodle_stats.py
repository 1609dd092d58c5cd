"""An independent implementation of Moodle's quiz statistics, for the tests: written from
Moodle's PHP, step by step, in floats as PHP computes them, and calling nothing of studyhub.

* which attempts: mod/quiz/report/reportlib.php, ``quiz_report_grade_method_sql``;
* the questions: question/classes/statistics/questions/calculator.php (``calculate``,
  ``initial_steps_walker``, ``initial_question_walker``, ``secondary_steps_walker``,
  ``secondary_question_walker``), with the table's displays of
  mod/quiz/report/statistics/statistics_table.php (facility, sd / maxmark, weights);
* the test: mod/quiz/report/statistics/classes/calculator.php (``calculate``, ``median``,
  ``sum_of_powers_of_difference_to_mean``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass
class MoodleAttempt:
    userid: int
    attempt: int
    #: slot -> mark (points); None: an attempt without question data (an imported result)
    marks: dict[int, float] | None
    sumgrades: float = 0.0


@dataclass
class SlotStats:
    maxmark: float
    s: int = 0
    totalmarks: float = 0.0
    markarray: list[float] = field(default_factory=list)
    totalothermarks: float = 0.0
    othermarksarray: list[float] = field(default_factory=list)
    markaverage: float = 0.0
    othermarkaverage: float = 0.0
    summarksaverage: float = 0.0
    totalsummarks: float = 0.0
    facility: float | None = None
    markvariancesum: float = 0.0
    othermarkvariancesum: float = 0.0
    covariancesum: float = 0.0
    covariancemaxsum: float = 0.0
    covariancewithoverallmarksum: float = 0.0
    markvariance: float | None = None
    othermarkvariance: float | None = None
    covariance: float | None = None
    covariancemax: float | None = None
    covariancewithoverallmark: float | None = None
    sd: float | None = None
    negcovar: int = 0
    discriminationindex: float | None = None
    discriminativeefficiency: float | None = None
    effectiveweight: float | None = None


def which_attempts(attempts: list[MoodleAttempt], method: str) -> list[MoodleAttempt]:
    """quiz_report_grade_method_sql over the finished attempts (here: those with questions)."""
    finished = [a for a in attempts if a.marks is not None]
    chosen = []
    for a in finished:
        others = [b for b in finished if b.userid == a.userid and b is not a]
        if method == "highest":
            beaten = any(
                b.sumgrades > a.sumgrades or (b.sumgrades == a.sumgrades and b.attempt < a.attempt)
                for b in others
            )
        elif method == "first":
            beaten = any(b.attempt < a.attempt for b in others)
        elif method == "last":
            beaten = any(b.attempt > a.attempt for b in others)
        else:  # QUIZ_GRADEAVERAGE: every attempt
            beaten = False
        if not beaten:
            chosen.append(a)
    return chosen


def question_statistics(
    attempts: list[MoodleAttempt], maxmarks: dict[int, float]
) -> dict[int, SlotStats]:
    """core_question\\statistics\\questions\\calculator::calculate for one attempt per usage."""
    stats = {slot: SlotStats(maxmark) for slot, maxmark in maxmarks.items()}
    summarks = {id(a): sum(a.marks.values()) for a in attempts if a.marks is not None}
    steps = [(a, slot, mark) for a in attempts for slot, mark in (a.marks or {}).items()]
    # initial_steps_walker (a position statistic)
    for a, slot, mark in steps:
        st = stats[slot]
        st.s += 1
        st.totalmarks += mark
        st.markarray.append(mark)
        st.totalothermarks += summarks[id(a)] - mark
        st.othermarksarray.append(summarks[id(a)] - mark)
    # initial_question_walker
    for st in stats.values():
        if st.s != 0:
            st.markaverage = st.totalmarks / st.s
            st.othermarkaverage = st.totalothermarks / st.s
            st.summarksaverage = st.totalsummarks / st.s
        st.facility = st.markaverage / st.maxmark if st.maxmark != 0 else None
        st.markarray.sort()
        st.othermarksarray.sort()
    # secondary_steps_walker
    for a, slot, mark in steps:
        st = stats[slot]
        markdifference = mark - st.markaverage
        othermarkdifference = summarks[id(a)] - mark - st.othermarkaverage
        overallmarkdifference = summarks[id(a)] - st.summarksaverage
        sortedmarkdifference = st.markarray.pop(0) - st.markaverage
        sortedothermarkdifference = st.othermarksarray.pop(0) - st.othermarkaverage
        st.markvariancesum += markdifference**2
        st.othermarkvariancesum += othermarkdifference**2
        st.covariancesum += markdifference * othermarkdifference
        st.covariancemaxsum += sortedmarkdifference * sortedothermarkdifference
        st.covariancewithoverallmarksum += markdifference * overallmarkdifference
    # secondary_question_walker, and the effective weights
    sumofcovariancewithoverallmark = 0.0
    for st in stats.values():
        if st.s > 1:
            st.markvariance = st.markvariancesum / (st.s - 1)
            st.othermarkvariance = st.othermarkvariancesum / (st.s - 1)
            st.covariance = st.covariancesum / (st.s - 1)
            st.covariancemax = st.covariancemaxsum / (st.s - 1)
            st.covariancewithoverallmark = st.covariancewithoverallmarksum / (st.s - 1)
            st.sd = math.sqrt(st.markvariancesum / (st.s - 1))
            st.negcovar = 0 if st.covariancewithoverallmark >= 0 else 1
        if (st.markvariance or 0) * (st.othermarkvariance or 0):
            st.discriminationindex = (
                100 * st.covariance / math.sqrt(st.markvariance * st.othermarkvariance)
            )
        if st.covariancemax:
            st.discriminativeefficiency = 100 * st.covariance / st.covariancemax
        if (st.covariancewithoverallmark or 0) >= 0:  # PHP: null >= 0 is true, sqrt(null) 0
            sumofcovariancewithoverallmark += math.sqrt(st.covariancewithoverallmark or 0)
    for st in stats.values():
        if sumofcovariancewithoverallmark and not st.negcovar:
            st.effectiveweight = (
                100 * math.sqrt(st.covariancewithoverallmark or 0) / sumofcovariancewithoverallmark
            )
    return stats


def quiz_statistics(sumgrades: list[float], p: int, sumofmarkvariance: float) -> dict[str, Any]:
    """quiz_statistics\\calculator::calculate."""
    s = len(sumgrades)
    out: dict[str, Any] = dict.fromkeys(
        ("mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error")
    )
    if s == 0:
        return out
    out["mean"] = sum(sumgrades) / s
    ordered = sorted(sumgrades)
    if s % 2 == 0:
        offset, limit = s // 2 - 1, 2
    else:
        offset, limit = s // 2, 1
    medianmarks = ordered[offset : offset + limit]
    out["median"] = sum(medianmarks) / len(medianmarks)
    if s > 1:
        mean = out["mean"]
        power2 = sum((g - mean) ** 2 for g in sumgrades)
        power3 = sum((g - mean) ** 3 for g in sumgrades)
        power4 = sum((g - mean) ** 4 for g in sumgrades)
        out["sd"] = math.sqrt(power2 / (s - 1))
        if s > 2:
            m2, m3, m4 = power2 / s, power3 / s, power4 / s
            k2 = s * m2 / (s - 1)
            k3 = s * s * m3 / ((s - 1) * (s - 2))
            if k2 != 0:
                out["skewness"] = k3 / k2 ** (3 / 2)
                if s > 3:
                    k4 = (
                        s
                        * s
                        * (((s + 1) * m4) - (3 * (s - 1) * m2 * m2))
                        / ((s - 1) * (s - 2) * (s - 3))
                    )
                    out["kurtosis"] = k4 / (k2 * k2)
                if p > 1:
                    out["cic"] = (100 * p / (p - 1)) * (1 - (sumofmarkvariance / k2))
                    # PHP's sqrt of a rounding error just below 0 is NAN; the figure is 0
                    out["error_ratio"] = 100 * math.sqrt(max(0.0, 1 - (out["cic"] / 100)))
                    out["standard_error"] = out["error_ratio"] * out["sd"] / 100
    return out


def moodle_report(
    attempts: list[MoodleAttempt], maxmarks: dict[int, float], method: str
) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """The figures of Moodle's report, as it displays them (percentages where it shows a
    percentage): the test's, and each slot's."""
    for a in attempts:
        a.sumgrades = sum((a.marks or {}).values())
    chosen = which_attempts(attempts, method)
    stats = question_statistics(chosen, maxmarks)
    sumofmarkvariance = sum(st.markvariance or 0 for st in stats.values())
    test = quiz_statistics([a.sumgrades for a in chosen], len(maxmarks), sumofmarkvariance)
    test["s"] = len(chosen)
    sumgrades = sum(maxmarks.values())
    slots = {}
    for slot, st in stats.items():
        slots[slot] = {
            "s": st.s,
            "facility": None if st.facility is None else 100 * st.facility,
            "sd": None if st.sd is None or st.maxmark == 0 else 100 * st.sd / st.maxmark,
            "intended_weight": 100 * st.maxmark / sumgrades,
            "effective_weight": st.effectiveweight,
            "discrimination": st.discriminationindex,
            "efficiency": st.discriminativeefficiency,
        }
    return test, slots
