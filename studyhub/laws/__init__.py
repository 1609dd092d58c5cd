"""Statutes and citations: the laws the questions cite, article by article, version by version.

A room of its own rather than part of ``banks/``: statutes are read by the question banks
(citations), the quiz and practice (the article behind an answer) and the study ledger (the
names of laws studied), and they have a life of their own (versions, amendments).

- :mod:`~studyhub.laws.statutes`: read a statute file into articles; the short name of a law
- :mod:`~studyhub.laws.citations`: read a ``source`` citation
- :mod:`~studyhub.laws.written`: the version of a law a question version cites (the one in
  force when it was written), and the articles it points to there
- :mod:`~studyhub.laws.check`: check every question's citations against the versions cited
- :mod:`~studyhub.laws.store`: import a statute (a new version of a stored one), list the
  stored ones, show cited articles in any version
- :mod:`~studyhub.laws.diff`: match the articles of two texts (added, removed, renumbered,
  changed) and mark the changed words
- :mod:`~studyhub.laws.compare`: two stored versions compared, as text, Markdown or JSON
- :mod:`~studyhub.laws.doubt`: the questions a new version puts in doubt, queued for review
"""

from __future__ import annotations

from studyhub.laws.check import UnresolvedCitation, check_citations
from studyhub.laws.citations import Citation, parse_citation
from studyhub.laws.compare import LawDiff, law_diff, render_diff
from studyhub.laws.diff import ArticleChange, ArticleText, diff_articles, word_diff
from studyhub.laws.statutes import ParsedLaw, parse_law, short_name
from studyhub.laws.store import (
    LawImportSummary,
    cited_articles,
    find_law,
    import_law,
    law_list,
    parse_version_date,
)
from studyhub.laws.written import question_articles

__all__ = [
    "ArticleChange",
    "ArticleText",
    "Citation",
    "LawDiff",
    "LawImportSummary",
    "ParsedLaw",
    "UnresolvedCitation",
    "check_citations",
    "cited_articles",
    "diff_articles",
    "find_law",
    "import_law",
    "law_diff",
    "law_list",
    "parse_citation",
    "parse_law",
    "parse_version_date",
    "question_articles",
    "render_diff",
    "short_name",
    "word_diff",
]
