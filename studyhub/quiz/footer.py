"""The footer under a question in the terminal: the keys of that question and a countdown
that moves every second, with warnings at 5 minutes and at 1 minute; at 0 it ends the
prompt so that the session can let the engine close the attempt.

prompt_toolkit is imported only when a question is shown (``studyhub --help`` stays fast).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studyhub.i18n import t
from studyhub.quiz.prompter import Nav, QuestionPrompt

if TYPE_CHECKING:
    from questionary import Question

__all__ = ["WARN_AT", "add_footer", "footer_text"]

#: (seconds left, catalog key) from the most urgent: the warnings the footer gives
WARN_AT = ((60, "quiz.footer.warn_1"), (300, "quiz.footer.warn_5"))
#: how often the countdown is redrawn (seconds)
REFRESH_S = 1.0

_WARNING_STYLE = "bg:ansired fg:ansiwhite bold"
_TIME_STYLE = "bold"


def footer_text(question: QuestionPrompt, text_input: bool) -> list[tuple[str, str]]:
    """The footer's pieces (style, text): keys, then the time left and any warning."""
    keys = t("quiz.footer.keys_text") if text_input else t("quiz.footer.keys")
    pieces: list[tuple[str, str]] = [("", keys)]
    left = question.time_left() if question.time_left is not None else None
    if left is None:
        return pieces
    seconds = max(0, int(left.total_seconds()))
    from studyhub.quiz.render import format_time_left

    if question.timed:
        pieces.append(("", "   "))
        pieces.append((_TIME_STYLE, t("quiz.footer.time", time=format_time_left(left))))
    for limit, key in WARN_AT:
        if seconds <= limit:
            pieces.append(("", "   "))
            pieces.append((_WARNING_STYLE, t(key, time=format_time_left(left))))
            break
    return pieces


def add_footer(question: Question, prompt: QuestionPrompt, text_input: bool) -> None:
    """Put the footer under ``question`` (a questionary prompt not yet run); with a
    countdown, redraw it every second and end the prompt with Nav.TIMEUP at 0."""
    from prompt_toolkit.application import get_app
    from prompt_toolkit.filters import is_done
    from prompt_toolkit.layout import ConditionalContainer, HSplit, Window
    from prompt_toolkit.layout.controls import FormattedTextControl

    ended = False

    def text() -> Any:
        nonlocal ended
        if prompt.time_left is not None and not ended:
            left = prompt.time_left()
            if left is not None and left.total_seconds() <= 0:
                ended = True
                app = get_app()
                app.loop.call_soon(lambda: app.is_running and app.exit(result=Nav.TIMEUP))  # type: ignore[union-attr]
        return footer_text(prompt, text_input)

    app = question.application
    bar = Window(FormattedTextControl(text), height=1, style="class:bottom-toolbar")
    app.layout.container = HSplit([app.layout.container, ConditionalContainer(bar, ~is_done)])
    if prompt.time_left is not None:
        app.refresh_interval = REFRESH_S
