#!/usr/bin/env python3
"""Load: N concurrent exam takers (one process and one engine each) against one database.

Each taker signs in (studyhub.admin.auth.authenticate with the PIN set up for it), arrives at a
random moment within ``--ramp-s`` seconds (0: everyone in the same instant), reads the menu
of open exams and the exam's start page as the quiz shows them, starts the exam, answers
every question after a short random think time (1-3 s: people take 10-60 s), and
submits. A share of the takers (``--racers``, 10% by default) have used all but one of their
attempts and launch two processes at the same moment for the last one. Afterwards the
database is checked:

* every answer a taker saved (attempts.answer returned) is stored, with the value given;
  every stored answer was given by some taker; one attempt_items row per question;
* no attempt is duplicated and nobody has more attempts than the exam allows;
* every score equals a re-grade of the stored answers with studyhub.exams.grading.award.

Prints answers/s, the p50/p99 latency of saving an answer, start and submit latencies and
every error a taker met (``database is locked`` counted apart), and the machine's load
average before and after. Targets: on PostgreSQL 200 takers x 50 questions with nothing
lost, p99 save latency <= 20 ms and p99 start <= 200 ms; on one SQLite file (WAL) 20 takers
with p99 save <= 10 ms; no error and every database check passing. ``--profile rush``: 500
takers start within 60 s and submit within the minutes after (PostgreSQL; the server needs
max_connections above 500). ``--taker-cpus 1`` pins the taker processes to those CPUs (the
server on the others) where the machine allows. Exits 1 when a check fails or a target is
missed.

    bench/load.py --db postgresql://postgres@127.0.0.1:55432/postgres --takers 200
    bench/load.py --db sqlite:////tmp/load.db --takers 20
    bench/load.py --db postgresql://... --think-ms 5,50 --ramp-s 0   # saturation

On PostgreSQL a scratch database is created on the server named by the URL and dropped
afterwards (``--keep`` keeps it); a SQLite file must not exist yet.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
import traceback
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

TARGET_PG_P99_MS = 20.0
TARGET_PG_START_P99_MS = 200.0
TARGET_SQLITE_P99_MS = 10.0
#: the rush of a window's last hour: 500 takers start within 60 s and all submit within
#: the minutes after (50 questions at 1-3 s each)
#: the CPUs the taker processes run on (set by --taker-cpus; empty: anywhere)
TAKER_CPUS: set[int] = set()
PROFILES = {"rush": {"takers": 500, "ramp_s": 60.0, "think_ms": "1000,3000"}}
EXAM_KEY = "load"
ATTEMPTS_ALLOWED = 2
#: the question mix of the paper, as shares of --questions
MIX = (("single", 0.4), ("multiple", 0.2), ("judge", 0.3), ("fill", 0.1))


@dataclass
class TakerReport:
    """What one taker process did, as it saw it."""

    staff_no: str
    twin: int = 0
    attempt_id: int | None = None
    #: (position, response in shown terms) for every save that returned
    saved: list[tuple[int, Any]] = field(default_factory=list)
    save_ms: list[float] = field(default_factory=list)
    start_ms: float | None = None
    submit_ms: float | None = None
    sign_in_ms: float | None = None
    #: the quiz's menu of open exams, read before the start as the quiz does
    menu_ms: float | None = None
    score: str | None = None
    #: expected refusals of a racing twin (lost the start race, or its twin submitted first)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    backend: str
    takers: int
    processes: int
    questions: int
    answers: int
    wall_s: float
    answers_per_s: float
    save_p50_ms: float
    save_p99_ms: float
    save_max_ms: float
    start_p99_ms: float
    submit_p99_ms: float
    menu_p99_ms: float
    errors: list[str]
    locked_errors: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def pin_for(n: int) -> str:
    return f"{700000 + n:06d}"


# --- setup ----------------------------------------------------------------------------------


def bank_yaml(questions: int) -> str:
    """A native bank with twice the paper's questions of each type (so papers differ)."""
    import yaml

    items: list[dict[str, Any]] = []
    for qtype, count in paper_counts(questions * 2).items():
        for n in range(1, count + 1):
            item: dict[str, Any] = {
                "id": f"{qtype}-{n:04d}",
                "type": qtype,
                "source": "中华人民共和国民法典 第188条",
            }
            if qtype == "single":
                item.update(
                    stem=f"单选题{n}：诉讼时效期间为几年？",
                    options=["一", "二", "三", "四"],
                    answer="C",
                )
            elif qtype == "multiple":
                item.update(
                    stem=f"多选题{n}：下列哪些属于民事主体？",
                    options=["自然人", "法人", "非法人组织", "动物"],
                    answer="ABC",
                )
            elif qtype == "judge":
                item.update(
                    stem=f"判断题{n}：民事主体在民事活动中的法律地位一律平等。", answer=True
                )
            else:
                item.update(stem=f"填空题{n}：普通诉讼时效期间为____年。", answer=[["三", "3"]])
            items.append(item)
    return yaml.safe_dump(
        {"bank": {"key": "load", "topic": "civil-code"}, "questions": items}, allow_unicode=True
    )


def paper_counts(questions: int) -> dict[str, int]:
    counts = {qtype: int(questions * share) for qtype, share in MIX}
    counts["single"] += questions - sum(counts.values())
    return counts


def prepare_url(url: str, keep: bool) -> tuple[str, Any]:
    """The URL to load (a scratch database on PostgreSQL) and a function that cleans up."""
    from studyhub.db import create_engine, normalise_url

    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = create_engine(url).url.database
        if path and Path(path).exists():
            raise SystemExit(f"{path} exists; give a new SQLite file")
        return url, lambda: None
    admin = create_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"studyhub_load_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        if not keep:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    from sqlalchemy.engine import make_url

    # from the URL as given: create_engine takes some query parameters (prepare_threshold) out
    scratch = make_url(url).set(database=name).render_as_string(hide_password=False)
    return scratch, drop


def _set_pins(url: str, numbers: list[int]) -> None:
    from studyhub.admin.auth import set_pin
    from studyhub.db import open_database

    database = open_database(url, upgrade=False)
    for n in numbers:
        set_pin(database, f"L{n}", pin_for(n), actor="bench", must_change=False)
    database.dispose()


def setup(url: str, takers: int, questions: int, racers: list[int], workdir: Path) -> None:
    """Staff L1..Ln with PINs, the bank (studyhub's importer), the exam (create_exam), and a
    first, submitted attempt for each racer."""
    import yaml

    from studyhub.admin.auth import set_pin
    from studyhub.banks.importer import import_files
    from studyhub.db import open_database
    from studyhub.exams import attempts
    from studyhub.exams.definitions import create_exam
    from studyhub.exams.spec import load_spec
    from studyhub.models import Department, Staff

    database = open_database(url)
    with database.session() as session:
        department = Department(code="D1", name="办公室")
        session.add(department)
        session.flush()
        session.add_all(
            Staff(staff_no=f"L{n}", name=f"职工{n}", department_id=department.id)
            for n in range(1, takers + 1)
        )
        session.add(Staff(staff_no="LADMIN", name="管理员", role="admin",
                          department_id=department.id))  # fmt: skip
    bank = workdir / "load-bank.yaml"
    bank.write_text(bank_yaml(questions), encoding="utf-8")
    import_files(database, [bank])
    rules = [
        {"topic": "civil-code", "type": qtype, "count": count, "points": "2"}
        for qtype, count in paper_counts(questions).items()
        if count
    ]
    spec = {
        "key": EXAM_KEY,
        "title": "负载测试",
        "year": 2026,
        "time_limit": "3h",
        "attempts": ATTEMPTS_ALLOWED,
        "paper": {"rules": rules},
    }
    spec_path = workdir / "load-exam.yaml"
    spec_path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    create_exam(database, load_spec(spec_path))
    for n in racers:  # all but the last attempt used
        for _ in range(ATTEMPTS_ALLOWED - 1):
            view = attempts.start_attempt(database, EXAM_KEY, f"L{n}")
            attempts.submit(database, view.attempt_id, f"L{n}")
    # the first PIN goes to an admin (setup mode ends with someone who can sign in as admin)
    set_pin(database, "LADMIN", "24681357", actor="bench", must_change=False)
    database.dispose()
    numbers = list(range(1, takers + 1))
    ctx = mp.get_context("fork")
    workers = [ctx.Process(target=_set_pins, args=(url, numbers[i::2])) for i in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            raise SystemExit("setting PINs failed")


# --- a taker --------------------------------------------------------------------------------


def choose(staff_no: str, item: Any) -> Any:
    """The taker's answer to a question (the same in both processes of a racing pair)."""
    rng = random.Random(f"{staff_no}:{item.position}")
    if item.type == "single":
        return [rng.randrange(len(item.options))]
    if item.type == "multiple":
        return sorted(rng.sample(range(len(item.options)), rng.randint(1, len(item.options))))
    if item.type == "judge":
        return rng.random() < 0.5
    return [rng.choice(["三", "3", "五", " 三 "]) for _ in range(item.blanks)]


def taker(
    url: str, n: int, twin: int, think: tuple[float, float], arrive: float, go: Any, pair: Any,
    results: Any,
) -> None:  # fmt: skip
    """One taker process: sign in, wait for the start and then ``arrive`` seconds, read the
    menu of open exams and the start page, start, answer everything, submit."""
    from studyhub.admin.auth import authenticate
    from studyhub.db import open_database
    from studyhub.errors import StudyhubError
    from studyhub.exams import attempts
    from studyhub.exams.menu import open_exams_for

    staff_no = f"L{n}"
    report = TakerReport(staff_no, twin)
    rng = random.Random(n * 2 + twin)
    database = None
    if TAKER_CPUS and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, TAKER_CPUS)
    try:
        database = open_database(url)
        began = time.perf_counter()
        authenticate(database, staff_no, pin_for(n))
        report.sign_in_ms = (time.perf_counter() - began) * 1000
        go.wait()
        time.sleep(arrive)
        # as the quiz: the menu of open exams first, then the exam's start page is read
        began = time.perf_counter()
        open_exams_for(database, staff_no)
        report.menu_ms = (time.perf_counter() - began) * 1000
        time.sleep(rng.uniform(*think) / 1000)
        if pair is not None:
            pair.wait()  # both processes of a racing pair start at the same moment
        began = time.perf_counter()
        try:
            view = attempts.start_attempt(database, EXAM_KEY, staff_no)
        except attempts.AttemptRefused as err:
            (report.refused if pair is not None else report.errors).append(f"start: {err}")
            return
        report.start_ms = (time.perf_counter() - began) * 1000
        report.attempt_id = view.attempt_id
        for item in view.items:
            time.sleep(rng.uniform(*think) / 1000)
            response = choose(staff_no, item)
            began = time.perf_counter()
            try:
                attempts.answer(database, view.attempt_id, item.position, response, staff_no)
            except attempts.AttemptClosed as err:
                (report.refused if pair is not None else report.errors).append(f"answer: {err}")
                break
            except StudyhubError as err:
                report.errors.append(f"answer {item.position}: {type(err).__name__}: {err}")
                continue
            report.save_ms.append((time.perf_counter() - began) * 1000)
            report.saved.append((item.position, response))
        began = time.perf_counter()
        result = attempts.submit(database, view.attempt_id, staff_no)
        report.submit_ms = (time.perf_counter() - began) * 1000
        report.score = str(result.score)
    except BaseException as err:
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        report.errors.append(last[:500])
    finally:
        if database is not None:
            database.dispose()
        results.put(report)


# --- the checks -----------------------------------------------------------------------------


def check(url: str, reports: list[TakerReport], takers: int, racers: set[int]) -> list[str]:
    """Everything wrong in the database, compared with what the takers reported."""
    import sqlalchemy as sa

    from studyhub.db import open_database
    from studyhub.exams import grading
    from studyhub.models import Attempt, AttemptItem, Exam, QuestionVersion, Staff

    problems: list[str] = []
    database = open_database(url, upgrade=False)
    with database.session(readonly=True) as session:
        exam = session.scalar(sa.select(Exam).where(Exam.key == EXAM_KEY))
        assert exam is not None
        rows = session.execute(
            sa.select(Attempt, Staff.staff_no)
            .join(Staff, Staff.id == Attempt.staff_id)
            .where(Attempt.exam_id == exam.id)
        ).all()
        by_staff: dict[str, list[Any]] = {}
        for attempt, staff_no in rows:
            by_staff.setdefault(staff_no, []).append(attempt)
        for n in range(1, takers + 1):
            mine = by_staff.get(f"L{n}", [])
            numbers = sorted(a.number for a in mine)
            expected = list(range(1, ATTEMPTS_ALLOWED + 1)) if n in racers else [1]
            if numbers != expected:
                problems.append(f"L{n} has attempts {numbers}, expected {expected}")
            if len(mine) > ATTEMPTS_ALLOWED:
                problems.append(f"L{n} has {len(mine)} attempts, more than {ATTEMPTS_ALLOWED}")
        open_left = [a.id for a, _ in rows if a.status != "submitted"]
        if open_left:
            problems.append(f"{len(open_left)} attempts not submitted: {open_left[:10]}")
        duplicates = session.execute(
            sa.select(AttemptItem.attempt_id, AttemptItem.position, sa.func.count())
            .group_by(AttemptItem.attempt_id, AttemptItem.position)
            .having(sa.func.count() > 1)
        ).all()
        if duplicates:
            problems.append(f"{len(duplicates)} questions stored twice: {duplicates[:5]}")
        items: dict[tuple[int, int], tuple[Any, Any]] = {}
        for item, version in session.execute(
            sa.select(AttemptItem, QuestionVersion)
            .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(Attempt.exam_id == exam.id)
        ):
            items[(item.attempt_id, item.position)] = (item, version)
        # every saved answer is stored with its value; every stored answer was given
        given: dict[tuple[int, int], Any] = {}
        for report in reports:
            for position, response in report.saved:
                key = (report.attempt_id or 0, position)
                if isinstance(response, list) and response and isinstance(response[0], str):
                    response = [text.strip() for text in response]  # as the engine stores fill
                if key in given and given[key] != response:
                    problems.append(f"{report.staff_no}: two values given for {key}")
                given[key] = response
        lost = 0
        for key, response in given.items():
            item, version = items.get(key, (None, None))
            if item is None or shown(item, version) != response:
                lost += 1
                if lost <= 5:
                    stored = None if item is None else shown(item, version)
                    problems.append(f"answer {key} given {response!r}, stored {stored!r}")
        if lost:
            problems.append(f"{lost} answers lost or changed")
        prior = {a.id for n in racers for a in by_staff.get(f"L{n}", []) if a.number == 1}
        extra = [
            key
            for key, (item, _) in items.items()
            if item.response is not None and key not in given and key[0] not in prior
        ]
        if extra:
            problems.append(f"{len(extra)} stored answers no taker gave: {extra[:5]}")
        # every score is a re-grade of the stored answers
        totals: dict[int, Decimal] = {}
        for (attempt_id, _), (item, version) in items.items():
            weights = None
            if version.extra and "weights" in version.extra:
                weights = [Decimal(w) for w in version.extra["weights"]]
            awarded = grading.award(
                version.type,
                version.answer,
                item.response,
                item.points,
                scoring=exam.choice_scoring,
                weights=weights,
            )
            if item.awarded != awarded:
                problems.append(
                    f"attempt {attempt_id} question {item.position}: awarded "
                    f"{item.awarded}, re-grade {awarded}"
                )
            totals[attempt_id] = totals.get(attempt_id, Decimal(0)) + awarded
        for attempt, staff_no in rows:
            if attempt.status == "submitted" and attempt.score != totals.get(attempt.id, 0):
                problems.append(
                    f"{staff_no} attempt {attempt.number}: score {attempt.score}, "
                    f"re-grade {totals.get(attempt.id)}"
                )
    database.dispose()
    return problems


def shown(item: Any, version: Any) -> Any:
    """A stored (canonical) response in the terms the taker saw it."""
    response = item.response
    if response is not None and version.type in ("single", "multiple"):
        order = item.option_order or list(range(len(version.options or [])))
        response = sorted(order.index(i) for i in response)
    return response


# --- running it -----------------------------------------------------------------------------


def run(
    url: str,
    takers: int,
    questions: int,
    *,
    think: tuple[float, float] = (1000.0, 3000.0),
    ramp: float = 10.0,
    racer_share: float = 0.1,
    keep: bool = False,
    seed: int = 2026,
    log: Any = print,
) -> LoadResult:
    """Set up, run the takers, check the database; the figures."""
    from studyhub.config import mask_url

    rng = random.Random(seed)
    scratch, cleanup = prepare_url(url, keep)
    backend = "postgresql" if scratch.startswith("postgresql") else "sqlite"
    racers = set(rng.sample(range(1, takers + 1), round(takers * racer_share)))
    try:
        with tempfile.TemporaryDirectory(prefix="studyhub-load-") as tmp:
            began = time.perf_counter()
            setup(scratch, takers, questions, sorted(racers), Path(tmp))
            log(
                f"setup: {takers} staff with PINs, bank and exam in "
                f"{time.perf_counter() - began:.1f} s on {mask_url(scratch)}"
            )
        ctx = mp.get_context("fork")
        results = ctx.Queue()
        processes = takers + len(racers)
        go = ctx.Barrier(processes + 1)
        pairs = {n: ctx.Barrier(2) for n in racers}
        arrivals = {n: rng.uniform(0, ramp) for n in range(1, takers + 1)}
        children = []
        for n in range(1, takers + 1):
            for twin in range(2 if n in racers else 1):
                child = ctx.Process(
                    target=taker,
                    args=(scratch, n, twin, think, arrivals[n], go, pairs.get(n), results),
                )
                child.start()
                children.append(child)
        go.wait(timeout=600)  # every taker has signed in
        began = time.perf_counter()
        reports: list[TakerReport] = []
        while len(reports) < processes:
            reports.append(results.get(timeout=1800))
        wall = time.perf_counter() - began
        for child in children:
            child.join(60)
        problems = check(scratch, reports, takers, racers)
        problems += [f"process exited with {c.exitcode}" for c in children if c.exitcode]
    finally:
        cleanup()
    return summarise(backend, takers, processes, questions, reports, wall, problems, racers)


def summarise(
    backend: str,
    takers: int,
    processes: int,
    questions: int,
    reports: list[TakerReport],
    wall: float,
    problems: list[str],
    racers: set[int],
) -> LoadResult:
    saves = [ms for r in reports for ms in r.save_ms]
    errors = [f"{r.staff_no}/{r.twin}: {e}" for r in reports for e in r.errors]
    winners: dict[str, int] = {}
    for report in reports:
        if report.attempt_id is not None:
            winners[report.staff_no] = winners.get(report.staff_no, 0) + 1
    for n in racers:  # a racing pair ends with one attempt, taken by one or both processes
        if winners.get(f"L{n}", 0) == 0:
            problems.append(f"neither process of L{n} got the last attempt")
    answers = len({(r.attempt_id, p) for r in reports for p, _ in r.saved})
    return LoadResult(
        backend,
        takers,
        processes,
        questions,
        answers,
        wall,
        answers / wall if wall else 0.0,
        percentile(saves, 0.5),
        percentile(saves, 0.99),
        max(saves, default=float("nan")),
        percentile([r.start_ms for r in reports if r.start_ms is not None], 0.99),
        percentile([r.submit_ms for r in reports if r.submit_ms is not None], 0.99),
        percentile([r.menu_ms for r in reports if r.menu_ms is not None], 0.99),
        errors,
        sum("database is locked" in e for e in errors),
        problems,
    )


def report_lines(result: LoadResult) -> list[str]:
    lines = [
        f"{result.backend}: {result.takers} takers ({result.processes} processes) x "
        f"{result.questions} questions",
        f"  answers saved      {result.answers}  in {result.wall_s:.1f} s  "
        f"= {result.answers_per_s:.0f} answers/s",
        f"  save latency       p50 {result.save_p50_ms:.1f} ms  p99 {result.save_p99_ms:.1f} ms  "
        f"max {result.save_max_ms:.1f} ms",
        f"  menu (open exams)  p99 {result.menu_p99_ms:.1f} ms (the first screen after sign-in; "
        "it loads what the start then uses)",
        f"  start / submit     p99 {result.start_p99_ms:.1f} ms / {result.submit_p99_ms:.1f} ms",
        f"  errors             {len(result.errors)} (database is locked: {result.locked_errors})",
        f"  database checks    {'all passed' if not result.problems else 'FAILED'}",
    ]
    lines += [f"    error: {e}" for e in result.errors[:20]]
    lines += [f"    problem: {p}" for p in result.problems[:20]]
    if result.backend == "postgresql":
        lines.append(
            f"  target             p99 save <= {TARGET_PG_P99_MS:.0f} ms "
            f"({'met' if result.save_p99_ms <= TARGET_PG_P99_MS else 'MISSED'}), "
            f"p99 start <= {TARGET_PG_START_P99_MS:.0f} ms "
            f"({'met' if result.start_p99_ms <= TARGET_PG_START_P99_MS else 'MISSED'}), "
            f"no error ({'met' if not result.errors else 'MISSED'})"
        )
    else:
        lines.append(
            f"  target             p99 save <= {TARGET_SQLITE_P99_MS:.0f} ms "
            f"({'met' if result.save_p99_ms <= TARGET_SQLITE_P99_MS else 'MISSED'}), "
            f"no error ({'met' if not result.errors else 'MISSED'})"
        )
    return lines


def met(result: LoadResult) -> bool:
    if not result.ok or result.errors:
        return False
    if result.backend == "postgresql":
        return (
            result.save_p99_ms <= TARGET_PG_P99_MS and result.start_p99_ms <= TARGET_PG_START_P99_MS
        )
    return result.save_p99_ms <= TARGET_SQLITE_P99_MS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        required=True,
        metavar="URL",
        help="PostgreSQL server URL (a scratch database is used) or a new SQLite file",
    )
    parser.add_argument("--takers", type=int, default=200)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument(
        "--think-ms",
        default="1000,3000",
        metavar="MIN,MAX",
        help="think time before each answer (uniform, ms; people take 10-60 s)",
    )
    parser.add_argument(
        "--ramp-s",
        type=float,
        default=10.0,
        metavar="S",
        help="takers arrive at uniform random moments over S seconds (0: all at once; "
        "the two processes of a racing pair always start together)",
    )
    parser.add_argument(
        "--racers",
        type=float,
        default=0.1,
        help="share of takers racing two processes for their last attempt",
    )
    parser.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        help="rush: 500 takers start within 60 s (sets --takers, --ramp-s, --think-ms)",
    )
    parser.add_argument(
        "--taker-cpus",
        metavar="LIST",
        help="pin the taker processes to these CPUs, e.g. 1 (the server: 0)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL scratch database")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    for name, value in PROFILES.get(args.profile or "", {}).items():
        setattr(args, name, value)
    if args.taker_cpus:
        TAKER_CPUS.update(int(c) for c in args.taker_cpus.split(","))
    low, high = (float(v) for v in args.think_ms.split(","))
    before = os.getloadavg()
    result = run(
        args.db,
        args.takers,
        args.questions,
        think=(low, high),
        ramp=args.ramp_s,
        racer_share=args.racers,
        keep=args.keep,
        log=(lambda *_: None) if args.json else print,
    )
    load = (f"  machine load       {before[0]:.2f} before, {os.getloadavg()[0]:.2f} after "
            f"(1-minute average, {os.cpu_count()} CPUs; takers on CPUs "
            f"{','.join(map(str, sorted(TAKER_CPUS))) or 'any'})")  # fmt: skip
    if args.json:
        print(json.dumps({**result.__dict__, "met": met(result), "load": load}, default=str))
    else:
        print("\n".join([*report_lines(result), load]))
    return 0 if met(result) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("STUDYHUB_LANG", "en")
    sys.exit(main())
