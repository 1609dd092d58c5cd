#!/usr/bin/env python3
"""参考率/及格率 at province scale: studyhub's rates() against one hand-written SQL query per exam.

Generates a province-sized database (default 100,000 staff in 2,000 departments, a 3-level
tree with staff in the leaves; 3 years of 5 exams, two a year with a 补考; about 1.5 million
attempts with ~2% exemptions, ~3% leavers, ~3% movers, ~3% joiners, a few late and unfinished
attempts, and 2% of second and third attempts submitted with no answer), then times
``studyhub.reports.rates.rates(database, year=Y, by="department")``
against a hand-written SQL query per exam (same DESIGN.md §4 definitions, run on the raw
DBAPI connection of the same engine) and checks that both give identical figures.

SQLite always; PostgreSQL too with ``--pg URL`` (a fresh database is created on that server
and dropped at the end). The schema comes from studyhub's migrations (open_database); rows
are bulk-loaded through the raw DBAPI connection (SQLite executemany with synchronous=OFF and
journal_mode=OFF during the load only; PostgreSQL COPY), then ANALYZE.

The SQLite file is cached under the temp directory keyed by the parameters; ``--reuse``
reuses it. ``--quick`` is 10,000 staff in 200 departments. ``--explain`` prints the query
plans (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE) of studyhub's statement and the hand-written one.

Then one exam alone, as a report writer asks for it (``--exam``, default the year's first):
``rates(exam=KEY, by="department")``, ``report progress`` (rates so far, absentees, not yet
passed) and ``report absentees``, against a bare GROUP BY over the per-person results studyhub
keeps (``exam_results``, filled after the load as the migration that made it does).

Targets: a year's rates within 1.5x of the hand-written queries (SQLite and PostgreSQL) and
under 3 s on SQLite; one exam by department within 0.5 s on SQLite at 100,000 staff, within
3 s on PostgreSQL at 1,000,000 staff and 1.2x the bare GROUP BY there, progress within 1 s.
A province: ``--staff 1000000 --departments 20000 --years 1 --exams-per-year 1 --exam-only
--pg URL`` (above ``--sqlite-max`` staff only PostgreSQL is measured). Prints the figures with
the targets beside them; exits 1 when a target is missed or the figures differ.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

TARGET_RATIO = 1.5
TARGET_SQLITE_S = 3.0
#: one exam by department: at 100,000 staff on SQLite; at 1,000,000 on PostgreSQL
TARGET_EXAM_SQLITE_S = 0.5
TARGET_EXAM_PG_S = 3.0
#: ... within this of the bare GROUP BY over the kept per-person table (PostgreSQL)
TARGET_BARE_RATIO = 1.2
#: report progress (rates so far, absentees, not yet passed) on PostgreSQL
TARGET_PROGRESS_S = 1.0
#: bump when the generated data changes shape (invalidates cached SQLite files)
GENERATOR_VERSION = 3
LOCAL = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
PASS_H = 6000
BANDS = [["优秀", "90"], ["良好", "80"], ["合格", "60"]]
#: per exam of a year: (max score in points, grading method, has a 补考)
EXAM_SHAPES = [(100, "highest", False), (120, "highest", True), (100, "highest", False),
               (150, "last", False), (100, "highest", True)]  # fmt: skip
BATCH = 50_000

DEPARTMENT_COLUMNS = ("id", "code", "name", "parent_id")
STAFF_COLUMNS = ("id", "staff_no", "name", "role", "department_id", "in_post_from", "in_post_to")
POSTING_COLUMNS = ("id", "staff_id", "department_id", "valid_from", "valid_to")
EXAM_COLUMNS = ("id", "key", "title", "year", "kind", "parent_id", "opens_at", "closes_at",
                "time_limit_s", "attempts_allowed", "grading", "pass_mark", "bands",
                "choice_scoring", "review", "review_after_close", "paper", "status",
                "closed_at")  # fmt: skip
EXEMPTION_COLUMNS = ("id", "exam_id", "staff_id", "reason", "approved_by", "approved_on")
ATTEMPT_COLUMNS = ("id", "exam_id", "staff_id", "number", "status", "origin", "started_at",
                   "deadline", "submitted_at", "submit_reason", "score", "max_score", "percent",
                   "passed", "seed", "answered")  # fmt: skip


# --------------------------------------------------------------------------- generation


@dataclass(frozen=True)
class Sizes:
    staff: int
    departments: int
    years: int
    exams_per_year: int
    last_year: int
    seed: int

    @property
    def first_year(self) -> int:
        return self.last_year - self.years + 1

    def key(self) -> str:
        from studyhub.migrations import HEAD

        text = json.dumps([GENERATOR_VERSION, HEAD, self.staff, self.departments, self.years,
                           self.exams_per_year, self.last_year, self.seed])  # fmt: skip
        return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass
class Dataset:
    departments: list[tuple[Any, ...]] = field(default_factory=list)
    staff: list[tuple[Any, ...]] = field(default_factory=list)
    postings: list[tuple[Any, ...]] = field(default_factory=list)
    exams: list[tuple[Any, ...]] = field(default_factory=list)
    exemptions: list[tuple[Any, ...]] = field(default_factory=list)
    attempts: list[tuple[Any, ...]] = field(default_factory=list)

    def tables(self) -> list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]:
        return [
            ("departments", DEPARTMENT_COLUMNS, self.departments),
            ("staff", STAFF_COLUMNS, self.staff),
            ("staff_postings", POSTING_COLUMNS, self.postings),
            ("exams", EXAM_COLUMNS, self.exams),
            ("exemptions", EXEMPTION_COLUMNS, self.exemptions),
            ("attempts", ATTEMPT_COLUMNS, self.attempts),
        ]


def utc_text(moment: dt.datetime) -> str:
    """An instant as studyhub's UTCDateTime stores it on SQLite (naive UTC, microseconds)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL).astimezone(UTC)


def department_tree(count: int) -> tuple[list[tuple[Any, ...]], list[int]]:
    """A 3-level tree: count/100 top, count/10 middle, the rest leaves. Returns rows, leaf ids."""
    top = max(1, count // 100)
    middle = max(1, count // 10)
    leaves = count - top - middle
    if leaves < 1:
        raise SystemExit("--departments must be at least 3")
    rows: list[tuple[Any, ...]] = []
    code: dict[int, str] = {}
    children: dict[int | None, int] = defaultdict(int)

    def add(parent: int | None, label: str) -> int:
        ident = len(rows) + 1
        children[parent] += 1
        code[ident] = (f"{code[parent]}-" if parent else "") + f"{children[parent]:02d}"
        rows.append((ident, code[ident], f"{label}{ident}", parent))
        return ident

    tops = [add(None, "局") for _ in range(top)]
    middles = [add(tops[i % top], "处") for i in range(middle)]
    leaf_ids = [add(middles[i % middle], "科") for i in range(leaves)]
    return rows, leaf_ids


def generate(sizes: Sizes) -> Dataset:
    rng = random.Random(sizes.seed)
    data = Dataset()
    data.departments, leaves = department_tree(sizes.departments)
    first = dt.date(sizes.first_year, 1, 1)
    last = dt.date(sizes.last_year, 12, 31)
    span = (last - first).days

    def some_day() -> dt.date:
        return first + dt.timedelta(days=rng.randrange(span))

    # staff: (start ordinal or None, end ordinal or None) for eligibility, ability for scores
    people: list[tuple[int, int | None, int | None, float]] = []
    posting_id = 0
    for ident in range(1, sizes.staff + 1):
        department = rng.choice(leaves)
        kind = rng.random()
        start: dt.date | None = None
        end: dt.date | None = None
        if rng.random() < 0.5:
            start = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(30 * 365))
        if kind < 0.03:  # leaver (never before their start: any span of years works)
            end = some_day()
            if start is not None and start > end:
                start = None
        elif kind < 0.06:  # joiner during the period
            start = some_day()
        since = start or dt.date(2015, 1, 1)
        postings = []
        if 0.06 <= kind < 0.09:  # mover
            moved = some_day()
            if moved > since:
                new = rng.choice(leaves)
                postings.append((department, since, moved))
                department, since = new, moved
        postings.append((department, since, end + dt.timedelta(days=1) if end else None))
        for dept, valid_from, valid_to in postings:
            posting_id += 1
            data.postings.append((posting_id, ident, dept, valid_from.isoformat(),
                                  valid_to.isoformat() if valid_to else None))  # fmt: skip
        data.staff.append((ident, f"S{ident:07d}", f"职工{ident}", "employee", department,
                           start.isoformat() if start else None,
                           end.isoformat() if end else None))  # fmt: skip
        people.append((ident, start.toordinal() if start else None,
                       end.toordinal() if end else None,
                       min(99.0, max(35.0, rng.gauss(80, 11)))))  # fmt: skip

    exam_id = 0
    attempt_id = 0
    exemption_id = 0
    for year in range(sizes.first_year, sizes.last_year + 1):
        for index in range(sizes.exams_per_year):
            max_points, grading, has_makeup = EXAM_SHAPES[index]
            opens_day = dt.date(year, 2 + 2 * index, 1)
            closes_day = dt.date(year, 3 + 2 * index, 16)  # closes at 00:00: close date the 15th
            exam_id += 1
            parent_id = exam_id
            opens, closes = local_midnight(opens_day), local_midnight(closes_day)
            data.exams.append((exam_id, f"fx{year}-{index + 1}", f"{year}年第{index + 1}次学法考试",
                               year, "exam", None, utc_text(opens), utc_text(closes), 5400, 3,
                               grading, PASS_H, json.dumps(BANDS, ensure_ascii=False),
                               "all_or_nothing", "wrong", 0, "{}", "closed",
                               utc_text(closes)))  # fmt: skip
            best: dict[int, int] = {}
            sat = set()
            for ident, start, end, ability in people:
                if (start is not None and start >= closes_day.toordinal()) or (
                    end is not None and end < opens_day.toordinal()
                ):
                    continue
                if rng.random() < 0.02:
                    exemption_id += 1
                    data.exemptions.append((exemption_id, exam_id, ident, "长期病假", "人事处",
                                            opens_day.isoformat()))  # fmt: skip
                    if rng.random() < 0.9:
                        continue
                r = rng.random()
                count = 0 if r < 0.10 else 1 if r < 0.88 else 2 if r < 0.98 else 3
                if not count:
                    continue
                lo = (
                    opens
                    if start is None or start <= opens_day.toordinal()
                    else local_midnight(dt.date.fromordinal(start))
                )
                hi = (
                    closes
                    if end is None or end + 1 >= closes_day.toordinal()
                    else (local_midnight(dt.date.fromordinal(end + 1)))
                )
                seconds = max(1, int((hi - lo).total_seconds()) - 7200)
                moments = sorted(rng.randrange(seconds) for _ in range(count))
                for number, offset in enumerate(moments, start=1):
                    started = lo + dt.timedelta(seconds=offset)
                    submitted = started + dt.timedelta(seconds=rng.randrange(600, 5400))
                    attempt_id += 1
                    if number == count and rng.random() < 0.003:  # still open, never submitted
                        data.attempts.append((attempt_id, exam_id, ident, number, "in_progress",
                                              "local", utc_text(started),
                                              utc_text(started + dt.timedelta(seconds=5400)),
                                              None, None, None, None, None, None,
                                              attempt_id, None))  # fmt: skip
                        continue
                    if number == count and rng.random() < 0.003:  # imported after the close
                        submitted = closes + dt.timedelta(seconds=rng.randrange(3 * 86400))
                    # started by a stray key and submitted with no answer (counts only for
                    # someone with no attempt with answers)
                    empty = number > 1 and rng.random() < 0.02
                    row, pct = attempt_row(rng, attempt_id, exam_id, ident, number, started,
                                           submitted, ability + 4 * (number - 1),
                                           max_points, empty=empty)  # fmt: skip
                    data.attempts.append(row)
                    if submitted <= closes:
                        sat.add(ident)
                        best[ident] = max(best.get(ident, -1), pct)
            if not has_makeup:
                continue
            exam_id += 1
            m_opens = local_midnight(closes_day + dt.timedelta(days=10))
            m_closes = local_midnight(closes_day + dt.timedelta(days=31))
            data.exams.append((exam_id, f"fx{year}-{index + 1}-bk",
                               f"{year}年第{index + 1}次学法考试补考", year, "makeup", parent_id,
                               utc_text(m_opens), utc_text(m_closes), 5400, 1, "highest", PASS_H,
                               "[]", "all_or_nothing", "wrong", 0, "{}", "closed",
                               utc_text(m_closes)))  # fmt: skip
            for ident, start, end, ability in people:
                if end is not None and end < (closes_day + dt.timedelta(days=10)).toordinal():
                    continue
                if start is not None and start >= closes_day.toordinal():
                    continue
                failed = ident in sat and best[ident] < PASS_H
                absent = ident not in sat
                if not ((failed and rng.random() < 0.7) or (absent and rng.random() < 0.05)):
                    continue
                started = m_opens + dt.timedelta(seconds=rng.randrange(15 * 86400))
                submitted = started + dt.timedelta(seconds=rng.randrange(600, 5400))
                attempt_id += 1
                row, _ = attempt_row(rng, attempt_id, exam_id, ident, 1, started, submitted,
                                     ability + 10, 100)  # fmt: skip
                data.attempts.append(row)
    return data


def attempt_row(rng: random.Random, ident: int, exam_id: int, staff_id: int, number: int,
                started: dt.datetime, submitted: dt.datetime, ability: float,
                max_points: int, *,
                empty: bool = False) -> tuple[tuple[Any, ...], int]:  # fmt: skip
    """A submitted attempt as studyhub's grading stores it: score and max_score in hundredths,
    percent = score / max truncated to 0.01, passed exactly (score * 100 >= pass mark * max),
    the number of questions answered (50, or 0 for an empty attempt, which scores 0)."""
    pct = min(100.0, max(30.0, rng.gauss(ability, 9)))
    score_h = 0 if empty else int(pct * max_points / 100 * 2) * 50  # half points
    max_h = max_points * 100
    percent_h = score_h * 10000 // max_h
    passed = 1 if score_h * 10000 >= PASS_H * max_h else 0
    row = (ident, exam_id, staff_id, number, "submitted", "local", utc_text(started),
           utc_text(started + dt.timedelta(seconds=5400)), utc_text(submitted), "taker",
           score_h, max_h, percent_h, passed, ident, 0 if empty else 50)  # fmt: skip
    return row, percent_h


# --------------------------------------------------------------------------- loading


def insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def load_sqlite(path: Path, data: Dataset) -> None:
    from studyhub.db import open_database

    database = open_database(f"sqlite:///{path}")  # the schema from the migrations
    raw = database.engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        conn.execute("PRAGMA foreign_keys = OFF")  # checked by PostgreSQL on the same rows
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("BEGIN")
        for table, columns, rows in data.tables():
            sql = insert_sql(table, columns)
            for i in range(0, len(rows), BATCH):
                conn.executemany(sql, rows[i : i + BATCH])
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    finally:
        raw.close()
    keep_results(database)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    database.dispose()


def load_postgres(url: str, data: Dataset) -> None:
    from studyhub.db import open_database

    database = open_database(url)
    raw = database.engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        with conn.cursor() as cursor:
            for table, columns, rows in data.tables():
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for table in ("departments", "staff", "staff_postings", "exams", "exemptions",
                          "attempts"):  # fmt: skip
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT max(id) FROM {table}))")  # fmt: skip
        conn.commit()
    finally:
        raw.close()
    keep_results(database)
    raw = database.engine.raw_connection()
    try:
        conn = raw.driver_connection
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")  # what autovacuum would have done on a live server
    finally:
        raw.close()
        database.dispose()


def keep_results(database: Any) -> None:
    """The per-person results studyhub keeps as attempts are submitted, for the attempts
    loaded behind its back (what the migration that made the table does)."""
    from studyhub.exams.counted import rebuild_results

    start = time.perf_counter()
    with database.session() as session:
        rows = rebuild_results(session)
    print(f"  kept results: {rows:,} rows written in {time.perf_counter() - start:.1f} s")


# --------------------------------------------------------------------------- the hand-written query


def counted_part(grading: str, n: int) -> str:
    """Per person for one exam (or 补考): counted percentage and passed (0/1). Attempts
    submitted by the close count; one with no answer (answered = 0) only when the person has
    no attempt with answers (it scores 0, so the highest needs no care)."""
    where = f"exam_id = :exam_{n} AND status = 'submitted' AND submitted_at <= :closes_{n}"
    if grading in ("first", "last"):
        order = "ASC" if grading == "first" else "DESC"
        return f"""
        SELECT staff_id, pct, CASE WHEN pct >= :pass_{n} THEN 1 ELSE 0 END AS passed
        FROM (SELECT staff_id, percent AS pct,
                     ROW_NUMBER() OVER (PARTITION BY staff_id ORDER BY
                         CASE WHEN answered = 0 THEN 1 ELSE 0 END, number {order}) AS rn
              FROM attempts WHERE {where}) AS ranked_{n}
        WHERE rn = 1"""
    if grading == "average":
        return f"""
        SELECT staff_id, total / n AS pct,
               CASE WHEN total >= :pass_{n} * n THEN 1 ELSE 0 END AS passed
        FROM (SELECT staff_id,
                     CASE WHEN SUM(1 - e) > 0 THEN SUM((1 - e) * percent)
                          ELSE SUM(percent) END AS total,
                     CASE WHEN SUM(1 - e) > 0 THEN SUM(1 - e) ELSE COUNT(*) END AS n
              FROM (SELECT staff_id, percent,
                           CASE WHEN answered = 0 THEN 1 ELSE 0 END AS e
                    FROM attempts WHERE {where}) AS flagged_{n}
              GROUP BY staff_id) AS averaged_{n}"""
    return f"""
        SELECT staff_id, MAX(percent) AS pct,
               CASE WHEN MAX(percent) >= :pass_{n} THEN 1 ELSE 0 END AS passed
        FROM attempts WHERE {where} GROUP BY staff_id"""


def hand_query(gradings: list[str], dialect: str) -> str:
    """Required / participants / passed / excellent / exempt per department for one exam with
    its 补考 (DESIGN.md §4, audience: everyone), as one SQL statement.

    The department on the close date is the latest posting started by then; a leaver counts
    in their last department. The lookup is shaped per database, as one would by hand: SQLite
    probes ix_staff_postings_staff_from once per person (a correlated LIMIT 1), PostgreSQL
    ranks the postings in one pass (a correlated subplan per person is 3x slower there)."""
    parts = " UNION ALL ".join(counted_part(g, n) for n, g in enumerate(gradings))
    if dialect == "sqlite":
        posting_cte = ""
        department = """COALESCE((SELECT sp.department_id FROM staff_postings AS sp
                          WHERE sp.staff_id = s.id AND sp.valid_from <= :close_day
                          ORDER BY sp.valid_from DESC LIMIT 1), s.department_id)"""
        posting_join = ""
    else:
        posting_cte = """
    posting AS (
        SELECT staff_id, department_id FROM (
            SELECT staff_id, department_id,
                   ROW_NUMBER() OVER (PARTITION BY staff_id ORDER BY valid_from DESC) AS rn
            FROM staff_postings WHERE valid_from <= :close_day) AS p
        WHERE rn = 1
    ),"""
        department = "COALESCE(p.department_id, s.department_id)"
        posting_join = "LEFT JOIN posting AS p ON p.staff_id = s.id"
    return f"""
    WITH counted AS (
        SELECT staff_id, MAX(pct) AS pct, MAX(passed) AS passed
        FROM ({parts}) AS parts GROUP BY staff_id
    ),{posting_cte}
    people AS (  -- in post on the close date, or sat
        SELECT {department} AS department_id,
               CASE WHEN x.staff_id IS NULL THEN 0 ELSE 1 END AS exempt,
               c.staff_id AS sat, c.pct, c.passed
        FROM staff AS s
        {posting_join}
        LEFT JOIN counted AS c ON c.staff_id = s.id
        LEFT JOIN exemptions AS x ON x.exam_id = :exam_0 AND x.staff_id = s.id
        WHERE c.staff_id IS NOT NULL
           OR ((s.in_post_from IS NULL OR s.in_post_from <= :close_day)
               AND (s.in_post_to IS NULL OR s.in_post_to >= :close_day))
    ),
    grouped AS (
        SELECT department_id,
               SUM(1 - exempt) AS required,
               SUM(CASE WHEN exempt = 0 AND sat IS NOT NULL THEN 1 ELSE 0 END) AS participants,
               SUM(CASE WHEN exempt = 0 AND passed = 1 THEN 1 ELSE 0 END) AS passed,
               SUM(CASE WHEN exempt = 0 AND pct >= :excellent THEN 1 ELSE 0 END) AS excellent,
               SUM(exempt) AS exempt
        FROM people GROUP BY department_id
    )
    SELECT d.code, COALESCE(g.required, 0), COALESCE(g.participants, 0),
           COALESCE(g.passed, 0), COALESCE(g.excellent, 0), COALESCE(g.exempt, 0)
    FROM grouped AS g RIGHT JOIN departments AS d ON g.department_id = d.id
    ORDER BY d.code"""  # RIGHT JOIN: SQLite >= 3.39 (LEFT JOIN from departments scans g per row)


EXAMS_SQL = """
    SELECT e.id, e.key, e.grading, e.pass_mark, e.bands, e.closes_at,
           m.id, m.grading, m.pass_mark, m.closes_at
    FROM exams AS e LEFT JOIN exams AS m ON m.parent_id = e.id
    WHERE e.year = :year AND e.kind IN ('exam', 'external')
    ORDER BY e.key, m.id"""


def driver_sql(sql: str, dialect: str) -> str:
    return sql if dialect == "sqlite" else re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)


def as_utc(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC)


def hand_statements(cursor: Any, dialect: str, year: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(exam key, SQL, parameters) per exam of the year, read with one query."""
    cursor.execute(driver_sql(EXAMS_SQL, dialect), {"year": year})
    exams: dict[str, dict[str, Any]] = {}
    for eid, key, grading, pass_h, bands, closes, mid, mgrading, mpass_h, mcloses in cursor:
        if key not in exams:
            bands = json.loads(bands) if isinstance(bands, str) else bands
            closes_at = as_utc(closes)
            close_day = (closes_at - dt.timedelta(microseconds=1)).astimezone(LOCAL).date()
            top = max((int(float(m) * 100) for _, m in bands), default=None)
            exams[key] = {"gradings": [grading], "params": {
                "exam_0": eid, "pass_0": pass_h, "closes_0": closes,
                "close_day": close_day.isoformat() if dialect == "sqlite" else close_day,
                "excellent": top if top is not None else 10**9}}  # fmt: skip
        if mid is not None:
            n = len(exams[key]["gradings"])
            exams[key]["gradings"].append(mgrading)
            exams[key]["params"].update({f"exam_{n}": mid, f"pass_{n}": mpass_h,
                                         f"closes_{n}": mcloses})  # fmt: skip
    return [(key, driver_sql(hand_query(e["gradings"], dialect), dialect), e["params"])
            for key, e in exams.items()]  # fmt: skip


def run_hand(database: Any, year: int) -> dict[tuple[str, str], tuple[int, ...]]:
    figures = {}
    with database.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        cursor = raw.cursor()
        for key, sql, params in hand_statements(cursor, database.dialect, year):
            cursor.execute(sql, params)
            for code, *numbers in cursor.fetchall():
                figures[(key, code)] = tuple(int(n) for n in numbers)
        cursor.close()
        connection.rollback()
    return figures


def run_studyhub(database: Any, year: int) -> dict[tuple[str, str], tuple[int, ...]]:
    from studyhub.reports.rates import rates

    rows = rates(database, year=year, by="department")
    return {(r.exam, r.group): (r.required, r.participants, r.passed, r.excellent, r.exempt)
            for r in rows}  # fmt: skip


def timed(function: Any, runs: int) -> tuple[Any, list[float]]:
    result = function()  # warm caches (pages, compiled statements)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        again = function()
        times.append(time.perf_counter() - start)
        assert again == result
    return result, times


# --------------------------------------------------------------------------- plans


def explain(database: Any, year: int) -> None:
    """The plans of studyhub's per-exam statement and the hand-written one (first exam)."""
    import sqlalchemy as sa

    from studyhub.reports.rates import rates

    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                executemany: bool) -> None:  # fmt: skip
        captured.append((statement, parameters))

    sa.event.listen(database.engine, "before_cursor_execute", capture)
    try:
        with database.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            cursor = raw.cursor()
            key, hand_sql, hand_params = hand_statements(cursor, database.dialect, year)[0]
            cursor.close()
        captured.clear()
        rates(database, exam=key, by="department")
    finally:
        sa.event.remove(database.engine, "before_cursor_execute", capture)
    statement, parameters = max(captured, key=lambda c: len(c[0]))
    prefix = ("EXPLAIN QUERY PLAN " if database.dialect == "sqlite"
              else "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) ")  # fmt: skip
    with database.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        for title, sql, params in (("studyhub rates_select", statement, parameters),
                                   ("hand-written", hand_sql, hand_params)):  # fmt: skip
            cursor = raw.cursor()
            start = time.perf_counter()
            cursor.execute(prefix + sql, params)
            plan = cursor.fetchall()
            print(f"--- plan: {title} ({key}, {database.dialect}, "
                  f"{time.perf_counter() - start:.2f} s)")  # fmt: skip
            for row in plan:
                if database.dialect == "sqlite":
                    print(f"  {'  ' * _depth(plan, row)}{row[3]}")
                else:
                    print(f"  {row[0]}")
            cursor.close()
        connection.rollback()


def _depth(plan: list[Any], row: Any) -> int:
    parents = {r[0]: r[1] for r in plan}
    depth, node = 0, row[1]
    while node in parents:
        depth, node = depth + 1, parents[node]
    return depth


# --------------------------------------------------------------------------- report


def compare(name: str, ours: dict[Any, Any], hand: dict[Any, Any]) -> bool:
    if ours == hand:
        return True
    keys = sorted(set(ours) | set(hand))
    wrong = [k for k in keys if ours.get(k) != hand.get(k)]
    print(f"  MISMATCH on {name}: {len(wrong)} of {len(keys)} rows differ "
          "(exam, department): studyhub vs hand-written (required, participants, passed, "
          "excellent, exempt)")  # fmt: skip
    for k in wrong[:10]:
        print(f"    {k}: {ours.get(k)} vs {hand.get(k)}")
    return False


def measure(name: str, database: Any, year: int, runs: int, target_s: float | None,
            do_explain: bool) -> bool:  # fmt: skip
    ours, our_times = timed(lambda: run_studyhub(database, year), runs)
    hand, hand_times = timed(lambda: run_hand(database, year), runs)
    same = compare(name, ours, hand)
    exams = len({k[0] for k in ours})
    totals = [sum(v[i] for v in ours.values()) for i in range(5)]
    ours_s, hand_s = statistics.median(our_times), statistics.median(hand_times)
    ratio = ours_s / hand_s
    print(f"  year {year}: {exams} exams x {len(ours) // max(exams, 1):,} departments = "
          f"{len(ours):,} rows; totals required {totals[0]:,} participants {totals[1]:,} "
          f"passed {totals[2]:,} excellent {totals[3]:,} exempt {totals[4]:,}")  # fmt: skip
    line = (f"  studyhub rates(by=department)  median {ours_s:6.2f} s  "
            f"(min {min(our_times):.2f}, {runs} runs)")  # fmt: skip
    ok = same
    if target_s is not None:
        line += f"   target < {target_s:.1f} s   {'ok' if ours_s < target_s else 'MISSED'}"
        ok &= ours_s < target_s
    print(line)
    print(f"  hand-written SQL (1 per exam)  median {hand_s:6.2f} s  "
          f"(min {min(hand_times):.2f}, {runs} runs)")  # fmt: skip
    print(f"  ratio studyhub / hand          {ratio:6.2f}x    target <= {TARGET_RATIO:.1f}x   "
          f"{'ok' if ratio <= TARGET_RATIO else 'MISSED'}")  # fmt: skip
    print(f"  figures identical: {'yes' if same else 'NO'}")
    ok &= ratio <= TARGET_RATIO
    if do_explain:
        explain(database, year)
    return ok


def bare_group_by(database: Any, key: str) -> dict[Any, tuple[int, int]]:
    """The floor: passes per department straight from the kept per-person table (no scope,
    no department as of the close day, no exemptions), one GROUP BY."""
    sql = ("SELECT s.department_id, count(*), sum(r.passed) FROM exam_results r "
           "JOIN staff s ON s.id = r.staff_id JOIN exams e ON e.id = r.exam_id "
           "WHERE e.key = {p} GROUP BY s.department_id")  # fmt: skip
    with database.engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()
        cursor.execute(sql.format(p="?" if database.dialect == "sqlite" else "%s"), (key,))
        found = {row[0]: (int(row[1]), int(row[2])) for row in cursor.fetchall()}
        cursor.close()
        connection.rollback()
    return found


def measure_exam(name: str, database: Any, key: str, runs: int, rates_s: float,
                 progress_s: float | None, ratio_target: float | None) -> bool:  # fmt: skip
    """One exam as a report writer asks for it during and after the window: `report rates
    --exam KEY --by department`, `report progress KEY`, `report absentees KEY`."""
    from studyhub.cli.report_cmd import PROGRESS_LIMIT
    from studyhub.db import db_now
    from studyhub.reports.people import first_lists, people, people_lists
    from studyhub.reports.rates import rates
    from studyhub.reports.rates_report import rates_report
    from studyhub.timeutil import local_date

    with database.session(readonly=True) as session:
        today = local_date(db_now(session))

    def one_exam() -> Any:
        return [(r.group, r.required, r.participants, r.passed)
                for r in rates(database, exam=key, by="department")]  # fmt: skip

    def progress(limit: int | None = PROGRESS_LIMIT) -> Any:
        """As the command: the rates by department, then each list's first people (or,
        with --all, everyone)."""
        report = rates_report(database, exam=key, by="department", today=today, as_of=today)
        kinds = ["absentees", "not_passed"]
        if limit is None:
            lists = people_lists(database, key, kinds, as_of=today)
        else:
            lists = first_lists(database, key, kinds, report.rows, limit=limit, as_of=today)
        return len(report.rows), len(lists["absentees"]), len(lists["not_passed"])

    def keeping() -> Any:
        """The report after a change to the department tree: the exam's scope worked out
        whole and kept again."""
        import sqlalchemy as sa

        from studyhub.models import KeptScope

        with database.session() as session:
            session.execute(sa.delete(KeptScope))
        return one_exam()

    def absentees() -> Any:
        return len(people(database, key, "absentees"))

    ok = True
    figures, times = timed(one_exam, runs)
    _, bare_times = timed(lambda: bare_group_by(database, key), runs)
    ours, floor = statistics.median(times), statistics.median(bare_times)
    required = sum(f[1] for f in figures)
    print(f"  exam {key}: {len(figures):,} departments, {required:,} required")
    line = f"  rates --exam --by department  median {ours:6.2f} s   target <= {rates_s} s"
    ok &= ours <= rates_s
    print(line + f"   {'ok' if ours <= rates_s else 'MISSED'}")
    ratio = ours / floor
    line = f"  bare GROUP BY (kept table)    median {floor:6.2f} s   ratio {ratio:5.2f}x"
    if ratio_target is not None:
        line += f"   target <= {ratio_target}x   {'ok' if ratio <= ratio_target else 'MISSED'}"
        ok &= ratio <= ratio_target
    print(line)
    _, times = timed(progress, runs)
    median = statistics.median(times)
    line = f"  report progress ({PROGRESS_LIMIT} a list) median {median:6.2f} s"
    if progress_s is not None:
        line += f"   target <= {progress_s} s   {'ok' if median <= progress_s else 'MISSED'}"
        ok &= median <= progress_s
    print(line)
    listed, times = timed(lambda: progress(None), runs)
    print(f"  report progress --all        median {statistics.median(times):6.2f} s"
          f"   ({listed[1]:,} absentees, {listed[2]:,} not passed listed)")  # fmt: skip
    _, times = timed(keeping, runs)
    print(f"  rates after a tree change    median {statistics.median(times):6.2f} s"
          f"   (the scope worked out whole and kept again)")  # fmt: skip
    times = []
    for batch in range(runs):
        moved = move_some(database, today, batch)
        start = time.perf_counter()
        again = one_exam()
        times.append(time.perf_counter() - start)
        assert again == figures  # moved from today on: the closed exam's figures stay
    print(
        f"  rates after a day's moves    median {statistics.median(times):6.2f} s"
        f"   ({moved:,} people moved in one transaction: only they are worked out again)"
    )
    count_absent, times = timed(absentees, runs)
    print(f"  report absentees             median {statistics.median(times):6.2f} s"
          f"   ({count_absent:,} people)")  # fmt: skip
    return ok


def move_some(database: Any, today: Any, batch: int, people: int = 1000) -> int:
    """A day's roster changes: ``people`` people (a different set for each ``batch``) moved
    to another department from ``today`` on, in one transaction, as `staff move` does."""
    import sqlalchemy as sa

    from studyhub.models import Department, Staff, StaffPosting

    with database.session() as session:
        departments = list(session.scalars(sa.select(Department.id).order_by(Department.id)
                                           .limit(50)))  # fmt: skip
        chosen = session.scalars(
            sa.select(Staff).where(Staff.in_post_to.is_(None))
            .order_by(Staff.id.desc()).offset(batch * people).limit(people)
        ).all()  # fmt: skip
        for n, person in enumerate(chosen):
            department = departments[n % len(departments)]
            if department == person.department_id:
                department = departments[(n + 1) % len(departments)]
            session.add(StaffPosting(staff_id=person.id, department_id=department,
                                     valid_from=today))  # fmt: skip
            person.department_id = department
        return len(chosen)


def count(database: Any, table: str) -> int:
    import sqlalchemy as sa

    with database.engine.connect() as connection:
        return int(connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def sqlite_file(sizes: Sizes, reuse: bool, get_data: Any) -> tuple[Path, str]:
    path = Path(tempfile.gettempdir()) / f"studyhub-bench-reports-{sizes.key()}.db"
    if reuse and path.exists():
        return path, "reused"
    partial = path.with_suffix(".partial.db")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    data = get_data()
    start = time.perf_counter()
    load_sqlite(partial, data)
    os.replace(partial, path)
    return path, f"loaded in {time.perf_counter() - start:.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=None, help="default 100,000 (quick 10,000)")
    parser.add_argument("--departments", type=int, default=None, help="default 2,000 (quick 200)")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--exams-per-year", type=int, default=5, choices=range(1, 6))
    parser.add_argument("--year", type=int, default=2025, help="the year measured (the last one)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=3, help="timed runs after one warm-up")
    parser.add_argument("--quick", action="store_true", help="10,000 staff, 200 departments")
    parser.add_argument("--reuse", action="store_true", help="reuse the cached SQLite file")
    parser.add_argument("--pg", metavar="URL", help="also measure on this PostgreSQL server")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--exam", help="the exam measured alone (default: fxYEAR-1)")
    parser.add_argument(
        "--exam-only",
        action="store_true",
        help="only the one-exam figures (rates, progress, absentees)",
    )
    parser.add_argument(
        "--sqlite-max",
        type=int,
        default=200_000,
        help="above this many staff, PostgreSQL only (with --pg)",
    )
    args = parser.parse_args()
    sizes = Sizes(
        staff=args.staff or (10_000 if args.quick else 100_000),
        departments=args.departments or (200 if args.quick else 2_000),
        years=args.years, exams_per_year=args.exams_per_year, last_year=args.year,
        seed=args.seed,
    )  # fmt: skip

    from studyhub.db import open_database

    cache: list[Dataset] = []

    def get_data() -> Dataset:
        if not cache:
            start = time.perf_counter()
            cache.append(generate(sizes))
            d = cache[0]
            print(f"generated {len(d.staff):,} staff, {len(d.departments):,} departments, "
                  f"{len(d.postings):,} postings, {len(d.exams)} exams, "
                  f"{len(d.exemptions):,} exemptions, {len(d.attempts):,} attempts "
                  f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
        return cache[0]

    ok = True
    if args.pg and sizes.staff > args.sqlite_max:
        return 0 if bench_postgres(args, sizes, get_data) else 1
    path, how = sqlite_file(sizes, args.reuse, get_data)
    database = open_database(f"sqlite:///{path}")
    try:
        print(f"SQLite {path} ({how}): {count(database, 'staff'):,} staff, "
              f"{count(database, 'departments'):,} departments, "
              f"{count(database, 'attempts'):,} attempts")  # fmt: skip
        if not args.exam_only:
            ok &= measure("SQLite", database, args.year, args.runs, TARGET_SQLITE_S,
                          args.explain)  # fmt: skip
        ok &= measure_exam("SQLite", database, args.exam or f"fx{args.year}-1", args.runs,
                           TARGET_EXAM_SQLITE_S, None, None)  # fmt: skip
    finally:
        database.dispose()

    if args.pg:
        ok &= bench_postgres(args, sizes, get_data)
    return 0 if ok else 1


def bench_postgres(args: argparse.Namespace, sizes: Sizes, get_data: Any) -> bool:
    import sqlalchemy as sa

    from studyhub.db import create_engine, normalise_url, open_database

    admin_url = sa.engine.make_url(normalise_url(args.pg))
    name = f"studyhub_bench_{os.getpid()}"
    admin_engine = create_engine(admin_url.render_as_string(hide_password=False))
    admin = admin_engine.execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        data = get_data()
        start = time.perf_counter()
        load_postgres(url, data)
        loaded = time.perf_counter() - start
        database = open_database(url)
        try:
            print(f"PostgreSQL {admin_url.set(database=name).render_as_string()} "
                  f"(COPY + VACUUM ANALYZE in {loaded:.1f} s): {count(database, 'staff'):,} staff, "
                  f"{count(database, 'departments'):,} departments, "
                  f"{count(database, 'attempts'):,} attempts")  # fmt: skip
            ok = True
            if not args.exam_only:
                ok &= measure("PostgreSQL", database, args.year, args.runs, None, args.explain)
            return ok & measure_exam(
                "PostgreSQL", database, args.exam or f"fx{args.year}-1", args.runs,
                TARGET_EXAM_PG_S, TARGET_PROGRESS_S, TARGET_BARE_RATIO,
            )  # fmt: skip
        finally:
            database.dispose()
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
