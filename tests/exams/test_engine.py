"""Every exam rule, through the library: window, audience, attempts, deadline, resume,
submission, grading methods and scoring modes, seeds, versions."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from studyhub.banks.importer import import_files
from studyhub.db import Database, open_database
from studyhub.exams import attempts
from studyhub.exams.attempts import AttemptClosed, AttemptRefused, ItemView
from studyhub.exams.definitions import close_exam, create_exam
from studyhub.exams.spec import load_spec
from studyhub.models import Attempt, AttemptItem, Exemption, Staff
from tests.exams.conftest import Define, make_bank, shift_clock


def right_answer(item: ItemView) -> object:
    if item.type == "single":
        return [item.options.index("乙")]
    if item.type == "multiple":
        return sorted([item.options.index("甲"), item.options.index("丙")])
    if item.type == "judge":
        return True
    return ["甲"] * item.blanks


def wrong_answer(item: ItemView) -> object:
    if item.type == "single":
        return [item.options.index("甲")]
    if item.type == "multiple":
        return [item.options.index("甲")]
    if item.type == "judge":
        return False
    return ["乙"] * item.blanks


def answer_all(database: Database, view: attempts.AttemptView, staff: str, wrong: int = 0) -> None:
    """Answer every question right except the first ``wrong`` ones (answered wrongly)."""
    for n, item in enumerate(view.items):
        response = right_answer(item)
        if n < wrong:
            response = wrong_answer(item)
        attempts.answer(database, view.attempt_id, item.position, response, staff)


def test_full_marks_and_review_levels(org: Database, define: Define) -> None:
    define("review: full\n")
    view = attempts.start_attempt(org, "e1", "S1")
    assert (view.number, len(view.items), view.total_points) == (1, 10, Decimal(100))
    assert all(not hasattr(i, "key") for i in view.items)  # no keys before submitting
    answer_all(org, view, "S1", wrong=1)
    result = attempts.submit(org, view.attempt_id, "S1")
    assert (result.score, result.percent, result.passed, result.band) == (
        Decimal(90),
        Decimal(90),
        True,
        "优秀",
    )
    assert result.review == "full" and len(result.items) == 10
    wrong = [i for i in result.items if not i.correct]
    assert len(wrong) == 1 and wrong[0].key is not None and wrong[0].explanation


def test_review_wrong_only_and_after_close(org: Database, define: Define) -> None:
    define("review: wrong\n")
    view = attempts.start_attempt(org, "e1", "S1")
    answer_all(org, view, "S1", wrong=2)
    result = attempts.submit(org, view.attempt_id, "S1")
    assert [i.correct for i in result.items] == [False, False]
    define("review: full\nreview_after_close: true\n", base=_base("e2"))
    view = attempts.start_attempt(org, "e2", "S1")
    result = attempts.submit(org, view.attempt_id, "S1")
    assert result.review == "score" and result.items == []
    close_exam(org, "e2")
    assert attempts.result(org, view.attempt_id, "S1").review == "full"


def _base(key: str) -> str:
    from tests.exams.conftest import BASE_SPEC

    return BASE_SPEC.replace("key: e1", f"key: {key}")


def test_window(org: Database, define: Define) -> None:
    define("opens: 2099-01-01\ncloses: 2099-12-31\n")
    with pytest.raises(AttemptRefused, match="exam e1 opens at 2099-01-01 00:00"):
        attempts.start_attempt(org, "e1", "S1")
    define("opens: 2020-01-01\ncloses: 2020-12-31\n", base=_base("e2"))
    with pytest.raises(AttemptRefused, match="exam e2 closed at 2021-01-01 00:00"):
        attempts.start_attempt(org, "e2", "S1")


def test_audience_includes_sub_departments(org: Database, define: Define) -> None:
    define("audience: [D1]\n")
    attempts.start_attempt(org, "e1", "S1")
    attempts.start_attempt(org, "e1", "S2")  # D11 is under D1
    with pytest.raises(AttemptRefused, match="not for S3's department"):
        attempts.start_attempt(org, "e1", "S3")


def test_exempt_and_out_of_post(org: Database, define: Define) -> None:
    info = define()
    with org.session() as session:
        exam_id = session.scalar(sa.select(Attempt.exam_id)) or _exam_id(session, info.key)
        s1 = session.scalar(sa.select(Staff).where(Staff.staff_no == "S1"))
        session.add(Exemption(exam_id=exam_id, staff_id=s1.id, reason="病假"))
        s2 = session.scalar(sa.select(Staff).where(Staff.staff_no == "S2"))
        s2.in_post_to = dt.date(2020, 1, 1)
    with pytest.raises(AttemptRefused, match="S1 is exempt from exam e1"):
        attempts.start_attempt(org, "e1", "S1")
    with pytest.raises(AttemptRefused, match="S2 is not in post"):
        attempts.start_attempt(org, "e1", "S2")


def _exam_id(session, key: str) -> int:  # type: ignore[no-untyped-def]
    from studyhub.models import Exam

    return session.scalar(sa.select(Exam.id).where(Exam.key == key))


def test_attempts_are_limited_and_an_open_one_is_resumed(org: Database, define: Define) -> None:
    define("attempts: 2\n")
    first = attempts.start_attempt(org, "e1", "S1")
    again = attempts.start_attempt(org, "e1", "S1")
    assert again.attempt_id == first.attempt_id  # resumed, not a new attempt
    attempts.submit(org, first.attempt_id, "S1")
    second = attempts.start_attempt(org, "e1", "S1")
    assert second.number == 2
    attempts.submit(org, second.attempt_id, "S1")
    with pytest.raises(AttemptRefused, match=r"no attempts left for exam e1 \(2 of 2 used\)"):
        attempts.start_attempt(org, "e1", "S1")


def test_resume_gives_the_same_paper_and_answers(org: Database, define: Define) -> None:
    define()
    view = attempts.start_attempt(org, "e1", "S1")
    first = view.items[0]
    attempts.answer(org, view.attempt_id, first.position, right_answer(first), "S1")
    resumed = attempts.get_attempt(org, view.attempt_id, "S1")
    assert [(i.stem, i.options) for i in resumed.items] == [(i.stem, i.options) for i in view.items]
    assert resumed.items[0].response == right_answer(first)
    assert resumed.answered == 1
    assert resumed.time_left is not None and resumed.time_left <= dt.timedelta(minutes=60)


def test_deadline_refuses_answers_and_grades_saved_ones(org: Database, define: Define) -> None:
    define()
    view = attempts.start_attempt(org, "e1", "S1")
    item = view.items[0]
    attempts.answer(org, view.attempt_id, item.position, right_answer(item), "S1")
    shift_clock(org, view.attempt_id, 3601)
    with pytest.raises(AttemptClosed, match="time is up"):
        second = view.items[1]
        attempts.answer(org, view.attempt_id, second.position, right_answer(second), "S1")
    result = attempts.result(org, view.attempt_id, "S1")
    assert result.reason == "expired" and result.score == Decimal(10)
    with org.session() as session:
        attempt = session.get(Attempt, view.attempt_id)
        assert attempt.submitted_at == attempt.deadline  # graded as of the deadline


def test_expired_attempt_is_submitted_when_anyone_touches_it(org: Database, define: Define) -> None:
    define()
    view = attempts.start_attempt(org, "e1", "S1")
    shift_clock(org, view.attempt_id, 4000)
    fresh = attempts.start_attempt(org, "e1", "S1")  # expires the old one, starts number 2
    assert fresh.number == 2
    with org.session() as session:
        assert session.get(Attempt, view.attempt_id).status == "submitted"


def test_close_grades_open_attempts(org: Database, define: Define) -> None:
    define()
    view = attempts.start_attempt(org, "e1", "S1")
    answer_all(org, view, "S1")
    assert close_exam(org, "e1").submitted == 1
    assert attempts.result(org, view.attempt_id, "S1").reason == "closed"
    with pytest.raises(AttemptRefused, match="exam e1 is closed"):
        attempts.start_attempt(org, "e1", "S2")


def test_submit_is_idempotent_and_answers_freeze(org: Database, define: Define) -> None:
    define()
    view = attempts.start_attempt(org, "e1", "S1")
    answer_all(org, view, "S1", wrong=3)
    first = attempts.submit(org, view.attempt_id, "S1")
    second = attempts.submit(org, view.attempt_id, "S1")
    assert (first.score, first.submitted_at) == (second.score, second.submitted_at)
    with pytest.raises(AttemptClosed):
        attempts.answer(org, view.attempt_id, 1, None, "S1")
    with org.session() as session:
        events = session.execute(
            sa.text("SELECT count(*) FROM audit_events WHERE action = 'attempt.submit'")
        ).scalar()
    assert events == 1


def test_someone_elses_attempt_is_refused(org: Database, define: Define) -> None:
    from studyhub.errors import PermissionDenied

    define()
    view = attempts.start_attempt(org, "e1", "S1")
    with pytest.raises(PermissionDenied, match="belongs to someone else"):
        attempts.get_attempt(org, view.attempt_id, "S2")
    with pytest.raises(PermissionDenied):
        attempts.answer(org, view.attempt_id, 1, None, "S2")


@pytest.mark.parametrize(
    ("method", "expected"),
    [("highest", Decimal(90)), ("last", Decimal(70)), ("first", Decimal(80)),
     ("average", Decimal(80))],
)  # fmt: skip
def test_grading_methods(org: Database, define: Define, method: str, expected: Decimal) -> None:
    from studyhub.exams.grading import counted_score

    define(f"grading: {method}\n")
    scores = []
    for wrong in (2, 1, 3):
        view = attempts.start_attempt(org, "e1", "S1")
        answer_all(org, view, "S1", wrong=wrong)
        scores.append(attempts.submit(org, view.attempt_id, "S1").score)
    assert scores == [Decimal(80), Decimal(90), Decimal(70)]
    assert counted_score(method, scores) == expected


def _multiple_only(key: str, scoring: str) -> str:
    return (
        f"key: {key}\ntitle: t\nyear: 2026\nscoring: {scoring}\nshuffle_options: false\n"
        "paper:\n  rules:\n    - {topic: law, type: multiple, count: 1, points: 3}\n"
    )


@pytest.mark.parametrize(
    ("scoring", "response", "awarded"),
    [("all_or_nothing", [0, 2], Decimal(3)), ("all_or_nothing", [0], Decimal(0)),
     ("partial", [0], Decimal("1.50")), ("partial", [0, 1], Decimal(0)),
     ("partial", [0, 2], Decimal(3))],
)  # fmt: skip
def test_scoring_modes(
    org: Database, define: Define, scoring: str, response: list[int], awarded: Decimal
) -> None:
    define(base=_multiple_only("m", scoring))
    view = attempts.start_attempt(org, "m", "S1")
    attempts.answer(org, view.attempt_id, 1, response, "S1")
    assert attempts.submit(org, view.attempt_id, "S1").score == awarded


def test_the_same_seed_draws_the_same_paper(org: Database, define: Define) -> None:
    define("attempts: 5\n")
    one = attempts.start_attempt(org, "e1", "S1", seed=1234)
    two = attempts.start_attempt(org, "e1", "S2", seed=1234)
    three = attempts.start_attempt(org, "e1", "S3", seed=99)
    shown = [[(i.stem, i.options) for i in v.items] for v in (one, two, three)]
    assert shown[0] == shown[1]
    assert shown[0] != shown[2]
    with org.session() as session:
        assert session.get(Attempt, one.attempt_id).seed == 1234


def _types_of_papers(database: Database, exam: str, staff: str, seeds: range) -> set[tuple]:
    """The question types of one paper per seed, in the order shown."""
    papers = set()
    for seed in seeds:
        view = attempts.start_attempt(database, exam, staff, seed=seed)
        papers.add(tuple(i.type for i in view.items))
        attempts.submit(database, view.attempt_id, staff)
    return papers


def test_shuffle_questions_mixes_the_rules_and_can_be_turned_off(
    org: Database, define: Define
) -> None:
    rule_order = ("single",) * 4 + ("multiple",) * 2 + ("judge",) * 2 + ("fill",) * 2
    define("attempts: 9\nshuffle_questions: false\n")
    assert _types_of_papers(org, "e1", "S1", range(1, 4)) == {rule_order}
    define("attempts: 9\n", base=_base("e2"))  # shuffled by default
    shuffled = _types_of_papers(org, "e2", "S1", range(1, 6))
    assert len(shuffled) > 1 and rule_order not in shuffled
    assert all(sorted(paper) == sorted(rule_order) for paper in shuffled)


def test_large_and_small_pools_draw_the_same_paper(
    org: Database, define: Define, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small pools are read whole, large ones one picked row at a time: same seed, same paper."""
    from studyhub.exams import paper

    define("attempts: 5\n")
    whole = attempts.start_attempt(org, "e1", "S1", seed=4321)
    monkeypatch.setattr(paper, "READ_WHOLE_POOL", 0)
    picked = attempts.start_attempt(org, "e1", "S2", seed=4321)
    assert [(i.stem, i.options) for i in whole.items] == [(i.stem, i.options) for i in picked.items]


def test_an_edited_question_does_not_change_a_started_attempt(
    org: Database, define: Define, tmp_path: Path
) -> None:
    define("shuffle_options: false\n")
    view = attempts.start_attempt(org, "e1", "S1")
    before = [(i.stem, i.options) for i in view.items]
    edited = tmp_path / "edited.yaml"
    edited.write_text(
        make_bank({"single": 10, "multiple": 6, "judge": 6, "fill": 3}).replace(
            "options:\n  - 甲\n  - 乙", "options:\n  - 甲（改）\n  - 乙"
        ),
        encoding="utf-8",
    )
    assert import_files(org, [edited]).changed > 0
    after = attempts.get_attempt(org, view.attempt_id, "S1")
    assert [(i.stem, i.options) for i in after.items] == before
    answer_all(org, after, "S1")
    assert attempts.submit(org, view.attempt_id, "S1").score == Decimal(100)


def test_rules_that_cannot_be_met_name_the_shortfall(org: Database, tmp_path: Path) -> None:
    spec = tmp_path / "big.yaml"
    spec.write_text(
        "key: big\ntitle: t\nyear: 2026\npaper:\n  rules:\n"
        "    - {topic: law, type: single, count: 4, points: 2}\n"
        "    - {topic: law, type: fill, count: 5, points: 2, difficulty: [1, 5]}\n",
        encoding="utf-8",
    )
    from studyhub.errors import InputError

    with pytest.raises(InputError) as info:
        create_exam(org, load_spec(spec))
    assert info.value.reason == (
        "paper rule 2 (law, fill in, difficulty 1-5) needs 5 questions, the banks have 3 "
        "(short by 2)"
    )


@pytest.mark.parametrize("whole_pool", [True, False])
def test_tag_rules_draw_only_questions_whose_current_version_has_every_tag(
    org: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_pool: bool
) -> None:
    """The org bank tags odd-numbered questions t1 and even ones t2 (5 single of each)."""
    from studyhub.errors import InputError
    from studyhub.exams import paper

    if not whole_pool:
        monkeypatch.setattr(paper, "READ_WHOLE_POOL", 0)

    def spec(key: str, count: int, tags: str) -> Path:
        path = tmp_path / f"{key}.yaml"
        path.write_text(
            f"key: {key}\ntitle: t\nyear: 2026\nattempts: 9\npaper:\n  rules:\n"
            f"    - {{topic: law, type: single, count: {count}, points: 2, tags: [{tags}]}}\n",
            encoding="utf-8",
        )
        return path

    with pytest.raises(InputError, match="needs 6 questions, the banks have 5"):
        create_exam(org, load_spec(spec("six", 6, "t1")))
    with pytest.raises(InputError, match="the banks have 0"):
        create_exam(org, load_spec(spec("both", 1, "t1, t2")))
    create_exam(org, load_spec(spec("odd", 5, "t1")))
    for seed in (1, 2, 3):
        view = attempts.start_attempt(org, "odd", "S1", seed=seed)
        numbers = sorted(int(i.stem.removeprefix("单选题").rstrip("？")) for i in view.items)
        assert numbers == [1, 3, 5, 7, 9]
        attempts.submit(org, view.attempt_id, "S1")
    # question 1's new version is tagged t2: the t1 pool follows the current versions
    edited = tmp_path / "edited.yaml"
    bank = make_bank({"single": 10, "multiple": 6, "judge": 6, "fill": 3})
    edited.write_text(bank.replace("- t1\n  type: single", "- t2\n  type: single", 1), "utf-8")
    assert import_files(org, [edited]).changed == 1
    with pytest.raises(InputError, match="needs 5 questions, the banks have 4"):
        create_exam(org, load_spec(spec("odd2", 5, "t1")))


def test_parse_response() -> None:
    single = ItemView(1, "single", "题", ["甲", "乙", "丙"], Decimal(1))
    assert attempts.parse_response(single, "b") == [1]
    multiple = ItemView(1, "multiple", "题", ["甲", "乙", "丙"], Decimal(1))
    assert attempts.parse_response(multiple, "C A") == [0, 2]
    judge = ItemView(1, "judge", "题", [], Decimal(1))
    assert attempts.parse_response(judge, "对") is True
    assert attempts.parse_response(judge, "F") is False
    fill = ItemView(1, "fill", "甲____乙____", [], Decimal(1))
    assert attempts.parse_response(fill, "一；二") == ["一", "二"]
    from studyhub.errors import InputError

    for item, text in ((single, "D"), (single, "AB"), (judge, "maybe"), (fill, "一")):
        with pytest.raises(InputError):
            attempts.parse_response(item, text)


def test_concurrent_last_attempt_goes_to_one_terminal(org: Database, define: Define) -> None:
    """Two connections start the last allowed attempt at once: exactly one gets it."""
    define("attempts: 1\n")
    url = org.engine.url.render_as_string(hide_password=False)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def race() -> None:
        database = open_database(url)
        try:
            barrier.wait()
            attempts.start_attempt(database, "e1", "S1")
            outcomes.append("started")
        except AttemptRefused:
            outcomes.append("refused")
        finally:
            database.dispose()

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with org.session() as session:
        count = session.scalar(sa.select(sa.func.count()).select_from(Attempt))
        items = session.scalar(sa.select(sa.func.count()).select_from(AttemptItem))
    assert count == 1 and items == 10
    # both calls may return the same single attempt (the second resumes it), or one refuses
    assert sorted(outcomes) in (["refused", "started"], ["started", "started"])


def test_unique_attempt_number_is_a_database_constraint(org: Database, define: Define) -> None:
    """The race above relies on the database, not on Python: a second row with the same
    number is refused even when the Python checks are skipped."""
    define()
    view = attempts.start_attempt(org, "e1", "S1")
    with pytest.raises(sa.exc.IntegrityError), org.session() as session:
        original = session.get(Attempt, view.attempt_id)
        session.add(Attempt(exam_id=original.exam_id, staff_id=original.staff_id, number=1,
                            started_at=original.started_at))  # fmt: skip
        session.flush()


def test_rates_by_topic(org: Database, define: Define, tmp_path: Path) -> None:
    """Two topics, 5 questions of 10 points each. S1 answers everything right; S2 all of
    "law" right and all of "con" wrong; S3 does not sit. By topic: law 2 of 2 passed (100
    and 100), con 1 of 2 (100 and 0); required 3 in both."""
    from studyhub.reports.rates import rates

    con = tmp_path / "con.yaml"
    con.write_text(make_bank({"judge": 6}, topic="con"), encoding="utf-8")
    import_files(org, [con])
    define(base=(
        "key: t2\ntitle: 两个主题\nyear: 2026\npaper:\n  rules:\n"
        "    - {topic: law, type: judge, count: 5, points: 10}\n"
        "    - {topic: con, type: judge, count: 5, points: 10}\n"
    ))  # fmt: skip
    from studyhub.models import Question, QuestionVersion, Topic

    with org.session() as session:
        con_versions = set(session.scalars(
            sa.select(QuestionVersion.id).join(Question).join(Topic).where(Topic.key == "con")
        ))  # fmt: skip
    for staff in ("S1", "S2"):
        view = attempts.start_attempt(org, "t2", staff)
        with org.session() as session:
            version_at = dict(session.execute(
                sa.select(AttemptItem.position, AttemptItem.question_version_id)
                .where(AttemptItem.attempt_id == view.attempt_id)
            ).all())  # fmt: skip
        for item in view.items:  # every key is true; S2 answers the "con" questions false
            wrong = staff == "S2" and version_at[item.position] in con_versions
            attempts.answer(org, view.attempt_id, item.position, not wrong, staff)
        attempts.submit(org, view.attempt_id, staff)
    rows = {r.group: r for r in rates(org, exam="t2", by="topic")}
    assert set(rows) == {"law", "con"}
    law, con_row = rows["law"], rows["con"]
    assert (law.required, law.participants, law.passed, law.excellent) == (3, 2, 2, 2)
    assert (con_row.required, con_row.participants, con_row.passed, con_row.excellent) == (
        3,
        2,
        1,
        1,
    )
    assert (con_row.average, con_row.highest) == (Decimal(50), Decimal(100))
    [whole] = rates(org, exam="t2")
    assert (whole.participants, whole.passed) == (2, 1)  # S2 scored 50 overall


def test_no_key_reaches_the_taker_before_submitting(org: Database, define: Define) -> None:
    """Through every library call made on the taker's behalf: the views carry stems and
    options only, and the result (with keys, as the review setting allows) exists only
    after submission."""
    import dataclasses

    define("review: full\n")
    view = attempts.start_attempt(org, "e1", "S1")
    item_fields = {f.name for f in dataclasses.fields(ItemView)}
    assert item_fields == {"position", "type", "stem", "options", "points", "response",
                           "answered_at", "flagged"}  # fmt: skip
    resumed = attempts.get_attempt(org, view.attempt_id, "S1")
    assert all(i.response is None for i in resumed.items)
    with pytest.raises(AttemptClosed, match="not submitted yet"):
        attempts.result(org, view.attempt_id, "S1")
    result = attempts.submit(org, view.attempt_id, "S1")
    assert all(i.key is not None for i in result.items)  # review: full, after submitting
    from studyhub.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        attempts.result(org, view.attempt_id, "S2")  # nor anyone else's results


def test_questions_hidden_while_a_paper_is_drawn_give_a_clear_error(
    org: Database, define: Define, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between counting the candidates and reading them, an import may hide some (PostgreSQL
    reads each statement's own snapshot): a clear error, and no attempt is left behind."""
    from studyhub.errors import InputError
    from studyhub.exams import paper

    define()
    monkeypatch.setattr(paper, "_read_pools", lambda *args: {})
    with pytest.raises(InputError, match="question banks changed while the paper was drawn"):
        attempts.start_attempt(org, "e1", "S1")
    with org.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 0
