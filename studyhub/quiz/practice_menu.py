"""``studyhub practice`` as one call: the options checked, then a round of practice, a mock
exam, or (at a keyboard, without options) the practice menu: at random, by topic, by
chapter (the 编 and 章 of the statute cited), by type, the wrong-answer book, a mock exam.
The menu comes back after each round until 退出 or Ctrl-C.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from studyhub.errors import InputError, NotFoundError
from studyhub.i18n import msg, t
from studyhub.quiz.mock import MockSession
from studyhub.quiz.practice import PracticeSession

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.practice import ChapterCount, Division, PracticeChoices
    from studyhub.quiz.prompter import Prompter

__all__ = ["PracticeMenu", "check_options", "run_practice"]

T = TypeVar("T")
#: a submenu's last entry: back to the menu above
BACK = "back"


def check_options(
    *,
    topic: str | None,
    type: str | None,
    chapter: str | None,
    count: int | None,
    wrong: bool,
    all_book: bool,
    mock: str | None,
) -> None:
    """InputError for options that do not go together."""
    drawn = [
        name
        for name, given in (("--topic", topic), ("--type", type), ("--chapter", chapter))
        if given
    ]
    if all_book and not wrong:
        raise InputError(
            msg("--all drills the whole wrong-answer book and goes with --wrong"),
            hint=msg("studyhub practice --wrong --all"),
        )
    if mock and (drawn or wrong or count):
        raise InputError(
            msg(
                "--mock draws its questions by the exam's paper rules; leave out --topic, "
                "--type, --chapter, --count and --wrong"
            )
        )
    if wrong and drawn:
        raise InputError(
            msg(
                "--wrong drills your wrong-answer book; leave out {options}",
                options=", ".join(drawn),
            )
        )


def run_practice(
    database: Database,
    prompter: Prompter,
    staff_no: str,
    *,
    topic: str | None = None,
    type: str | None = None,
    chapter: str | None = None,
    count: int | None = None,
    wrong: bool = False,
    all_book: bool = False,
    mock: str | None = None,
    menu: bool = False,
    seed: int | None = None,
) -> None:
    """What ``studyhub practice`` does with its options; ``menu``: offer the practice menu
    when no option chooses what to practise (a person is at the keyboard)."""
    check_options(
        topic=topic,
        type=type,
        chapter=chapter,
        count=count,
        wrong=wrong,
        all_book=all_book,
        mock=mock,
    )
    if mock:
        MockSession(database, prompter, staff_no).run(mock, seed=seed)
    elif menu and not (topic or type or chapter or wrong):
        PracticeMenu(database, prompter, staff_no).run(count=count, seed=seed)
    else:
        PracticeSession(database, prompter, staff_no).run(
            topic=topic,
            type=type,
            chapter=chapter,
            count=count,
            wrong=wrong,
            all_book=all_book,
            seed=seed,
        )


class PracticeMenu:
    def __init__(self, database: Database, prompter: Prompter, staff_no: str) -> None:
        self.database = database
        self.prompter = prompter
        self.staff_no = staff_no
        self.session = PracticeSession(database, prompter, staff_no)

    def run(self, *, count: int | None = None, seed: int | None = None) -> None:
        """The menu, again after each round, until 退出 or Ctrl-C."""
        try:
            while self.once(count=count, seed=seed):
                pass
        except KeyboardInterrupt:
            self.prompter.show(t("practice.menu.bye"))

    def once(self, *, count: int | None = None, seed: int | None = None) -> bool:
        """One choice from the menu and what it leads to; False for 退出."""
        from studyhub.practice import practice_choices

        choices = practice_choices(self.database, self.staff_no)
        book = choices.book
        random_label = (
            t("practice.menu.random_waiting", count=choices.total, waiting=choices.waiting_total)
            if choices.waiting_total
            else t("practice.menu.random", count=choices.total)
        )
        modes = [
            (random_label, "random"),
            (t("practice.menu.topic"), "topic"),
            (t("practice.menu.chapter"), "chapter"),
            (t("practice.menu.type"), "type"),
            (
                t(
                    "practice.menu.book",
                    due=book.due if book else 0,
                    total=book.total if book else 0,
                ),
                "wrong",
            ),
            (t("practice.menu.mock"), "mock"),
            (t("practice.menu.quit"), "quit"),
        ]
        mode = self.prompter.select_menu(t("practice.menu.title"), modes, default="random")
        try:
            return self._mode(mode, choices, count, seed)
        except (InputError, NotFoundError) as err:  # e.g. too few questions for a mock
            self.prompter.show(t("practice.menu.problem", problem=err.shown()))
            return True

    def _mode(
        self, mode: str, choices: PracticeChoices, count: int | None, seed: int | None
    ) -> bool:
        if mode == "quit":
            return False
        if mode == "random":
            self.session.run(count=count, seed=seed)
        elif mode == "wrong":
            self.session.run(wrong=True, count=count, seed=seed)
        elif mode == "topic":
            topic = self._pick(
                t("practice.menu.pick_topic"),
                [
                    (_counted(name, n, choices.waiting.get(key, 0)), key)
                    for key, name, n in choices.topics
                ],
            )
            if topic is not None:
                self.session.run(topic=topic, count=count, seed=seed)
        elif mode == "type":
            qtype = self._pick(
                t("practice.menu.pick_type"),
                [(_counted(t(f"quiz.type.{k}"), n), k) for k, n in choices.types],
            )
            if qtype is not None:
                self.session.run(type=qtype, count=count, seed=seed)
        elif mode == "chapter":
            division = self._chapter(choices.chapters)
            if division is not None:
                self.session.run(chapter=division, count=count, seed=seed)
        elif mode == "mock":
            self._mock(seed)
        return True

    def _pick(self, message: str, options: Sequence[tuple[str, T]]) -> T | None:
        """One of ``options``, or None for 返回 (or when there is nothing to choose)."""
        if not options:
            self.prompter.show(t("practice.menu.nothing"))
            return None
        picked: Any = self.prompter.select_menu(
            message, [*options, (t("practice.menu.back"), BACK)], default=options[0][1]
        )
        return None if picked == BACK else picked

    def _chapter(self, chapters: list[ChapterCount]) -> Division | None:
        """A law, then (when it has them) one of its 编, then the whole of it or a 章."""
        if not chapters:
            self.prompter.show(t("practice.menu.no_statutes"))
            return None
        counts = {c.division: c.count for c in chapters}
        laws = [c for c in chapters if not (c.division.part or c.division.chapter)]
        law = self._pick(
            t("practice.menu.pick_law"), [(_counted(c.heading, c.count), c.division) for c in laws]
        )
        if law is None:
            return None
        mine = [c for c in chapters if c.division.law == law.law]
        parts = [c for c in mine if c.division.part and not c.division.chapter]
        scope = law
        if parts:
            scope = self._pick(
                t("practice.menu.pick_part"),
                [
                    (_counted(t("practice.menu.whole_law"), counts[law]), law),
                    *((_counted(c.heading, c.count), c.division) for c in parts),
                ],
            )
            if scope is None or scope == law:
                return scope
        inside = [c for c in mine if c.division.chapter and c.division.part == scope.part]
        if not inside:
            return scope
        whole = t("practice.menu.whole_part") if scope.part else t("practice.menu.whole_law")
        return self._pick(
            t("practice.menu.pick_chapter"),
            [
                (_counted(whole, counts[scope]), scope),
                *((_counted(c.heading, c.count), c.division) for c in inside),
            ],
        )

    def _mock(self, seed: int | None) -> None:
        from studyhub.practice import mock_exams

        exams = mock_exams(self.database, self.staff_no)
        options = [
            (
                t(
                    "practice.menu.mock_exam",
                    title=e.title,
                    exam=e.key,
                    questions=e.questions,
                    minutes=_minutes(e.time_limit),
                ),
                e.key,
            )
            for e in exams
        ]
        key = self._pick(t("practice.menu.pick_exam"), options)
        if key is not None:
            MockSession(self.database, self.prompter, self.staff_no).run(key, seed=seed)


def _counted(label: str, count: int, waiting: int = 0) -> str:
    """``民法（12 题）``; with questions awaiting review after a law changed, how many."""
    if waiting:
        return t("practice.menu.counted_waiting", label=label, count=count, waiting=waiting)
    return t("practice.menu.counted", label=label, count=count)


def _minutes(limit: Any) -> str:
    if limit is None:
        return t("mock.page.no_limit")
    return t("mock.page.minutes", minutes=-(-int(limit.total_seconds()) // 60))
