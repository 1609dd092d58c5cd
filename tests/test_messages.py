"""Every error the library raises carries a translatable message (msg/msgn), never a
plain English string: the terminal shows errors in the user's language."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "studyhub"

#: the studyhub error classes and the position of their message argument
ERRORS = {
    "StudyhubError": 0,
    "ConfigError": 0,
    "DatabaseError": 0,
    "NotFoundError": 0,
    "PermissionDenied": 0,
    "InputError": 0,
    "LocatedError": 1,
    "AuthError": 0,
    "AttemptRefused": 0,
    "AttemptClosed": 0,
    "DatabaseUnavailable": 0,
    "Unreadable": 1,
    "InputEnded": None,  # the scripted prompter's test-only signal
    # helpers that take a message and raise or collect a located error (-1: the last
    # positional argument, for helpers of that name with different signatures)
    "error": 1,
    "report": 1,
    "reject": 1,
    "fail": -1,
    "question_for": 1,
    "_unknown_type": 2,
    "_retrying": 1,
}


def plain_text(node: ast.expr) -> bool:
    """A literal or f-string (or a concatenation of them): English that nobody translates."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return plain_text(node.left) or plain_text(node.right)
    return False


def offences(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        position = ERRORS.get(name)
        has_message = position is not None and len(node.args) > max(position, 0)
        if has_message and plain_text(node.args[position]):  # type: ignore[index]
            found.append((node.lineno, f"{name}() with plain text"))
        for keyword in node.keywords:
            if keyword.arg == "hint" and plain_text(keyword.value) and name in ERRORS:
                found.append((node.lineno, f"{name}(hint=...) with plain text"))
    return found


def test_errors_carry_translatable_messages() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for line, what in offences(tree):
            problems.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {what}")
    assert problems == [], f"{len(problems)} errors raised with plain text:\n" + "\n".join(
        problems[:40]
    )


def test_the_check_sees_plain_text() -> None:
    tree = ast.parse(
        'raise InputError(f"bad {x}")\n'
        'raise LocatedError(loc, "bad", hint="do this")\n'
        'raise InputError(msg("bad {x}", x=x))\n'
    )
    assert [line for line, _ in offences(tree)] == [1, 2, 2]
