"""Exam specifications: the YAML an admin writes, checked field by field.

```yaml
key: fx-2026
title: 2026年度学法考试
year: 2026
kind: exam                 # exam | practice | makeup (with makeup_of: KEY) | external
opens: 2026-11-01          # a date (its start) or a time; Asia/Shanghai unless an offset is given
closes: 2026-11-30         # a date means the end of that day
time_limit: 90m
attempts: 3
grading: highest           # highest | last | first | average
pass_mark: 60              # percent of the paper's total
bands: {优秀: 90, 良好: 80, 合格: 60}
audience: [D01, D02]       # department codes (with their sub-departments); default everyone
scoring: all_or_nothing    # multiple choice: all_or_nothing | partial
shuffle_questions: true
shuffle_options: true
review: wrong              # score | wrong | full
review_after_close: false
practice_pool: open        # closed: the questions its rules draw from stay out of practice
allow_unreviewed: false    # true: draw also the questions awaiting review after a law changed
paper:
  rules:                   # drawn at random for each attempt
    - {topic: civil-code, type: single, count: 20, points: 2}
    - {topic: civil-code, type: multiple, count: 10, points: 2, difficulty: [2, 4], tags: [总则]}
  # or a fixed paper:  fixed: [cc-0017-01, cc-0188-01]  with  points: 2  (every question),
  # each question its own points:  fixed: [{id: cc-0017-01, points: 3}, cc-0188-01]
```
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from studyhub.errors import LocatedError, Location, MultipleErrors
from studyhub.exams.paper_rule import PaperRule
from studyhub.exams.spec_fixed import fixed_entries
from studyhub.exams.spec_yaml import Unreadable, bad_node, construct, node_values
from studyhub.i18n import Lazy, msg
from studyhub.labels import Choices, parse_value
from studyhub.models.enums import (
    CHOICE_SCORING,
    EXAM_KINDS,
    GRADING_METHODS,
    QUESTION_TYPES,
    REVIEW_MODES,
)
from studyhub.timeutil import parse_datetime, parse_duration
from studyhub.values import describe, reason_of, too_long

__all__ = ["DEFAULT_BANDS", "ExamSpec", "PaperRule", "load_spec", "parse_spec"]

#: the lengths of the exams table's key and title columns
MAX_KEY_LENGTH = 64
MAX_TITLE_LENGTH = 200

DEFAULT_BANDS: list[tuple[str, Decimal]] = [
    ("优秀", Decimal(90)),
    ("良好", Decimal(80)),
    ("合格", Decimal(60)),
]
FIELDS = {
    "key", "title", "year", "kind", "makeup_of", "opens", "closes", "time_limit", "attempts",
    "grading", "pass_mark", "bands", "audience", "scoring", "shuffle_questions",
    "shuffle_options", "review", "review_after_close", "paper", "description", "practice_pool",
    "allow_unreviewed",
}  # fmt: skip
PRACTICE_POOLS = ("open", "closed")
RULE_FIELDS = {"topic", "type", "count", "points", "difficulty", "tags", "bank"}

#: the ranges numbers in a spec must fall in (every number read from a user is checked)
POINTS_RANGE = (Decimal("0.5"), Decimal(100))  # per question, at most two decimals
COUNT_RANGE = (1, 1000)  # questions per rule, and on a paper
ATTEMPTS_RANGE = (1, 100)
TIME_LIMIT_RANGE = (dt.timedelta(minutes=1), dt.timedelta(hours=24))
POINTS_MESSAGE = msg("points is a number from 0.5 to 100 with at most two decimals")
TIME_LIMIT_MESSAGE = msg("time_limit is from 1 minute to 24 hours (e.g. 90m)")


@dataclass
class ExamSpec:
    key: str
    title: str
    year: int
    kind: str = "exam"
    makeup_of: str | None = None
    opens: dt.datetime | None = None
    closes: dt.datetime | None = None
    time_limit: dt.timedelta | None = None
    attempts: int = 3
    grading: str = "highest"
    pass_mark: Decimal = Decimal(60)
    bands: list[tuple[str, Decimal]] = field(default_factory=lambda: list(DEFAULT_BANDS))
    audience: list[str] = field(default_factory=list)
    scoring: str = "all_or_nothing"
    shuffle_questions: bool = True
    shuffle_options: bool = True
    review: str = "wrong"
    review_after_close: bool = False
    #: "closed": until the exam closes, practice leaves out the questions its paper draws from
    practice_pool: str = "open"
    #: draw questions a law's new version put in doubt before anyone reviewed them
    allow_unreviewed: bool = False
    rules: list[PaperRule] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    fixed_points: Decimal = Decimal(2)
    #: a fixed question's own points (by id), instead of fixed_points
    item_points: dict[str, Decimal] = field(default_factory=dict)
    description: str = ""
    #: the fields the spec gave (for updates)
    given: set[str] = field(default_factory=set)

    @property
    def has_paper(self) -> bool:
        return bool(self.fixed or self.rules)

    def paper_json(self) -> dict[str, Any]:
        if not self.has_paper:
            return {}
        extra = {"allow_unreviewed": True} if self.allow_unreviewed else {}
        if self.fixed:
            paper: dict[str, Any] = {"fixed": list(self.fixed), "points": str(self.fixed_points)}
            if self.item_points:
                paper["item_points"] = {k: str(v) for k, v in self.item_points.items()}
            return {**paper, **extra}
        return {"rules": [r.as_json() for r in self.rules], **extra}

    def total_points(self) -> Decimal:
        if self.fixed:
            return sum(
                (self.item_points.get(qid, self.fixed_points) for qid in self.fixed), Decimal(0)
            )
        return sum((r.points * r.count for r in self.rules), Decimal(0))


def load_spec(path: str | Path) -> ExamSpec:
    """Read and check an exam spec file; raises MultipleErrors naming line and field."""
    import yaml

    from studyhub.config import max_file_bytes

    path = Path(path)
    display = str(path)
    try:
        if path.stat().st_size > max_file_bytes():
            raise LocatedError(
                Location(display),
                msg("file is larger than {size} MB", size=max_file_bytes() // 2**20),
            )
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LocatedError(Location(display), msg("no such file")) from None
    except (OSError, UnicodeDecodeError) as err:
        raise LocatedError(
            Location(display), msg("cannot read: {detail}", detail=describe(err))
        ) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise LocatedError(Location(display), msg("invalid YAML: nested too deeply")) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        raise LocatedError(
            Location(display, mark.line + 1 if mark else None),
            msg("invalid YAML: {problem}", problem=err.problem),
        ) from None
    except yaml.reader.ReaderError as err:  # a character YAML does not allow (NUL, ...)
        line = text.count("\n", 0, err.position) + 1
        raise LocatedError(
            Location(display, line),
            msg("invalid YAML: character #x{code:04x} is not allowed", code=err.character),
        ) from None
    found = bad_node(node)
    if found is not None:
        raise LocatedError(Location(display, found[0]), found[1])
    return parse_spec(node, display)


def parse_spec(node: Any, display: str = "<spec>") -> ExamSpec:
    """The exam spec in a composed YAML mapping; a LocatedError (or MultipleErrors) saying
    where each problem is."""
    try:
        return _parse_spec(node, display)
    except Unreadable as err:
        raise LocatedError(
            Location(display, err.line), msg("invalid YAML: {problem}", problem=err.problem)
        ) from None


def _parse_spec(node: Any, display: str) -> ExamSpec:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        raise LocatedError(Location(display, 1), msg("an exam spec is a mapping of fields"))
    nodes, lines = node_values(node)
    errors: list[LocatedError] = []

    def error(name: str, message: str | Lazy, line: int | None = None) -> None:
        errors.append(
            LocatedError(Location(display, line or lines.get(name, 1), field=name), message)
        )

    values: dict[str, Any] = {}
    for name, value_node in nodes.items():
        if name not in FIELDS:
            error(name, msg("unknown field {name}", name=name))
            continue
        if name == "paper":
            continue
        try:
            values[name] = construct(value_node)
        except Unreadable as err:
            error(name, msg("invalid YAML: {problem}", problem=err.problem), err.line)
    spec = ExamSpec(key="", title="", year=0, given=set(nodes) & FIELDS)
    for required in ("key", "title", "year"):
        if required in nodes and required not in values:
            continue  # its value could not be read: already reported
        if values.get(required) in (None, ""):
            error(required, msg("missing {name}", name=required))
    spec.key = str(values.get("key") or "").strip()
    spec.title = str(values.get("title") or "").strip()
    for name, limit in (("key", MAX_KEY_LENGTH), ("title", MAX_TITLE_LENGTH)):
        message = too_long(name, getattr(spec, name), limit)
        if message:
            error(name, message)
    spec.description = str(values.get("description") or "")
    year = values.get("year")
    if year not in (None, ""):
        if isinstance(year, int) and not isinstance(year, bool) and 2000 <= year <= 2100:
            spec.year = year
        else:
            error("year", msg("year {value!r} is not a year between 2000 and 2100", value=year))
    _choice(values, "kind", EXAM_KINDS, spec, error)
    _choice(values, "grading", GRADING_METHODS, spec, error)
    _choice(values, "scoring", CHOICE_SCORING, spec, error, alias={"partial_credit": "partial"})
    _choice(values, "review", REVIEW_MODES, spec, error)
    _choice(values, "practice_pool", PRACTICE_POOLS, spec, error)
    if spec.kind == "makeup":
        if not values.get("makeup_of"):
            error(
                "makeup_of",
                msg("a makeup exam (补考) needs makeup_of: the key of its exam"),
                lines.get("kind"),
            )
        spec.makeup_of = str(values.get("makeup_of") or "") or None
    elif values.get("makeup_of"):
        error("makeup_of", msg("makeup_of is only for kind: makeup"))
    for name in ("opens", "closes"):
        if values.get(name) not in (None, ""):
            try:
                setattr(spec, name, parse_datetime(values[name], end_of_day=name == "closes"))
            except ValueError as err:
                error(name, reason_of(err))
    if spec.opens and spec.closes and spec.closes <= spec.opens:
        error("closes", msg("closes must be after opens"))
    if values.get("time_limit") not in (None, ""):
        try:
            limit = parse_duration(values["time_limit"])
        except OverflowError:
            error("time_limit", TIME_LIMIT_MESSAGE)
        except ValueError as err:
            error("time_limit", reason_of(err))
        else:
            if TIME_LIMIT_RANGE[0] <= limit <= TIME_LIMIT_RANGE[1]:
                spec.time_limit = limit
            else:
                error("time_limit", TIME_LIMIT_MESSAGE)
    if "attempts" in values:
        attempts = _whole(values["attempts"], *ATTEMPTS_RANGE)
        if attempts is None:
            shown = str(values["attempts"])[:20]
            error("attempts", msg("attempts is a whole number from 1 to 100 (got {value})",
                                  value=shown))  # fmt: skip
        else:
            spec.attempts = attempts
    if "pass_mark" in values:
        mark = _decimal(values["pass_mark"])
        if mark is None or not Decimal(0) <= mark <= Decimal(100):
            error("pass_mark", msg("pass_mark is a percentage from 0 to 100"))
        else:
            spec.pass_mark = mark
    if "bands" in values:
        _bands(values["bands"], spec, error)
    if "audience" in values:
        audience = values["audience"]
        if isinstance(audience, str):
            audience = [a for a in audience.replace("，", ",").split(",")]
        if not isinstance(audience, list):
            error("audience", msg("audience is a list of department codes"))
        else:
            spec.audience = [str(a).strip() for a in audience if str(a).strip()]
    for flag in ("shuffle_questions", "shuffle_options", "review_after_close", "allow_unreviewed"):
        if flag in values:
            if isinstance(values[flag], bool):
                setattr(spec, flag, values[flag])
            else:
                error(flag, msg("{name} is true or false", name=flag))
    if "paper" in nodes:
        _paper(nodes["paper"], lines["paper"], spec, error, display)
        for rule in spec.rules:
            rule.allow_unreviewed = spec.allow_unreviewed
    elif spec.kind not in ("external", "makeup"):  # a 补考 of an outside exam has none
        error("paper", msg("missing paper (rules: or fixed:)"), 1)
    if errors:
        raise MultipleErrors(errors, what=display)
    return spec


def _decimal(value: Any) -> Decimal | None:
    """A finite decimal with at most two decimals (None for anything else: NaN, .inf,
    1e400, 0.001, text)."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or (number != 0 and abs(number.adjusted()) > 6):
        return None
    if number != number.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        return None
    return number


def _points(value: Any) -> Decimal | None:
    number = _decimal(value)
    low, high = POINTS_RANGE
    return number if number is not None and low <= number <= high else None


def _whole(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return None


def _choice(values: dict[str, Any], name: str, allowed: tuple[str, ...], spec: ExamSpec,
            error: Any, alias: dict[str, str] | None = None) -> None:  # fmt: skip
    if name not in values:
        return
    text = str(values[name]).strip()
    value = (alias or {}).get(text.lower()) or parse_value(text, allowed)
    if value is None:
        if name == "practice_pool":  # not the exam statuses "open" and "closed"
            error(name, msg("practice_pool must be open or closed (got {value!r})",
                            value=values[name]))  # fmt: skip
        else:
            error(name, msg("{name} must be one of {choices} (got {value!r})", name=name,
                            choices=Choices(allowed), value=values[name]))  # fmt: skip
        return
    setattr(spec, name, value)


def _bands(value: Any, spec: ExamSpec, error: Any) -> None:
    if not isinstance(value, dict) or not value:
        error("bands", msg("bands map a name to its lowest percentage, e.g. {example}",
                           example="{优秀: 90, 合格: 60}"))  # fmt: skip
        return
    bands = []
    for name, minimum in value.items():
        number = _decimal(minimum)
        if number is None or not Decimal(0) <= number <= Decimal(100):
            error(
                "bands", msg("band {name}: {value!r} is not a percentage", name=name, value=minimum)
            )
            return
        bands.append((str(name), number))
    spec.bands = sorted(bands, key=lambda b: b[1], reverse=True)


def _paper(node: Any, line: int, spec: ExamSpec, error: Any, display: str) -> None:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        error("paper", msg("paper is a mapping with rules: or fixed:"), line)
        return
    nodes, lines = node_values(node)
    for name in nodes:
        if name not in ("rules", "fixed", "points"):
            error(f"paper.{name}", msg("unknown field {name}", name="paper." + name), lines[name])
    if ("rules" in nodes) == ("fixed" in nodes):
        error("paper", msg("paper needs either rules: or fixed:"), line)
        return
    if "fixed" in nodes:
        ids = construct(nodes["fixed"])
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str | int | dict)
                                                           for i in ids):  # fmt: skip
            error("paper.fixed", msg("fixed is a list of question ids"), lines["fixed"])
            return
        spec.fixed, spec.item_points = fixed_entries(
            nodes["fixed"], ids, lines["fixed"], error, _points, POINTS_MESSAGE
        )
        if len(set(spec.fixed)) != len(spec.fixed):
            error("paper.fixed", msg("a question id appears twice"), lines["fixed"])
        if "points" in nodes:
            points = _points(construct(nodes["points"]))
            if points is None:
                error("paper.points", POINTS_MESSAGE, lines["points"])
            else:
                spec.fixed_points = points
        if len(spec.fixed) > COUNT_RANGE[1]:
            error("paper.fixed", msg("a paper has at most {count} questions", count=COUNT_RANGE[1]),
                  lines["fixed"])  # fmt: skip
        return
    rules_node = nodes["rules"]
    if not isinstance(rules_node, yaml.SequenceNode) or not rules_node.value:
        error("paper.rules", msg("rules is a non-empty list"), lines["rules"])
        return
    for index, rule_node in enumerate(rules_node.value, start=1):
        rule_line = rule_node.start_mark.line + 1
        where = f"paper.rules[{index}]"
        if not isinstance(rule_node, yaml.MappingNode):
            error(where, msg("a rule is a mapping {fields}", fields="{topic, type, count, points}"),
                  rule_line)  # fmt: skip
            continue
        rule_values, _ = node_values(rule_node)
        data = {k: construct(v) for k, v in rule_values.items()}
        unknown = set(data) - RULE_FIELDS
        if unknown:
            error(where, msg("unknown field {name}", name=sorted(unknown)[0]), rule_line)
            continue
        missing = [k for k in ("topic", "type", "count", "points") if data.get(k) in (None, "")]
        if missing:
            error(where, msg("missing {name}", name=missing[0]), rule_line)
            continue
        qtype = parse_value(str(data["type"]), QUESTION_TYPES)
        count = _whole(data["count"], *COUNT_RANGE)
        points = _points(data["points"])
        if qtype is None:
            error(where, msg("type must be one of {choices}", choices=Choices(QUESTION_TYPES)),
                  rule_line)  # fmt: skip
            continue
        if count is None:
            shown = str(data["count"])[:20]
            error(where, msg("count is a whole number from 1 to 1000 (got {value})", value=shown),
                  rule_line)  # fmt: skip
            continue
        if points is None:
            error(where, POINTS_MESSAGE, rule_line)
            continue
        rule = PaperRule(str(data["topic"]), qtype, count, points, line=rule_line)
        if data.get("difficulty") not in (None, ""):
            difficulty = data["difficulty"]
            low_high = difficulty if isinstance(difficulty, list) else [difficulty, difficulty]
            if (len(low_high) != 2 or not all(isinstance(d, int) and 1 <= d <= 5 for d in low_high)
                    or low_high[0] > low_high[1]):  # fmt: skip
                error(where, msg("difficulty is 1-5 or a range [low, high]"), rule_line)
                continue
            rule.difficulty = (low_high[0], low_high[1])
        if data.get("tags"):
            tags = data["tags"]
            rule.tags = [str(t) for t in (tags if isinstance(tags, list) else [tags])]
        if data.get("bank"):
            rule.bank = str(data["bank"])
        spec.rules.append(rule)
