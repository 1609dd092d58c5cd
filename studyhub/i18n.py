"""Messages of the terminal UI: Chinese by default, English on request.

The texts live in standard gettext catalogs, ``studyhub/locale/<lang>/LC_MESSAGES/
studyhub.po``, compiled to ``.mo`` files with Babel (see CONTRIBUTING.md) and read here
through the standard library's :mod:`gettext`. Two kinds of message id are used:

* dotted keys for labels, prompts and headings (``t("quiz.header", n=1, total=20)``);
* the English text itself for errors and hints (``msg("unknown role {value}", value=v)``).

Values in ``{braces}`` are filled in by the code after translation. The language is
``--lang`` on the command line, else ``STUDYHUB_LANG``, else Chinese.

:func:`t` and :func:`tn` translate now; :func:`msg` and :func:`msgn` build a
:class:`Message` that is translated when it is shown. An error carries a Message, so the
library's callers read the English text (``str(err)``) while the terminal shows the
user's language.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "N_",
    "Lazy",
    "Message",
    "get_language",
    "msg",
    "msgn",
    "render",
    "set_language",
    "t",
    "tn",
    "translation",
]

LANGUAGES = ("zh", "en")
DOMAIN = "studyhub"
LOCALE_DIR = Path(__file__).parent / "locale"
_language: str | None = None


@cache
def translation(language: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (read once per process)."""
    return gettext.translation(domain, LOCALE_DIR, languages=[language])


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


def _fill(text: str, values: dict[str, object], language: str) -> str:
    if not values:
        return text
    shown = {k: v.render(language) if isinstance(v, Lazy) else v for k, v in values.items()}
    return text.format(**shown)


def t(msgid: str, /, **values: object) -> str:
    """The message ``msgid`` in the current language, formatted with ``values``."""
    language = get_language()
    return _fill(translation(language).gettext(msgid), values, language)


def tn(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The message for the count ``n`` (plural forms of the current language); ``n`` is
    available to the text as ``{n}``."""
    language = get_language()
    text = translation(language).ngettext(singular, plural, n)
    return _fill(text, {"n": n, **values}, language)


class Lazy:
    """A text shown in the language of the moment it is shown: ``str()`` is English."""

    __slots__ = ()

    def render(self, language: str | None = None) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.render("en")


class Message(Lazy):
    """A message id with its values, translated when shown (lazily).

    ``str(message)`` is the English text, stable for scripts, logs and library callers;
    :func:`render` gives it in the current (or a named) language. Values may themselves
    be Messages; they are shown in the same language.
    """

    __slots__ = ("msgid", "n", "plural", "values")

    def __init__(
        self, msgid: str, values: dict[str, object], plural: str | None = None, n: int = 0
    ) -> None:
        self.msgid = msgid
        self.plural = plural
        self.n = n
        self.values = values

    def render(self, language: str | None = None) -> str:
        language = language or get_language()
        catalog = translation(language)
        if self.plural is None:
            return _fill(catalog.gettext(self.msgid), self.values, language)
        text = catalog.ngettext(self.msgid, self.plural, self.n)
        return _fill(text, {"n": self.n, **self.values}, language)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, {self.values!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return (self.msgid, self.plural, self.n, self.values) == (
                other.msgid,
                other.plural,
                other.n,
                other.values,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.msgid, self.plural, self.n))


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalogs where it is only named; it is translated later."""
    return msgid


def msg(msgid: str, /, **values: object) -> Message:
    """Mark ``msgid`` (English text with ``{placeholders}``) for translation when shown."""
    return Message(msgid, values)


def msgn(singular: str, plural: str, n: int, /, **values: object) -> Message:
    """Like :func:`msg` for a text about ``n`` things (``{n}`` in the text)."""
    return Message(singular, values, plural, n)


def render(text: str | Lazy | None, language: str | None = None) -> str:
    """A Message in the current (or named) language; a plain string as it is."""
    if text is None:
        return ""
    if isinstance(text, Lazy):
        return text.render(language)
    return text
