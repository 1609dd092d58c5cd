"""Click parameter types shared by several command groups."""

from __future__ import annotations

from typing import Any

import click

__all__ = ["OUTPUT_FILE"]


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
