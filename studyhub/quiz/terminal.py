"""The questionary front end: arrow keys, space to tick, and keys to go back, skip and flag.

questionary (and prompt_toolkit) are imported only when a prompt is shown, so that
``studyhub --help`` stays fast. ``input``/``output`` may be given (prompt_toolkit pipe input
and DummyOutput in tests); they are passed to every questionary prompt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any, TypeVar

from studyhub.quiz.prompter import InputEnded, Nav, Prompter

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

    def show(self, text: str) -> None:
        stream = self.stream if self.stream is not None else sys.stdout
        stream.write(text + "\n")
        stream.flush()

    # --- running a questionary prompt ------------------------------------------------------

    def _run(self, question: Question) -> Any:
        """Run one prompt; Ctrl-C propagates as KeyboardInterrupt, end of input is an error."""
        try:
            return question.unsafe_ask()
        except EOFError:
            raise InputEnded("input ended (the terminal closed)") from None

    @staticmethod
    def _with_navigation(question: Question, text_input: bool) -> Question:
        """Add the keys that go back, skip and flag: each ends the prompt with a Nav."""
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
        from prompt_toolkit.keys import Keys

        bindings = KeyBindings()
        keys: dict[Nav, list[Any]] = {
            Nav.BACK: [Keys.PageUp],
            Nav.SKIP: [Keys.PageDown],
            Nav.FLAG: [Keys.ControlF],
        }
        if not text_input:
            keys[Nav.BACK].append(Keys.Left)
            keys[Nav.SKIP].append(Keys.Right)
            keys[Nav.FLAG].append("f")

        def _bind(key: Any, action: Nav) -> None:
            @bindings.add(key, eager=True)
            def _(event: Any) -> None:
                event.app.exit(result=action)

        for action, action_keys in keys.items():
            for key in action_keys:
                _bind(key, action)
        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
        return question

    # --- the widgets ----------------------------------------------------------------------

    def select_menu(
        self, message: str, choices: Sequence[tuple[str, T]], default: T | None = None
    ) -> T:
        import questionary

        options = [questionary.Choice(label, value=i) for i, (label, _) in enumerate(choices)]
        start = next((i for i, (_, v) in enumerate(choices) if v == default), None)
        picked = self._run(questionary.select(message, options, default=start, **self._kwargs))
        return choices[picked][1]

    def confirm(self, message: str, default: bool = False) -> bool:
        import questionary

        return bool(self._run(questionary.confirm(message, default=default, **self._kwargs)))

    def ask_choice(
        self, message: str, options: Sequence[str], default: int | None = None, *,
        nav: bool = False, hint: str = "",
    ) -> int | Nav:  # fmt: skip
        import questionary

        choices = [questionary.Choice(label, value=i) for i, label in enumerate(options)]
        question = questionary.select(message, choices, default=default,
                                      instruction=hint or None, **self._kwargs)  # fmt: skip
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
        question = questionary.checkbox(message, choices, instruction=hint or None,
                                        **self._kwargs)  # fmt: skip
        if nav:
            question = self._with_navigation(question, text_input=False)
        result = self._run(question)
        return result if isinstance(result, Nav) else sorted(result)

    def ask_text(
        self, message: str, default: str = "", *, nav: bool = False, hint: str = ""
    ) -> str | Nav:
        import questionary

        question = questionary.text(message, default=default, instruction=hint or None,
                                    **self._kwargs)  # fmt: skip
        if nav:
            question = self._with_navigation(question, text_input=True)
        result = self._run(question)
        return result if isinstance(result, Nav) else str(result)
