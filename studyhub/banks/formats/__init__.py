"""The question-bank formats: one module each, registered here.

Each format module provides ``parse(ctx) -> Iterator[QuestionRecord]`` and, where studyhub
can write the format, ``export(records, header, stream)`` and, if it cannot carry every
question, ``unwritable(record)`` saying why it leaves one out. :func:`detect` picks a format from
the file's extension and, where that is ambiguous, its content.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from studyhub.banks.record import BankHeader, QuestionRecord
from studyhub.errors import InputError
from studyhub.i18n import Lazy, msg

__all__ = ["EXPORT_FORMATS", "FORMATS", "detect", "exporter", "parser", "unwritable"]

#: format name -> module
FORMATS: dict[str, str] = {
    "yaml": "studyhub.banks.formats.native",
    "json": "studyhub.banks.formats.native",
    "csv": "studyhub.banks.formats.table",
    "xlsx": "studyhub.banks.formats.table",
    "text": "studyhub.banks.formats.text",
    "docx": "studyhub.banks.formats.text",
    "gift": "studyhub.banks.formats.gift",
    "aiken": "studyhub.banks.formats.aiken",
    "moodle-xml": "studyhub.banks.formats.moodle_xml",
}
EXPORT_FORMATS = ("yaml", "json", "xlsx", "gift", "aiken")

_BY_EXTENSION = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".docx": "docx",
    ".gift": "gift",
    ".xml": "moodle-xml",
}

Parser = Callable[..., Iterator[QuestionRecord]]
Exporter = Callable[[list[QuestionRecord], BankHeader, IO[Any]], None]


def _module(name: str) -> ModuleType:
    if name not in FORMATS:
        choices = ", ".join(sorted(FORMATS))
        raise InputError(
            msg("unknown format {name}", name=name),
            hint=msg("choose one of: {choices}", choices=choices),
        )
    return importlib.import_module(FORMATS[name])


def parser(name: str) -> Parser:
    module = _module(name)
    function: Parser = getattr(module, f"parse_{name.replace('-', '_')}", None) or module.parse
    return function


def exporter(name: str) -> Exporter:
    if name not in EXPORT_FORMATS:
        raise InputError(
            msg("cannot export to {name}", name=name),
            hint=msg("choose one of: {choices}", choices=", ".join(EXPORT_FORMATS)),
        )
    module = _module(name)
    function: Exporter = getattr(module, f"export_{name}", None) or module.export
    return function


def unwritable(name: str) -> Callable[[QuestionRecord], Lazy | None]:
    """For export format ``name``: why a record cannot be written in it (its exporter then
    leaves the record out), or None. Formats that carry every question never refuse."""
    function: Callable[[QuestionRecord], Lazy | None] | None = getattr(
        _module(name), "unwritable", None
    )
    return function or _writes_everything


def _writes_everything(record: QuestionRecord) -> None:
    return None


def detect(path: Path, head: bytes) -> str:
    """The format of a file from its extension and first bytes."""
    ext = path.suffix.lower()
    if ext in _BY_EXTENSION:
        return _BY_EXTENSION[ext]
    if ext in (".txt", ".md", ""):
        return _detect_text(head)
    raise InputError(  # (a file without an extension is read as text above)
        msg("{path}: cannot tell the format from the extension {ext}", path=path, ext=ext),
        hint=msg("give it with --format ({choices})", choices=", ".join(sorted(FORMATS))),
    )


def _detect_text(head: bytes) -> str:
    """GIFT, Aiken or Word-style text, told apart by their markers."""
    import re

    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        # a character cut at the end of the sample is still UTF-8; otherwise try GBK
        if err.start >= len(head) - 3:
            text = head[: err.start].decode("utf-8-sig", "replace")
        else:
            text = head.decode("gb18030", "replace")
    if re.search(r"(?m)^\s*(::|\$CATEGORY:|// studyhub:)", text) or re.search(
        r"\{[^{}]*[=~][^{}]*\}", text
    ):
        return "gift"
    has_answer_lines = re.search(r"(?m)^\s*(ANSWER\s*:|答案\s*[:：]\s*[A-Ha-h]\s*$)", text)
    has_sections = re.search(r"(?m)^\s*#*\s*[一二三四五六七八九十]+\s*[、.．]", text)
    has_numbers = re.search(r"(?m)^\s*(\d+\s*[.、．)]|[（(]\d+[)）])", text)
    if has_answer_lines and not has_sections and not has_numbers:
        return "aiken"
    return "text"
