"""The command line in the user's language: studyhub's help texts and click's own words
(``Usage:``, ``Options:``, ``Missing argument``, ``Aborted!``), wrapped by display width so
that Chinese lines up.

The help texts of commands and options are written in English in the code (they are the
message ids, collected by ``studyhub.i18n_extract``) and replaced by their translation
when a command is about to run or show its help (:func:`localize`). click's own messages
come from the ``click`` catalog of ``studyhub/locale``; click reads them through the
module-level ``_``/``ngettext`` names that :func:`use_language` points at that catalog.
"""

from __future__ import annotations

import gettext
import re
import sys
from collections.abc import Iterator
from functools import cache

import click

from studyhub.i18n import get_language, set_language, t, translation

__all__ = ["WideHelpFormatter", "language_in_args", "localize", "use_language"]

#: click modules that translate their messages with module-level ``_`` / ``ngettext``
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)

#: the original (English) texts of a command or parameter, kept on first localization
_ORIGINAL = "_studyhub_english"


def language_in_args(args: list[str]) -> str | None:
    """The ``--lang`` given before the subcommand (``--lang en`` or ``--lang=en``), if any:
    read before parsing, so that parsing errors are already in that language."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1] if args[i + 1] in ("zh", "en") else None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
            return value if value in ("zh", "en") else None
        if not arg.startswith("-"):
            return None
    return None


def use_language(language: str | None) -> None:
    """Show studyhub and click in ``language`` (None: STUDYHUB_LANG, else Chinese)."""
    set_language(language)
    catalog = click_catalog(get_language())
    for name in CLICK_MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = catalog.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = catalog.ngettext  # type: ignore[attr-defined]


def _translate(text: str | None) -> str | None:
    if not text:
        return text
    import inspect

    msgid = inspect.cleandoc(text).partition("\f")[0].strip()
    translated = translation(get_language()).gettext(msgid)
    if translated == msgid:  # click's own option helps (--version) are click's messages
        translated = click_catalog(get_language()).gettext(msgid)
    return translated


@cache
def click_catalog(language: str) -> gettext.NullTranslations:
    """click's own words in ``language`` (English: click's texts as they are)."""
    try:
        return translation(language, "click")
    except OSError:
        return gettext.NullTranslations()


def _short(text: str | None) -> str | None:
    """The first sentence of a help text (for the list of subcommands)."""
    if not text:
        return text
    first = text.strip().split("\n\n")[0].replace("\n", " ")
    match = re.match(r"(.+?)(。|\.\s|\.$)", first)
    return (match.group(1) if match else first).rstrip("。.")


def localize(command: click.Command) -> click.Command:
    """Put ``command`` (and its subcommands and parameters) in the current language."""
    for item in _walk(command):
        english = getattr(item, _ORIGINAL, None)
        if english is None:
            english = {"help": getattr(item, "help", None)}
            if isinstance(item, click.Command):
                english["short_help"] = item.short_help
            setattr(item, _ORIGINAL, english)
        item.help = _translate(english["help"])  # type: ignore[union-attr]
        if isinstance(item, click.Command):
            item.short_help = _translate(english["short_help"]) or _short(item.help)
            item.context_class = WideContext
            if getattr(item, "_help_option", None) is not None:
                item._help_option = None  # click caches --help with its text in one language
            item.options_metavar = t("cli.options_metavar")
        if isinstance(item, click.Group):
            item.subcommand_metavar = t("cli.subcommand_metavar")
        if isinstance(item, click.Command):
            for param in item.params:
                if isinstance(param.type, click.Path):
                    param.type.name = _path_word(param.type)
    return command


def _path_word(kind: click.Path) -> str:
    """click's word for a path parameter (file, directory, path) in the current language:
    click sets it once, in the language of the moment the command was defined."""
    catalog = click_catalog(get_language())
    if kind.file_okay and not kind.dir_okay:
        return catalog.gettext("file")
    if kind.dir_okay and not kind.file_okay:
        return catalog.gettext("directory")
    return catalog.gettext("path")


def _walk(command: click.Command) -> Iterator[click.Command | click.Parameter]:
    yield command
    yield from (p for p in command.params if hasattr(p, "help"))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _walk(sub)


def _width(text: str) -> int:
    """Display columns of help text: a wide (CJK) character takes two. (unicodedata, not
    wcwidth: importing wcwidth would cost ~20 ms of every start.)"""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _pieces(text: str) -> Iterator[str]:
    """Words of Latin text (with their spaces) and single wide characters: the places a
    line may break. (A loop, not a regular expression: compiling a class of all wide
    characters costs ~5 ms of every start.)"""
    piece = ""
    for char in text:
        if char.isspace():
            piece += char
            continue
        after_break = piece and (piece[-1].isspace() or ord(piece[-1]) >= WIDE_FROM)
        if piece and (ord(char) >= WIDE_FROM or after_break):
            yield piece
            piece = ""
        piece += char
    if piece:
        yield piece


#: from here on, characters are CJK (wide): a line may break before each of them
WIDE_FROM = 0x2E80


#: punctuation that never starts a line (it stays at the end of the line before)
NO_LINE_START = "，。、：；）》」』！？,.:;)!?"


def wrap_wide(text: str, width: int, indent: str = "") -> list[str]:
    """One paragraph wrapped to ``width`` display columns (a Chinese character is two)."""
    lines: list[str] = []
    line = indent
    for piece in _pieces(" ".join(text.split())):
        if piece[0] in NO_LINE_START:
            line += piece
        elif line.strip() and _width(line + piece.rstrip()) > width:
            lines.append(line.rstrip())
            line = indent + piece.lstrip()
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


def wrap_paragraphs(text: str, width: int, indent: str = "") -> list[str]:
    """Paragraphs wrapped like click's ``wrap_text`` (a ``\\b`` paragraph is kept as
    written), by display width."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
        if out:
            out.append("")
        raw = paragraph.split("\n")
        if raw[0].strip() == "\b":
            out.extend(indent + line for line in raw[1:])
        else:
            out.extend(wrap_wide(paragraph, width, indent))
    return out


class WideHelpFormatter(click.HelpFormatter):
    """click's help layout, measured in display columns."""

    def write_heading(self, heading: str) -> None:
        text = t("cli.heading", heading=heading)
        self.write(" " * self.current_indent + text + "\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write("\n".join(wrap_paragraphs(text, self.width, indent)) + "\n")

    def write_dl(
        self, rows: list[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:  # type: ignore[override]
        rows = list(rows)
        first_col = min(max((_width(r[0]) for r in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if _width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2 - self.current_indent, 10)
            lines = wrap_paragraphs(second, text_width) or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class WideContext(click.Context):
    formatter_class = WideHelpFormatter
