"""The review after an exam, paged: the result first, then one question per screen.

Each question's screen shows the question as it was shown (options in the order the taker
saw them), the taker's answer, the key, right or wrong, the points, the 解析 (its option
letters rewritten to the shown order, see :mod:`studyhub.letters`), the citation and, when
the statute is stored, the cited article, cut to the paragraph (款) the citation names.
← and → move, ``g`` opens the answer card to jump to a number, ``q`` leaves. What the review
holds is the exam's review setting: the score only, the wrong answers, or every question.

Only results of submitted attempts come here: no key is ever shown before submission.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from studyhub.errors import StudyhubError
from studyhub.i18n import N_, t
from studyhub.quiz.paging import Page, PageKey, turn
from studyhub.quiz.render import format_points, response_text
from studyhub.render import key_value_lines

if TYPE_CHECKING:
    from studyhub.db import Database
    from studyhub.exams.history import SubmittedAttempt
    from studyhub.exams.views import AttemptResult, ReviewItem
    from studyhub.quiz.prompter import Prompter

__all__ = [
    "Articles",
    "card_lines",
    "choose_past_attempt",
    "item_lines",
    "review_articles",
    "review_past",
    "run_review",
    "show_review",
    "summary_lines",
]

LETTERS = "ABCDEFGH"
#: the cited article text shown under a question is cut to this many characters
ARTICLE_CHARS = 400
#: the cited articles by question version (see :func:`review_articles`)
Articles = dict[int | None, list[tuple[str, str]] | None]
BACK = "\0back"
#: the heading over a review with questions, by the exam's review setting
HEADINGS = {"full": N_("review.heading_full"), "wrong": N_("review.heading_wrong")}
#: a number on the answer card that is not in the review, by the exam's review setting
NOT_IN_REVIEW = {"full": N_("review.card.not_in_full"), "wrong": N_("review.card.not_in_wrong")}


def _outcome(item: ReviewItem) -> tuple[str, str]:
    """The card mark and the words for right, wrong or partly right."""
    if item.correct:
        return "✓", t("review.right")
    if item.awarded > 0:
        return "◐", t("review.partly")
    return "✗", t("review.wrong")


def summary_lines(result: AttemptResult) -> list[str]:
    """Score, percentage, band, pass or fail, and what the review holds."""
    outcome = t("quiz.result.passed") if result.passed else t("quiz.result.failed")
    rows = [
        (t("quiz.result.score"),
         f"{format_points(result.score)}/{format_points(result.max_score)}"),
        (t("quiz.result.percent"), f"{format_points(result.percent)}%"),
        (t("quiz.result.band"), result.band or t("quiz.result.no_band")),
        (t("quiz.result.outcome"), outcome),
    ]  # fmt: skip
    lines = [t("quiz.result"), *("  " + line for line in key_value_lines(rows))]
    if result.review == "score":
        lines.append(t("quiz.review.score_only"))
        return lines
    lines.append("")
    if not result.items:
        lines.append(t(f"quiz.review.heading_{result.review}"))
        lines.append(t("quiz.review.all_right"))
    else:
        lines.append(t(HEADINGS[result.review], count=len(result.items)))
    return lines


def item_lines(item: ReviewItem, articles: Articles) -> list[str]:
    """One question's screen: header, stem, options as shown, answers, 解析, citation and the
    cited article text when it is stored."""
    mark, words = _outcome(item)
    lines = [
        t("review.item", n=item.position, type=t(f"quiz.type.{item.type}"),
          outcome=f"{mark} {words}", awarded=format_points(item.awarded),
          points=format_points(item.points)),
        item.stem,
    ]  # fmt: skip
    lines.extend(f"  {LETTERS[i]}. {option}" for i, option in enumerate(item.options))
    rows = [(t("quiz.review.yours"), response_text(item.type, item.options, item.response))]
    if item.key is not None:
        rows.append((t("quiz.review.key"), response_text(item.type, item.options, item.key)))
    if item.explanation:
        rows.append((t("quiz.review.explanation"), item.explanation))
    if item.source:
        rows.append((t("quiz.review.source"), item.source))
    lines.extend(key_value_lines(rows))
    for heading, text in (articles.get(item.version_id) or []) if item.source else []:
        body = text if len(text) <= ARTICLE_CHARS else text[:ARTICLE_CHARS] + "…"
        lines.append(f"  {heading}")
        lines.extend(f"    {line}" for line in body.splitlines() if line.strip())
    return lines


def card_lines(items: Sequence[ReviewItem], current: int | None = None) -> list[str]:
    """The answer card of the review: each question's number with ✓, ✗ or ◐ (the grid of
    the exam's card), the question on screen in brackets."""
    from studyhub.quiz.card import grid

    cells = [(item.position, _outcome(item)[0]) for item in items]
    return [t("review.card", right="✓", wrong="✗", partly="◐"), *grid(cells, current)]


def review_articles(database: Database, result: AttemptResult) -> Articles:
    """The stored statute text behind each question version's citation, by version id, in
    the version of the law the question version cites (the one in force when it was
    written: :mod:`studyhub.laws.written`), cut to a cited paragraph (None when the law is
    not imported or the citation does not read)."""
    from studyhub.laws import question_articles

    wanted = [item.version_id for item in result.items if item.source and item.version_id]
    return dict(question_articles(database, wanted, paragraphs=True)) if wanted else {}


def show_review(database: Database, prompter: Prompter, result: AttemptResult) -> bool:
    """The result and its review, paged (see :func:`run_review`); True when paged."""
    return run_review(prompter, result, review_articles(database, result))


def _jump(prompter: Prompter, result: AttemptResult, current: int | None = None) -> int | str:
    """The page of the question chosen on the answer card, or a notice (empty: go back)."""
    for line in card_lines(result.items, current):
        prompter.show(line)
    try:
        typed = prompter.ask_text(t("review.card.prompt"), hint=t("review.card.hint"))
    except KeyboardInterrupt:
        return ""
    text = typed.strip() if isinstance(typed, str) else ""
    if not text:
        return ""
    if not text.isdigit():
        return t("review.card.not_a_number", text=text)
    positions = [item.position for item in result.items]
    if int(text) not in positions:
        return t(NOT_IN_REVIEW[result.review], n=int(text))
    return 1 + positions.index(int(text))


def run_review(prompter: Prompter, result: AttemptResult, articles: Articles) -> bool:
    """Page through the result (page 0) and its questions until the reader leaves; True
    when there were pages to go through.

    With nothing to page (the score only, or no question to review) the result is shown
    once (False). ← on the first page and → on the last say so and stay; Ctrl-C leaves."""
    pages = [summary_lines(result)] + [item_lines(item, articles) for item in result.items]
    if len(pages) == 1:
        for line in pages[0]:
            prompter.show(line)
        return False
    index, notice = 0, ""
    while True:
        position = result.items[index - 1].position if index else None
        page = Page(pages[index], index, len(pages), notice, position,
                    keys=t("review.keys", page=index + 1, pages=len(pages)))  # fmt: skip
        notice = ""
        try:
            key = prompter.page(page)
        except KeyboardInterrupt:
            return True
        if key is PageKey.QUIT:
            return True
        if key is not PageKey.CARD:
            index, notice = turn(page, key, t("review.at_first"), t("review.at_last"))
        else:
            target = _jump(prompter, result, position)
            if isinstance(target, int):
                index = target
            else:
                notice = target


def attempt_label(attempt: SubmittedAttempt) -> str:
    from studyhub.timeutil import to_local

    return t("review.past.item", title=attempt.exam_title, key=attempt.exam_key,
             number=attempt.number, score=format_points(attempt.score),
             total=format_points(attempt.max_score),
             time=to_local(attempt.submitted_at).strftime("%Y-%m-%d %H:%M"))  # fmt: skip


def choose_past_attempt(
    prompter: Prompter, past: Sequence[SubmittedAttempt]
) -> SubmittedAttempt | None:
    """One of the person's submitted attempts, chosen from a menu (None: back)."""
    choices: list[tuple[str, object]] = [(attempt_label(a), a.attempt_id) for a in past]
    choices.append((t("review.past.back"), BACK))
    try:
        chosen = prompter.select_menu(t("review.past.choose"), choices)
    except KeyboardInterrupt:
        return None
    return next((a for a in past if a.attempt_id == chosen), None)


def review_past(database: Database, prompter: Prompter, staff_no: str) -> None:
    """From the quiz menu: choose one of the person's submitted attempts and page its
    review (refused, with the reason, while they have an attempt in progress)."""
    from studyhub.exams.history import own_review, submitted_attempts

    chosen = choose_past_attempt(prompter, submitted_attempts(database, staff_no))
    if chosen is None:
        return
    try:
        result = own_review(database, staff_no, chosen.attempt_id)
    except StudyhubError as err:
        prompter.show(t("review.past.refused", reason=err.shown()))
        hint = err.shown_hint()
        if hint:
            prompter.show(hint)
        return
    show_review(database, prompter, result)
