"""Vocabulary keys are shown as words (Chinese by default, English with --lang en), JSON keeps
the keys, and inputs take the keys or their Chinese names."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub import i18n
from studyhub.cli import cli
from studyhub.exams.spec import load_spec
from studyhub.labels import LABELS, label, parse_value
from studyhub.models import enums
from studyhub.render import render_rows


def test_every_vocabulary_has_words_in_both_languages() -> None:
    vocabularies = [
        enums.ROLES, enums.QUESTION_TYPES, enums.QUESTION_STATUSES, enums.EXAM_KINDS,
        enums.GRADING_METHODS, enums.CHOICE_SCORING, enums.REVIEW_MODES, enums.EXAM_STATUSES,
        enums.ATTEMPT_STATUSES,
    ]  # fmt: skip
    missing = [key for vocabulary in vocabularies for key in vocabulary if key not in LABELS]
    assert missing == []


def test_tables_show_words_and_json_keeps_keys() -> None:
    rows = [{"staff_no": "0001", "role": "employee", "status": "open"}]
    columns = [("staff_no", "工号"), ("role", "角色"), ("status", "状态")]
    i18n.set_language("zh")
    assert "职工" in render_rows(rows, columns) and "进行中" in render_rows(rows, columns, "csv")
    assert '"employee"' in render_rows(rows, columns, "json")
    free = [{"reason": "open", "staff_no": "0001"}]  # free text (an exemption's reason) stays
    assert "open" in render_rows(free, [("reason", "原因"), ("staff_no", "工号")])
    i18n.set_language("en")
    assert "employee" in render_rows(rows, columns) and label("partial") == "partial credit"


@pytest.mark.parametrize(
    ("text", "allowed", "expected"),
    [
        ("单选", ("single", "multiple"), "single"),
        ("多选题", ("single", "multiple"), "multiple"),
        ("ＳＩＮＧＬＥ", ("single", "multiple"), "single"),
        ("最高分", ("highest", "last"), "highest"),
        ("按比例得分", ("all_or_nothing", "partial"), "partial"),
        ("报告员", ("employee", "reporter"), "reporter"),
        ("中位数", ("highest", "last"), None),
    ],
)
def test_inputs_take_keys_and_chinese_names(
    text: str, allowed: tuple[str, ...], expected: str | None
) -> None:
    assert parse_value(text, allowed) == expected


def test_a_spec_in_chinese_words(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "key: e1\ntitle: t\nyear: 2026\nkind: 补考\nmakeup_of: e0\ngrading: 最后一次\n"
        "scoring: 按比例得分\nreview: 全部\npaper:\n  rules:\n"
        "    - {topic: law, type: 多选, count: 2, points: 2}\n",
        encoding="utf-8",
    )
    spec = load_spec(path)
    assert (spec.kind, spec.grading, spec.scoring, spec.review) == (
        "makeup",
        "last",
        "partial",
        "full",
    )
    assert spec.rules[0].type == "multiple"


def test_type_options_take_chinese_words(db_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["--db", db_url, "--lang", "en", "practice", "--type", "判断", "--help"]
    )
    assert result.exit_code == 0
    refused = CliRunner().invoke(cli, ["--db", db_url, "bank", "show", "x", "--type", "问答"])
    assert refused.exit_code == 2 and "（可选：单选、多选、判断、填空）" in refused.output
    english = CliRunner().invoke(
        cli, ["--lang", "en", "--db", db_url, "bank", "show", "x", "--type", "问答"]
    )
    assert english.exit_code == 2 and "single (single choice)" in english.output
