"""Question banks: formats, import, export. See :func:`shipped_banks_dir` for the banks
that come with studyhub."""

from studyhub.banks.shipped import shipped_bank_files, shipped_banks_dir

__all__ = ["shipped_bank_files", "shipped_banks_dir"]
