"""A taker process killed with SIGKILL at random moments (mid-save included): a new process
resumes the attempt and finds every answer committed before the kill.

The child (tests/faults/killed_taker.py) prints ``try`` before and ``saved`` after each
attempts.answer() call. After the kill, each position must hold the last ``saved`` answer,
or the answer of a ``try`` after it that was cut off mid-save (it may or may not have
committed, but nothing else is allowed).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from studyhub.db import Database
from studyhub.exams import attempts
from studyhub.exams.definitions import ExamInfo
from tests.exams.conftest import Define, define, org  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 10


def run_and_kill(db_url: str, seed: int, rng: random.Random) -> tuple[int, list[str]]:
    """Run a taker, kill it with SIGKILL after a random delay; its attempt id and lines."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.killed_taker", db_url, "S1", "e1", str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    assert child.stdout is not None
    first = child.stdout.readline().decode()
    assert first.startswith("attempt "), (first, child.stderr.read() if child.stderr else b"")
    # kill somewhere in the first few dozen saves: sometimes between saves, sometimes mid-save
    time.sleep(rng.uniform(0.0, 0.3))
    child.send_signal(signal.SIGKILL)
    output = child.stdout.read()  # to the end: the kill closed the pipe
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
    lines = output.decode("utf-8", errors="replace").splitlines()
    if lines and not output.endswith(b"\n"):
        lines.pop()  # a line cut off by the kill says nothing
    child.stdout.close()
    if child.stderr is not None:
        child.stderr.close()
    return int(first.split()[1]), lines


def allowed_values(lines: list[str], before: dict[int, list[Any]]) -> dict[int, list[Any]]:
    """For each position, the values the database may hold after the kill."""
    allowed = {position: list(values) for position, values in before.items()}
    pending: tuple[int, Any] | None = None
    for line in lines:
        kind, position, payload = line.split(" ", 2)
        value = json.loads(payload)
        if kind == "try":
            pending = (int(position), value)
        else:
            assert pending == (int(position), value)
            allowed[int(position)] = [value]
            pending = None
    if pending is not None:  # cut off mid-save: committed or not, nothing else
        allowed[pending[0]] = [*allowed[pending[0]], pending[1]]
    return allowed


def test_killed_taker_loses_no_committed_answer(
    org: Database,  # noqa: F811
    define: Define,  # noqa: F811
    db_url: str,
) -> None:
    exam: ExamInfo = define()
    assert exam.key == "e1"
    rng = random.Random(20261125)
    allowed: dict[int, list[Any]] = {position: [None] for position in range(1, 11)}
    attempt_ids = set()
    saves = 0
    for trial in range(TRIALS):
        attempt_id, lines = run_and_kill(db_url, trial, rng)
        attempt_ids.add(attempt_id)
        saves += sum(1 for line in lines if line.startswith("saved "))
        allowed = allowed_values(lines, allowed)
        view = attempts.get_attempt(org, attempt_id, "S1")  # a new process resumes
        assert view.status == "in_progress"
        for item in view.items:
            assert item.response in allowed[item.position], (trial, item.position)
            allowed[item.position] = [item.response]  # what the next trial starts from
    assert attempt_ids == {1}  # every trial resumed the same attempt
    print(f"{saves} saves over {TRIALS} kills")
    assert saves > 0
