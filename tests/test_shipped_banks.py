"""The banks shipped in question_banks/: loaded through the normal importer."""

from __future__ import annotations

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
}
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


def test_shipped_banks_import(database) -> None:  # type: ignore[no-untyped-def]
    from studyhub.banks.importer import import_files

    summary = import_files(database, shipped_bank_files())
    assert set(summary.banks) == {t for t, _ in EXPECTED.values()}
    assert summary.added == sum(len(load(p)[1]) for p in shipped_bank_files())
