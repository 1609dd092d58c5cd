"""The key reader under a page of the review, for the questionary front end.

One line (the keys and where the reader is) and one key press: ← or PgUp goes back, → PgDn
Enter or Space goes on, ``g`` opens the answer card, ``q`` Esc or Ctrl-C leaves. Any other
key does nothing, so a stray key never leaves the review. prompt_toolkit is imported only
when a page is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studyhub.quiz.paging import PageKey

if TYPE_CHECKING:
    from questionary import Question

__all__ = ["page_question"]


def page_question(footer: str, **kwargs: Any) -> Question:
    """A questionary Question that shows ``footer`` and ends with the :class:`PageKey`
    pressed; ``kwargs`` are prompt_toolkit's ``input`` and ``output`` (tests)."""
    from prompt_toolkit.application import Application
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys
    from prompt_toolkit.layout import FormattedTextControl, Layout, Window
    from questionary import Question

    bindings = KeyBindings()
    keys: dict[PageKey, list[Any]] = {
        PageKey.PREV: [Keys.Left, Keys.PageUp],
        PageKey.NEXT: [Keys.Right, Keys.PageDown, Keys.Enter, " "],
        PageKey.CARD: ["g", "G"],
        PageKey.QUIT: ["q", "Q", Keys.Escape, Keys.ControlC],
    }

    def _bind(key: Any, action: PageKey) -> None:
        @bindings.add(key)
        def _(event: Any) -> None:
            event.app.exit(result=action)

    for action, action_keys in keys.items():
        for key in action_keys:
            _bind(key, action)

    @bindings.add(Keys.Any)
    def _ignore(event: Any) -> None:
        """Any other key: nothing."""

    control = FormattedTextControl([("class:instruction", footer)], focusable=True)
    layout = Layout(Window(control, height=1, dont_extend_height=True))
    application: Application[PageKey] = Application(
        layout=layout, key_bindings=bindings, full_screen=False, **kwargs
    )
    return Question(application)
