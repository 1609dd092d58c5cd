"""An organisation, a bank and helpers to define exams, for the exam tests."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.exams.definitions import ExamInfo, create_exam
from studyhub.exams.spec import load_spec
from studyhub.models import Department, Staff


def make_bank(counts: dict[str, int], topic: str = "law") -> str:
    """A native bank with ``counts`` questions of each type; answers are predictable:
    single -> option B (index 1), multiple -> A and C, judge -> true, fill -> 甲."""
    questions: list[dict[str, Any]] = []
    for qtype, count in counts.items():
        for n in range(1, count + 1):
            q: dict[str, Any] = {"id": f"{topic}-{qtype}-{n:02d}", "type": qtype,
                                 "difficulty": 1 + n % 5, "tags": ["t1"] if n % 2 else ["t2"],
                                 "explanation": f"解析{n}", "source": "示例法 第1条"}  # fmt: skip
            if qtype == "single":
                q.update(stem=f"单选题{n}？", options=["甲", "乙", "丙", "丁"], answer="B")
            elif qtype == "multiple":
                q.update(stem=f"多选题{n}？", options=["甲", "乙", "丙", "丁"], answer="AC")
            elif qtype == "judge":
                q.update(stem=f"判断题{n}。", answer=True)
            else:
                q.update(stem=f"填空题{n}：____。", answer=[["甲", "A"]])
            questions.append(q)
    return yaml.safe_dump(
        {"bank": {"key": topic, "topic": topic}, "questions": questions}, allow_unicode=True
    )


@pytest.fixture
def org(database: Database, tmp_path: Path) -> Database:
    """Departments D1 (with sub-department D11) and D2, staff S1 (D1), S2 (D11), S3 (D2),
    and a bank of 10 single, 6 multiple, 6 judge, 3 fill questions in topic "law"."""
    with database.session() as session:
        d1 = Department(code="D1", name="办公室")
        d2 = Department(code="D2", name="科技科")
        session.add_all([d1, d2])
        session.flush()
        d11 = Department(code="D11", name="档案室", parent_id=d1.id)
        session.add(d11)
        session.flush()
        session.add_all([
            Staff(staff_no="S1", name="张三", department_id=d1.id),
            Staff(staff_no="S2", name="李四", department_id=d11.id),
            Staff(staff_no="S3", name="王五", department_id=d2.id),
        ])  # fmt: skip
    path = tmp_path / "law.yaml"
    bank = make_bank({"single": 10, "multiple": 6, "judge": 6, "fill": 3})
    path.write_text(bank, encoding="utf-8")
    import_files(database, [path])
    return database


BASE_SPEC = """\
key: e1
title: 年度考试
year: 2026
time_limit: 60m
paper:
  rules:
    - {topic: law, type: single, count: 4, points: 10}
    - {topic: law, type: multiple, count: 2, points: 10}
    - {topic: law, type: judge, count: 2, points: 10}
    - {topic: law, type: fill, count: 2, points: 10}
"""


Define = Callable[..., ExamInfo]


@pytest.fixture
def define(org: Database, tmp_path: Path) -> Define:
    """``define(extra_yaml="", **replace)`` creates an exam from BASE_SPEC plus extra lines."""

    def _define(extra: str = "", base: str = BASE_SPEC) -> ExamInfo:
        path = tmp_path / f"spec-{len(list(tmp_path.glob('spec-*')))}.yaml"
        path.write_text(base + textwrap.dedent(extra), encoding="utf-8")
        return create_exam(org, load_spec(path))

    return _define


def shift_clock(database: Database, attempt_id: int, seconds: int) -> None:
    """Move an attempt's start and deadline into the past (the database clock decides)."""
    from studyhub.models import Attempt

    with database.session() as session:
        attempt = session.get(Attempt, attempt_id)
        assert attempt is not None
        attempt.started_at -= dt.timedelta(seconds=seconds)
        if attempt.deadline:
            attempt.deadline -= dt.timedelta(seconds=seconds)
