"""The questionary front end: arrow keys, space to tick, and keys to go back, skip and flag.

questionary (and prompt_toolkit) are imported only when a prompt is shown, so that
``studyhub --help`` stays fast. ``input``/``output`` may be given (prompt_toolkit pipe input
and DummyOutput in tests); they are passed to every questionary prompt.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, TypeVar

from studyhub.i18n import msg, t
from studyhub.quiz.paging import Page, PageKey
from studyhub.quiz.prompter import InputEnded, Nav, Prompter, QuestionPrompt

if TYPE_CHECKING:
    from questionary import Question

__all__ = ["TerminalPrompter"]

T = TypeVar("T")


class TerminalPrompter(Prompter):
    """Prompts with questionary. At a question: ← (or PgUp) goes back, → (or PgDn) skips,
    ``f`` (or Ctrl-F) flags; in a text input PgUp, PgDn and Ctrl-F. Ctrl-C raises
    KeyboardInterrupt for the session to handle."""

    def __init__(self, *, input: Any = None, output: Any = None,
                 stream: IO[str] | None = None) -> None:  # fmt: skip
        self._kwargs: dict[str, Any] = {}
        if input is not None:
            self._kwargs["input"] = input
        if output is not None:
            self._kwargs["output"] = output
        self.stream = stream
        #: the question on screen (its footer: keys and countdown)
        self._question: QuestionPrompt | None = None

    def ask_question(self, question: QuestionPrompt) -> Any:
        self._question = question
        try:
            return super().ask_question(question)
        finally:
            self._question = None

    def discard_typeahead(self) -> None:
        """Throw away keys typed ahead (an Enter left from the last prompt must not answer
        the next one): those prompt_toolkit read but the last prompt did not use (it keeps
        them for the next prompt) and, on a real terminal, those not read yet."""
        from prompt_toolkit.application.current import get_app_session
        from prompt_toolkit.input.typeahead import clear_typeahead

        clear_typeahead(self._kwargs.get("input") or get_app_session().input)
        if "input" in self._kwargs or not sys.stdin.isatty():
            return
        import termios

        with contextlib.suppress(termios.error, OSError):
            termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)

    def pause(self, message: str) -> None:
        """Wait for Enter (what is typed before it is ignored)."""
        import questionary

        self.discard_typeahead()
        self._run(questionary.text(message, instruction=" ", **self._kwargs))

    def show(self, text: str) -> None:
        stream = self.stream if self.stream is not None else sys.stdout
        stream.write(text + "\n")
        stream.flush()

    def page(self, page: Page) -> PageKey:
        """One page of the review on a cleared screen, then one key (see
        :mod:`studyhub.quiz.pagekeys`): ← back, → on, g the answer card, q leaves."""
        from studyhub.quiz.pagekeys import page_question

        stream = self.stream if self.stream is not None else sys.stdout
        if stream.isatty():
            stream.write("\x1b[H\x1b[2J")  # cursor home, clear the screen
        for line in page.lines:
            self.show(line)
        if page.notice:
            self.show(page.notice)
        key: PageKey = self._run(page_question(page.keys, **self._kwargs))
        return key

    def show_styled(self, text: str, style: str = "") -> None:
        """The key in green, a wrong choice in red (bold); plain text with NO_COLOR set."""
        colour = {"right": "\x1b[1;32m", "wrong": "\x1b[1;31m"}.get(style)
        if colour is None or os.environ.get("NO_COLOR"):
            self.show(text)
        else:
            self.show(f"{colour}{text}\x1b[0m")

    # --- running a questionary prompt ------------------------------------------------------

    def _run(self, question: Question) -> Any:
        """Run one prompt; Ctrl-C propagates as KeyboardInterrupt, end of input is an error."""
        try:
            return question.unsafe_ask()
        except EOFError:
            raise InputEnded(msg("input ended (the terminal closed)")) from None

    def _with_navigation(self, question: Question, text_input: bool) -> Question:
        """Add the keys that go back, skip, flag and open the answer card (each ends the
        prompt with a Nav), and the footer that lists them with the countdown."""
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
        from prompt_toolkit.keys import Keys

        bindings = KeyBindings()
        keys: dict[Nav, list[Any]] = {
            Nav.BACK: [Keys.PageUp],
            Nav.SKIP: [Keys.PageDown],
            Nav.FLAG: [Keys.ControlF],
            Nav.CARD: [Keys.ControlG],
        }
        if not text_input:
            keys[Nav.BACK].append(Keys.Left)
            keys[Nav.SKIP].append(Keys.Right)
            keys[Nav.FLAG].append("f")
            keys[Nav.CARD] += ["g", Keys.Tab]

        def _bind(key: Any, action: Nav) -> None:
            @bindings.add(key, eager=True)
            def _(event: Any) -> None:
                event.app.exit(result=action)

        for action, action_keys in keys.items():
            for key in action_keys:
                _bind(key, action)
        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
        if self._question is not None and self._question.navigable:
            from studyhub.quiz.footer import add_footer

            add_footer(question, self._question, text_input)
        return question

    # --- the widgets ----------------------------------------------------------------------

    def _hint(self, message: str, hint: str | None) -> str | None:
        """The key hint after the question's text, or on a line of its own when it would not
        fit on the question's last screen line (a hint broken in two reads as garbage)."""
        if not hint:
            return None
        import shutil

        from studyhub.render import display_width

        output = self._kwargs.get("output")
        size = output.get_size() if output is not None else shutil.get_terminal_size()
        columns = size.columns
        used = (2 + display_width(message.rsplit("\n", 1)[-1])) % max(columns, 1)
        if used + display_width(hint) < columns:
            return hint
        return "\n  " + hint.lstrip()

    def select_menu(
        self, message: str, choices: Sequence[tuple[str, T]], default: T | None = None
    ) -> T:
        import questionary

        options = [questionary.Choice(label, value=i) for i, (label, _) in enumerate(choices)]
        start = next((i for i, (_, v) in enumerate(choices) if v == default), None)
        keys = self._hint(message, t("quiz.keys.menu"))
        question = questionary.select(message, options, default=start, instruction=keys,
                                      **self._kwargs)  # fmt: skip
        picked = self._run(question)
        return choices[picked][1]

    def confirm(self, message: str, default: bool = False) -> bool:
        """是 / 否 as a two-item menu: y or n (or the arrows) moves to an answer and Enter
        takes it, so a stray key never answers. (questionary's own confirm shows "(Y/n)",
        answers "Yes"/"No" and takes y or n at once.)"""
        import questionary

        choices = [
            questionary.Choice(t("quiz.yes"), value=True, shortcut_key="y"),
            questionary.Choice(t("quiz.no"), value=False, shortcut_key="n"),
        ]
        keys = self._hint(message, t("quiz.keys.confirm"))
        question = questionary.select(message, choices, default=choices[0 if default else 1],
                                      use_shortcuts=True, use_arrow_keys=True,
                                      instruction=keys, **self._kwargs)  # fmt: skip
        return bool(self._run(question))

    def ask_choice(
        self, message: str, options: Sequence[str], default: int | None = None, *,
        nav: bool = False, hint: str = "",
    ) -> int | Nav:  # fmt: skip
        import questionary

        choices = [questionary.Choice(label, value=i) for i, label in enumerate(options)]
        keys = self._hint(message, hint)
        question = questionary.select(message, choices, default=default, instruction=keys,
                                      **self._kwargs)  # fmt: skip
        if nav:
            question = self._with_navigation(question, text_input=False)
        result: int | Nav = self._run(question)
        return result

    def ask_checkbox(
        self, message: str, options: Sequence[str], defaults: Sequence[int] = (), *,
        nav: bool = False, hint: str = "",
    ) -> list[int] | Nav:  # fmt: skip
        import questionary

        choices = [
            questionary.Choice(label, value=i, checked=i in defaults)
            for i, label in enumerate(options)
        ]
        keys = self._hint(message, hint or t("quiz.keys.checkbox_menu"))
        with _count_in_words():
            question = questionary.checkbox(message, choices, instruction=keys, **self._kwargs)
        if nav:
            question = self._with_navigation(question, text_input=False)
        result = self._run(question)
        return result if isinstance(result, Nav) else sorted(result)

    def ask_text(
        self, message: str, default: str = "", *, nav: bool = False, hint: str = ""
    ) -> str | Nav:
        import questionary

        keys = self._hint(message, hint or t("quiz.keys.enter"))
        question = questionary.text(message, default=default, instruction=keys, **self._kwargs)
        if nav:
            question = self._with_navigation(question, text_input=True)
        result = self._run(question)
        return result if isinstance(result, Nav) else str(result)


@contextlib.contextmanager
def _count_in_words() -> Iterator[None]:
    """While a checkbox is built: its finished answer reads "已选 3 项" or "未选任何一项"
    instead of questionary's fixed English "done (3 selections)" or "done". questionary
    builds the prompt line with prompt_toolkit's PromptSession; the session made here
    filters that one text."""
    import re

    from prompt_toolkit.formatted_text import to_formatted_text
    from questionary.prompts import common

    original = common.PromptSession

    def in_words(tokens: Any) -> Any:
        shown = []
        for style, value, *rest in to_formatted_text(tokens):
            done = re.fullmatch(r"done \((\d+) selections\)", value)
            if style == "class:answer" and done:
                value = t("quiz.selected", count=int(done.group(1)))
            elif style == "class:answer" and value == "done":
                value = t("quiz.selected_none")
            shown.append((style, value, *rest))
        return shown

    class Session(original):  # type: ignore[misc, valid-type]
        def __init__(self, message: Any = "", *args: Any, **kwargs: Any) -> None:
            if callable(message):
                inner = message
                message = lambda: in_words(inner())  # noqa: E731
            super().__init__(message, *args, **kwargs)

    common.PromptSession = Session
    try:
        yield
    finally:
        common.PromptSession = original
