"""A progress bar on standard error for long imports (click.progressbar: position, total,
rate and time left), shown only when standard error is a terminal and the import is large.

The library reports ``progress(done, total)``; :func:`progress_bar` gives such a callback
(None when no bar is to be shown) and closes the bar at the end of the block.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

__all__ = ["ROWS_FROM", "progress_bar", "rows_bar"]

#: roster, study and results imports show a bar from this many rows
ROWS_FROM = 3000

Callback = Callable[[int, int], None]


@contextmanager
def progress_bar(
    label: str, threshold: int, unit: str, *, halves: tuple[str, str] | None = None
) -> Iterator[Callback | None]:
    """A ``progress(done, total)`` callback that draws a bar once ``total`` reaches
    ``threshold`` (``unit``: what is counted, shown with the rate: ``行/秒``).

    ``halves`` labels the two phases of an import that reads its rows, then writes them
    (:class:`~studyhub.tabular.ReadThenWrite`: ``total`` is twice the rows): one bar for
    each, one after the other, each with its own rate and time left."""
    if not sys.stderr.isatty():
        yield None
        return
    state: dict[str, Any] = {}

    def rate(_item: object) -> str | None:
        if "bar" not in state:
            return None
        elapsed = max(time.monotonic() - state["started"], 1e-6)
        return f"{state['bar'].pos / elapsed:,.0f} {unit}"

    def show(phase: int, done: int, total: int) -> None:
        if state.get("phase") != phase:
            if "bar" in state:
                state["bar"].update(state["bar"].length - state["bar"].pos)
                state["bar"].__exit__(None, None, None)
            bar = click.progressbar(
                length=total, label=halves[phase] if halves else label, file=sys.stderr,
                show_pos=True, show_eta=True, item_show_func=rate,
            )  # fmt: skip
            bar.__enter__()
            state.update(bar=bar, phase=phase, started=time.monotonic())
        bar = state["bar"]
        if done > bar.pos:
            bar.update(min(done, total) - bar.pos, done)

    def update(done: int, total: int) -> None:
        if halves is None:
            if total >= threshold:
                show(0, done, total)
            return
        rows = total // 2
        if rows >= threshold:
            show(0, done, rows) if done <= rows else show(1, done - rows, rows)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def rows_bar() -> Any:
    """The bars of a table import (roster, study, results), which reads the rows and then
    writes them: from ROWS_FROM rows, one bar reading (正在读取) and one writing (正在写入)."""
    from studyhub.i18n import t

    return progress_bar(
        t("progress.importing"), ROWS_FROM, t("progress.rows_per_second"),
        halves=(t("progress.reading_rows"), t("progress.writing_rows")),
    )  # fmt: skip
