"""Fuzzing every import format, the exam spec, roster, results and study files: arbitrary
bytes and structured mutations of valid files (see tests/fuzz/targets.py). Reading may fail
only with a StudyhubError naming a location. A bounded number of examples runs here;
bench/fuzz.py runs the same targets for minutes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from studyhub.db import Database
from tests.fuzz.targets import TARGETS, Target, check, inputs, prepare_database

#: examples per target in the normal suite (the whole module stays under ~20 s)
EXAMPLES = {"text": 60, "xlsx": 20, "docx": 20}
DATABASE_EXAMPLES = 25


def run_target(target: Target, directory: Path, database: Database | None, examples: int) -> None:
    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(data=inputs(target))
    def fuzz(data: bytes) -> None:
        check(target, data, directory, database)

    fuzz()


@pytest.mark.parametrize("name", [n for n, t in TARGETS.items() if not t.needs_database])
def test_parsers_fail_only_with_a_location(name: str, tmp_path: Path) -> None:
    target = TARGETS[name]
    run_target(target, tmp_path, None, EXAMPLES[target.kind])


@pytest.mark.parametrize("name", [n for n, t in TARGETS.items() if t.needs_database])
def test_imports_fail_only_with_a_location(name: str, tmp_path: Path, database: Database) -> None:
    prepare_database(database)
    run_target(TARGETS[name], tmp_path, database, DATABASE_EXAMPLES)
