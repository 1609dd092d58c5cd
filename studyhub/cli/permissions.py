"""The role each command needs, in one place, and the guard that enforces it.

``public`` commands need no sign-in; ``employee`` commands act as the signed-in person;
``reporter`` is every report and read-only list; ``admin`` is everything that changes data or
shows answer keys. A command missing from the table needs ``admin`` (deny by default).
"""

from __future__ import annotations

import click

__all__ = ["COMMAND_ROLES", "guard", "role_for"]

COMMAND_ROLES: dict[str, str] = {
    # no sign-in
    "config": "public",
    "init": "public",
    "login": "public",
    "logout": "public",
    # the person themself
    "passwd": "employee",
    "quiz": "employee",
    "practice": "employee",
    "law list": "employee",
    "law show": "employee",
    "law diff": "employee",
    "record": "employee",  # their own; a reporter or admin anyone's (checked by the command)
    # reports and read-only lists
    "bank list": "reporter",
    "bank show": "reporter",
    "bank stats": "reporter",
    "exam list": "reporter",
    "exam show": "reporter",
    "dept list": "reporter",
    "staff list": "reporter",
    "exempt list": "reporter",
    "study list": "reporter",
    "study show": "reporter",
    "study laws": "reporter",
    "outreach list": "reporter",
    "report": "reporter",  # every report subcommand
    "report review": "admin",  # one person's answers and the keys
    "exam verify": "reporter",
    "db current": "reporter",
    "db check": "reporter",
    # everything else that changes data or shows keys: admin
    "db upgrade": "admin",
    "db downgrade": "admin",
    "db grant": "admin",
    "db backup": "admin",
    "db restore": "admin",
    "bank import": "admin",
    "bank export": "admin",
    "bank check-citations": "admin",
    "bank check": "admin",
    "bank flagged": "admin",
    "bank review": "admin",  # the keys of the questions in doubt
    "law import": "admin",
    "exam create": "admin",
    "exam update": "admin",
    "exam close": "admin",
    "exam import-results": "admin",
    "exam override": "admin",
    "exam overrides": "admin",
    "exam certificates": "admin",
    "exam revoke-certificate": "admin",
    "audit list": "admin",
    "dept add": "admin",
    "dept import": "admin",
    "staff add": "admin",
    "staff import": "admin",
    "staff leave": "admin",
    "staff move": "admin",
    "staff set-pin": "admin",
    "exempt add": "admin",
    "exempt import": "admin",
    "exempt remove": "admin",
    "study add": "admin",
    "study import": "admin",
    "study import-online": "admin",
    "outreach add": "admin",
    "outreach import": "admin",
}


def role_for(path: str) -> str:
    """The role a command path (``bank import``) needs; its group's entry covers it too."""
    words = path.split()
    for end in range(len(words), 0, -1):
        role = COMMAND_ROLES.get(" ".join(words[:end]))
        if role is not None:
            return role
    return "admin"


def guard(command: click.Command, path: str) -> click.Command:
    """Make every leaf command under ``command`` check its role before it runs."""
    if getattr(command, "_studyhub_guarded", False):
        return command
    command._studyhub_guarded = True  # type: ignore[attr-defined]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            guard(sub, f"{path} {name}")
        return command
    original = command.invoke

    def invoke(ctx: click.Context) -> object:
        from studyhub.cli.context import AppContext

        app = ctx.find_object(AppContext)
        if app is not None:
            app.authorize(path, role_for(path), ctx.params)
        return original(ctx)

    command.invoke = invoke  # type: ignore[method-assign]
    return command
