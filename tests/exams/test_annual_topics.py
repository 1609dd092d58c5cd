"""report annual --next-steps on a paper with topics: a topic the year's exam tested and no
activity of the year covered is named in the next steps (by the per-topic figures of rates)."""

from __future__ import annotations

from pathlib import Path

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.exams import attempts
from studyhub.i18n import set_language
from studyhub.reports.annual import annual_summary
from studyhub.study.activities import add_activity
from tests.exams.conftest import Define, make_bank


def test_next_steps_name_the_tested_topic_nobody_studied(
    org: Database, define: Define, tmp_path: Path
) -> None:
    con = tmp_path / "con.yaml"
    con.write_text(make_bank({"judge": 6}, topic="con"), encoding="utf-8")
    import_files(org, [con])
    define(base=(
        "key: t2\ntitle: 两个主题\nyear: 2026\npaper:\n  rules:\n"
        "    - {topic: law, type: judge, count: 5, points: 10}\n"
        "    - {topic: con, type: judge, count: 5, points: 10}\n"
    ))  # fmt: skip
    for staff in ("S1", "S2"):
        view = attempts.start_attempt(org, "t2", staff)
        for item in view.items:
            attempts.answer(org, view.attempt_id, item.position, True, staff)
        attempts.submit(org, view.attempt_id, staff)
    add_activity(org, kind="seminar", held_on="2026-03-01", title="研讨", hours="2",
                 topics=["law"], attendees=["S1", "S2"])  # fmt: skip
    set_language("zh")
    try:
        summary = annual_summary(org, 2026, next_steps=True)
    finally:
        set_language(None)
    assert summary.unstudied_topics == [("con", "con")]  # law was studied, con was not
    assert "将con纳入学习计划（本年度考试涉及，但未组织相关学习）" in (summary.next_steps or "")
    assert summary.as_json()["gaps"]["unstudied_topics"] == [{"topic": "con", "name": "con"}]
    assert "专题研讨law1次" in summary.paragraph
