"""A taker process for the kill tests: ``python -m tests.faults.killed_taker URL STAFF EXAM
SEED``. It starts (or resumes) the attempt, then answers questions in a random order; before
each save it prints ``try POSITION JSON`` and after attempts.answer() returns ``saved
POSITION JSON``, flushed, so the parent knows what was committed when it kills the process."""

from __future__ import annotations

import json
import random
import sys
from typing import Any

from studyhub.db import open_database
from studyhub.exams import attempts


def some_answer(rng: random.Random, item: attempts.ItemView) -> Any:
    if item.type == "single":
        return [rng.randrange(len(item.options))]
    if item.type == "multiple":
        count = rng.randint(1, len(item.options))
        return sorted(rng.sample(range(len(item.options)), count))
    if item.type == "judge":
        return rng.random() < 0.5
    return [rng.choice("甲乙丙丁") * rng.randint(1, 3) for _ in range(item.blanks)]


def main(url: str, staff_no: str, exam_key: str, seed: int) -> None:
    rng = random.Random(seed)
    database = open_database(url, upgrade=False)
    view = attempts.start_attempt(database, exam_key, staff_no)
    print(f"attempt {view.attempt_id}", flush=True)
    while True:
        item = rng.choice(view.items)
        response = some_answer(rng, item)
        print(f"try {item.position} {json.dumps(response)}", flush=True)
        attempts.answer(database, view.attempt_id, item.position, response, staff_no)
        print(f"saved {item.position} {json.dumps(response)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
