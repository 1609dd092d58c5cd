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
def progress_bar(label: str, threshold: int, unit: str) -> Iterator[Callback | None]:
    """A ``progress(done, total)`` callback that draws a bar once ``total`` reaches
    ``threshold`` (``unit``: what is counted, shown with the rate: ``行/秒``)."""
    if not sys.stderr.isatty():
        yield None
        return
    state: dict[str, Any] = {}
    started = time.monotonic()

    def rate(_item: object) -> str | None:
        if "bar" not in state:
            return None
        elapsed = max(time.monotonic() - started, 1e-6)
        return f"{state['bar'].pos / elapsed:,.0f} {unit}"

    def update(done: int, total: int) -> None:
        if total < threshold:
            return
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(
                length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True,
                item_show_func=rate,
            )  # fmt: skip
            bar.__enter__()
            state["bar"] = bar
        if done > bar.pos:
            bar.update(min(done, total) - bar.pos, done)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def rows_bar() -> Any:
    """The bar of a table import (roster, study, results): rows, from ROWS_FROM rows."""
    from studyhub.i18n import t

    return progress_bar(t("progress.importing"), ROWS_FROM, t("progress.rows_per_second"))
