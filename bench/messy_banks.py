#!/usr/bin/env python3
"""Messy question banks as admins bring them: a Word-style text bank and an Excel bank in
which a share of the records (5% by default) are irregular in ways the strict importer
refuses and no normalisation can rescue: a question without an answer, an answer letter
beyond the options, a judge question with an odd key (也许), an empty stem.

Used by tests/banks/test_skip_invalid.py (small and full size) and bench/import_bank.py
(``--messy``): ``studyhub bank import --skip-invalid`` must import the rest and write exactly
the irregular records to the rejects file. Each generator returns the question numbers (text)
or rows (Excel) of the irregular records.
"""

from __future__ import annotations

import random
from pathlib import Path

__all__ = ["IRREGULAR", "messy_text", "messy_xlsx"]

#: the kinds of irregular record, in turn
IRREGULAR = ("no_answer", "beyond", "odd_judge", "empty_stem")
SUBJECTS = ["民法典", "宪法", "行政处罚法", "行政许可法", "数据安全法", "行政复议法"]


def _plan(count: int, share: float, seed: int) -> dict[int, str]:
    """question index -> kind of irregularity, for ``share`` of ``count`` questions."""
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(count), round(count * share)))
    return {index: IRREGULAR[n % len(IRREGULAR)] for n, index in enumerate(chosen)}


def _stem(index: int, rng: random.Random) -> str:
    subject = rng.choice(SUBJECTS)
    return f"根据《{subject}》第{rng.randint(1, 300)}条（第{index + 1}题），下列说法正确的是"


def messy_text(path: Path, count: int = 2500, share: float = 0.05, seed: int = 20) -> set[int]:
    """A Markdown/text bank of ``count`` questions (``N、stem`` / ``A、option`` /
    ``答案：X``), four in five single choice, the rest judge; returns the numbers of the
    irregular questions."""
    rng = random.Random(seed)
    plan = _plan(count, share, seed)
    judges = count // 5
    lines = ["# 行政执法资格考试题库", "", "一、单项选择题"]
    irregular = set()
    for index in range(count):
        if index == count - judges:
            lines += ["", "二、判断题"]
        number = index + 1
        kind = plan.get(index)
        if kind is not None:
            irregular.add(number)
        judge = index >= count - judges
        if judge and kind in ("beyond", "no_answer"):
            kind = "odd_judge"
        if not judge and kind == "odd_judge":
            kind = "beyond"
        stem = "" if kind == "empty_stem" else _stem(index, rng) + ("。" if judge else "（  ）。")
        lines.append(f"{number}、{stem}")
        if judge:
            lines.append(f"答案：{'也许' if kind == 'odd_judge' else rng.choice('对错')}")
        else:
            lines += [f"{letter}、第{rng.randint(1, 999)}种情形" for letter in "ABCD"]
            if kind == "beyond":
                lines.append("答案：E")
            elif kind != "no_answer":
                lines.append(f"答案：{rng.choice('ABCD')}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return irregular


def messy_xlsx(path: Path, count: int = 2000, share: float = 0.05, seed: int = 21) -> set[int]:
    """An Excel bank (题型 | 题干 | A-D | 答案 | 解析) of ``count`` rows; returns the rows
    of the irregular records."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    plan = _plan(count, share, seed)
    book = Workbook()
    sheet = book.active
    sheet.title = "题库"
    sheet.append(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析"])
    irregular = set()
    for index in range(count):
        row = index + 2
        kind = plan.get(index)
        if kind is not None:
            irregular.add(row)
        judge = index % 5 == 4
        stem = "" if kind == "empty_stem" else _stem(index, rng)
        if judge:
            answer = "也许" if kind in ("odd_judge", "beyond") else rng.choice(["对", "错"])
            answer = "" if kind == "no_answer" else answer
            sheet.append(["判断", stem, None, None, None, None, answer or None, "见条文"])
            continue
        options = [f"第{rng.randint(1, 999)}种情形" for _ in "ABCD"]
        answer = {"no_answer": None, "beyond": "E", "odd_judge": "E"}.get(
            kind or "", rng.choice("ABCD")
        )
        sheet.append(["单选", stem, *options, answer, "见条文"])
    book.save(path)
    return irregular


if __name__ == "__main__":
    import sys

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    print(len(messy_text(folder / "messy.txt")), "irregular of 2500 in messy.txt")
    print(len(messy_xlsx(folder / "messy.xlsx")), "irregular of 2000 in messy.xlsx")
