"""Per-person overrides (issue #18, item 11): another window, more attempts or a longer time
limit for one person or a department; the engine, the menu, the start page's limits, the
figures (SQL on both databases), the review and practice keys, `exam close`, history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.db import Database, db_now
from studyhub.errors import InputError, NotFoundError
from studyhub.exams import attempts
from studyhub.exams.attempts import AttemptRefused
from studyhub.exams.definitions import close_exam
from studyhub.exams.limits import effective_limits
from studyhub.exams.menu import open_exams_for
from studyhub.exams.overrides import list_overrides, remove_override, set_override
from studyhub.models import Attempt, AuditEvent, Exam
from studyhub.reports.people import people
from studyhub.reports.rates import rates
from studyhub.timeutil import to_local
from tests.exams.conftest import BASE_SPEC as BASE
from tests.exams.conftest import Define, shift_clock
from tests.exams.test_engine import answer_all

WINDOW = "opens: 2020-01-01\ncloses: 2099-12-31\n"


def now(database: Database) -> dt.datetime:
    with database.session() as session:
        return db_now(session)


def local(moment: dt.datetime) -> str:
    """A time as an admin types it (Asia/Shanghai)."""
    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def the_close_passes(database: Database, key: str = "e1") -> dt.datetime:
    """Time passes: everything so far moves 3 days back and the exam's common close is now a
    day ago (the database clock decides, so the rows move, not the clock). Returns it."""
    with database.session() as session:
        closes = db_now(session) - dt.timedelta(days=1)
        exam = session.scalar(sa.select(Exam).where(Exam.key == key))
        exam.closes_at = closes
        for attempt in session.scalars(sa.select(Attempt).where(Attempt.exam_id == exam.id)):
            attempt.started_at -= dt.timedelta(days=3)
            if attempt.deadline:
                attempt.deadline -= dt.timedelta(days=3)
            if attempt.submitted_at:
                attempt.submitted_at -= dt.timedelta(days=3)
    return closes


def sit(database: Database, staff: str, wrong: int = 0, key: str = "e1") -> attempts.AttemptResult:
    view = attempts.start_attempt(database, key, staff)
    answer_all(database, view, staff, wrong=wrong)
    return attempts.submit(database, view.attempt_id, staff)


def test_a_person_on_a_business_trip_sits_after_the_common_close(
    org: Database, define: Define
) -> None:
    """S1 is away until after the close; the admin gives S1 a week more. S1 sees the exam
    in the menu with their own close, sits it, and counts in the figures as a participant
    who passed; S3, without an override, is refused and counts as absent."""
    define(WINDOW + "review: full\nreview_after_close: true\n")
    s2 = sit(org, "S2", wrong=5).attempt_id  # S2 sat in time and failed (50)
    common = the_close_passes(org)
    with pytest.raises(AttemptRefused, match="exam e1 closed at"):
        attempts.start_attempt(org, "e1", "S1")
    assert open_exams_for(org, "S1") == []
    own_close = now(org) + dt.timedelta(days=7)
    row = set_override(org, "e1", "S1", closes=local(own_close), reason="出差", actor="A1")
    assert (row.staff_no, row.name, row.department, row.reason, row.set_by) == (
        "S1", "张三", "D1", "出差", "A1"
    )  # fmt: skip
    (menu,) = open_exams_for(org, "S1")
    assert menu.key == "e1" and menu.closes is not None and menu.closes > common
    assert menu.own == frozenset({"closes"}) and menu.attempts_left == 3
    limits = effective_limits(org, "e1", "S1")
    assert limits.personal and limits.closes == menu.closes and limits.is_open(now(org))
    assert (limits.attempts_allowed, limits.used, limits.time_limit_minutes) == (3, 0, 60)
    assert not effective_limits(org, "e1", "S3").personal
    result = sit(org, "S1", wrong=1)  # after the common close, within S1's own window
    assert result.score == Decimal(90)
    assert result.review == "score"  # keys stay hidden while S1's window is open...
    assert attempts.result(org, s2, "S2").review == "score"  # ...from everyone
    with pytest.raises(AttemptRefused, match="exam e1 closed at"):
        attempts.start_attempt(org, "e1", "S3")
    (figures,) = rates(org, exam="e1")
    assert (figures.required, figures.participants, figures.passed) == (3, 2, 1)
    assert [p.staff_no for p in people(org, "e1", "absentees")] == ["S3"]
    assert [(p.staff_no, p.score) for p in people(org, "e1", "failed")] == [("S2", Decimal(50))]
    # the override was used: it can no longer be withdrawn or narrowed (S1's result stays)
    with pytest.raises(InputError, match="1 attempt was made under this override"):
        remove_override(org, "e1", "S1")
    with pytest.raises(InputError, match="may only be widened"):
        set_override(org, "e1", "S1", closes=local(own_close - dt.timedelta(days=3)),
                     reason="改期")  # fmt: skip
    set_override(org, "e1", "S1", attempts=4, reason="出差，加一次")  # widening is fine
    assert effective_limits(org, "e1", "S1").own == frozenset({"closes", "attempts"})
    # once S1's own window has closed too, the review opens and the exam may be closed
    with pytest.raises(InputError, match="keeps a window open until"):
        close_exam(org, "e1")
    with org.session() as session:  # time passes: S1 sat 3 hours ago, their close was 1 ago
        session.execute(
            sa.text("UPDATE exam_overrides SET closes_at = :t"),
            {"t": (now(org) - dt.timedelta(hours=1)).replace(tzinfo=None)},
        )
        for attempt in session.scalars(sa.select(Attempt)):
            attempt.started_at -= dt.timedelta(hours=3)
            attempt.deadline -= dt.timedelta(hours=3)
            attempt.submitted_at -= dt.timedelta(hours=3)
    assert attempts.result(org, s2, "S2").review == "full"
    assert close_exam(org, "e1").submitted == 0
    (figures,) = rates(org, exam="e1")
    assert (figures.participants, figures.passed) == (2, 1)


def test_an_attempt_after_the_persons_own_close_does_not_count(
    org: Database, define: Define, tmp_path: Path
) -> None:
    """Results imported from another platform: each person's own close decides (a person's
    override, else their department's, sub-departments included)."""
    from studyhub.exams.results import import_results

    define("key: ext\ntitle: 法宣在线\nyear: 2026\nkind: external\nopens: 2026-11-01\n"
           "closes: 2026-11-30\n", base="")  # fmt: skip
    set_override(org, "ext", "S1", closes="2026-12-05", reason="出差")
    set_override(org, "ext", department="D1", closes="2026-12-03", reason="集中培训")
    results = tmp_path / "r.csv"
    results.write_text(
        "工号,成绩,提交时间\n"
        "S1,90,2026-12-04 10:00\n"  # own override: until the 5th
        "S2,80,2026-12-02 10:00\n"  # D11, under D1: until the 3rd
        "S3,70,2026-12-02 10:00\n",  # D2: the common close, the 30th
        encoding="utf-8",
    )
    import_results(org, "ext", results)
    scores = {p.staff_no: (p.attempts, p.score) for p in people(org, "ext", "scores")}
    assert scores == {"S1": (1, Decimal(90)), "S2": (1, Decimal(80)), "S3": (0, None)}
    (figures,) = rates(org, exam="ext")
    assert (figures.required, figures.participants, figures.passed) == (3, 2, 2)
    # a person's own override wins over their department's, also when it is earlier
    set_override(org, "ext", "S2", closes="2026-12-01", reason="提前调回")
    scores = {p.staff_no: p.attempts for p in people(org, "ext", "scores")}
    assert scores == {"S1": 1, "S2": 0, "S3": 0}


def test_more_attempts_and_a_longer_time_limit(org: Database, define: Define) -> None:
    define("attempts: 1\n")
    sit(org, "S1")
    with pytest.raises(AttemptRefused, match=r"no attempts left for exam e1 \(1 of 1 used\)"):
        attempts.start_attempt(org, "e1", "S1")
    assert open_exams_for(org, "S1")[0].attempts_left == 0
    set_override(org, "e1", "S1", attempts="2", time_limit="120m", reason="系统故障补给一次")
    (menu,) = open_exams_for(org, "S1")
    assert (menu.attempts_allowed, menu.attempts_left, menu.time_limit_minutes) == (2, 1, 120)
    view = attempts.start_attempt(org, "e1", "S1")
    assert view.number == 2 and view.deadline - view.started_at == dt.timedelta(minutes=120)
    other = attempts.start_attempt(org, "e1", "S2")
    assert other.deadline - other.started_at == dt.timedelta(minutes=60)


def test_a_department_override_covers_its_sub_departments(org: Database, define: Define) -> None:
    define("time_limit: 60m\n")
    set_override(org, "e1", department="D1", time_limit="90m", reason="老同志多")
    set_override(org, "e1", "S1", time_limit="45m", reason="本人申请")  # their own wins
    minutes = {n: effective_limits(org, "e1", n).time_limit_minutes for n in ("S1", "S2", "S3")}
    assert minutes == {"S1": 45, "S2": 90, "S3": 60}
    assert effective_limits(org, "e1", "S2").own == frozenset({"time_limit"})
    listed = [(r.staff_no, r.department, r.time_limit_minutes) for r in list_overrides(org, "e1")]
    assert listed == [(None, "D1", 90), ("S1", "D1", 45)]


def test_a_longer_limit_extends_an_attempt_in_progress(org: Database, define: Define) -> None:
    define()
    view = attempts.start_attempt(org, "e1", "S1")
    shift_clock(org, view.attempt_id, 50 * 60)  # 10 minutes left
    set_override(org, "e1", "S1", time_limit="90m", reason="视力障碍")
    resumed = attempts.get_attempt(org, view.attempt_id, "S1")
    assert resumed.deadline - resumed.started_at == dt.timedelta(minutes=90)
    with pytest.raises(InputError, match="1 attempt was made under this override"):
        set_override(org, "e1", "S1", time_limit="30m", reason="改回")


def test_an_override_never_shortens_an_attempt_in_progress(org: Database, define: Define) -> None:
    define()
    view = attempts.start_attempt(org, "e1", "S2")
    set_override(org, "e1", "S2", closes=local(now(org) + dt.timedelta(minutes=30)),
                 reason="提前返岗")  # fmt: skip
    assert attempts.get_attempt(org, view.attempt_id, "S2").deadline == view.deadline
    assert effective_limits(org, "e1", "S2").closes < view.deadline


def test_an_earlier_own_opening(org: Database, define: Define) -> None:
    define("opens: 2099-01-01\ncloses: 2099-12-31\n")
    assert open_exams_for(org, "S1") == []
    set_override(org, "e1", "S1", opens="2020-01-01", reason="提前离岗")
    assert [e.key for e in open_exams_for(org, "S1")] == ["e1"]
    attempts.start_attempt(org, "e1", "S1")
    with pytest.raises(AttemptRefused, match="opens at 2099-01-01 00:00"):
        attempts.start_attempt(org, "e1", "S2")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"staff_no": "S1"}, "changes at least one of"),
        ({"staff_no": "S1", "attempts": "0"}, "from 1 to 100"),
        ({"staff_no": "S1", "attempts": "101"}, "from 1 to 100"),
        ({"staff_no": "S1", "attempts": "9" * 400}, "from 1 to 100"),
        ({"staff_no": "S1", "attempts": "-1"}, "from 1 to 100"),
        ({"staff_no": "S1", "attempts": "2.5"}, "from 1 to 100"),
        ({"staff_no": "S1", "time_limit": "0m"}, "1 minute to 24 hours"),
        ({"staff_no": "S1", "time_limit": "25h"}, "1 minute to 24 hours"),
        ({"staff_no": "S1", "time_limit": "9" * 400 + "h"}, "1 minute to 24 hours"),
        ({"staff_no": "S1", "time_limit": "soon"}, "1 minute to 24 hours"),
        ({"staff_no": "S1", "closes": "tomorrow"}, "--closes: 'tomorrow' is not a date"),
        ({"staff_no": "S1", "closes": "9999-12-31"}, "years 2000 to 2100"),
        ({"staff_no": "S1", "opens": "1970-01-01"}, "years 2000 to 2100"),
        ({"staff_no": "S1", "closes": "2099-01-01", "opens": "2099-02-01"}, "closes before"),
        ({"staff_no": "S1", "closes": "2099-01-01", "reason": " "}, "needs a reason"),
        ({"staff_no": "S1", "closes": "2099-01-01", "reason": "x" * 501}, "at most 500"),
        ({"staff_no": "S1", "closes": "2099-01-01", "reason": "a\x00b"}, "NUL"),
        ({"closes": "2099-01-01"}, "a staff number or --dept"),
        ({"staff_no": "S1", "department": "D1", "closes": "2099-01-01"}, "not both"),
        ({"staff_no": "S9", "closes": "2099-01-01"}, "no staff member S9"),
        ({"department": "D9", "closes": "2099-01-01"}, "no department D9"),
    ],
)
def test_every_value_is_checked(
    org: Database, define: Define, kwargs: dict[str, str], message: str
) -> None:
    define()
    values = {"reason": "出差", **kwargs}
    staff_no = values.pop("staff_no", None)
    with pytest.raises((InputError, NotFoundError), match=message):
        set_override(org, "e1", staff_no, **values)  # type: ignore[arg-type]
    assert list_overrides(org, "e1") == []


def test_practice_closed_and_unknown_exams_are_refused(org: Database, define: Define) -> None:
    from tests.exams.test_engine import _base

    define("kind: practice\n", base=_base("p1"))
    with pytest.raises(InputError, match="practice exam"):
        set_override(org, "p1", "S1", attempts=2, reason="x")
    define(base=_base("gone"))
    close_exam(org, "gone")
    with pytest.raises(InputError, match="closed; an override cannot reopen it"):
        set_override(org, "gone", "S1", attempts=2, reason="x")
    with pytest.raises(NotFoundError, match="no exam nope"):
        set_override(org, "nope", "S1", attempts=2, reason="x")
    with pytest.raises(NotFoundError, match="S1 has no override for exam gone"):
        remove_override(org, "gone", "S1")


def test_every_change_is_audited_and_an_unused_one_can_be_removed(
    org: Database, define: Define
) -> None:
    define()
    set_override(org, "e1", "S1", attempts=5, reason="出差", actor="A1")
    set_override(org, "e1", "S1", time_limit="2h", reason="出差延长", actor="A1")
    remove_override(org, "e1", "S1", reason="出差取消", actor="A2")
    assert list_overrides(org, "e1") == []
    with org.session() as session:
        events = session.execute(
            sa.select(AuditEvent.actor, AuditEvent.action, AuditEvent.object_key,
                      AuditEvent.details)
            .where(AuditEvent.action.like("exam.override%"))
            .order_by(AuditEvent.id)
        ).all()  # fmt: skip
    assert [(e.actor, e.action, e.object_key) for e in events] == [
        ("A1", "exam.override", "e1/S1"),
        ("A1", "exam.override", "e1/S1"),
        ("A2", "exam.override_remove", "e1/S1"),
    ]
    assert events[0].details["before"] is None
    assert events[1].details["before"]["attempts_allowed"] == 5
    assert events[1].details["after"] == {"opens_at": None, "closes_at": None,
                                          "attempts_allowed": 5, "time_limit_s": 7200}  # fmt: skip
    assert (events[2].details["reason"], events[2].details["removal_reason"]) == (
        "出差延长",
        "出差取消",
    )


def test_practice_keeps_a_closed_pool_until_the_last_own_window_closes(
    org: Database, define: Define
) -> None:
    """The exam's paper is all of topic law's single and judge questions: practice leaves
    them out while S1, on a business trip, may still sit it after the common close."""
    from studyhub.practice import draw_practice

    define(
        WINDOW + "practice_pool: closed\n",
        base="key: e1\ntitle: 年度考试\nyear: 2026\npaper:\n  rules:\n"
        "    - {topic: law, type: single, count: 4, points: 10}\n"
        "    - {topic: law, type: judge, count: 2, points: 10}\n",
    )
    the_close_passes(org)
    assert len(draw_practice(org, "S3", count=1000)) == 25  # closed for everyone: all of it
    set_override(org, "e1", "S1", closes=local(now(org) + dt.timedelta(days=2)), reason="出差")
    items = draw_practice(org, "S3", count=1000)
    assert {i.type for i in items} == {"multiple", "fill"}


def run(database: Database, *args: str, lang: str = "en") -> tuple[int, str, str]:
    from click.testing import CliRunner

    from studyhub.cli import cli

    url = database.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--db", url, "--lang", lang, *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_commands(org: Database, define: Define) -> None:
    define("closes: 2099-11-30\n")
    code, out, err = run(org, "exam", "override", "e1", "S1", "--closes", "2099-12-10 18:00",
                         "--time-limit", "120m", "--reason", "出差")  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == [
        "Exam e1: S1 张三 has their own limits",
        "  Opens:      same as the exam (-)",
        "  Closes:     2099-12-10 18:00",
        "  Attempts:   same as the exam (3)",
        "  Time limit: 120 min",
        "  Reason:     出差",
    ]
    code, out, err = run(org, "exam", "override", "e1", "--dept", "D2", "--attempts", "5",
                         "--reason", "集中培训")  # fmt: skip
    assert code == 0 and "D2 科技科" in out.splitlines()[0], err
    code, out, _ = run(org, "exam", "overrides", "e1")
    lines = out.splitlines()
    assert lines[0].split() == ["No.", "Name", "Department", "Opens", "Closes", "Attempts",
                                "Time", "limit", "Reason", "Set", "by"]  # fmt: skip
    assert lines[2].split()[:5] == ["-", "-", "D2", "科技科", "-"]
    assert lines[3].split()[:6] == ["S1", "张三", "D1", "办公室", "-", "2099-12-10"]
    code, out, _ = run(org, "exam", "overrides", "e1", "--format", "json")
    import json

    assert [r["staff_no"] for r in json.loads(out)] == [None, "S1"]
    code, out, err = run(org, "exam", "override", "e1", "S1", "--remove")
    assert (code, out.strip()) == (0, "Exam e1: S1's override withdrawn"), err
    code, _, err = run(org, "exam", "override", "e1", "S1", "--remove")
    assert code == 1 and err.splitlines()[0] == "Error: S1 has no override for exam e1"
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["S1", "--attempts", "1000"], "--attempts is a whole number from 1 to 100 (got 1000)"),
        (["S1", "--attempts", "3"], "an override needs a reason"),
        (["S1", "--time-limit", "0", "--reason", "x"],
         "--time-limit is from 1 minute to 24 hours (e.g. 120m)"),
        (["S1", "--remove", "--attempts", "2"],
         "--remove takes no --opens, --closes, --attempts or --time-limit"),
        (["--attempts", "2", "--reason", "x"], "give a staff number or --dept, not both"),
    ],
)  # fmt: skip
def test_command_errors_are_one_line(org: Database, define: Define, args: list[str],
                                     error: str) -> None:  # fmt: skip
    define()
    code, out, err = run(org, "exam", "override", "e1", *args)
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == f"Error: {error}"


def test_the_commands_in_chinese(org: Database, define: Define) -> None:
    define()
    code, out, err = run(org, "exam", "override", "e1", "S1", "--attempts", "4", "--reason",
                         "出差", lang="zh")  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[0] == "考试 e1：已为 S1 张三 单独安排"
    code, out, err = run(org, "exam", "override", "e1", "S1", "--attempts", "0", "--reason",
                         "出差", lang="zh")  # fmt: skip
    assert code == 1 and err.splitlines()[0] == "错误：--attempts 应为 1 到 100 的整数（收到 0）"


def test_overrides_are_for_admins() -> None:
    from studyhub.cli.permissions import role_for

    assert role_for("exam override") == role_for("exam overrides") == "admin"


def test_the_quiz_menu_offers_the_exam_with_the_persons_own_attempts(
    org: Database, define: Define
) -> None:
    """Through the prompter seam: after the common close, S1 (an override: a later close and
    4 attempts) is offered the exam with their own attempts left; S3 is offered nothing."""
    from studyhub.quiz.prompter import ScriptedPrompter
    from studyhub.quiz.session import QuizSession

    define(WINDOW + "attempts: 1\n")
    the_close_passes(org)
    set_override(org, "e1", "S1", closes=local(now(org) + dt.timedelta(days=3)), attempts=4,
                 reason="出差")  # fmt: skip
    prompter = ScriptedPrompter(["e1"])
    assert QuizSession(org, prompter, staff_no="S1").choose_exam() == "e1"
    (menu,) = prompter.asked
    assert any("年度考试（e1）" in label and "剩余 4 次" in label for label in menu.options)
    others = ScriptedPrompter()
    assert QuizSession(org, others, staff_no="S3").choose_exam() is None
    assert others.asked == []


def test_exam_close_is_refused_only_for_a_window_beyond_the_exams_close(
    org: Database, define: Define
) -> None:
    define("closes: 2099-12-30\n")
    set_override(org, "e1", "S1", closes="2099-06-30", reason="提前调离")  # an earlier one
    set_override(org, "e1", "S2", attempts=5, reason="补一次")
    assert close_exam(org, "e1").submitted == 0  # closing early cuts no one's extra time
    define("closes: 2099-12-30\n", base=BASE.replace("key: e1", "key: e2"))
    set_override(org, "e2", "S1", closes="2100-01-05", reason="出差")
    with pytest.raises(InputError, match="1 override of exam e2 keeps a window open until "
                                         "2100-01-06 00:00"):  # fmt: skip
        close_exam(org, "e2")
    remove_override(org, "e2", "S1")  # not used yet: it may go
    assert close_exam(org, "e2").submitted == 0
