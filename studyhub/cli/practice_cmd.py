"""``studyhub practice``: practise with immediate feedback; ``--wrong`` drills the book."""

from __future__ import annotations

import sys

import click

from studyhub.cli.context import AppContext
from studyhub.cli.options import QUESTION_TYPE
from studyhub.i18n import t


@click.command()
@click.option("--topic", metavar="KEY", help="Only this topic (civil-code, constitution...).")
@click.option("--type", "qtype", type=QUESTION_TYPE)
@click.option(
    "--chapter", metavar="TEXT",
    help='Only questions citing this part of a statute: "民法典 第一编 第二章", "宪法 第三章".',
)  # fmt: skip
@click.option(
    "--count", type=click.IntRange(min=1),
    help="How many questions (default 10; with --wrong --all the whole book).",
)  # fmt: skip
@click.option(
    "--wrong", is_flag=True, help="Drill the questions of your wrong-answer book that are due."
)
@click.option(
    "--all", "all_book", is_flag=True,
    help="With --wrong: every question of the book now, due or not, the most missed first.",
)  # fmt: skip
@click.option(
    "--mock", metavar="EXAM",
    help="A timed mock exam by EXAM's paper rules; it counts nowhere (no attempt, no rates).",
)  # fmt: skip
@click.option(
    "--staff", "staff_no", metavar="NO",
    help="Practise as NO, for this run alone: NO's PIN is asked unless NO is the one signed "
    "in, and any other sign-in stays (for a shared terminal).",
)  # fmt: skip
@click.option("--plain", is_flag=True, help="Read answers as lines and print plain text.")
@click.option("--yes", "-y", is_flag=True, help="Agree to create a demo staff member if needed.")
@click.option(
    "--pin-stdin", is_flag=True,
    help="Read the PIN from the first line of standard input (with --staff NO), for scripts.",
)  # fmt: skip
@click.pass_obj
def practice(app: AppContext, topic: str | None, qtype: str | None, chapter: str | None,
             count: int | None, wrong: bool, all_book: bool, mock: str | None,
             staff_no: str | None, plain: bool, yes: bool, pin_stdin: bool) -> None:  # fmt: skip
    """Practise with feedback: each answer is checked at once, with the 解析 and the article.

    Without options, at a keyboard, a menu offers practice at random, by topic, by chapter
    (the 编 and 章 of the statute cited), by type, the wrong-answer book and mock exams.
    Practice never counts in the exam rates. Wrong answers (here and in exams) go into your
    wrong-answer book; --wrong drills the ones that are due (scheduled by FSRS), --wrong
    --all all of them. On a fresh database the shipped question banks are loaded first.
    """
    from studyhub.admin.firstrun import ensure_banks, ensure_demo_staff
    from studyhub.cli.quiz_cmd import make_prompter, taker
    from studyhub.quiz.practice_menu import check_options, run_practice

    check_options(topic=topic, type=qtype, chapter=chapter, count=count, wrong=wrong,
                  all_book=all_book, mock=mock)  # fmt: skip
    database = app.database()
    prompter = make_prompter(plain)
    loaded = ensure_banks(database, actor=app.actor())
    if loaded is not None:
        prompter.show(t("practice.banks_loaded", count=loaded.added))
    if app.signed_in is None and staff_no is None:
        demo = ensure_demo_staff(
            database, lambda: yes or prompter.confirm(t("practice.demo_offer"), default=True)
        )
        if demo is not None:
            staff_no = demo
            prompter.show(t("practice.demo_created", staff_no=demo))
    person = taker(app, prompter, staff_no)
    run_practice(database, prompter, person, topic=topic, type=qtype, chapter=chapter,
                 count=count, wrong=wrong, all_book=all_book, mock=mock,
                 menu=sys.stdin.isatty())  # fmt: skip
