"""Statutes and citations: the laws the questions cite, article by article.

A room of its own rather than part of ``banks/``: statutes are read by the question banks
(citations), the quiz and practice (the article behind an answer) and the study ledger (the
names of laws studied), and they have a life of their own (versions, amendments).

- :mod:`~studyhub.laws.statutes`: read a statute file into articles; the short name of a law
- :mod:`~studyhub.laws.citations`: read a ``source`` citation; check citations against the store
- :mod:`~studyhub.laws.store`: import a statute, list the stored ones, show cited articles
"""

from __future__ import annotations

from studyhub.laws.citations import Citation, UnresolvedCitation, check_citations, parse_citation
from studyhub.laws.statutes import ParsedLaw, parse_law, short_name
from studyhub.laws.store import LawImportSummary, cited_articles, find_law, import_law, law_list

__all__ = [
    "Citation",
    "LawImportSummary",
    "ParsedLaw",
    "UnresolvedCitation",
    "check_citations",
    "cited_articles",
    "find_law",
    "import_law",
    "law_list",
    "parse_citation",
    "parse_law",
    "short_name",
]
