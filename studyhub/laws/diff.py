"""What changed between two texts of a law: articles added, removed, renumbered and changed.

Articles are matched by their text, not by their number alone, because an amendment that
inserts or removes an article renumbers every article after it:

1. the same number with the same text: unchanged;
2. the same text under another number: renumbered;
3. of the articles left, the pairs whose texts are similar enough (a
   :class:`difflib.SequenceMatcher` ratio of at least :data:`SIMILAR`, most similar first,
   then the nearest in the law's order) are the same article, changed (and renumbered when
   their numbers differ);
4. what is still left of the old text was removed, of the new text added.

Texts are compared with whitespace removed. The changed words are marked by
:func:`word_diff` (difflib on the characters, runs of Latin letters and digits kept whole).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SIMILAR",
    "ArticleChange",
    "ArticleText",
    "diff_articles",
    "similarity",
    "word_diff",
]

#: two articles whose texts have at least this ratio (difflib.SequenceMatcher: twice the
#: characters in common over the characters of both) are one article, changed. An amended
#: article keeps most of its words (0.8 and more where a fine or a term is replaced); two
#: different articles of one law share little beyond the law's stock phrases (under 0.4).
SIMILAR = 0.5

_TOKEN_RE = re.compile(r"[A-Za-z0-9.%]+|\s+|.", re.DOTALL)


@dataclass(frozen=True)
class ArticleText:
    """One article of one version: its number, its sub (N of 第X条之N), label and text."""

    number: int
    sub: int
    label: str
    text: str

    @property
    def ref(self) -> tuple[int, int]:
        return self.number, self.sub


@dataclass
class ArticleChange:
    #: "added", "removed", "renumbered" (a new number, the text maybe changed too), "changed"
    kind: str
    old: ArticleText | None
    new: ArticleText | None
    #: the similarity of the two texts (1.0 when equal; 0 for added and removed)
    ratio: float = 0.0
    #: the text with its changes: ``[("=", same), ("-", removed), ("+", inserted), ...]``
    words: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text_changed(self) -> bool:
        return (
            self.old is not None
            and self.new is not None
            and _norm(self.old.text) != _norm(self.new.text)
        )

    def as_json(self) -> dict[str, Any]:
        def article(a: ArticleText | None) -> dict[str, Any] | None:
            if a is None:
                return None
            return {"number": a.number, "sub": a.sub, "label": a.label, "text": a.text}

        return {
            "kind": self.kind,
            "old": article(self.old),
            "new": article(self.new),
            "text_changed": self.text_changed,
            "similarity": round(self.ratio, 3),
            "words": [list(w) for w in self.words],
        }


def _norm(text: str) -> str:
    return "".join(text.split())


def similarity(a: str, b: str) -> float:
    """The difflib ratio of two texts, whitespace removed."""
    return difflib.SequenceMatcher(None, _norm(a), _norm(b), autojunk=False).ratio()


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` turned into ``new`` as runs: ``("=", text)`` kept, ``("-", text)`` removed,
    ``("+", text)`` inserted. A single kept character between two changes is folded into
    them, so that a rewritten phrase reads as one change, not as scattered letters."""
    a = _TOKEN_RE.findall(old)
    b = _TOKEN_RE.findall(new)
    runs: list[list[Any]] = []  # [op, old tokens, new tokens]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(["=", a[i1:i2], b[j1:j2]])
        else:
            runs.append(["~", a[i1:i2], b[j1:j2]])
    merged: list[list[Any]] = []
    for index, (op, old_tokens, new_tokens) in enumerate(runs):
        between = (
            op == "="
            and len("".join(old_tokens).strip()) <= 1
            and index + 1 < len(runs)
            and runs[index + 1][0] == "~"
        )
        if (op == "~" or between) and merged and merged[-1][0] == "~":
            merged[-1][1] += old_tokens
            merged[-1][2] += new_tokens
        else:
            merged.append([op, list(old_tokens), list(new_tokens)])
    out: list[tuple[str, str]] = []
    for op, old_tokens, new_tokens in merged:
        if op == "=":
            out.append(("=", "".join(old_tokens)))
            continue
        if old_tokens:
            out.append(("-", "".join(old_tokens)))
        if new_tokens:
            out.append(("+", "".join(new_tokens)))
    return out


def diff_articles(old: Sequence[ArticleText], new: Sequence[ArticleText]) -> list[ArticleChange]:
    """The changes from ``old`` to ``new`` (each in the law's order): added, removed,
    renumbered and changed, in that order, each group in the order of the law. Unchanged
    articles are left out."""
    old_left = {a.ref: a for a in old}
    new_left = {a.ref: a for a in new}
    old_index = {a.ref: i for i, a in enumerate(old)}
    new_index = {a.ref: i for i, a in enumerate(new)}
    pairs: list[tuple[ArticleText, ArticleText, float]] = []

    def take(a: ArticleText, b: ArticleText, ratio: float) -> None:
        del old_left[a.ref], new_left[b.ref]
        pairs.append((a, b, ratio))

    for a in old:  # 1. same number, same text
        b = new_left.get(a.ref)
        if b is not None and _norm(a.text) == _norm(b.text):
            take(a, b, 1.0)
    by_text: dict[str, list[ArticleText]] = {}
    for b in new:
        if b.ref in new_left:
            by_text.setdefault(_norm(b.text), []).append(b)
    for a in old:  # 2. the same text elsewhere: the nearest one in the law's order
        if a.ref not in old_left:
            continue
        found = [b for b in by_text.get(_norm(a.text), []) if b.ref in new_left]
        if found:
            b = min(found, key=lambda b: abs(new_index[b.ref] - old_index[a.ref]))
            take(a, b, 1.0)
    candidates: list[tuple[float, int, ArticleText, ArticleText]] = []
    for a in list(old_left.values()):  # 3. similar texts
        a_text = _norm(a.text)
        for b in new_left.values():
            matcher = difflib.SequenceMatcher(None, a_text, _norm(b.text), autojunk=False)
            if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILAR:
                distance = abs(new_index[b.ref] - old_index[a.ref])
                candidates.append((ratio, distance, a, b))
    candidates.sort(key=lambda c: (-c[0], c[1], old_index[c[2].ref], new_index[c[3].ref]))
    for ratio, _, a, b in candidates:
        if a.ref in old_left and b.ref in new_left:
            take(a, b, ratio)
    changes: list[ArticleChange] = [
        ArticleChange("added", None, b, 0.0, [("+", b.text)]) for b in new if b.ref in new_left
    ]
    changes += [
        ArticleChange("removed", a, None, 0.0, [("-", a.text)]) for a in old if a.ref in old_left
    ]
    pairs.sort(key=lambda p: new_index[p[1].ref])
    for a, b, ratio in pairs:
        if a.ref != b.ref:
            changes.append(ArticleChange("renumbered", a, b, ratio, word_diff(a.text, b.text)))
    for a, b, ratio in pairs:
        if a.ref == b.ref and _norm(a.text) != _norm(b.text):
            changes.append(ArticleChange("changed", a, b, ratio, word_diff(a.text, b.text)))
    return changes
