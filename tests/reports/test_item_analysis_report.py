"""`report items` on an exam sat through the attempt engine (issue #24): 12 people, 15
attempts with re-sits, a fixed paper with its own points per question, partial-credit 多选,
a 填空 with two blanks, a question everybody gets right and one everybody gets wrong, and an
imported result. Every figure is checked against tests/reports/moodle_stats.py for each
choice of attempts; the option shares and wrong answers against counts made here."""

from __future__ import annotations

import json
import math
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from click.testing import CliRunner

from studyhub.banks.importer import import_files
from studyhub.db import Database
from studyhub.exams import attempts
from studyhub.exams.definitions import create_exam
from studyhub.exams.results import import_results
from studyhub.exams.spec import load_spec
from studyhub.i18n import set_language
from studyhub.models import Attempt, AttemptItem, Department, Staff
from studyhub.reports.items import item_analysis, item_report
from tests.reports.moodle_stats import MoodleAttempt, moodle_report

OPTIONS = ["甲", "乙", "丙", "丁"]
#: question id, type, points on the paper
PAPER = [("q-s1", "single", 2), ("q-all", "single", 1), ("q-none", "single", 1),
         ("q-m1", "multiple", 3), ("q-j1", "judge", 1), ("q-f1", "fill", 4)]  # fmt: skip
PEOPLE = [f"P{n:02d}" for n in range(1, 13)]
RESITS = ["P02", "P05", "P09"]
FILLS = [["甲", "乙"], ["丙", "乙"], ["丙", "丁"], ["甲", "乙"], ["丁 ", "乙"], ["丙", "戊"],
         ["甲", "丁"], ["ｂ", "乙"], ["甲", "乙"], ["丙", "乙"], ["B", "丁"], ["甲", "乙"],
         ["丙", "乙"], ["甲", None], ["甲", "乙"]]  # fmt: skip
SPEC = """\
key: e24
title: 年度学法考试
year: 2026
grading: highest
attempts: 3
scoring: partial
shuffle_questions: false
paper:
  fixed:
""" + "".join(f"    - {{id: {qid}, points: {points}}}\n" for qid, _, points in PAPER)


def bank() -> str:
    questions: list[dict[str, Any]] = []
    for qid, qtype, _ in PAPER:
        q: dict[str, Any] = {"id": qid, "type": qtype, "stem": f"题目{qid}？"}
        if qtype == "single":
            q.update(options=OPTIONS, answer="B")
        elif qtype == "multiple":
            q.update(options=OPTIONS, answer="AC")
        elif qtype == "judge":
            q.update(answer=True)
        else:
            q.update(stem="甲____乙____。", answer=[["甲", "A"], ["乙"]])
        questions.append(q)
    return yaml.safe_dump({"bank": {"key": "law", "topic": "law"}, "questions": questions},
                          allow_unicode=True)  # fmt: skip


def plan() -> list[tuple[str, dict[str, Any]]]:
    """(person, canonical answers by question) of each sitting, in the order sat."""
    rng = random.Random(24)
    sittings = [(p, 0) for p in PEOPLE] + [(p, 1) for p in RESITS]
    out = []
    for index, (person, _) in enumerate(sittings):
        answers: dict[str, Any] = {
            "q-s1": rng.choice(["甲", "乙", "乙", "丙"]),
            "q-all": "乙",
            "q-none": rng.choice(["甲", "丙"]),  # nobody chooses 丁, nobody the key
            "q-m1": rng.choice([["甲", "丙"], ["甲"], ["丙"], ["甲", "丁"], ["甲", "丙"]]),
            "q-j1": rng.random() < 0.7,
            "q-f1": FILLS[index],
        }
        if index == 3:
            answers["q-s1"] = None  # left unanswered
        out.append((person, answers))
    return out


@pytest.fixture
def sat(database: Database, tmp_path: Path) -> Database:
    """The exam e24 sat by 12 people (15 attempts), P01 with an imported result before."""
    with database.session() as session:
        dept = Department(code="D1", name="法规科")
        session.add(dept)
        session.flush()
        session.add_all([Staff(staff_no=p, name=f"人员{p}", department_id=dept.id)
                         for p in PEOPLE])  # fmt: skip
    (tmp_path / "law.yaml").write_text(bank(), "utf-8")
    import_files(database, [tmp_path / "law.yaml"])
    (tmp_path / "e24.yaml").write_text(SPEC, "utf-8")
    create_exam(database, load_spec(tmp_path / "e24.yaml"))
    (tmp_path / "r.csv").write_text(
        "工号,成绩,提交时间,次数\nP01,100,2026-10-20 10:00,1\n", "utf-8"
    )
    import_results(database, "e24", tmp_path / "r.csv")
    for person, answers in plan():
        view = attempts.start_attempt(database, "e24", person)
        for item, (qid, _, _) in zip(view.items, PAPER, strict=True):
            given = answers[qid]
            if given is None:
                continue
            if item.type == "single":
                response: Any = [item.options.index(given)]
            elif item.type == "multiple":
                response = sorted(item.options.index(text) for text in given)
            elif item.type == "fill":
                response = [text or "" for text in given]
            else:
                response = given
            attempts.answer(database, view.attempt_id, item.position, response, person)
        attempts.submit(database, view.attempt_id, person)
    return database


def graded(database: Database) -> list[MoodleAttempt]:
    """The attempts as Moodle's calculator takes them: marks per slot as graded."""
    with database.session(readonly=True) as session:
        rows = session.execute(
            sa.select(Attempt.id, Staff.staff_no, Attempt.number, AttemptItem.position,
                      AttemptItem.awarded)
            .join(Staff, Staff.id == Attempt.staff_id)
            .outerjoin(AttemptItem, AttemptItem.attempt_id == Attempt.id)
            .order_by(Attempt.id, AttemptItem.position)
        ).all()  # fmt: skip
    found: dict[int, MoodleAttempt] = {}
    for attempt_id, staff_no, number, position, awarded in rows:
        a = found.setdefault(attempt_id, MoodleAttempt(int(staff_no[1:]), number, None))
        if position is not None:
            a.marks = {**(a.marks or {}), position: float(awarded)}
    return list(found.values())


@pytest.mark.parametrize("method", ["first", "highest", "last", "all"])
def test_the_figures_are_moodles_for_each_choice_of_attempts(sat: Database, method: str) -> None:
    _, paper, items = item_analysis(sat, "e24", attempts=method)
    test, slots = moodle_report(graded(sat), {n: float(p) for n, (_, _, p) in
                                              enumerate(PAPER, 1)}, method)  # fmt: skip
    assert paper.attempts == test["s"] == (15 if method == "all" else 12)
    assert paper.left_out == 1 and paper.fixed_paper and paper.max_score == Decimal(12)
    for name in ("mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio",
                 "standard_error"):  # fmt: skip
        places = 0.00005 if name in ("skewness", "kurtosis") else 0.005
        assert abs(float(getattr(paper, name)) - test[name]) <= places + 1e-9, name
    for item in items:
        theirs = slots[item.position]
        for name in ("facility", "sd", "intended_weight", "effective_weight", "discrimination",
                     "efficiency"):  # fmt: skip
            ours, expected = getattr(item, name), theirs[name]
            if expected is None:
                assert ours is None, (item.question, name)
            else:
                assert abs(float(ours) - expected) <= 0.005 + 1e-9, (item.question, name)
    by_id = {i.question: i for i in items}
    # everybody right and everybody wrong: no variance, no index
    assert by_id["q-all"].facility == 100 and by_id["q-all"].discrimination is None
    assert by_id["q-none"].facility == 0 and by_id["q-none"].efficiency is None


def test_the_default_is_the_grading_method_and_imported_results_are_left_out(
    sat: Database,
) -> None:
    """Graded on the highest attempt, the analysis takes the highest; P01's imported result
    (attempt 1, full marks, no items) neither counts nor pushes out the attempt they sat."""
    _, default, _ = item_analysis(sat, "e24")
    _, highest, items_highest = item_analysis(sat, "e24", attempts="highest")
    _, first, items_first = item_analysis(sat, "e24", attempts="first")
    assert default.method == "highest" and default.default_method
    assert (default.mean, default.cic) == (highest.mean, highest.cic)
    assert not highest.default_method and first.method == "first"
    assert first.attempts == 12 and first.left_out == 1  # P01's local attempt 2 counts
    assert [i.attempts for i in items_first] == [12] * len(PAPER)
    assert first.mean != highest.mean  # the re-sits differ, and so do the indexes
    assert [i.discrimination for i in items_first] != [i.discrimination for i in items_highest]
    set_language("zh")
    paper_table = item_report(sat, "e24")[0]
    values = {row["figure"]: row["value"] for row in paper_table.rows}
    assert (
        paper_table.title
        == "试卷统计：e24 年度学法考试（每人得分最高的一次作答，按考试的计分方式）"
    )
    assert values["left_out"] == 1
    assert paper_table.notes[0] == "另有 1 份导入的成绩只有总分、没有逐题数据，未计入本分析。"


def _top_third(database: Database) -> set[int]:
    """The attempt ids of the first NTILE(3) group by share of points, computed here."""
    with database.session(readonly=True) as session:
        rows = session.execute(
            sa.select(Attempt.id, sa.func.sum(AttemptItem.awarded), sa.func.sum(AttemptItem.points))
            .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
            .group_by(Attempt.id)
        ).all()  # fmt: skip
    ranked = sorted(rows, key=lambda r: (-Decimal(r[1]) / Decimal(r[2]), r[0]))
    return {r[0] for r in ranked[: math.ceil(len(ranked) / 3)]}


def test_option_shares_wrong_answers_and_reasons(sat: Database) -> None:
    """Over all 15 attempts: each option's share and top-third count, counted here from the
    plan; 填空's most common wrong answers per blank (full width and spaces folded)."""
    _, _, items = item_analysis(sat, "e24", attempts="all")
    by_id = {i.question: i for i in items}
    planned = plan()
    with sat.session(readonly=True) as session:
        ids = session.scalars(sa.select(Attempt.id).where(Attempt.origin == "local")
                              .order_by(Attempt.id)).all()  # fmt: skip
    top = [attempt_id in _top_third(sat) for attempt_id in ids]
    for qid in ("q-s1", "q-none", "q-m1"):
        rows = {r.option: r for r in by_id[qid].responses}
        for index, text in enumerate(OPTIONS):
            letter = "ABCD"[index]
            chose = [text == a[qid] or (isinstance(a[qid], list) and text in a[qid])
                     for _, a in planned]  # fmt: skip
            assert rows[letter].count == sum(chose), (qid, letter)
            assert rows[letter].top == sum(c and t for c, t in zip(chose, top, strict=True))
            assert rows[letter].share == (Decimal(sum(chose)) / 15).quantize(
                Decimal("0.0001"), rounding="ROUND_DOWN"
            )
            assert rows[letter].key == (letter in ("B",) if qid != "q-m1" else letter in "AC")
    assert by_id["q-s1"].responses[-1].option == "none"
    assert by_id["q-s1"].responses[-1].count == 1
    judge = {r.option: r.count for r in by_id["q-j1"].responses}
    assert judge["true"] == sum(1 for _, a in planned if a["q-j1"])
    # q-none: nobody chose 丁 (or the key 乙); the top third chose a wrong option over the key
    reasons = dict(by_id["q-none"].reasons)
    assert by_id["q-none"].flags == ["hard", "distractor", "unused"]
    unused = [values["option"] for r, values in by_id["q-none"].reasons if r == "unused"]
    assert unused == ["B", "D"]
    assert reasons["distractor"]["key"] == "B"
    # FILLS: blank 1 wrong 丙 ×5, ｂ/B ×2 (one answer, its commonest form shown: the first
    # seen of equals), 丁 ×1; blank 2 wrong 丁 ×3, 戊 ×1; one blank left empty is no answer
    fill = [(r.blank, r.text, r.count, r.top is not None) for r in by_id["q-f1"].responses]
    assert fill == [(1, "丙", 5, True), (1, "ｂ", 2, True), (1, "丁", 1, True),
                    (2, "丁", 3, True), (2, "戊", 1, True)]  # fmt: skip


def test_the_tables_and_json(sat: Database, db_url: str, tmp_path: Path) -> None:
    """Four tables; empty figures are null in JSON (never "-"), numbers are numbers; the
    terminal shows "-" and the reasons in words."""
    from studyhub.cli import cli

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--db", db_url, *args])
        return result.exit_code, result.stdout, result.stderr

    with sat.session() as session:  # two attempts left: no CIC, skewness or kurtosis
        keep = session.scalars(sa.select(Attempt.id).where(Attempt.origin == "local")
                               .order_by(Attempt.id).limit(2)).all()  # fmt: skip
        session.execute(sa.delete(AttemptItem).where(AttemptItem.attempt_id.not_in(keep)))
    code, out, err = run("report", "items", "e24", "--attempts", "all", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    paper, questions, responses, review = data["tables"]
    values = {row["figure"]: row["value"] for row in paper["rows"]}
    assert values["attempts"] == 2 and values["left_out"] == 14
    for name in ("skewness", "kurtosis", "cic", "error_ratio", "standard_error"):
        assert values[name] is None
    assert isinstance(values["mean"], float) and isinstance(values["sd"], float)
    for row in questions["rows"]:
        assert all(value != "-" for value in row.values())
        assert isinstance(row["attempts"], int) and isinstance(row["points"], float)
    q_all = next(r for r in questions["rows"] if r["question"] == "q-all")
    assert q_all["discrimination"] is None and q_all["facility"] == 100.0
    assert all(isinstance(r["share"], float) and isinstance(r["count"], int)
               for r in responses["rows"])  # fmt: skip
    assert {c["key"]: c["kind"] for c in responses["columns"]}["share"] == "rate"
    assert any(r["question"] == "q-none" for r in review["rows"])

    code, out, err = run("report", "items", "e24", "--attempts", "all")
    assert code == 0, err
    assert "内部一致性系数（Cronbach α，%）" in out and "答卷数 > 2" in out
    assert "选项分布：e24 年度学法考试" in out and "需复核的试题：e24 年度学法考试" in out
    assert "选项 D 无人选择" in out
    code, out, err = run("--lang", "en", "report", "items", "e24", "--attempts", "last")
    assert code == 0, err
    assert "each person's last attempt" in out and "Coefficient of internal consistency" in out
    code, out, err = run("report", "items", "e24", "--attempts", "first", "--all-attempts")
    assert code == 1 and err.startswith("错误：--all-attempts 与 --attempts first 互相矛盾\n")
    assert "Traceback" not in err
