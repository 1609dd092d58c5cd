"""Where the question banks shipped with studyhub are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["shipped_bank_files", "shipped_banks_dir"]


def shipped_banks_dir() -> Path:
    """The directory of the shipped banks (``question_banks/`` of the source tree, installed
    as the data package ``studyhub.question_banks``)."""
    import importlib.util

    spec = importlib.util.find_spec("studyhub.question_banks")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            path = Path(location)
            if path.is_dir():
                return path
    # a source checkout run without installing: question_banks/ beside the package
    return Path(__file__).resolve().parents[2] / "question_banks"


def shipped_bank_files() -> list[Path]:
    """The shipped bank files (native YAML/JSON), sorted by name."""
    directory = shipped_banks_dir()
    files = [p for p in directory.iterdir() if p.suffix in (".yaml", ".yml", ".json")]
    return sorted(p for p in files if ".part-" not in p.name)
