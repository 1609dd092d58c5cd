"""Question banks in JSON as other systems write them (not studyhub's own format):

* ``json-records``: a JSON array of question objects, or an API response whose records are
  under a key (``data``, ``list``, ``items``, ``questions``, ``records``, ``rows``,
  ``result``), possibly nested once (``{"data": {"list": [...]}}``); or a JSON object
  mapping ``"stem|option 1|option 2|..."`` to the answer (text or letters).
* ``jsonl``: JSON Lines, one question object a line.

The fields of a question object are found by name, in Chinese or English (case and ``_``
ignored): the stem 题干/题目/content/question/stem/title, the options 选项/choices/options/
option_list (a list of texts, a list of objects whose text is under content/text/value and
maybe a label, or an object ``{"A": ..., "B": ...}``), the answer 答案/answer/
correct_answer (letters, the option's text, or a list of them), the explanation 解析/
analysis/explanation, the type 题型/type (codes 1/2/3/4, single/multiple/judge/fill,
单选/多选/判断/填空), and the id. Where the names differ, ``--map`` names them:
``stem=content,answer=answer,options=choices[].content,explanation=analysis,type=type``
(``a.b`` is a field inside a field, ``list[].x`` the field x of every item of a list).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from studyhub.banks.context import ParseContext, RawJson
from studyhub.banks.formats.loose import Loose, loose_record
from studyhub.banks.formats.textio import check_size, read_lines
from studyhub.banks.record import LETTERS, QuestionRecord
from studyhub.errors import Location
from studyhub.i18n import msg

__all__ = ["FIELD_NAMES", "foreign_key", "parse_json_records", "parse_jsonl", "parse_map"]

#: field -> the names it goes by (compared without case, ``_``, ``-`` and spaces)
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "stem": ("题干", "题目", "试题", "题目内容", "问题", "content", "question", "stem", "title",
             "questiontext", "questioncontent", "body"),
    "options": ("选项", "choices", "options", "optionlist", "option", "items", "answers"),
    "answer": ("答案", "正确答案", "参考答案", "answer", "correctanswer", "rightanswer", "key",
               "correct", "solution"),
    "explanation": ("解析", "答案解析", "analysis", "explanation", "explain", "parse", "remark"),
    "type": ("题型", "类型", "题目类型", "type", "questiontype", "qtype", "kind"),
    "id": ("id", "编号", "题号", "questionid", "qid", "uuid"),
}  # fmt: skip
_OPTION_TEXT = ("content", "text", "value", "option", "内容", "选项内容", "desc", "title")
_OPTION_LABEL = ("label", "key", "letter", "标号", "选项号", "name")
_RECORD_KEYS = ("data", "list", "items", "questions", "records", "rows", "result", "results")


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]", "", str(name)).casefold()


_LOOKUP = {_norm(alias): field for field, names in FIELD_NAMES.items() for alias in names}


#: the field names of studyhub's own JSON
_NATIVE_KEYS = frozenset(
    {"format", "bank", "questions", "key", "title", "topic", "version", "description", "id",
     "type", "stem", "options", "answer", "explanation", "source", "difficulty", "tags",
     "points", "weights", "feedback"}
)  # fmt: skip
_FOREIGN = (set(_LOOKUP) | set(_RECORD_KEYS)) - _NATIVE_KEYS


def foreign_key(key: str) -> bool:
    """Whether a JSON key is another system's name for a question field (or a
    ``stem|options`` key): what tells such a file from studyhub's own."""
    return "|" in key or _norm(key) in _FOREIGN


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "正确" if value else "错误"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


# --- the field map (--map) --------------------------------------------------------------------


def _path(value: Any, path: str) -> Any:
    """The value at ``path`` (``a.b``, ``list[].x``) inside ``value``; None if absent."""
    if not path:
        return value
    head, _, rest = path.partition(".")
    if head.endswith("[]"):
        items = value.get(head[:-2]) if isinstance(value, dict) else None
        if not isinstance(items, list):
            return None
        return [_path(item, rest) for item in items]
    if not isinstance(value, dict):
        return None
    return _path(value.get(head), rest)


# --- one record ---------------------------------------------------------------------------------


def _options(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[\n|｜]", value) if part.strip()]
    if isinstance(value, dict):
        keys = [str(k).strip().upper() for k in value]
        if keys == list(LETTERS[: len(keys)]):
            return [_text(v) for v in value.values()]
        return [_text(v) for v in value.values()]
    if isinstance(value, list):
        texts = []
        for item in value:
            if isinstance(item, dict):
                lowered = {_norm(k): v for k, v in item.items()}
                text = next((lowered[k] for k in _OPTION_TEXT if k in lowered), None)
                if text is None:
                    label = next((k for k in _OPTION_LABEL if k in lowered), None)
                    text = next((v for k, v in lowered.items() if k != label), "")
                texts.append(_text(text))
            else:
                texts.append(_text(item))
        return texts
    return [_text(value)]


def _flagged(value: Any) -> str:
    """The letters of option objects flagged correct (``"isCorrect": true``), or ""."""
    if not isinstance(value, list):
        return ""
    letters = ""
    for index, item in enumerate(value):
        if isinstance(item, dict) and index < len(LETTERS):
            flags = {_norm(k): v for k, v in item.items()}
            flag = next(
                (flags[k] for k in ("iscorrect", "correct", "isright", "right", "isanswer")
                 if k in flags),
                None,
            )  # fmt: skip
            if flag in (True, 1, "1", "true", "是", "正确"):
                letters += LETTERS[index]
    return letters


def _answer(value: Any) -> str:
    if isinstance(value, list):
        parts = [_text(v) for v in value]
        if all(len(p.strip()) == 1 for p in parts):
            return "".join(p.strip() for p in parts)
        return "；".join(parts)
    return _text(value)


def _loose(item: dict[str, Any], field_map: dict[str, str]) -> Loose:
    found: dict[str, Any] = {}
    for key, value in item.items():
        field = _LOOKUP.get(_norm(key))
        if field is not None and field not in found:
            found[field] = value
    for field, path in field_map.items():
        found[field] = _path(item, path)
    raw_options = found.get("options")
    answer = _answer(found.get("answer")) or _flagged(raw_options)
    ident = found.get("id")
    return Loose(
        stem=_text(found.get("stem")),
        options=_options(raw_options),
        answer=answer,
        explanation=_text(found.get("explanation")),
        type=_text(found.get("type")),
        external_id=_text(ident) if ident not in (None, "") else None,
    )


def _record(
    ctx: ParseContext, where: Location, item: Any, field_map: dict[str, str]
) -> QuestionRecord | None:
    if not isinstance(item, dict):
        ctx.error(where, msg("a question must be a JSON object"))
        return None
    return loose_record(ctx, where, _loose(item, field_map))


# --- whole files ----------------------------------------------------------------------------------


def _load(ctx: ParseContext) -> Any:
    check_size(ctx)
    text = "\n".join(line for _, line in read_lines(ctx))
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ctx.fail(ctx.at(err.lineno), msg("invalid JSON: {detail}", detail=err.msg)) from None
    except RecursionError:
        raise ctx.fail(ctx.at(), msg("invalid JSON: nested too deeply")) from None


def _records_list(value: Any) -> tuple[str, list[Any]] | None:
    """Where the records are: the array itself, or under a key, possibly nested once."""
    if isinstance(value, list):
        return "", value
    if not isinstance(value, dict):
        return None
    lowered = {_norm(k): (k, v) for k, v in value.items()}
    for name in _RECORD_KEYS:
        if name not in lowered:
            continue
        key, inner = lowered[name]
        if isinstance(inner, list):
            return str(key), inner
        if isinstance(inner, dict):
            nested = _records_list({k: v for k, v in inner.items() if _norm(k) in _RECORD_KEYS})
            if nested is not None and nested[0]:
                return f"{key}.{nested[0]}", nested[1]
    return None


def _is_stem_map(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(v, str | int | list) for v in value.values())
        and any("|" in str(k) for k in value)
    )


def parse_map(ctx: ParseContext, value: dict[str, Any]) -> Iterator[QuestionRecord]:
    """``{"stem|opt1|opt2": "answer"}``: each key a question, its value the answer."""
    for key, answer in value.items():
        stem, *options = str(key).split("|")
        where = ctx.at(field=key if len(key) <= 40 else key[:40] + "…")
        ctx.begin_record(RawJson({key: answer}))
        record = loose_record(ctx, where, Loose(stem, options, _answer(answer)))
        if record is not None:
            yield record


def parse_json_records(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions from a JSON array, an API response or a stem map (see the module)."""
    value = _load(ctx)
    field_map = dict(ctx.field_map or {})
    if _is_stem_map(value) and not field_map:
        yield from parse_map(ctx, value)
        return
    found = _records_list(value)
    if found is None:
        raise ctx.fail(
            ctx.at(),
            msg(
                "no question records found (tried: a JSON array, the keys {keys}, nested once,"
                " and a map of stem|options to answers); name the fields with --map",
                keys="/".join(_RECORD_KEYS),
            ),
        )
    where, items = found
    for index, item in enumerate(items):
        place = ctx.at(field=f"{where}[{index}]" if where else f"[{index}]")
        ctx.begin_record(RawJson(item))
        record = _record(ctx, place, item, field_map)
        if record is not None:
            yield record


def parse_jsonl(ctx: ParseContext) -> Iterator[QuestionRecord]:
    """Questions from JSON Lines: one JSON object a line (blank lines are skipped)."""
    field_map = dict(ctx.field_map or {})
    for number, line in read_lines(ctx):
        if not line.strip():
            continue
        ctx.begin_record(line, number)
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            ctx.error(ctx.at(number), msg("invalid JSON: {detail}", detail=err.msg))
            continue
        record = _record(ctx, ctx.at(number), item, field_map)
        if record is not None:
            yield record
