"""Click parameter types shared by several command groups."""

from __future__ import annotations

from typing import Any

import click

__all__ = ["OUTPUT_FILE", "QUESTION_TYPE", "Vocabulary"]


class OutputFile(click.Path):
    """A file a command will write: refused at once (before any work) when it is the
    database, one of its companion files, or the app dir's session or config file."""

    name = "output file"

    def __init__(self) -> None:
        super().__init__(dir_okay=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from studyhub.fileio import check_output

        value = super().convert(value, param, ctx)
        app = ctx.find_root().obj if ctx is not None else None
        if app is not None and hasattr(app, "protect_database_files"):
            app.protect_database_files()
        check_output(value)
        return value


OUTPUT_FILE = OutputFile()


class Vocabulary(click.ParamType):
    """One of a closed vocabulary, given as its key or any of its Chinese names (单选 for
    single, ...); the refusal lists what is accepted, in the user's language."""

    name = "choice"

    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.allowed = allowed

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.allowed) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from studyhub.i18n import get_language, t
        from studyhub.labels import Choices, label, parse_value

        found = parse_value(value, self.allowed)
        if found is None:
            if get_language() == "en":  # the keys, with their words
                words = ", ".join(f"{key} ({label(key)})" for key in self.allowed)
            else:  # 单选、多选、判断、填空 (the keys are accepted too)
                words = Choices(self.allowed).render()
            self.fail(
                t("{value!r} is not one of {choices}", value=value, choices=words), param, ctx
            )
        return found


QUESTION_TYPE = Vocabulary(("single", "multiple", "judge", "fill"))
