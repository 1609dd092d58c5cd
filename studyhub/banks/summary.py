"""What a bank import did (or, with ``check``, would do): per file and per bank."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from studyhub.banks.record import QuestionRecord
from studyhub.errors import LocatedError
from studyhub.i18n import Lazy

__all__ = ["BankCounts", "FileSummary", "ImportSummary", "Progress", "Reject"]

#: called with (done, total) as the import goes: lines or rows read of all the files
Progress = Callable[[int, int], None]


@dataclass
class Reject:
    """A record left out by ``skip_invalid``: where it is, what is wrong, its text."""

    file: str
    location: str
    fields: list[str]
    reasons: list[str]
    raw: str
    #: the question type, when the record was read far enough to know it ("" if not)
    type: str = ""
    #: the line (row, paragraph) of the first error
    line: int | None = None


@dataclass
class FileSummary:
    path: str
    format: str
    bank: str
    questions: int = 0
    #: the unsupported questions left out, as "<place>: <reason>" (shown in the UI language)
    skipped: list[str | Lazy] = field(default_factory=list)
    #: questions written (added, changed or unchanged), by type
    imported: Counter[str] = field(default_factory=Counter)
    #: records left out by ``skip_invalid``
    rejects: list[Reject] = field(default_factory=list)
    #: repeats kept once, unread lines under ``skip_invalid``, guessed types...
    warnings: list[LocatedError] = field(default_factory=list)
    #: how many times a repeated question was dropped (it is kept once)
    repeats: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    retired: int = 0

    @property
    def rejected(self) -> Counter[str]:
        """The rejected records by type ("" when the record's type is not known)."""
        return Counter(r.type for r in self.rejects)


@dataclass
class BankCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    retired: int = 0
    created: bool = False


@dataclass
class ImportSummary:
    """What an import did (or, with ``check``, would do)."""

    files: list[FileSummary] = field(default_factory=list)
    banks: dict[str, BankCounts] = field(default_factory=dict)
    checked_only: bool = False
    #: the first questions as they will be stored, with their topic (shown by ``--check``)
    preview: list[tuple[QuestionRecord, str]] = field(default_factory=list)
    #: where the rejected records were written (None when there were none)
    rejects_path: Path | None = None

    def total(self, name: str) -> int:
        return sum(getattr(c, name) for c in self.banks.values())

    @property
    def added(self) -> int:
        return self.total("added")

    @property
    def changed(self) -> int:
        return self.total("changed")

    @property
    def unchanged(self) -> int:
        return self.total("unchanged")

    @property
    def retired(self) -> int:
        return self.total("retired")

    @property
    def skipped(self) -> list[str | Lazy]:
        return [s for f in self.files for s in f.skipped]

    @property
    def rejects(self) -> list[Reject]:
        return [r for f in self.files for r in f.rejects]

    @property
    def warnings(self) -> list[LocatedError]:
        return [w for f in self.files for w in f.warnings]

    @property
    def imported(self) -> Counter[str]:
        return sum((f.imported for f in self.files), Counter())

    @property
    def rejected(self) -> Counter[str]:
        return sum((f.rejected for f in self.files), Counter())
