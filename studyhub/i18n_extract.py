"""Babel extraction for studyhub (``pybabel extract -F babel.cfg``; see CONTRIBUTING.md).

Besides the usual calls (``t``, ``tn``, ``msg``, ``msgn``, ``N_``, found by Babel's own
Python extractor), it collects the texts click shows, which are not calls:

* ``help="..."`` of every option and command;
* the docstring of every function decorated as a click command or group (its help);
* the one-line help of each entry in the CLI's ``COMMANDS`` registry;
* calls inside f-strings, which Babel's tokenizer does not see before Python 3.12;
* for a key chosen at run time (``t(f"col.{key}")``), every key of the family ``col.``
  already in the English catalog: the family is kept whole.

Build tooling only: nothing at run time imports this module.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any

from babel.messages.extract import extract_python
from babel.messages.pofile import read_po

ENGLISH_CATALOG = Path(__file__).parent / "locale" / "en" / "LC_MESSAGES" / "studyhub.po"

Extracted = tuple[int, str | None, str | tuple[str, ...], list[str]]

#: the translation calls (as configured in setup.cfg's keywords)
CALLS = {"t", "tn", "msg", "msgn", "N_"}


@cache
def catalog_keys() -> tuple[str, ...]:
    """The ids of the English catalog (the families of run-time keys live there)."""
    if not ENGLISH_CATALOG.exists():
        return ()
    with ENGLISH_CATALOG.open("rb") as handle:
        return tuple(str(m.id) for m in read_po(handle) if m.id and isinstance(m.id, str))


def command_help(text: str) -> str:
    """The help text click shows for a docstring or ``help=`` value (the message id)."""
    return inspect.cleandoc(text).partition("\f")[0].strip()


def _is_command_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in {"command", "group"}


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _family(node: ast.JoinedStr) -> str | None:
    """``f"col.{key}"`` -> ``col.`` (a key family chosen at run time)."""
    if node.values and isinstance(node.values[0], ast.Constant):
        prefix = str(node.values[0].value)
        if prefix.endswith((".", "_")) and " " not in prefix:
            return prefix
    return None


def click_texts(tree: ast.AST) -> Iterator[tuple[int, str | tuple[str, str]]]:
    """(line, message id) of every click help text and run-time key family member."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                text = _string(keyword.value)
                if keyword.arg == "help" and text:
                    yield node.lineno, command_help(text)
            func = node.func
            if isinstance(func, ast.Name) and func.id in CALLS and node.args:
                first = node.args[0]
                # (Babel's tokenizer does not look inside f-strings before Python 3.12)
                text = _string(first)
                if text and func.id in {"tn", "msgn"} and len(node.args) > 1:
                    plural = _string(node.args[1])
                    if plural:
                        yield node.lineno, (text, plural)
                elif text:
                    yield node.lineno, text
                if isinstance(first, ast.JoinedStr) and (prefix := _family(first)):
                    for key in catalog_keys():
                        if key.startswith(prefix):
                            yield node.lineno, key
        elif isinstance(node, ast.FunctionDef) and any(
            _is_command_decorator(d) for d in node.decorator_list
        ):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.lineno, command_help(doc)
        elif isinstance(node, ast.AnnAssign | ast.Assign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            if "COMMANDS" in names and isinstance(node.value, ast.List):
                for entry in node.value.elts:
                    if isinstance(entry, ast.Tuple) and len(entry.elts) == 3:
                        text = _string(entry.elts[2])
                        if text:
                            yield entry.lineno, text


def extract_studyhub(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[Extracted]:
    """Babel extraction method: the usual calls plus click's help texts."""
    yield from extract_python(fileobj, keywords, comment_tags, options)  # type: ignore[arg-type]
    fileobj.seek(0)
    tree = ast.parse(fileobj.read())
    for line, text in click_texts(tree):
        yield line, None, text, []
