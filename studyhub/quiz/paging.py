"""A screen of a paged text (the review after an exam) and the keys that move between screens.

:meth:`studyhub.quiz.prompter.Prompter.page` shows one :class:`Page` and returns the
:class:`PageKey` pressed. Front ends that cannot page (plain mode, for screen readers and
scripts) show every page in turn: the default returns NEXT, and QUIT after the last page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = ["Page", "PageKey", "turn"]


class PageKey(enum.Enum):
    """What the reader asked for at a page."""

    PREV = "prev"
    NEXT = "next"
    #: the answer card: choose a question number to jump to
    CARD = "card"
    QUIT = "quit"


@dataclass
class Page:
    """One screen: its lines, where it is (``index`` of ``count``, from 0), and a one-line
    notice to show under it (a key that had nothing to do, a number not in the review)."""

    lines: list[str]
    index: int
    count: int
    notice: str = ""
    #: the question position this page shows (None for the summary page)
    position: int | None = None
    #: the key names the front end shows under the page
    keys: str = field(default="", repr=False)

    @property
    def last(self) -> bool:
        return self.index >= self.count - 1


def turn(page: Page, key: PageKey, at_first: str, at_last: str) -> tuple[int, str]:
    """The page to show after ``key`` at ``page`` (NEXT and PREV; any other key stays), and
    the notice for a key that had nothing to do (``at_last``, ``at_first``)."""
    if key is PageKey.NEXT:
        return (page.index, at_last) if page.last else (page.index + 1, "")
    if key is PageKey.PREV:
        return (page.index, at_first) if page.index == 0 else (page.index - 1, "")
    return page.index, ""
