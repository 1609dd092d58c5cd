"""A 60-person bureau with 6 departments and a year of study, built through the CLI only
(files written by the test), then counted through the library."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from studyhub.db import open_database
from studyhub.org.roster import staff_list
from studyhub.study.activities import activity_list, law_titles, study_totals
from studyhub.study.outreach import outreach_totals
from tests.scenario_bureau import build_bureau, cli_ok

__all__ = ["build_bureau", "cli_ok"]  # tests.reports.test_annual_bureau imports them from here


def test_a_year_of_a_bureau(db_url: str, tmp_path: Path) -> None:
    build_bureau(db_url, tmp_path)
    database = open_database(db_url)
    try:
        assert len(staff_list(database, at="2026-06-30")) == 60
        assert len(staff_list(database, at="2026-07-01")) == 59
        assert len(staff_list(database, department="HQ", at="2026-07-01")) == 59
        assert len(staff_list(database, department="ENF", at="2026-06-30")) == 20
        assert len(staff_list(database, department="LAW", at="2026-07-01")) == 11
        assert len(staff_list(database, department="OFF", at="2026-07-01")) == 9

        activities = activity_list(database, year=2026)
        assert len(activities) == 7
        attendees = {a["title"]: a["attendees"] for a in activities}
        assert attendees["学习习近平法治思想"] == 60
        assert attendees["民法典专题研讨"] == 10
        assert attendees["学习行政处罚法"] == 19  # 0060 left before August
        assert attendees["宪法讲座"] == 59
        assert attendees["习近平法治思想概论"] == 30

        totals = study_totals(database, 2026)
        assert totals["by_kind"]["seminar"]["activities"] == 1
        assert totals["by_kind"]["online_course"] == {"activities": 2, "hours": Decimal("6.00")}
        assert totals["seminars_by_topic"] == {"civil-code": 1}
        assert totals["laws"] == 4
        assert totals["attendance"] == 60 + 3 + 10 + 19 + 59 + 30 + 10
        assert totals["people"] == 60
        expected = (60 * 2 + 3 * 3 + Decimal("2.5") * 10 + Decimal("1.5") * 19 + 59 * 2
                    + 30 * 4 + 10 * 2)  # fmt: skip
        assert totals["person_hours"] == expected

        laws = {r["law"]: r for r in law_titles(database, year=2026)}
        assert set(laws) == {"民法典", "宪法", "行政处罚法", "行政许可法"}
        assert laws["民法典"]["activities"] == 2
        assert laws["宪法"]["dates"] == ["2026-05-12", "2026-11-20"]

        online = [a for a in activities if a["kind"] == "online_course"]
        assert [a["date"] for a in online] == [dt.date(2026, 1, 15), dt.date(2026, 10, 1)]

        assert outreach_totals(database, 2026) == {
            "events": 3, "materials": 2000, "consultations": 195, "participants": 0,
        }  # fmt: skip
    finally:
        database.dispose()
