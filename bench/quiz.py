#!/usr/bin/env python3
"""The quiz: start-up to the first question, paper assembly, answer-save latency.

1. Time from process start to the first question shown: ``python -m studyhub ... quiz EXAM
   --staff NO --plain`` is spawned (a new attempt each run: the paper is drawn and stored)
   and timed until its first header line appears. Target: at most 0.35 s (median); where
   the imports of that start go is printed beside it (``-X importtime``). studyhub's
   modules are compiled to bytecode first, as an installed copy has them.
2. Paper assembly: 50 questions drawn by ``studyhub.exams.paper.draw_paper`` from a
   100,000-question bank (four topics, imported with studyhub's importer into a temp SQLite
   file), median over 20 seeds. Target: at most 50 ms.
3. Answer-save latency on SQLite: ``studyhub.exams.attempts.answer`` timed over 500 saves.
   Target: p99 at most 10 ms.
4. An idle quiz: the questionary UI in a pseudo-terminal, a question on screen with its
   countdown redrawn every second, nobody typing; the process's CPU time over 10 seconds
   (from /proc). Target: at most 2% of one core.

Prints each figure with its target beside it; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import random
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_bank import SUBJECTS, generate  # the bench's own generator

TARGET_START_S = 0.35
TARGET_PAPER_MS = 50.0
TARGET_SAVE_P99_MS = 10.0
TARGET_IDLE_CPU_PERCENT = 2.0

TOPICS = ["civil-code", "constitution", "st-progress-law", "xi-rule-of-law"]
#: the provincial default paper: 50 questions, 100 points, drawn per topic and type
PAPER_RULES = [
    {"topic": topic, "type": qtype, "count": count, "points": "2"}
    for topic in TOPICS
    for qtype, count in (("single", 7), ("multiple", 3), ("judge", 2))
] + [{"topic": "civil-code", "type": "single", "count": 2, "points": "2"}]


def build_bank(directory: Path, questions: int) -> Path:
    """A SQLite file holding ``questions`` questions in four topics, imported by studyhub."""
    from studyhub.banks import formats as registry
    from studyhub.banks.importer import import_files
    from studyhub.banks.record import BankHeader
    from studyhub.db import open_database

    db = directory / "bank.db"
    database = open_database(f"sqlite:///{db}")
    per_topic = questions // len(TOPICS)
    paths = []
    for n, topic in enumerate(TOPICS):
        records = generate(per_topic, seed=100 + n)
        for record in records:
            record.external_id = f"{topic}-{record.external_id}"
        path = directory / f"{topic}.json"
        with path.open("wb") as stream:
            registry.exporter("json")(records, BankHeader(topic, topic, topic, "1"), stream)
        paths.append(path)
    import_files(database, paths)
    database.dispose()
    return db


def add_org_and_exam(db: Path, staff: int) -> None:
    """Departments, ``staff`` people S1..Sn and exam ``bench`` with the 50-question paper."""
    import yaml

    from studyhub.db import open_database
    from studyhub.exams.definitions import create_exam
    from studyhub.exams.spec import load_spec
    from studyhub.models import Department, Staff

    database = open_database(f"sqlite:///{db}")
    with database.session() as session:
        department = Department(code="D1", name="办公室")
        session.add(department)
        session.flush()
        session.add_all(
            Staff(staff_no=f"S{n}", name=f"职工{n}", department_id=department.id)
            for n in range(1, staff + 1)
        )
    spec = {
        "key": "bench", "title": "2026年度学法考试", "year": 2026, "time_limit": "90m",
        "attempts": 3, "paper": {"rules": PAPER_RULES},
    }  # fmt: skip
    path = db.parent / "bench-exam.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    create_exam(database, load_spec(path))
    database.dispose()


def time_to_first_question(db: Path, staff_no: str) -> float:
    env = dict(os.environ, STUDYHUB_LANG="zh", PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "studyhub", "--db", f"sqlite:///{db}", "quiz", "bench",
               "--staff", staff_no, "--plain"]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)  # fmt: skip
    assert proc.stdout is not None and proc.stdin is not None
    proc.stdin.write(b"y\n")  # the start page of a new attempt (a resumed one has none)
    proc.stdin.flush()
    seen = b""
    try:
        while "第 1/50 题".encode() not in seen:
            ready, _, _ = select.select([proc.stdout], [], [], 30)
            chunk = os.read(proc.stdout.fileno(), 65536) if ready else b""
            if not chunk:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise SystemExit(f"quiz ended before its first question: {err}")
            seen += chunk
        return time.perf_counter() - start
    finally:
        proc.kill()
        proc.wait()


def ensure_bytecode() -> str:
    """Compile studyhub's modules to bytecode, as ``pip install`` does. An editable install
    run with PYTHONDONTWRITEBYTECODE (as in some sandboxes) would otherwise compile every
    module at every start: about 80 ms of the start-up that no installed copy pays."""
    import compileall

    import studyhub

    package = Path(studyhub.__file__).parent
    compiled = compileall.compile_dir(str(package), quiet=1)
    return f"bytecode: {package} compiled ({'ok' if compiled else 'FAILED'}), as pip install does"


def import_breakdown(db: Path, staff_no: str, top: int = 8) -> list[tuple[str, float]]:
    """Where a quiz's start spends its imports: ``python -X importtime`` of the same start,
    the top-level packages by cumulative time (ms), largest first."""
    import re

    env = dict(os.environ, STUDYHUB_LANG="zh", PYTHONUNBUFFERED="1")
    command = [sys.executable, "-X", "importtime", "-m", "studyhub", "--db", f"sqlite:///{db}",
               "quiz", "bench", "--staff", staff_no, "--plain"]  # fmt: skip
    proc = subprocess.run(command, input=b"y\n", capture_output=True, env=env, timeout=60)
    totals: dict[str, float] = {}
    for line in proc.stderr.decode("utf-8", "replace").splitlines():
        found = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if found:  # a top-level import (no indent): its cumulative time
            name = found.group(2).split(".")[0]
            totals[name] = totals.get(name, 0.0) + int(found.group(1)) / 1000
    return sorted(totals.items(), key=lambda kv: -kv[1])[:top]


def idle_cpu_percent(db: Path, staff_no: str, seconds: float = 10.0) -> float:
    """CPU use of a quiz waiting at a question with its countdown (percent of one core)."""
    import pexpect

    env = dict(os.environ, STUDYHUB_LANG="zh", TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    child = pexpect.spawn(sys.executable, ["-m", "studyhub", "--db", f"sqlite:///{db}", "quiz",
                                           "bench", "--staff", staff_no],
                          env=env, encoding="utf-8", dimensions=(40, 120), timeout=30)  # fmt: skip
    try:
        child.expect_exact("开始第")
        child.send("y\r")
        child.expect_exact("第 1/50 题")
        time.sleep(1.0)  # the first full render is done

        def cpu_seconds() -> float:
            fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        before, began = cpu_seconds(), time.monotonic()
        deadline = began + seconds
        while time.monotonic() < deadline:  # keep reading so the pty never fills
            with contextlib.suppress(pexpect.TIMEOUT):
                child.read_nonblocking(65536, timeout=0.2)
        used = cpu_seconds() - before
        return 100.0 * used / (time.monotonic() - began)
    finally:
        child.kill(9)
        child.close(force=True)


def paper_assembly(db: Path, seeds: int) -> tuple[list[float], str]:
    """draw_paper times (ms) over ``seeds`` seeds, and a profile of one draw."""
    from studyhub.db import open_database
    from studyhub.exams.paper import draw_paper

    database = open_database(f"sqlite:///{db}")
    paper = {"rules": PAPER_RULES}
    times = []
    with database.session(readonly=True) as session:
        draw_paper(session, paper, 0, shuffle_questions=True, shuffle_options=True)  # warm
        for seed in range(1, seeds + 1):
            start = time.perf_counter()
            items = draw_paper(session, paper, seed, shuffle_questions=True, shuffle_options=True)
            times.append((time.perf_counter() - start) * 1000)
            assert len(items) == 50
        profile = cProfile.Profile()
        profile.enable()
        draw_paper(session, paper, 999, shuffle_questions=True, shuffle_options=True)
        profile.disable()
    database.dispose()
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(12)
    return times, text.getvalue()


def answer_latency(db: Path, saves: int) -> list[float]:
    from studyhub.db import open_database
    from studyhub.exams import attempts

    database = open_database(f"sqlite:///{db}")
    view = attempts.start_attempt(database, "bench", "S1", seed=1)
    rng = random.Random(5)
    times = []
    for n in range(saves):
        item = view.items[n % len(view.items)]
        if item.type == "single":
            response: object = [rng.randrange(len(item.options))]
        elif item.type == "multiple":
            response = sorted(rng.sample(range(len(item.options)), 2))
        elif item.type == "judge":
            response = rng.random() < 0.5
        else:
            response = ["答案"] * item.blanks
        start = time.perf_counter()
        attempts.answer(database, view.attempt_id, item.position, response, "S1")
        times.append((time.perf_counter() - start) * 1000)
    database.dispose()
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print where draw_paper spends")
    args = parser.parse_args()
    assert SUBJECTS  # the generator's subjects make the stems

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        began = time.perf_counter()
        db = build_bank(directory, args.questions)
        add_org_and_exam(db, args.starts + 2)
        print(f"setup: {args.questions} questions imported in {time.perf_counter() - began:.1f} s")

        print(ensure_bytecode())
        time_to_first_question(db, f"S{args.starts + 1}")  # warm the file cache
        staff = [f"S{n}" for n in range(2, args.starts + 2)]
        for label, runs in (("new attempt", staff), ("resume", staff)):
            # the first pass starts a new attempt (the paper is drawn); the second resumes it
            starts = [time_to_first_question(db, staff_no) for staff_no in runs]
            median = statistics.median(starts)
            ok &= median <= TARGET_START_S
            print(
                f"start to first question  median {median:6.3f} s  max {max(starts):6.3f} s   "
                f"target <= {TARGET_START_S} s  (plain mode, {label}, {len(starts)} runs)"
            )

        breakdown = import_breakdown(db, f"S{args.starts + 1}")
        print(
            "  imports at start (-X importtime, cumulative ms): "
            + ", ".join(f"{name} {ms:.0f}" for name, ms in breakdown)
            + " (nested imports count in their parent too)"
        )

        times, profile = paper_assembly(db, args.seeds)
        median = statistics.median(times)
        ok &= median <= TARGET_PAPER_MS
        print(
            f"paper assembly (50 of {args.questions})  median {median:6.1f} ms  "
            f"max {max(times):6.1f} ms   target <= {TARGET_PAPER_MS:.0f} ms  "
            f"({len(times)} seeds)"
        )
        if args.profile or median > TARGET_PAPER_MS:
            print(profile)

        idle = idle_cpu_percent(db, "S1")
        ok &= idle <= TARGET_IDLE_CPU_PERCENT
        print(
            f"idle quiz with countdown  cpu {idle:5.2f} % of a core   "
            f"target <= {TARGET_IDLE_CPU_PERCENT:.0f} %  (10 s at a question)"
        )

        saves = answer_latency(db, args.saves)
        p50, p99 = percentile(saves, 0.50), percentile(saves, 0.99)
        ok &= p99 <= TARGET_SAVE_P99_MS
        print(
            f"answer save (SQLite)     p50 {p50:6.2f} ms  p99 {p99:6.2f} ms   "
            f"target p99 <= {TARGET_SAVE_P99_MS:.0f} ms  ({len(saves)} saves)"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
