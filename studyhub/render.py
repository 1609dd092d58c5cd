"""Plain-text rendering helpers shared by the CLI (Chinese text aligned by display width)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["display_width", "key_value_lines", "pad"]


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a Chinese character takes two)."""
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` display columns."""
    return text + " " * max(0, width - display_width(text))


def key_value_lines(rows: Iterable[Sequence[str]]) -> list[str]:
    """``label: value`` lines with the values aligned."""
    rows = [(str(k), str(v)) for k, v in rows]
    width = max((display_width(k) for k, _ in rows), default=0)
    return [f"{pad(k + ':', width + 1)} {v}" for k, v in rows]
