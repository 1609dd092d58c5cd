"""bench/load.py's harness at a tiny size: takers in processes, racing pairs, and checks
that find what is wrong (the benchmark's figures themselves are measured, not tested)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.syspath_prepend(str(BENCH))
    import load as module

    yield module
    sys.modules.pop("load", None)


def test_a_small_load_passes_its_checks_and_the_checks_can_fail(load, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'load.db'}"
    result = load.run(url, 4, 8, think=(1.0, 5.0), ramp=0.2, racer_share=0.5, log=lambda *_: None)
    assert result.ok, (result.errors, result.problems)
    assert (result.processes, result.answers) == (6, 32)  # 2 racing pairs
    assert result.locked_errors == 0 and result.save_p99_ms > 0
    # the same database checked against takers who reported nothing: every answer is extra
    problems = load.check(url, [], 4, set())
    assert any("stored answers no taker gave" in p for p in problems)
    # a changed answer is found
    report = load.TakerReport("L1", attempt_id=999, saved=[(1, True)])
    assert any("lost or changed" in p for p in load.check(url, [report], 4, set()))
