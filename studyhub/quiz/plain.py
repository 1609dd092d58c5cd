"""Plain mode: answers read as lines, plain text written (no cursor control).

For screen readers, scripts and anything that is not a terminal. A question takes one line:
``B``, ``ACD``, ``对``/``错``, fill blanks separated by ``;``; ``<`` goes back, ``*`` flags,
an empty line skips. The end of input raises :class:`InputEnded`, never a hang.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, Any, TypeVar

from studyhub.errors import InputError
from studyhub.i18n import msg, t
from studyhub.quiz.prompter import LETTERS, InputEnded, Nav, Prompter, QuestionPrompt, option_label
from studyhub.quiz.render import response_text

__all__ = ["PlainPrompter"]

T = TypeVar("T")
YES = {"y", "yes", "是", "确定", "确认", "对", "1"}
NO = {"n", "no", "否", "不", "取消", "0"}
NAV_KEYS = {"<": Nav.BACK, "*": Nav.FLAG, ">": Nav.SKIP, "#": Nav.CARD}


class PlainPrompter(Prompter):
    def __init__(self, stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> None:
        self.stdin = stdin if stdin is not None else sys.stdin
        self.stdout = stdout if stdout is not None else sys.stdout

    def show(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def _read(self, prompt: str) -> str:
        self.stdout.write(prompt + ": ")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            self.stdout.flush()
            raise InputEnded(
                msg("input ended before the quiz was finished; the answers given so far are "
                    "saved and starting the exam again resumes the attempt")
            )  # fmt: skip
        return line.rstrip("\r\n").strip()

    def select_menu(
        self, message: str, choices: Sequence[tuple[str, T]], default: T | None = None
    ) -> T:
        while True:
            self.show(message)
            for n, (label, _) in enumerate(choices, start=1):
                self.show(f"  {n}. {label}")
            line = self._read(t("quiz.plain.choose", count=len(choices)))
            if not line and default is not None:
                return default
            if line.isdigit() and 1 <= int(line) <= len(choices):
                return choices[int(line) - 1][1]
            self.show(t("quiz.plain.choose", count=len(choices)))

    def confirm(self, message: str, default: bool = False) -> bool:
        suffix = "[Y/n]" if default else "[y/N]"
        while True:
            line = self._read(f"{message} {suffix}").casefold()
            if not line:
                return default
            if line in YES:
                return True
            if line in NO:
                return False
            self.show(t("quiz.plain.yes_no"))

    def ask_choice(
        self, message: str, options: Sequence[str], default: int | None = None, *,
        nav: bool = False, hint: str = "",
    ) -> int | Nav:  # fmt: skip
        letters = LETTERS[: len(options)]
        while True:
            self.show(message)
            for label in options:
                self.show(f"  {label}")
            line = self._read(t("quiz.keys.plain") if nav else message)
            if nav and (line in NAV_KEYS or not line):
                return NAV_KEYS.get(line, Nav.SKIP)
            if len(line) == 1 and line.upper() in letters:
                return letters.index(line.upper())
            if line.isdigit() and 1 <= int(line) <= len(options):
                return int(line) - 1
            self.show(t("quiz.plain.single", letters=f"{letters[0]}-{letters[-1]}"))

    def ask_checkbox(
        self, message: str, options: Sequence[str], defaults: Sequence[int] = (), *,
        nav: bool = False, hint: str = "",
    ) -> list[int] | Nav:  # fmt: skip
        letters = LETTERS[: len(options)]
        while True:
            self.show(message)
            for label in options:
                self.show(f"  {label}")
            line = self._read(t("quiz.keys.plain") if nav else message)
            if nav and (line in NAV_KEYS or not line):
                return NAV_KEYS.get(line, Nav.SKIP)
            picked = [ch for ch in line.upper() if ch not in " ,、;"]
            if picked and all(ch in letters for ch in picked):
                return sorted({letters.index(ch) for ch in picked})
            self.show(t("quiz.plain.multiple", letters=f"{letters[0]}-{letters[-1]}"))

    def ask_text(
        self, message: str, default: str = "", *, nav: bool = False, hint: str = ""
    ) -> str | Nav:
        line = self._read(message)
        if nav and line in NAV_KEYS:
            return NAV_KEYS[line]
        return line

    def ask_question(self, question: QuestionPrompt) -> Any:
        """One line per question, parsed by the engine's own parser; a line that does not
        fit gets a one-line message and the question again."""
        from studyhub.exams.attempts import parse_response

        item = question.item
        while True:
            self.show(question.header)
            self.show(item.stem)
            for i, option in enumerate(item.options):
                self.show(f"  {option_label(i, option)}")
            if item.type == "judge":
                self.show("  " + t("quiz.true") + " / " + t("quiz.false"))
            if item.response is not None:
                text = response_text(item.type, item.options, item.response)
                self.show(t("quiz.saved_answer", answer=text))
            line = self._read(
                t("quiz.keys.plain") if question.navigable else t("practice.keys.plain_back")
            )
            if line in NAV_KEYS or not line:
                return NAV_KEYS.get(line, Nav.SKIP)
            try:
                return parse_response(item, line)
            except InputError:
                self.show(self._help(question))

    @staticmethod
    def _help(question: QuestionPrompt) -> str:
        item = question.item
        letters = LETTERS[: len(item.options)] or "A"
        span = f"{letters[0]}-{letters[-1]}"
        if item.type == "fill":
            return t("quiz.plain.fill", blanks=item.blanks)
        return t(f"quiz.plain.{item.type}", letters=span)
