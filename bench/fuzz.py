#!/usr/bin/env python3
"""Fuzzing with a time budget: every import format, the exam spec, roster, results and study
files (the targets of tests/fuzz/targets.py), arbitrary bytes and structured mutations of
valid files, for ``--minutes`` shared between the targets.

Reading may fail only with a StudyhubError that names a location; anything else is a
failure. Prints, per target, the examples run and the distinct failures found (with the
smallest input Hypothesis found for each). Exits 1 when any failure was found.

    bench/fuzz.py --minutes 5
    bench/fuzz.py --minutes 1 --target bank-gift --target exam-spec
    bench/fuzz.py --minutes 180 --db postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# a 1 MB input limit, so that the zip bombs the targets build (1-3 MB unpacked) exceed it
os.environ.setdefault("STUDYHUB_MAX_FILE_MB", "1")

#: examples per Hypothesis run; runs repeat until the target's time is up
CHUNK = 200


@dataclass
class FuzzResult:
    target: str
    examples: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


def fuzz_target(name: str, seconds: float, directory: Path, database: object) -> FuzzResult:
    from hypothesis import HealthCheck, given, settings

    from tests.fuzz.targets import TARGETS, check, inputs

    target = TARGETS[name]
    result = FuzzResult(name)
    strategy = inputs(target)
    began = time.perf_counter()
    deadline = began + seconds
    seen: set[str] = set()

    @settings(
        max_examples=CHUNK,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(data=strategy)
    def fuzz(data: bytes) -> None:
        if time.perf_counter() > deadline:
            return  # the rest of this run is skipped cheaply
        result.examples += 1
        check(target, data, directory, database if target.needs_database else None)

    while time.perf_counter() < deadline:
        try:
            fuzz()
        except Exception as err:
            text = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
            example = getattr(err, "__notes__", None) or []
            key = text[:200]
            if key not in seen:
                seen.add(key)
                shown = " ".join(n for n in example if "data=" in n or "fuzz(" in n)[:300]
                result.failures.append(f"{text[:300]}  {shown}".strip())
    result.seconds = time.perf_counter() - began
    return result


def run(
    minutes: float, names: list[str] | None = None, log: object = print, db: str | None = None
) -> list[FuzzResult]:
    """Fuzz ``names`` (default: every target) for ``minutes`` in all, importing into a new
    SQLite file, or into a scratch database on the PostgreSQL server of ``db``."""
    from load import prepare_url

    from studyhub.db import open_database
    from tests.fuzz.targets import TARGETS, prepare_database

    names = names or list(TARGETS)
    per_target = minutes * 60 / len(names)
    results = []
    with tempfile.TemporaryDirectory(prefix="studyhub-fuzz-") as tmp:
        directory = Path(tmp)
        url, cleanup = prepare_url(db or f"sqlite:///{directory / 'fuzz.db'}", keep=False)
        database = open_database(url)
        prepare_database(database)
        for name in names:
            result = fuzz_target(name, per_target, directory, database)
            results.append(result)
            if callable(log):
                log(
                    f"{name:20} {result.examples:7d} examples {result.seconds:6.1f} s  "
                    f"{len(result.failures)} failures"
                )
                for failure in result.failures:
                    log(f"    {failure}")
        database.dispose()
        cleanup()
    return results


def main() -> int:
    from tests.fuzz.targets import TARGETS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="total time budget")
    parser.add_argument(
        "--target",
        action="append",
        choices=sorted(TARGETS),
        help="fuzz only these targets (repeatable)",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="import into a scratch database on this PostgreSQL server (default: a new "
        "SQLite file); PostgreSQL refuses text SQLite stores (NUL, over-long values)",
    )
    args = parser.parse_args()
    results = run(args.minutes, args.target, db=args.db)
    examples = sum(r.examples for r in results)
    failures = sum(len(r.failures) for r in results)
    print(f"total: {examples} examples over {len(results)} targets, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
