"""The prompter seam: every decision the quiz asks of its taker goes through one of these.

:class:`Prompter` is the interface (with the question-level dispatch shared by every front
end); :class:`ScriptedPrompter` replays scripted answers for tests and raises
:class:`InputEnded` (a StudyhubError) when they run out, so a test can never hang on a prompt.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from studyhub.errors import StudyhubError
from studyhub.i18n import N_, t
from studyhub.quiz.paging import Page, PageKey

if TYPE_CHECKING:
    import datetime as dt

    from studyhub.exams.attempts import ItemView

__all__ = ["Asked", "InputEnded", "Nav", "Prompter", "QuestionPrompt", "ScriptedPrompter"]

T = TypeVar("T")
LETTERS = "ABCDEFGH"


class InputEnded(StudyhubError):
    """The taker's input ran out (closed stdin, end of a script) while a prompt waited."""


class Nav(enum.Enum):
    """What a taker may do at a question instead of answering it."""

    BACK = "back"
    SKIP = "skip"
    FLAG = "flag"
    #: open the answer card (答题卡) to see every question's state and jump
    CARD = "card"
    #: the countdown reached zero while the question was on screen
    TIMEUP = "timeup"


#: the key hints of practice, by the quiz's hint of the same prompt: Enter answers (a choice
#: always has an option under the cursor), ← shows the previous question's feedback again
PRACTICE_HINTS = {
    "quiz.keys.choice": N_("practice.keys.choice"),
    "quiz.keys.checkbox": N_("practice.keys.checkbox"),
    "quiz.keys.text": N_("practice.keys.text"),
}


@dataclass
class QuestionPrompt:
    """One question as the prompter shows it: header line, stem, options, saved answer."""

    header: str
    item: ItemView
    flagged: bool = False
    #: False in practice: no going back or flagging, so their keys are not offered
    navigable: bool = True
    #: the time left, asked again every second by a front end with a live countdown (None:
    #: no countdown); ``timed`` False: only a warning shortly before the exam closes
    time_left: Callable[[], dt.timedelta | None] | None = None
    timed: bool = True

    def hint(self, quiz_hint: str) -> str:
        if self.navigable:
            return t(quiz_hint)
        return t(PRACTICE_HINTS.get(quiz_hint, N_("practice.keys.choice")))

    @property
    def type(self) -> str:
        return self.item.type

    @property
    def stem(self) -> str:
        return self.item.stem

    @property
    def options(self) -> list[str]:
        return self.item.options

    @property
    def response(self) -> Any:
        return self.item.response


def option_label(index: int, text: str) -> str:
    return f"{LETTERS[index]}. {text}"


class Prompter(ABC):
    """The decisions of a quiz. Front ends implement the widgets; ``ask_question`` maps a
    question onto them (plain mode overrides it to read one typed line).

    Every method may raise KeyboardInterrupt (the taker pressed Ctrl-C) or
    :class:`InputEnded` (input is gone); it never returns None for "no input"."""

    @abstractmethod
    def show(self, text: str) -> None:
        """Show text (a header, a summary, a result)."""

    def show_styled(self, text: str, style: str = "") -> None:
        """Show a line in a style: ``right`` (the key) or ``wrong`` (a wrong choice); the
        words of the line say the same, so a front end without colour shows the text."""
        self.show(text)

    @abstractmethod
    def select_menu(
        self, message: str, choices: Sequence[tuple[str, T]], default: T | None = None
    ) -> T:
        """One of ``choices`` (label, value): the value chosen."""

    @abstractmethod
    def confirm(self, message: str, default: bool = False) -> bool:
        """Yes or no."""

    def discard_typeahead(self) -> None:
        """Forget keys typed before the next prompt (a front end with a keyboard): a
        decision is never taken by a key pressed for something else."""
        return None

    def pause(self, message: str) -> None:
        """Wait until the taker is ready to go on (a front end with a screen): nothing
        scrolls away unread. Scripts and plain mode go on at once."""
        return None

    @abstractmethod
    def ask_choice(
        self, message: str, options: Sequence[str], default: int | None = None, *,
        nav: bool = False, hint: str = "",
    ) -> int | Nav:  # fmt: skip
        """The index of one option (or a navigation action when ``nav``)."""

    @abstractmethod
    def ask_checkbox(
        self, message: str, options: Sequence[str], defaults: Sequence[int] = (), *,
        nav: bool = False, hint: str = "",
    ) -> list[int] | Nav:  # fmt: skip
        """The indexes ticked (or a navigation action when ``nav``)."""

    @abstractmethod
    def ask_text(
        self, message: str, default: str = "", *, nav: bool = False, hint: str = ""
    ) -> str | Nav:
        """A line of text (or a navigation action when ``nav``)."""

    def page(self, page: Page) -> PageKey:
        """Show one page of a paged text and return the key the reader pressed. This default
        (plain mode, scripts) shows the pages one after the other: NEXT, then QUIT after the
        last."""
        for line in page.lines:
            self.show(line)
        if page.notice:
            self.show(page.notice)
        return PageKey.QUIT if page.last else PageKey.NEXT

    def ask_question(self, question: QuestionPrompt) -> Any:
        """The answer to a question in shown terms (what attempts.answer() takes) or a
        :class:`Nav`. An empty answer (nothing ticked, no text) is a skip."""
        item = question.item
        self.show(question.header)
        saved = item.response
        if item.type == "single":
            labels = [option_label(i, o) for i, o in enumerate(item.options)]
            default = saved[0] if saved else None
            picked = self.ask_choice(item.stem, labels, default, nav=True,
                                     hint=question.hint(N_("quiz.keys.choice")))  # fmt: skip
            return picked if isinstance(picked, Nav) else [picked]
        if item.type == "multiple":
            labels = [option_label(i, o) for i, o in enumerate(item.options)]
            ticked = self.ask_checkbox(item.stem, labels, list(saved or []), nav=True,
                                       hint=question.hint(N_("quiz.keys.checkbox")))  # fmt: skip
            if isinstance(ticked, Nav):
                return ticked
            return sorted(set(ticked)) if ticked else Nav.SKIP
        if item.type == "judge":
            default = None if saved is None else (0 if saved else 1)
            hint = question.hint(N_("quiz.keys.choice"))
            picked = self.ask_choice(item.stem, [t("quiz.true"), t("quiz.false")], default,
                                     nav=True, hint=hint)  # fmt: skip
            return picked if isinstance(picked, Nav) else picked == 0
        # fill: one text input per blank
        self.show(item.stem)
        blanks: list[str] = []
        for n in range(item.blanks):
            message = t("quiz.blank", n=n + 1) if item.blanks > 1 else t("quiz.fill_prompt")
            default = saved[n] if saved and n < len(saved) else ""
            text = self.ask_text(
                message, default, nav=True, hint=question.hint(N_("quiz.keys.text"))
            )
            if isinstance(text, Nav):
                return text
            blanks.append(text.strip())
        return blanks if any(blanks) else Nav.SKIP


# --- scripted answers for tests ---------------------------------------------------------------


@dataclass
class Asked:
    """A prompt the scripted prompter answered: what kind, the message and the options."""

    kind: str
    message: str
    options: list[str] = field(default_factory=list)
    #: what the prompt preselects: an index, ticked indexes, text, or a menu value
    default: Any = None
    #: the position of the question being asked (None outside questions)
    position: int | None = None


#: a scripted entry: a value, a Nav, KeyboardInterrupt, or a callable given the Asked prompt
Entry = Any


class ScriptedPrompter(Prompter):
    """Replays ``answers`` one per prompt; raises InputEnded when they run out.

    Entries: for ask_choice an index, an option label (``"B. 乙"``), its text (``"乙"``) or
    letter (``"B"``); for ask_checkbox a list of those; for ask_text a string; for confirm a
    bool; for select_menu a value or a label (or a unique part of one); a :class:`Nav`;
    ``KeyboardInterrupt`` to press Ctrl-C; or a callable taking the :class:`Asked` prompt and
    returning one of these.
    """

    def __init__(self, answers: Iterable[Entry] = ()) -> None:
        self.answers: list[Entry] = list(answers)
        self.shown: list[str] = []
        self.asked: list[Asked] = []
        #: (style, text) of every line shown with a style
        self.styled: list[tuple[str, str]] = []
        self._position: int | None = None

    # helpers for tests
    @property
    def output(self) -> str:
        return "\n".join(self.shown)

    def feed(self, *answers: Entry) -> None:
        self.answers.extend(answers)

    def ask_question(self, question: QuestionPrompt) -> Any:
        self._position = question.item.position
        try:
            return super().ask_question(question)
        finally:
            self._position = None

    def page(self, page: Page) -> PageKey:
        """A scripted :class:`PageKey` when one comes next (a page asked about is recorded
        as ``Asked("page", first line, position=...)``); else the default: every page in
        turn, taking no entry."""
        if self.answers and isinstance(self.answers[0], PageKey):
            self.asked.append(Asked("page", page.lines[0] if page.lines else "",
                                    position=page.position))  # fmt: skip
            for line in page.lines:
                self.show(line)
            if page.notice:
                self.show(page.notice)
            entry: PageKey = self.answers.pop(0)
            return entry
        return super().page(page)

    def _next(self, asked: Asked) -> Entry:
        asked.position = self._position
        self.asked.append(asked)
        if not self.answers:
            raise InputEnded(f"scripted input ran out at {asked.kind} prompt {asked.message!r}")
        entry = self.answers.pop(0)
        if callable(entry) and not isinstance(entry, type):
            entry = entry(asked)
        if entry is KeyboardInterrupt or isinstance(entry, KeyboardInterrupt):
            raise KeyboardInterrupt
        return entry

    def show(self, text: str) -> None:
        self.shown.append(text)

    def show_styled(self, text: str, style: str = "") -> None:
        self.styled.append((style, text))
        self.show(text)

    def select_menu(
        self, message: str, choices: Sequence[tuple[str, T]], default: T | None = None
    ) -> T:
        entry = self._next(Asked("menu", message, [label for label, _ in choices], default))
        for _, value in choices:
            if value == entry:
                return value
        if isinstance(entry, str):
            exact = [value for label, value in choices if label == entry]
            partial = [value for label, value in choices if entry in label]
            if exact or len(partial) == 1:
                return (exact or partial)[0]
        raise AssertionError(f"scripted menu answer {entry!r} is not one of {choices!r}")

    def pause(self, message: str) -> None:
        self.asked.append(Asked("pause", message))  # (takes no scripted entry)

    def confirm(self, message: str, default: bool = False) -> bool:
        entry = self._next(Asked("confirm", message, default=default))
        if not isinstance(entry, bool):
            raise AssertionError(f"scripted confirm answer {entry!r} is not a bool")
        return entry

    @staticmethod
    def _index(entry: Entry, options: Sequence[str]) -> int:
        if isinstance(entry, int) and not isinstance(entry, bool):
            if 0 <= entry < len(options):
                return entry
        elif isinstance(entry, str):
            for i, label in enumerate(options):
                if entry in (label, LETTERS[i], label.split(". ", 1)[-1]):
                    return i
        raise AssertionError(f"scripted answer {entry!r} is not one of {list(options)!r}")

    def ask_choice(
        self, message: str, options: Sequence[str], default: int | None = None, *,
        nav: bool = False, hint: str = "",
    ) -> int | Nav:  # fmt: skip
        entry = self._next(Asked("choice", message, list(options), default))
        if isinstance(entry, Nav):
            assert nav, "navigation offered only at questions"
            return entry
        return self._index(entry, options)

    def ask_checkbox(
        self, message: str, options: Sequence[str], defaults: Sequence[int] = (), *,
        nav: bool = False, hint: str = "",
    ) -> list[int] | Nav:  # fmt: skip
        entry = self._next(Asked("checkbox", message, list(options), list(defaults)))
        if isinstance(entry, Nav):
            assert nav, "navigation offered only at questions"
            return entry
        if isinstance(entry, str):  # letters such as "AC"
            entry = list(entry)
        return sorted(self._index(e, options) for e in entry)

    def ask_text(
        self, message: str, default: str = "", *, nav: bool = False, hint: str = ""
    ) -> str | Nav:
        entry = self._next(Asked("text", message, default=default))
        if isinstance(entry, Nav):
            assert nav, "navigation offered only at questions"
            return entry
        return str(entry)
