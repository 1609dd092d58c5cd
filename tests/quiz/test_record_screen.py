"""The quiz menu's "my record" and "my certificates", through the prompter seam."""

from __future__ import annotations

import pytest

from studyhub.db import Database
from studyhub.exams.definitions import ExamInfo
from studyhub.quiz.paging import PageKey
from studyhub.quiz.prompter import ScriptedPrompter
from studyhub.quiz.record_screen import record_lines
from studyhub.quiz.session import QuizSession
from studyhub.reports.certificates import issue_certificates
from tests.quiz.conftest import right

RECORD, CERTIFICATES = "我的学法档案（本年度）", "我的合格证书"


def take_and_pass(org: Database) -> None:
    prompter = ScriptedPrompter(["年度考试", True, *[right] * 10, "交卷", True, "退出"])
    QuizSession(org, prompter, staff_no="S1").run()


def test_my_record_from_the_menu(org: Database, exam: ExamInfo) -> None:
    take_and_pass(org)
    prompter = ScriptedPrompter([RECORD, "退出"])
    QuizSession(org, prompter, staff_no="S1").run()
    shown = prompter.output
    assert prompter.shown[1] == "张三（S1）2026年学法档案"  # after the greeting
    assert "张三（S1）2026年考试" in shown
    line = next(x for x in shown.splitlines() if x.startswith("e1 "))
    assert line.split()[:5] == ["e1", "年度考试", "及格", "100.00", "100"]
    assert "保存一份：studyhub record --year 2026 --format docx -o 学法档案.docx" in shown
    # the menu is offered again afterwards, with the same entries
    menus = [a for a in prompter.asked if a.kind == "menu"]
    assert len(menus) == 2 and RECORD in menus[1].options and CERTIFICATES in menus[1].options


def test_the_record_pages_with_keys_and_stays_at_either_end(
    org: Database, exam: ExamInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    take_and_pass(org)
    monkeypatch.setenv("LINES", "13")  # 10 lines a page
    lines = record_lines(org, "S1", 2026)
    count = -(-len(lines) // 10)
    assert count > 3
    keys = [PageKey.PREV, *[PageKey.NEXT] * (count + 1), PageKey.QUIT]
    prompter = ScriptedPrompter([RECORD, *keys, "退出"])
    QuizSession(org, prompter, staff_no="S1").run()
    pages = [a.message for a in prompter.asked if a.kind == "page"]
    starts = [lines[i] for i in range(0, len(lines), 10)]
    # ← on the first page stays there; → goes on, and on the last page stays there
    assert pages == [starts[0], *starts, starts[-1], starts[-1]]
    assert "已是第一页。" in prompter.shown and "已是最后一页。按 q 返回。" in prompter.shown
    assert prompter.asked[-1].kind == "menu"  # q went back to the menu


def test_my_certificates_from_the_menu(org: Database, exam: ExamInfo) -> None:
    prompter = ScriptedPrompter([CERTIFICATES, "退出"])
    QuizSession(org, prompter, staff_no="S1").run()
    assert "您还没有合格证书。" in prompter.shown
    assert [a.kind for a in prompter.asked] == ["menu", "pause", "menu"]

    take_and_pass(org)
    (view,) = issue_certificates(org, "e1", staff="S1")
    prompter = ScriptedPrompter([CERTIFICATES, "退出"])
    QuizSession(org, prompter, staff_no="S1").run()
    assert prompter.shown[prompter.shown.index("合格证书") :][:8] == [
        "合格证书",
        "张三（工号 S1，办公室）：",
        f"你于{view.passed_on.year}年{view.passed_on.month}月{view.passed_on.day}日参加年度考试，"
        "成绩100 分（100.00%），等次优秀，考试合格，特发此证。",
        "证书编号：e1-2026-0001",
        f"验证码：{view.code}（studyhub exam verify {view.code}）",
        f"发证日期：{view.issued_on.year}年{view.issued_on.month}月{view.issued_on.day}日",
        "有效：成绩与发证时一致。",
        "",
    ]


def test_in_english(org: Database, exam: ExamInfo, english: None) -> None:
    prompter = ScriptedPrompter(["My record of this year", "Quit"])
    QuizSession(org, prompter, staff_no="S1").run()
    assert "张三 (S1): record of 2026" in prompter.output


def test_without_an_open_exam_the_menu_is_offered_to_someone_with_a_record(org: Database) -> None:
    from studyhub.study.activities import add_activity

    nothing = ScriptedPrompter([])
    QuizSession(org, nothing, staff_no="S1").run()  # nothing to show: the quiz ends at once
    assert nothing.shown[-1] == "目前没有向您开放的考试。" and nothing.asked == []

    add_activity(org, kind="lecture", held_on="2026-03-01", title="宪法讲座", hours="2",
                 laws=["宪法"], attendees=["S1"])  # fmt: skip
    prompter = ScriptedPrompter([RECORD, "退出"])
    QuizSession(org, prompter, staff_no="S1").run()
    (menu, *_) = [a for a in prompter.asked if a.kind == "menu"]
    assert menu.options == [RECORD, CERTIFICATES, "退出"]
    assert menu.message == "请选择要查看的内容"  # no exam to choose: the question says so
    line = next(x for x in prompter.shown if x.startswith("2026-03-01"))
    assert line.split() == ["2026-03-01", "专题讲座", "宪法讲座", "2", "宪法"]
