"""The banks shipped in question_banks/: loaded through the normal importer, and checked for
content: counts per type, duplicates, key shapes, balanced 判断, case-style items, letter-free
explanations, and (with ../shared/statutes beside the checkout) citations that resolve."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from studyhub.banks import shipped_bank_files
from studyhub.banks.context import ParseContext
from studyhub.banks.formats.native import parse_yaml
from studyhub.banks.record import QuestionRecord, normalise_text
from studyhub.banks.validate import check_record
from studyhub.laws import parse_citation

#: file -> (topic key, at least this many questions)
EXPECTED = {
    "civil_code.yaml": ("civil-code", 200),
    "st_progress_law.yaml": ("st-progress-law", 120),
    "xi_rule_of_law.yaml": ("xi-rule-of-law", 100),
    "constitution.yaml": ("constitution", 60),
    "administrative_penalty_law.yaml": ("administrative-penalty-law", 130),
    "administrative_licensing_law.yaml": ("administrative-licensing-law", 100),
    "government_information_disclosure.yaml": ("government-information-disclosure", 70),
    "major_administrative_decisions.yaml": ("major-administrative-decisions", 55),
    "civil_servant_law.yaml": ("civil-servant-law", 110),
    "state_secrets_law.yaml": ("state-secrets-law", 80),
    "popular_science_law.yaml": ("popular-science-law", 60),
}
#: banks written with case-style items (tag 案例) as at least this share of the questions
CASE_SHARE = {
    name: 20
    for name in EXPECTED
    if name not in ("civil_code.yaml", "st_progress_law.yaml", "constitution.yaml")
}
#: at most this many questions of the 习近平法治思想 bank ask the order or wording of a point
XI_ORDER_QUESTIONS = 25
#: an explanation that names options by letter reads wrong once options are shuffled
LETTER_REFERENCE = re.compile(
    r"选项[A-H]|(?<![A-Za-z])[A-H]项|(?<![A-Za-z])[A-H][、和与及][A-H](?![A-Za-z])|故[A-H](?![A-Za-z])"
)
STATUTES = Path(__file__).resolve().parents[2] / "shared" / "statutes"
TARGET_MIX = {"single": 50, "multiple": 25, "judge": 20, "fill": 5}


def load(path: Path) -> tuple[ParseContext, list[QuestionRecord]]:
    ctx = ParseContext(path, path.name)
    records = list(parse_yaml(ctx))
    for record in records:
        check_record(ctx, record)
    return ctx, records


def test_every_expected_bank_is_shipped() -> None:
    assert {p.name for p in shipped_bank_files()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_bank(name: str) -> None:
    path = next(p for p in shipped_bank_files() if p.name == name)
    ctx, records = load(path)
    assert ctx.errors == []
    topic, minimum = EXPECTED[name]
    assert ctx.header.topic == topic and ctx.header.key == topic
    assert len(records) >= minimum
    for record in records:
        assert record.external_id and record.source and record.explanation, record.external_id
        assert record.tags, record.external_id
        assert record.difficulty is not None
        parse_citation(record.source)  # raises when a citation cannot be read
    types = Counter(r.type for r in records)
    for qtype, share in TARGET_MIX.items():
        assert abs(100 * types[qtype] / len(records) - share) <= 10, (qtype, types)
    stems = Counter(normalise_text(r.stem) for r in records)
    assert [s for s, n in stems.items() if n > 1] == []
    judges = Counter(r.truth for r in records if r.type == "judge")
    assert abs(judges[True] - judges[False]) <= max(2, len(records) // 50)
    assert set(Counter(r.difficulty for r in records)) == {1, 2, 3, 4, 5}
    ids = Counter(r.external_id for r in records)
    assert [i for i, n in ids.items() if n > 1] == []
    for record in records:
        if record.type in ("single", "multiple"):
            assert 2 <= len(record.options) <= 8, record.external_id
            assert all(0 <= i < len(record.options) for i in record.correct), record.external_id
            assert len(record.correct) == 1 if record.type == "single" else len(record.correct) >= 2
        assert not LETTER_REFERENCE.search(record.explanation or ""), record.external_id
    if name in CASE_SHARE:
        cases = sum(1 for r in records if "案例" in r.tags)
        assert 100 * cases >= CASE_SHARE[name] * len(records), (cases, len(records))


def test_stems_are_not_repeated_across_banks() -> None:
    seen: dict[str, str] = {}
    repeated = []
    for path in shipped_bank_files():
        for record in load(path)[1]:
            stem = normalise_text(record.stem)
            if stem in seen:
                repeated.append((seen[stem], record.external_id))
            seen[stem] = record.external_id
    assert repeated == []


def test_xi_bank_tests_substance_not_the_order_of_the_points() -> None:
    """At most 25 questions ask the order or wording of the 十一个坚持: those that ask a
    position or the 原文, and those that name a point by number without applying it (no case,
    no link to the 二十大报告)."""
    path = next(p for p in shipped_bank_files() if p.name == "xi_rule_of_law.yaml")
    records = load(path)[1]
    wording = re.compile(r"第几项|位列|排在|排第|原文|依次是|第[一二三四五六七八九十]+位")
    numbered = re.compile(r"第[一二三四五六七八九十]+项")
    order = [
        r
        for r in records
        if wording.search(r.stem)
        or (numbered.search(r.stem) and "案例" not in r.tags and "二十大" not in r.stem + r.source)
    ]
    assert len(order) <= XI_ORDER_QUESTIONS, [r.external_id for r in order]
    sources = Counter(r.source.split()[0] for r in records)
    assert sources["党的二十大报告"] >= 20, sources


@pytest.mark.skipif(not STATUTES.is_dir(), reason="../shared/statutes is not beside this checkout")
def test_every_citation_resolves_against_the_statutes(database) -> None:  # type: ignore[no-untyped-def]
    from studyhub.banks.importer import import_files
    from studyhub.laws import check_citations, import_law

    import_files(database, shipped_bank_files())
    for path in sorted(STATUTES.glob("*.md")):
        if path.name != "README.md":
            import_law(database, path)
    assert [(p.question, p.source, p.reason) for p in check_citations(database)] == []


def test_shipped_banks_import(database) -> None:  # type: ignore[no-untyped-def]
    from studyhub.banks.importer import import_files

    summary = import_files(database, shipped_bank_files())
    assert set(summary.banks) == {t for t, _ in EXPECTED.values()}
    assert summary.added == sum(len(load(p)[1]) for p in shipped_bank_files())
