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
    "json-records": "studyhub.banks.formats.records",
    "jsonl": "studyhub.banks.formats.records",
    "tab-lines": "studyhub.banks.formats.tablines",
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
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
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
    if ext == ".json":
        return _detect_json(head)
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
    from studyhub.banks.formats.tablines import looks_like_tab_lines

    if looks_like_tab_lines(text):
        return "tab-lines"
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


def _detect_json(head: bytes) -> str:
    """studyhub's own JSON (``json``), JSON Lines, or another system's records
    (``json-records``): told apart by the first lines and the field names in the head."""
    import re

    text = head.decode("utf-8-sig", "replace")
    if re.search(r'"format"\s*:\s*"studyhub-bank', text):
        return "json"
    lines = [line for line in text.splitlines() if line.strip()][:2]
    if len(lines) == 2 and all(_one_object(line) for line in lines):
        return "jsonl"
    from studyhub.banks.formats.records import foreign_key

    keys = re.findall(r'"((?:[^"\\]|\\.){1,200})"\s*:', text)
    if any(foreign_key(key) for key in keys):
        return "json-records"
    return "json"


def _one_object(line: str) -> bool:
    import json

    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
