"""The cyclic garbage collector held off while a command starts up.

Importing SQLAlchemy, mapping the tables and compiling the first statements creates a few
hundred thousand long-lived objects; with the collector on, scanning them again and again
is about 65 ms (15%) of a quiz's start to its first question (bench/quiz.py). Those objects
are modules, classes and caches that live as long as the process, so the collector has
nothing to find in them. :func:`hold` turns it off; a timer turns it back on shortly after
(``gc.freeze`` first, so that later full collections skip the start-up objects too), so a
long import or report runs with the collector as usual.
"""

from __future__ import annotations

import gc
import threading

#: how long a command runs before the collector is back on (seconds)
HOLD_SECONDS = 1.0


def hold(seconds: float | None = None) -> threading.Timer | None:
    """Turn the collector off for ``seconds`` of start-up (default :data:`HOLD_SECONDS`;
    nothing when it is already off). Returns the timer that turns it back on."""
    if not gc.isenabled():
        return None
    gc.disable()
    timer = threading.Timer(HOLD_SECONDS if seconds is None else seconds, release)
    timer.daemon = True  # never keeps a finished command alive
    timer.start()
    return timer


def release() -> None:
    """Turn the collector back on, moving what start-up built out of its reach."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()
