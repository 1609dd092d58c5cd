"""Messages of the terminal UI: Chinese by default, English on request.

The texts live in gettext-style catalogs, ``studyhub/locale/zh.po`` and ``en.po``: each
``msgid`` is the key the code passes to :func:`t`, each ``msgstr`` the text shown, with
``{placeholders}`` filled in by the code. The language is ``--lang`` on the command line,
else ``STUDYHUB_LANG``, else Chinese. Error reasons stay in English (they are also read by
scripts and logs); labels, prompts and report headings go through :func:`t`.
"""

from __future__ import annotations

import ast
import os
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "catalog", "get_language", "set_language", "t"]

LANGUAGES = ("zh", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
_language: str | None = None


def _unquote(text: str) -> str:
    return str(ast.literal_eval(text))


@cache
def catalog(language: str) -> dict[str, str]:
    """The messages of ``language`` (msgid -> msgstr), read once from its .po file."""
    path = LOCALE_DIR / f"{language}.po"
    messages: dict[str, str] = {}
    msgid: str | None = None
    field = ""
    parts: dict[str, list[str]] = {"msgid": [], "msgstr": []}

    def flush() -> None:
        nonlocal msgid
        if parts["msgid"]:
            key = "".join(parts["msgid"])
            if key:
                messages[key] = "".join(parts["msgstr"])
        parts["msgid"], parts["msgstr"] = [], []
        msgid = None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            field = "msgid"
            parts[field].append(_unquote(line[len("msgid ") :]))
        elif line.startswith("msgstr "):
            field = "msgstr"
            parts[field].append(_unquote(line[len("msgstr ") :]))
        elif line.startswith('"'):
            parts[field].append(_unquote(line))
    flush()
    return messages


def get_language() -> str:
    if _language is not None:
        return _language
    env = os.environ.get("STUDYHUB_LANG", "").lower()
    return "en" if env.startswith("en") else "zh"


def set_language(language: str | None) -> None:
    """Choose the UI language for this process (None: back to the environment default)."""
    global _language
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _language = language


def t(msgid: str, /, **values: object) -> str:
    """The message ``msgid`` in the current language (English when it has no translation),
    formatted with ``values``."""
    text = catalog(get_language()).get(msgid)
    if text is None:
        text = catalog("en")[msgid]
    return text.format(**values) if values else text
