"""Writing a native bank: :func:`export_yaml` and :func:`export_json`, one question at a
time."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

import yaml

from studyhub.banks.formats.native_records import FORMAT_ID
from studyhub.banks.record import LETTERS, BankHeader, QuestionRecord


def _question_data(record: QuestionRecord) -> dict[str, Any]:
    data: dict[str, Any] = {"id": record.identity(), "type": record.type, "stem": record.stem}
    if record.type in ("single", "multiple"):
        data["options"] = list(record.options)
        data["answer"] = "".join(LETTERS[i] for i in sorted(record.correct) if i < len(LETTERS))
    elif record.type == "judge":
        data["answer"] = bool(record.truth)
    else:
        data["answer"] = [list(b) for b in record.blanks]
    for name in ("explanation", "source"):
        if getattr(record, name):
            data[name] = getattr(record, name)
    if record.difficulty is not None:
        data["difficulty"] = record.difficulty
    if record.tags:
        data["tags"] = list(record.tags)
    if record.topic:
        data["topic"] = record.topic
    if record.points is not None:
        data["points"] = _number(record.points)
    if record.weights is not None:
        data["weights"] = [_number(w) for w in record.weights]
    if record.feedback is not None and any(record.feedback):
        data["feedback"] = list(record.feedback)
    return data


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _header_data(header: BankHeader) -> dict[str, str]:
    return {k: v for k, v in vars(header).items() if v}


def export_yaml(records: Iterable[QuestionRecord], header: BankHeader, stream: IO[bytes]) -> None:
    """Write a native YAML bank, one question at a time."""
    out = io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=True)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 100, "default_flow_style": False}
    out.write(f"format: {FORMAT_ID}\n")
    out.write(yaml.safe_dump({"bank": _header_data(header)}, **dump))
    empty = True
    for record in records:
        if empty:
            out.write("questions:\n")
            empty = False
        text = yaml.safe_dump([_question_data(record)], **dump)
        out.write("".join("  " + line + "\n" for line in text.splitlines()))
    if empty:
        out.write("questions: []\n")
    out.flush()
    out.detach()


def export_json(records: Iterable[QuestionRecord], header: BankHeader, stream: IO[bytes]) -> None:
    """Write a native JSON bank, one question at a time."""
    out = io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=True)
    out.write('{\n  "format": "' + FORMAT_ID + '",\n')
    out.write('  "bank": ' + json.dumps(_header_data(header), ensure_ascii=False) + ",\n")
    out.write('  "questions": [')
    first = True
    for record in records:
        out.write("\n    " if first else ",\n    ")
        out.write(json.dumps(_question_data(record), ensure_ascii=False))
        first = False
    out.write("\n  ]\n}\n")
    out.flush()
    out.detach()
