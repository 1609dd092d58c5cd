"""The quiz flow as a library class: sign in, choose an exam, start or resume it, ask each
question, navigate, summarise, submit and show the result.

Every decision goes through a :class:`~studyhub.quiz.prompter.Prompter`, so the flow runs the
same under the questionary front end, plain mode and scripted tests. Each answer is saved
through :func:`studyhub.exams.attempts.answer` the moment it is given; the engine (and the
database clock) decides deadlines.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from studyhub.errors import DatabaseError, InputError, StudyhubError
from studyhub.i18n import N_, Lazy, msg, t
from studyhub.quiz import render
from studyhub.quiz.prompter import Nav, Prompter, QuestionPrompt
from studyhub.quiz.signin import SignedIn, sign_in

if TYPE_CHECKING:
    import datetime as dt

    from studyhub.db import Database
    from studyhub.exams.attempts import AttemptResult, AttemptView
    from studyhub.exams.menu import OpenExam

__all__ = ["DatabaseUnavailable", "QuizSession", "TakeOutcome"]

QUIT = "\0quit"
PAST = "\0past"
#: the person's own record of the year, and their certificates
RECORD, CERTIFICATES = "\0record", "\0certificates"
T = TypeVar("T")
#: how long saving an answer is retried while the database is unavailable (seconds)
RETRY_FOR_S = 60.0
#: the first wait between retries; it doubles up to RETRY_MAX_WAIT_S
RETRY_FIRST_WAIT_S = 0.5
RETRY_MAX_WAIT_S = 8.0

#: what the taker is told when the attempt was closed before they submitted it
CLOSED_NOTICES = {
    "closed": N_("quiz.closed.closed"),
    "expired": N_("quiz.closed.expired"),
    "taker": N_("quiz.closed.taker"),
}


class DatabaseUnavailable(DatabaseError):
    """The database stayed unavailable while the quiz retried; what was saved is kept."""


@dataclass
class TakeOutcome:
    """How taking one exam ended: submitted (with its result) or left open."""

    attempt_id: int | None
    result: AttemptResult | None = None
    left_open: bool = False
    refused: str | None = None
    #: the taker chose not to start a new attempt at its start page
    declined: bool = False


@dataclass
class _Taking:
    """The attempt being taken: its view (kept in step with what was saved), its flags (as
    saved) and a local deadline (monotonic clock) for the header's countdown."""

    view: AttemptView
    flagged: set[int] = field(default_factory=set)
    deadline: float | None = None
    #: the exam has a time limit (a countdown is shown); else only the closing is watched
    timed: bool = True

    def left(self, clock: Callable[[], float]) -> dt.timedelta | None:
        import datetime as dt

        if self.deadline is None:
            return None
        return dt.timedelta(seconds=max(0.0, self.deadline - clock()))


class _Closed(Exception):
    """The attempt was closed by the engine (time up, exam closed, submitted elsewhere)."""


class QuizSession:
    """One taker's quiz session.

    Decision points, each a method a subclass may override: :meth:`sign_in`,
    :meth:`choose_exam`, :meth:`ask`, :meth:`after_last`, :meth:`confirm_leave`,
    :meth:`show_result`.
    """

    def __init__(
        self,
        database: Database,
        prompter: Prompter,
        *,
        staff_no: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        retry_for: float = RETRY_FOR_S,
    ) -> None:
        self.database = database
        self.prompter = prompter
        self.staff_no = staff_no
        self.clock = clock
        self.sleep = sleep
        #: how long a save is retried while the database is unavailable (seconds)
        self.retry_for = retry_for
        self.person: SignedIn | None = None

    # --- top level ------------------------------------------------------------------------

    def run(self, exam_key: str | None = None) -> list[TakeOutcome]:
        """Sign in, then take ``exam_key`` (a refusal is an error), or offer the menu of
        open exams until the taker quits. Returns what happened to each exam taken."""
        self.sign_in()
        if exam_key is not None:
            return [self.take(exam_key, strict=True)]
        outcomes = []
        while True:
            try:
                key = self.choose_exam()
            except KeyboardInterrupt:
                return outcomes
            if key is None:
                return outcomes
            if key == PAST:
                self.review_past()
                continue
            if key in (RECORD, CERTIFICATES):
                from studyhub.quiz import record_screen as own

                (own.show_record if key == RECORD else own.show_certificates)(
                    self.database, self.prompter, self._staff()
                )
                continue
            outcomes.append(self.take(key))

    def sign_in(self) -> SignedIn:
        self.person = sign_in(self.database, self.prompter, self.staff_no)
        self.staff_no = self.person.staff_no
        self.prompter.show(t("quiz.hello", name=self.person.name, staff_no=self.staff_no))
        return self.person

    def choose_exam(self) -> str | None:
        """The key of the exam chosen from the menu, or None to quit."""
        from studyhub.exams.menu import open_exams_for

        exams = open_exams_for(self.database, self._staff())
        past = self._has_past()
        if not exams:
            self.prompter.show(t("quiz.no_exams"))
            if not past and not self._has_record():
                return None
        labels = render.menu_labels(exams)
        choices = [(label, e.key) for label, e in zip(labels, exams, strict=True)]
        if past:  # the reviews of submitted attempts, as each exam's review setting allows
            choices.append((t("review.past.menu"), PAST))
        choices += [(t("record.menu"), RECORD), (t("cert.menu"), CERTIFICATES)]
        question = t("quiz.choose_exam") if exams else t("quiz.choose_item")
        choice = self.prompter.select_menu(question, [*choices, (t("quiz.quit"), QUIT)])
        return None if choice == QUIT else choice

    def _has_past(self) -> bool:
        from studyhub.exams.history import submitted_attempts

        return bool(submitted_attempts(self.database, self._staff()))

    def _has_record(self) -> bool:
        from studyhub.reports.record import has_record

        return has_record(self.database, self._staff())

    def review_past(self) -> None:
        """The review of one of the taker's submitted attempts, chosen from a list."""
        from studyhub.quiz.review import review_past

        review_past(self.database, self.prompter, self._staff())

    # --- one exam -------------------------------------------------------------------------

    def take(self, exam_key: str, *, strict: bool = False) -> TakeOutcome:
        """Start (or resume) the exam and run it to submission or until the taker leaves.
        A refusal is raised when ``strict``, else shown."""
        from studyhub.exams import attempts
        from studyhub.exams.menu import open_exams_for

        staff_no = self._staff()
        entries = {e.key: e for e in open_exams_for(self.database, staff_no)}
        open_ids = {key: e.open_attempt_id for key, e in entries.items()}
        entry = entries.get(exam_key)
        new = entry is not None and entry.open_attempt_id is None and entry.can_start
        if new and not self.confirm_start(exam_key, entry):  # type: ignore[arg-type]
            self.prompter.show(t("quiz.start.declined"))
            return TakeOutcome(None, declined=True)
        try:
            view = attempts.start_attempt(self.database, exam_key, staff_no)
        except attempts.AttemptRefused as err:
            if strict:
                raise
            self.prompter.show(t("quiz.refused", reason=err.shown()))
            return TakeOutcome(None, refused=err.reason)
        taking = _Taking(view, {item.position for item in view.items if item.flagged})
        taking.timed = self._timed(exam_key)
        if view.time_left is not None:
            taking.deadline = self.clock() + view.time_left.total_seconds()
        start = self._first_unanswered(view)
        if open_ids.get(exam_key) == view.attempt_id:
            position = view.items[start].position if start < len(view.items) else len(view.items)
            self.prompter.show(t("quiz.resumed", number=view.number, answered=view.answered,
                                 total=len(view.items), position=position))  # fmt: skip
        else:
            self.prompter.show(render.intro_line(view))
        try:
            submitted = self._loop(taking, start)
        except _Closed:
            return self._closed(taking)
        if not submitted:
            self.prompter.show(t("quiz.left", answered=taking.view.answered,
                                 total=len(taking.view.items)))  # fmt: skip
            return TakeOutcome(view.attempt_id, left_open=True)
        result = self._retrying(
            lambda: attempts.submit(self.database, view.attempt_id, staff_no),
            msg("the attempt could not be submitted"),
        )
        self._finish(result)
        return TakeOutcome(view.attempt_id, result)

    def confirm_start(self, exam_key: str, entry: OpenExam) -> bool:
        """The exam's start page, then 开始第 N 次作答？ with No as the default (keys typed
        ahead are discarded first): starting an attempt is a decision, not a stray key."""
        from studyhub.exams.definitions import get_exam
        from studyhub.exams.limits import effective_limits
        from studyhub.quiz.card import start_page_lines

        limits = effective_limits(self.database, exam_key, self._staff())
        for line in start_page_lines(get_exam(self.database, exam_key), entry, limits):
            self.prompter.show(line)
        self.prompter.discard_typeahead()
        try:
            return self.prompter.confirm(
                t("quiz.start.confirm", number=entry.used + 1), default=False
            )
        except KeyboardInterrupt:  # Ctrl-C at the start page: nothing is started
            return False

    def _timed(self, exam_key: str) -> bool:
        from studyhub.exams.limits import effective_limits

        return effective_limits(self.database, exam_key, self._staff()).time_limit is not None

    @staticmethod
    def _first_unanswered(view: AttemptView) -> int:
        for index, item in enumerate(view.items):
            if not item.answered:
                return index
        return len(view.items)

    def _loop(self, taking: _Taking, index: int) -> bool:
        """Ask questions from ``index`` on; True to submit, False when the taker leaves."""
        items = taking.view.items
        while True:
            self._check_time(taking)
            try:
                if index >= len(items):
                    step = self.after_last(taking)
                    if step == "submit":
                        return True
                    if step == "leave":
                        return False
                    index = int(step)
                    continue
                index = self._ask_at(taking, index)
            except KeyboardInterrupt:
                if self.confirm_leave():
                    return False

    def _ask_at(self, taking: _Taking, index: int) -> int:
        """Ask question ``index``; the index to go to next."""
        item = taking.view.items[index]
        left = taking.left(self.clock) if taking.timed else None
        header = render.question_header(
            item.position, len(taking.view.items), item.type, item.points,
            left, item.position in taking.flagged,
        )  # fmt: skip
        prompt = QuestionPrompt(header, item, item.position in taking.flagged,
                                time_left=lambda: taking.left(self.clock),
                                timed=taking.timed)  # fmt: skip
        reply = self.ask(prompt)
        if reply is Nav.TIMEUP:
            self._check_time(taking)  # the engine's clock decides (it closes the attempt)
            return index
        if reply is Nav.CARD:
            return self.answer_card(taking, index)
        if reply is Nav.BACK:
            if index == 0:
                self.prompter.show(t("quiz.first_question"))
            return max(0, index - 1)
        if reply is Nav.SKIP:
            return index + 1
        if reply is Nav.FLAG:
            flagged = item.position not in taking.flagged
            self._flag(taking, item.position, flagged)
            if flagged:
                taking.flagged.add(item.position)
                self.prompter.show(t("quiz.flagged", n=item.position))
            else:
                taking.flagged.discard(item.position)
                self.prompter.show(t("quiz.unflagged", n=item.position))
            return index
        self._save(taking, item.position, reply)
        item.response = reply
        return index + 1

    def answer_card(self, taking: _Taking, index: int) -> int:
        """Show the answer card; the index of the question typed (Enter: stay)."""
        from studyhub.quiz.card import card_lines, parse_card_choice

        view = taking.view
        current = view.items[index].position if index < len(view.items) else None
        for line in card_lines(view, sorted(taking.flagged), current):
            self.prompter.show(line)
        while True:
            text = self.prompter.ask_text(t("quiz.card.ask", total=len(view.items)))
            try:
                number = parse_card_choice(str(text), len(view.items))
            except ValueError:
                self.prompter.show(t("quiz.card.bad", total=len(view.items)))
                continue
            if number is None:
                return index
            return next(i for i, item in enumerate(view.items) if item.position == number)

    def ask(self, question: QuestionPrompt) -> Any:
        """The taker's answer to one question (shown terms) or a Nav."""
        return self.prompter.ask_question(question)

    def _save(self, taking: _Taking, position: int, response: Any) -> None:
        from studyhub.exams import attempts

        def save() -> None:
            attempts.answer(self.database, taking.view.attempt_id, position, response,
                            self._staff())  # fmt: skip

        try:
            self._retrying(
                save, msg("the answer to question {number} could not be saved", number=position)
            )
        except attempts.AttemptClosed:
            raise _Closed from None
        except InputError as err:  # a front end gave an answer the question cannot take
            raise StudyhubError(
                msg("answer to question {number} refused: {reason}", number=position,
                    reason=err.message_text)
            ) from err  # fmt: skip

    def _flag(self, taking: _Taking, position: int, flagged: bool) -> None:
        from studyhub.exams import attempts

        def save() -> None:
            attempts.flag(self.database, taking.view.attempt_id, position, flagged,
                          self._staff())  # fmt: skip

        try:
            self._retrying(
                save, msg("the flag on question {number} could not be saved", number=position)
            )
        except attempts.AttemptClosed:
            raise _Closed from None

    def _retrying(self, call: Callable[[], T], failed: str | Lazy) -> T:
        """``call()``, retried while the database is unavailable: the taker is told once
        that the answers so far are saved, the waits double up to RETRY_MAX_WAIT_S, and
        after ``retry_for`` seconds DatabaseUnavailable says what was not saved and that
        the attempt can be resumed. ``call`` must be safe to repeat (saving an answer is)."""
        started = time.monotonic()
        wait = RETRY_FIRST_WAIT_S
        slept = 0.0
        failures = 0
        while True:
            try:
                value = call()
            except DatabaseError as err:
                waited = max(slept, time.monotonic() - started)
                if waited >= self.retry_for:
                    self.prompter.show(t("quiz.db_gave_up"))
                    reason = (
                        msg("{failed}: {reason} ({hint})", failed=failed,
                            reason=err.message_text, hint=err.hint_text)
                        if err.hint
                        else msg("{failed}: {reason}", failed=failed, reason=err.message_text)
                    )  # fmt: skip
                    raise DatabaseUnavailable(
                        reason,
                        hint=msg("the answers saved before it are kept; start the exam again "
                                 "when the database is back to resume the attempt"),
                    ) from err  # fmt: skip
                if failures == 0:
                    self.prompter.show(t("quiz.db_unavailable"))
                failures += 1
                pause = min(wait, self.retry_for - waited)
                self.sleep(pause)
                slept += pause
                wait = min(wait * 2, RETRY_MAX_WAIT_S)
                continue
            if failures:
                self.prompter.show(t("quiz.db_back"))
            return value

    def _check_time(self, taking: _Taking) -> None:
        """When the local countdown reaches zero, ask the engine (its clock decides)."""
        from studyhub.exams import attempts

        if taking.deadline is None or self.clock() < taking.deadline:
            return
        fresh = attempts.get_attempt(self.database, taking.view.attempt_id, self._staff())
        if fresh.status != "in_progress":
            raise _Closed
        left = fresh.time_left
        taking.deadline = self.clock() + (left.total_seconds() if left else 0.0)

    def after_last(self, taking: _Taking) -> str:
        """The summary and what next: "submit", "leave" or the index of a question."""
        from studyhub.quiz.card import card_lines

        view = taking.view
        left = taking.left(self.clock) if taking.timed else None
        for line in render.summary_lines(view, sorted(taking.flagged), left):
            self.prompter.show(line)
        for line in card_lines(view, sorted(taking.flagged)):
            self.prompter.show(line)
        unanswered = [n for n, item in enumerate(view.items) if not item.answered]
        flagged = [n for n, item in enumerate(view.items) if item.position in taking.flagged]
        choices: list[tuple[str, str]] = [(t("quiz.submit"), "submit")]
        if unanswered:
            position = view.items[unanswered[0]].position
            choices.append((t("quiz.goto_unanswered", n=position), str(unanswered[0])))
        if flagged:
            position = view.items[flagged[0]].position
            choices.append((t("quiz.goto_flagged", n=position), str(flagged[0])))
        choices.append((t("quiz.goto_card"), "card"))
        choices.append((t("quiz.goto_first"), "0"))
        choices.append((t("quiz.goto_last"), str(len(view.items) - 1)))
        choices.append((t("quiz.leave_open"), "leave"))
        step = self.prompter.select_menu(t("quiz.next_step"), choices)
        if step == "card":
            return str(self.answer_card(taking, len(view.items)))
        if step == "submit":
            message = (
                t("quiz.confirm_submit_unanswered", count=len(unanswered))
                if unanswered
                else t("quiz.confirm_submit")
            )
            self.prompter.discard_typeahead()
            if not self.prompter.confirm(message, default=not unanswered):
                return str(len(view.items))  # back to the summary
        return step

    def confirm_leave(self) -> bool:
        """After Ctrl-C: True to leave (the attempt stays open), False to go on.
        A second Ctrl-C leaves."""
        try:
            return self.prompter.select_menu(
                t("quiz.interrupt"), [(t("quiz.go_on"), False), (t("quiz.leave"), True)]
            )
        except KeyboardInterrupt:
            return True

    # --- the end --------------------------------------------------------------------------

    def _closed(self, taking: _Taking) -> TakeOutcome:
        from studyhub.exams import attempts

        result = attempts.result(self.database, taking.view.attempt_id, self._staff())
        self.prompter.show(t(CLOSED_NOTICES.get(result.reason, "quiz.closed.taker")))
        self._finish(result)
        return TakeOutcome(taking.view.attempt_id, result)

    def show_result(self, result: AttemptResult) -> bool:
        """Score, band, pass or fail, then the review paged one question per screen, with
        the cited statute articles (see :mod:`studyhub.quiz.review`); True when it was
        paged (the reader left it with q)."""
        from studyhub.quiz.review import show_review

        return show_review(self.database, self.prompter, result)

    def _finish(self, result: AttemptResult) -> None:
        """The result and review after submitting: keys typed before (an Enter pressed
        twice at 交卷) are dropped first, so they page nothing; a result shown on one
        screen (not paged, where q leaves) waits for Enter before any menu comes back."""
        self.prompter.discard_typeahead()
        paged = self.show_result(result)
        self.prompter.discard_typeahead()
        if not paged:
            self.prompter.pause(t("quiz.press_enter"))

    def _staff(self) -> str:
        if self.staff_no is None:
            raise StudyhubError(msg("nobody is signed in"))
        return self.staff_no
