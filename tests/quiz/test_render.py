"""The quiz's text: points, time left, headers, menu columns aligned by display width."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from studyhub import i18n
from studyhub.exams.menu import OpenExam
from studyhub.quiz import render
from studyhub.render import display_width


def test_points_and_time_left() -> None:
    assert [render.format_points(Decimal(v)) for v in ("2.00", "1.50", "0.25", "100")] == [
        "2", "1.5", "0.25", "100"
    ]  # fmt: skip
    left = [dt.timedelta(minutes=41, seconds=12), dt.timedelta(seconds=5),
            dt.timedelta(minutes=90), dt.timedelta(hours=30), dt.timedelta(seconds=-3)]  # fmt: skip
    assert [render.format_time_left(x) for x in left] == [
        "41:12", "00:05", "90:00", "30:00:00", "00:00"
    ]  # fmt: skip
    assert render.format_time_left(None) == ""


def test_header_in_both_languages() -> None:
    left = dt.timedelta(minutes=41, seconds=12)
    assert render.question_header(3, 50, "multiple", Decimal("2.00"), left) == (
        "第 3/50 题 · 多选 · 2 分 · 剩余 41:12"
    )
    assert render.question_header(1, 5, "judge", Decimal(1), None, flagged=True) == (
        "第 1/5 题 · 判断 · 1 分 · ★已标记"
    )
    i18n.set_language("en")
    assert render.question_header(3, 50, "fill", Decimal(2), left) == (
        "Question 3/50 · fill in · 2 pt · 41:12 left"
    )


def exam(key: str, title: str, left: int | None, best: str | None, open_id: int | None = None
         ) -> OpenExam:  # fmt: skip
    return OpenExam(key, title, "exam", None, 90, 3, 0, left, 0,
                    Decimal(best) if best else None,
                    Decimal(best) * 2 / 3 if best else None, open_id)  # fmt: skip


def test_menu_columns_align_by_display_width() -> None:
    lines = render.menu_labels([
        exam("fx-2026", "2026年度学法考试", 3, None),
        exam("p", "Practice", None, "88.50"),
        exam("mk", "补考", 0, "40", open_id=7),
    ])  # fmt: skip
    assert lines[0].startswith("2026年度学法考试（fx-2026）  剩余 3 次")
    assert "练习不限次数" in lines[1] and "最好成绩 88.5 分（59.00%）" in lines[1]
    assert "继续作答" in lines[2]
    starts = [display_width(line.split("  ")[0] + "  ") for line in lines]
    status_columns = {
        display_width(line[: line.index(word)])
        for line, word in zip(lines, ("剩余", "练习", "继续"), strict=True)
    }
    assert len(status_columns) == 1 and starts
