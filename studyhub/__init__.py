"""studyhub: legal study and exams (学法考法) for Chinese government bodies.

The public API is re-exported here and imported lazily, so that importing :mod:`studyhub`
(and starting the CLI) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "ConfigError": "studyhub.errors",
    "Database": "studyhub.db",
    "DatabaseError": "studyhub.errors",
    "InputError": "studyhub.errors",
    "LocatedError": "studyhub.errors",
    "Location": "studyhub.errors",
    "MultipleErrors": "studyhub.errors",
    "NotFoundError": "studyhub.errors",
    "PermissionDenied": "studyhub.errors",
    "Settings": "studyhub.config",
    "StudyhubError": "studyhub.errors",
    "app_dir": "studyhub.config",
    "load_settings": "studyhub.config",
    "open_database": "studyhub.db",
    "import_files": "studyhub.banks.importer",
    "export_bank": "studyhub.banks.export",
    "import_law": "studyhub.laws",
    "check_citations": "studyhub.laws",
    "load_spec": "studyhub.exams.spec",
    "create_exam": "studyhub.exams.definitions",
    "update_exam": "studyhub.exams.definitions",
    "close_exam": "studyhub.exams.definitions",
    "effective_limits": "studyhub.exams.limits",
    "set_override": "studyhub.exams.overrides",
    "remove_override": "studyhub.exams.overrides",
    "start_attempt": "studyhub.exams.attempts",
    "answer": "studyhub.exams.attempts",
    "submit": "studyhub.exams.attempts",
    "import_results": "studyhub.exams.results",
    "draw_practice": "studyhub.practice",
    "answer_practice": "studyhub.practice",
    "rates": "studyhub.reports.rates",
    "people": "studyhub.reports.people",
    "annual_summary": "studyhub.reports.annual",
    "authenticate": "studyhub.admin.auth",
}

__all__ = [
    "ConfigError",
    "Database",
    "DatabaseError",
    "InputError",
    "LocatedError",
    "Location",
    "MultipleErrors",
    "NotFoundError",
    "PermissionDenied",
    "Settings",
    "StudyhubError",
    "annual_summary",
    "answer",
    "answer_practice",
    "app_dir",
    "authenticate",
    "check_citations",
    "close_exam",
    "create_exam",
    "draw_practice",
    "effective_limits",
    "export_bank",
    "import_files",
    "import_law",
    "import_results",
    "load_settings",
    "load_spec",
    "open_database",
    "people",
    "rates",
    "remove_override",
    "set_override",
    "start_attempt",
    "submit",
    "update_exam",
]

if TYPE_CHECKING:
    from studyhub.config import Settings, app_dir, load_settings
    from studyhub.db import Database, open_database
    from studyhub.errors import (
        ConfigError,
        DatabaseError,
        InputError,
        LocatedError,
        Location,
        MultipleErrors,
        NotFoundError,
        PermissionDenied,
        StudyhubError,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'studyhub' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
