"""``studyhub quiz --plain`` through click's CliRunner: lines in, plain text out."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner, Result

from studyhub.cli import cli
from studyhub.db import Database
from studyhub.exams import attempts
from studyhub.exams.definitions import ExamInfo
from tests.quiz.test_session import open_attempt

RIGHT = ["B", "B", "B", "B", "AC", "A C", "对", "T", "甲", "甲"]


#: the first line of a new attempt answers its start page (开始第 N 次作答？) with yes


def quiz(db_url: str, lines: list[str], *args: str) -> Result:
    text = "\n".join(lines) + ("\n" if lines else "")
    return CliRunner().invoke(cli, ["--db", db_url, *args], input=text)


def test_a_full_exam(db_url: str, org: Database, exam: ExamInfo) -> None:
    result = quiz(db_url, ["y", *RIGHT, "1", "y"], "quiz", "e1", "--staff", "S1", "--plain")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out  # no cursor control
    assert "第 1/10 题 · 单选 · 10 分 · 剩余 " in out
    assert "  B. 乙" in out
    assert "第 5/10 题 · 多选 · 10 分" in out
    assert "  已答:     10/10" in out
    assert "  得分:   100/100" in out and "  结果:   及格" in out
    assert attempts.result(org, 1, "S1").score == Decimal(100)


def test_menu_and_sign_in_in_plain_mode(db_url: str, org: Database, exam: ExamInfo) -> None:
    lines = ["S1", "1", "y", *RIGHT, "1", "y", "5"]
    result = quiz(db_url, lines, "--lang", "en", "quiz", "--plain")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Staff number: " in out
    assert "  1. 年度考试（e1）  3 left  no score yet" in out
    assert "  1. 年度考试（e1）  2 left  best 100" in out
    assert "  2. Review a submitted attempt" in out
    assert "  3. My record of this year" in out and "  4. My certificates" in out
    assert "  5. Quit" in out


def test_a_bad_line_gets_a_message_and_the_question_again(
    db_url: str, org: Database, exam: ExamInfo
) -> None:
    lines = ["y", "Z", "BC", *RIGHT[:4], "X", *RIGHT[4:], "1", "y"]
    result = quiz(db_url, lines, "quiz", "e1", "--staff", "S1", "--plain")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.count("请输入一个选项字母（A-D），例如 B\n") == 2
    assert out.count("第 1/10 题 · ") == 3
    assert out.count("请输入一个或多个选项字母（A-D），例如 ACD\n") == 1
    assert "  得分:   100/100" in out


def test_navigation_lines(db_url: str, org: Database, exam: ExamInfo) -> None:
    lines = ["y", "B", "*", "", "<", "A", "B", "B", "AC", "AC", "错", "对", "甲", "", "1", "y"]
    result = quiz(db_url, lines, "quiz", "e1", "--staff", "S1", "--plain")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "已标记第 2 题。" in out
    assert "第 2/10 题 · 单选 · 10 分 · 剩余 " in out and "★已标记" in out
    assert "  未答:     1（第 10 题）" in out
    assert "  已标记:   1（第 2 题）" in out
    assert "还有 1 题未答" in out
    assert "  得分:   70/100" in out


def test_end_of_input_mid_way_is_one_error_line(db_url: str, org: Database, exam: ExamInfo) -> None:
    result = quiz(db_url, ["y", *RIGHT[:3]], "quiz", "e1", "--staff", "S1", "--plain")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "错误：输入在答题完成前已结束；已作答的答案均已保存，再次进入该考试即可继续作答"
    ]
    assert "Traceback" not in result.stdout + result.stderr
    view = open_attempt(org)
    assert [i.response for i in view.items[:4]] == [[1], [1], [1], None]
    # and the next run resumes at question 4
    result = quiz(db_url, RIGHT[3:5], "quiz", "e1", "--staff", "S1", "--plain")
    assert "继续第 1 次作答：已答 3/10 题，从第 4 题开始。" in result.stdout
    assert result.stdout.count("第 4/10 题") == 1 and result.exit_code == 1


def test_closed_stdin_and_no_terminal(db_url: str, org: Database, exam: ExamInfo) -> None:
    # not a terminal: plain mode without --plain, and an empty stdin is an error, not a hang
    result = quiz(db_url, [], "quiz", "e1", "--staff", "S1")
    assert result.exit_code == 1
    assert result.stderr.startswith("错误：输入在答题完成前已结束")
    assert result.stderr.count("\n") == 1


def test_unknown_exam_and_staff(db_url: str, org: Database, exam: ExamInfo) -> None:
    result = quiz(db_url, [], "quiz", "nosuch", "--staff", "S1", "--plain")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (1, "错误：没有考试 nosuch")
    result = quiz(db_url, [], "quiz", "e1", "--staff", "S9", "--plain")
    assert (result.exit_code, result.stderr) == (1, "错误：没有工号为 S9 的人员\n")


def secure(org: Database) -> None:
    """Turn setup mode off: an admin, and PINs for S1 and S2 (already changed)."""
    from studyhub.admin import auth
    from studyhub.models import Staff

    with org.session() as session:
        session.add(Staff(staff_no="A1", name="管理员", role="admin"))
    auth.set_pin(org, "A1", "246810", must_change=False)
    for number in ("S1", "S2"):
        auth.set_pin(org, number, "135792", must_change=False)


def test_pin_stdin_reads_the_pin_as_the_first_line(
    db_url: str, org: Database, exam: ExamInfo
) -> None:
    secure(org)
    pin = ("--staff", "S1", "--plain", "--pin-stdin")
    result = quiz(db_url, ["135792", "y", *RIGHT, "1", "y"], "quiz", "e1", *pin)
    assert result.exit_code == 0, result.stderr
    assert "  得分:   100/100" in result.stdout
    wrong = quiz(db_url, ["000000", *RIGHT], "quiz", "e1", *pin)
    assert wrong.exit_code == 1
    assert wrong.stderr.strip() == "错误：工号或 PIN 码错误"
    nobody = quiz(db_url, ["135792"], "quiz", "e1", "--plain", "--pin-stdin")
    assert nobody.exit_code == 1
    assert nobody.stderr.strip() == "错误：从标准输入登录时，须用 --staff 指定工号"


def test_no_line_of_input_is_taken_as_a_pin_without_pin_stdin(
    db_url: str, org: Database, exam: ExamInfo
) -> None:
    secure(org)
    refused = quiz(db_url, ["135792", *RIGHT], "quiz", "e1", "--staff", "S1", "--plain")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("错误：请先登录\n提示：")
    assert "--pin-stdin" in refused.stderr


def test_a_pin_is_never_stored_as_an_answer(db_url: str, org: Database, exam: ExamInfo) -> None:
    """Signed in already, a script that pipes the PIN first (with --pin-stdin) does not
    answer question 1 with it: the PIN line is always read as the PIN."""
    import sqlalchemy as sa

    from studyhub.models import AttemptItem

    secure(org)
    login = CliRunner().invoke(
        cli, ["--db", db_url, "login", "--staff", "S1", "--pin-stdin"], input="135792\n"
    )
    assert login.exit_code == 0, login.stderr
    lines = ["135792", "y", *RIGHT, "1", "y"]
    result = quiz(db_url, lines, "quiz", "e1", "--staff", "S1", "--plain", "--pin-stdin")
    assert result.exit_code == 0, result.stderr
    assert "  得分:   100/100" in result.stdout
    with org.session(readonly=True) as session:
        responses = [str(r) for r in session.scalars(sa.select(AttemptItem.response))]
    assert not any("135792" in response for response in responses)


def test_unknown_staff_numbers_are_not_kept_in_the_audit_trail(
    db_url: str, org: Database, exam: ExamInfo
) -> None:
    import sqlalchemy as sa

    from studyhub.models import AuditEvent

    secure(org)
    result = quiz(db_url, ["135792"], "quiz", "e1", "--staff", "987654", "--plain", "--pin-stdin")
    assert result.exit_code == 1
    with org.session(readonly=True) as session:
        rows = session.execute(
            sa.select(AuditEvent.actor, AuditEvent.object_key, AuditEvent.details)
        ).all()
    assert rows and not any("987654" in str(row) for row in rows)


def test_someone_else_signed_in_and_staff_in_a_script(
    db_url: str, org: Database, exam: ExamInfo, app_home: Path
) -> None:
    """S1 is signed in: a script's `--staff S2` without a PIN is refused with the way out
    (no PIN is read from the answers); with --pin-stdin it runs as S2, and S1's sign-in
    stays for the next command."""
    secure(org)
    login = CliRunner().invoke(
        cli, ["--db", db_url, "login", "--staff", "S1", "--pin-stdin"], input="135792\n"
    )
    assert login.exit_code == 0, login.stderr
    saved = (app_home / "session.json").read_text(encoding="utf-8")
    result = quiz(db_url, RIGHT, "quiz", "e1", "--staff", "S2", "--plain")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "错误：此处已登录的是 S1，不是 S2",
        "提示：请在终端中运行并输入 S2 的 PIN 码，"
        "或使用 --pin-stdin，并在标准输入第一行提供 PIN 码",
    ]
    as_s2 = ("--staff", "S2", "--plain", "--pin-stdin")
    result = quiz(db_url, ["135792", "y", *RIGHT, "1", "y"], "quiz", "e1", *as_s2)
    assert result.exit_code == 0, result.stderr
    assert attempts.result(org, 1, "S2").score == Decimal(100)
    assert (app_home / "session.json").read_text(encoding="utf-8") == saved
    result = quiz(db_url, ["y", *RIGHT, "1", "y"], "quiz", "e1", "--plain")
    assert result.exit_code == 0, result.stderr
    assert attempts.result(org, 2, "S1").score == Decimal(100)
