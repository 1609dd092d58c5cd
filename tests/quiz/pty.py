"""Driving ``python -m studyhub`` in a real pseudo-terminal (pexpect), for the
``test_pty*.py`` modules: the keys, the environment of a Chinese terminal, spawning with
cleanup (the ``terminal`` fixture of tests/quiz/conftest.py), and reading the screen."""

from __future__ import annotations

import io
import os
import signal
import sys
import time
from typing import Any

from tests.test_ui_language import ANSI

UP, DOWN, LEFT, RIGHT = "\x1b[A", "\x1b[B", "\x1b[D", "\x1b[C"
ENTER, SPACE, CTRL_C = "\r", " ", "\x03"
#: key presses answering questions 1-10 of the ordered exam (tests/quiz/conftest.py) right
KEYS = [
    DOWN + ENTER, DOWN + ENTER, DOWN + ENTER, DOWN + ENTER,
    SPACE + DOWN + DOWN + SPACE + ENTER, SPACE + DOWN + DOWN + SPACE + ENTER,
    ENTER, ENTER, "甲" + ENTER, "甲" + ENTER,
]  # fmt: skip
TIMEOUT = 20


def terminal_env(**extra: str) -> dict[str, str]:
    """A terminal as a user has it: xterm, the default language (Chinese), colours on."""
    env = dict(os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", PYTHONUNBUFFERED="1")
    env.pop("STUDYHUB_LANG", None)
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


class Terminals:
    """Spawns ``python -m studyhub --db URL ARGS`` in pseudo-terminals; :meth:`close` kills
    whatever is still running. Each child logs what it shows in ``child.logfile_read``."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.children: list[Any] = []

    def __call__(self, *args: str, rows: int = 40, columns: int = 120,
                 env: dict[str, str] | None = None) -> Any:  # fmt: skip
        import pexpect

        child = pexpect.spawn(
            sys.executable, ["-m", "studyhub", "--db", self.db_url, *args],
            env=env or terminal_env(), encoding="utf-8", dimensions=(rows, columns),
            timeout=TIMEOUT,
        )  # fmt: skip
        child.logfile_read = io.StringIO()
        self.children.append(child)
        return child

    def close(self) -> None:
        for child in self.children:
            if child.isalive():
                child.kill(signal.SIGKILL)
            child.close(force=True)


def shown(child: Any) -> str:
    """Everything a child (or its log) has shown so far, without escape sequences."""
    log = getattr(child, "logfile_read", child)
    return ANSI.sub("", log.getvalue()).replace("\r", "\n")


class Screen:
    """What the terminal shows: the child's output fed to a terminal emulator (pyte), so
    that a countdown redrawn a digit at a time can be read as the user sees it."""

    def __init__(self, child: Any, rows: int = 40, columns: int = 120) -> None:
        import pyte

        self.child = child
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)

    def read(self, seconds: float = 0.3) -> str:
        import pexpect

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                data = self.child.read_nonblocking(4096, timeout=0.05)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:  # the program has ended: all it showed is on the screen
                break
            self.stream.feed(data)
        return "\n".join(self.screen.display)
