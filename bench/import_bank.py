#!/usr/bin/env python3
"""Bank import speed and memory.

Generates a bank of N questions (default 20,000), writes it as JSON, YAML and XLSX with
studyhub's exporters, and imports each into a fresh SQLite database in a child process,
printing the wall time and the child's peak memory. A minimal raw loader (json.load and
sqlite3 executemany of the same rows into the same schema) gives the baseline.

Targets: JSON import within 3x of the raw loader; at most 300 MB peak for 100,000 questions
(``--memory-questions``; the check runs on JSON and YAML, which stream).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 3.0
TARGET_PEAK_MB = 300.0

SUBJECTS = ["民法典", "宪法", "科学技术进步法", "习近平法治思想", "行政复议法", "数据安全法"]


def generate(count: int, seed: int = 7) -> list:
    from studyhub.banks.record import QuestionRecord

    rng = random.Random(seed)
    records = []
    for i in range(count):
        kind = rng.choices(["single", "multiple", "judge", "fill"], [50, 25, 20, 5])[0]
        subject = rng.choice(SUBJECTS)
        article = rng.randint(1, 1260)
        stem = (
            f"第{i}题：根据《{subject}》第{article}条，"
            f"下列关于“{subject}”适用范围的说法，哪一项符合规定？"
        )
        record = QuestionRecord(
            type=kind,
            stem=stem,
            external_id=f"bench-{i:06d}",
            explanation=f"依据《{subject}》的规定，选项所述内容与条文一致；其余选项混淆了相邻条款的适用条件。",
            source=f"{subject} 第{rng.randint(1, 1260)}条",
            difficulty=rng.randint(1, 5),
            tags=[subject, rng.choice(["总则", "分则", "附则", "法律责任"])],
        )
        if kind in ("single", "multiple"):
            record.options = [
                f"选项{c}：关于{subject}的第{rng.randint(1, 99)}种情形" for c in "ABCD"
            ]
            record.correct = (
                [rng.randrange(4)] if kind == "single" else sorted(rng.sample(range(4), 2))
            )
        elif kind == "judge":
            record.truth = rng.random() < 0.5
        else:
            record.stem = stem + "____。"
            record.blanks = [[str(rng.randint(1, 100)), "其他写法"]]
        records.append(record)
    return records


def write_files(records: list, directory: Path, formats: list[str]) -> dict[str, Path]:
    from studyhub.banks import formats as registry
    from studyhub.banks.record import BankHeader

    header = BankHeader("bench", "基准题库", "bench", "1")
    paths = {}
    for fmt in formats:
        path = directory / f"bench.{fmt}"
        with path.open("wb") as stream:
            registry.exporter(fmt)(records, header, stream)
        paths[fmt] = path
    return paths


def best_of(runs: int, args: list[str]) -> tuple[float, float]:
    """The fastest of ``runs`` runs of a child (each into a fresh database file, the last
    argument), and the largest peak memory: other processes on the machine only ever slow
    a run down, so the fastest is the one least disturbed."""
    times, peaks = [], []
    for run in range(runs):
        seconds, peak = run_child([*args[:-1], f"{args[-1]}.{run}"])
        times.append(seconds)
        peaks.append(peak)
    return min(times), max(peaks)


def run_child(args: list[str]) -> tuple[float, float]:
    """Run this script as a child; returns (seconds it reports, its peak RSS in MB)."""
    # the 100,000-question files are larger than studyhub's default 50 MB input limit
    env = dict(os.environ, STUDYHUB_MAX_FILE_MB="1000")
    proc = subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, env=env
    )
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child failed: {args}")
    return float(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def child_import(path: str, db: str) -> None:
    from studyhub.banks.importer import import_files
    from studyhub.db import open_database

    database = open_database(f"sqlite:///{db}")  # schema migrated before the clock starts
    start = time.perf_counter()
    summary = import_files(database, [path])
    elapsed = time.perf_counter() - start
    assert summary.added > 0
    print(elapsed)


def child_raw(path: str, db: str) -> None:
    """The baseline: json.load and plain sqlite3 inserts of the same rows, same schema."""
    import hashlib
    import sqlite3

    from studyhub.db import open_database

    open_database(f"sqlite:///{db}").dispose()
    start = time.perf_counter()
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    conn = sqlite3.connect(db)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO topics (key, name, description) VALUES ('bench', 'bench', '')")
    conn.execute("INSERT INTO banks (key, title, topic_id, version) VALUES ('bench', 'b', 1, '1')")
    questions = [(1, q["id"], 1, "ready", 1) for q in data["questions"]]
    conn.executemany(
        "INSERT INTO questions (bank_id, external_id, topic_id, status, current_version)"
        " VALUES (?, ?, ?, ?, ?)",
        questions,
    )
    versions = []
    tags = []
    for number, q in enumerate(data["questions"], start=1):
        text = json.dumps(q, ensure_ascii=False, sort_keys=True)
        versions.append(
            (
                number,
                1,
                q["type"],
                q["stem"],
                json.dumps(q.get("options", [])),
                json.dumps(q["answer"]),
                q.get("explanation", ""),
                q.get("source", ""),
                q.get("difficulty"),
                hashlib.sha256(text.encode()).hexdigest(),
            )
        )
        tags.extend((number, t) for t in q.get("tags", []))
    conn.executemany(
        "INSERT INTO question_versions (question_id, version, type, stem, options, answer,"
        " explanation, source, difficulty, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
        versions,
    )
    conn.executemany("INSERT INTO question_tags (version_id, tag) VALUES (?, ?)", tags)
    conn.commit()
    print(time.perf_counter() - start)


def messy() -> int:
    """--skip-invalid on the messy banks of bench/messy_banks.py: the rest imported, exactly
    the irregular records rejected."""
    sys.path.insert(0, str(Path(__file__).parent))
    from messy_banks import messy_text, messy_xlsx

    from studyhub.banks.importer import import_files
    from studyhub.db import open_database

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for name, make, size in (("messy.txt", messy_text, 2500), ("messy.xlsx", messy_xlsx, 2000)):
            path = directory / name
            irregular = make(path, size)
            database = open_database(f"sqlite:///{directory / (name + '.db')}")
            start = time.perf_counter()
            summary = import_files(database, [path], skip_invalid=True)
            elapsed = time.perf_counter() - start
            places = {r.line for r in summary.rejects}
            exact = len(summary.rejects) == len(irregular) and (
                name.endswith(".txt") or places == irregular
            )
            ok &= exact and summary.added == size - len(irregular)
            print(
                f"  {name:<10} {size} records, {len(irregular)} irregular:"
                f" {summary.added} imported,"
                f" {len(summary.rejects)} rejected{'' if exact else ' (NOT the irregular ones)'}"
                f"  {elapsed:5.2f} s"
            )
            database.dispose()
    return 0 if ok else 1


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in ("_import", "_raw"):
        (child_import if sys.argv[1] == "_import" else child_raw)(sys.argv[2], sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20_000)
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of each import; the fastest counts"
    )
    parser.add_argument(
        "--memory-questions",
        type=int,
        default=100_000,
        help="size of the peak-memory check (0 to skip)",
    )
    parser.add_argument(
        "--messy", action="store_true",
        help="only the messy banks: 2,500 text questions and 2,000 Excel rows, 5%% irregular,"
        " imported with --skip-invalid",
    )  # fmt: skip
    args = parser.parse_args()
    if args.messy:
        return messy()

    from studyhub.banks import formats as registry

    available = [f for f in ("json", "yaml", "xlsx") if _has_exporter(registry, f)]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        paths = write_files(generate(args.questions), directory, available)
        raw_s, raw_mb = best_of(args.runs, ["_raw", str(paths["json"]), str(directory / "raw.db")])
        print(f"{args.questions} questions (the best of {args.runs} runs each)")
        print(f"  raw sqlite3 loader   {raw_s:7.2f} s   peak {raw_mb:6.0f} MB   (baseline)")
        for fmt in available:
            seconds, peak = best_of(
                args.runs, ["_import", str(paths[fmt]), str(directory / f"{fmt}.db")]
            )
            ratio = seconds / raw_s
            line = (
                f"  import {fmt:<5}         {seconds:7.2f} s   peak {peak:6.0f} MB   "
                f"ratio {ratio:4.1f}x"
            )
            if fmt == "json":
                line += f"   target <= {TARGET_RATIO:.0f}x"
                ok &= ratio <= TARGET_RATIO
            print(line)
        if args.memory_questions:
            big = write_files(
                generate(args.memory_questions, seed=11),
                directory / "big" if (directory / "big").mkdir() is None else directory,
                ["json", "yaml"],
            )
            print(f"{args.memory_questions} questions (peak memory)")
            for fmt, path in big.items():
                seconds, peak = run_child(["_import", str(path), str(directory / f"big-{fmt}.db")])
                print(
                    f"  import {fmt:<5}         {seconds:7.2f} s   peak {peak:6.0f} MB   "
                    f"target <= {TARGET_PEAK_MB:.0f} MB"
                )
                ok &= peak <= TARGET_PEAK_MB
    return 0 if ok else 1


def _has_exporter(registry, name: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        registry.exporter(name)
    except Exception:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
