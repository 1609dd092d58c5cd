"""``bank check-citations``: every citation checked against the version of the law it cites.

Each current question version cites each law in one version, the one in force when it was
written (:mod:`studyhub.laws.written`). Its citation must resolve there; a citation that does
not, but resolves in an older version, says so with that version's date; one that resolves
only in the current text is read there (the question was written for it). When the version
cited is not the current one, what became of each cited article in the current text is
said: renumbered (the citation's number now names another article), removed, or changed
(unless a review settled the question as still right for the current text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyhub.errors import InputError
from studyhub.i18n import Lazy, msg
from studyhub.laws.citations import Citation, parse_citation
from studyhub.laws.written import LawVersions, by_name, law_versions, reviewed_versions
from studyhub.numerals import int_to_cn

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studyhub.db import Database

__all__ = ["UnresolvedCitation", "check_citations"]

#: (number, sub) of the preamble in a review's articles and in the changes found here
PREAMBLE = (0, 0)


@dataclass
class UnresolvedCitation:
    bank: str
    question: str
    source: str
    #: why it does not resolve (English as ``str()``, shown in the UI language)
    reason: str | Lazy


@dataclass
class _Stored:
    """What the check reads of the stored laws: every version's article numbers and
    preamble, and the changes from each version cited to the current one."""

    laws: dict[int, LawVersions]
    named: dict[str, LawVersions]
    refs: dict[tuple[int, int], set[tuple[int, int]]]
    preambles: dict[tuple[int, int], bool]
    changes: dict[tuple[int, int], dict[tuple[int, int], dict[str, Any]]]


def check_citations(database: Database) -> list[UnresolvedCitation]:
    """Every citation of a current question (not retired) that does not resolve in the
    version of the law it cites, or that cites an older text whose article the current text
    renumbered, removed or changed (see the module)."""
    import sqlalchemy as sa

    from studyhub.laws.written import cited_versions
    from studyhub.models import Bank, LawArticle, Question, QuestionVersion

    with database.session(readonly=True) as session:
        laws = law_versions(session)
        refs: dict[tuple[int, int], set[tuple[int, int]]] = {}
        for law_id, version, number, sub in session.execute(
            sa.select(LawArticle.law_id, LawArticle.version, LawArticle.number, LawArticle.sub)
        ):
            refs.setdefault((law_id, version), set()).add((number, sub))
        rows = session.execute(
            sa.select(Bank.key, Question.external_id, QuestionVersion.id, Question.id,
                      QuestionVersion.version, QuestionVersion.source,
                      QuestionVersion.created_at)
            .join(Question, Question.bank_id == Bank.id)
            .join(QuestionVersion, sa.and_(QuestionVersion.question_id == Question.id,
                                           QuestionVersion.version == Question.current_version))
            .where(Question.status != "hidden")
            .order_by(Bank.key, Question.external_id)
        ).all()  # fmt: skip
        reviewed = reviewed_versions(session, [(r[3], r[4]) for r in rows], laws)
        cited = cited_versions(session, [tuple(r[2:]) for r in rows], laws, reviewed)
        stored = _Stored(laws, by_name(laws), refs, _preambles(session), {})
        confirmed: dict[tuple[int, int], dict[int, int]] = {}
        for (qid, qv, law_id), (_, ok) in reviewed.items():
            if ok is not None:
                confirmed.setdefault((qid, qv), {})[law_id] = ok
        problems: list[UnresolvedCitation] = []
        for bank, question, version_id, question_id, version, source, _ in rows:
            reason = _check(session, stored, source, cited[version_id],
                            confirmed.get((question_id, version), {}))  # fmt: skip
            if reason is not None:
                problems.append(UnresolvedCitation(bank, question, source, reason))
    return problems


def _preambles(session: Session) -> dict[tuple[int, int], bool]:
    import sqlalchemy as sa

    from studyhub.models import LawVersion

    return {
        (law_id, version): bool(preamble)
        for law_id, version, preamble in session.execute(
            sa.select(LawVersion.law_id, LawVersion.version, LawVersion.preamble)
        )
    }


def _check(
    session: Session,
    stored: _Stored,
    source: str,
    cited: dict[int, int],
    confirmed: dict[int, int],
) -> str | Lazy | None:
    if not source.strip():
        return msg("no source")
    try:
        citations = parse_citation(source)
    except InputError as err:
        return err.message_text
    for citation in citations:
        law = stored.named.get(citation.law)
        if law is None:
            return msg("unknown law {law}", law=citation.law)
        written = cited.get(law.id, law.current)
        reason = _resolve(stored, law, citation, written)
        if reason is not None:
            return reason
        in_version = _wanted(citation)
        if written == law.current or not _resolves(stored, law, written, citation):
            continue  # the current text, or read there (written for it)
        reason = _since(session, stored, law, citation, written, in_version,
                        confirmed.get(law.id) == law.current)  # fmt: skip
        if reason is not None:
            return reason
    return None


def _wanted(citation: Citation) -> list[tuple[int, int]]:
    return [PREAMBLE] if citation.preamble else list(citation.refs)


def _resolves(stored: _Stored, law: LawVersions, version: int, citation: Citation) -> bool:
    if citation.preamble:
        return stored.preambles.get((law.id, version), False)
    have = stored.refs.get((law.id, version), set())
    return all(ref in have for ref in citation.refs)


def _resolve(
    stored: _Stored, law: LawVersions, citation: Citation, written: int
) -> str | Lazy | None:
    """Why the citation resolves neither in the version cited nor in the current one."""
    if citation.unit and citation.unit != law.unit:
        return msg("{law} is cited by {unit}, not {cited}", law=citation.law, unit=law.unit,
                   cited=citation.unit)  # fmt: skip
    if _resolves(stored, law, written, citation) or _resolves(stored, law, law.current, citation):
        return None
    if citation.preamble:
        return msg("{law} has no preamble", law=citation.law)
    have = stored.refs.get((law.id, law.current), set())
    top = max((number for number, _ in have), default=0)
    number, sub = next(ref for ref in citation.refs if ref not in have)
    name = str(number)
    if sub:
        name += f"之{sub}" if law.unit == "条" else f"（{sub}）"
    older = [v for v in law.versions if v.version != law.current
             and _resolves(stored, law, v.version, citation)]  # fmt: skip
    if older:
        return msg(
            "{law} {unit} {name} is only in the older version of {date} "
            "(the current text has 1-{top})",
            law=citation.law, unit=law.unit, name=name, date=older[-1].dated or "-", top=top,
        )  # fmt: skip
    return msg("{law} has no {unit} {name} (it has 1-{top})", law=citation.law, unit=law.unit,
               name=name, top=top)  # fmt: skip


def _since(
    session: Session,
    stored: _Stored,
    law: LawVersions,
    citation: Citation,
    written: int,
    wanted: list[tuple[int, int]],
    settled: bool,
) -> Lazy | None:
    """What the current text made of the cited articles of the version cited (a change of
    text not said when a review settled the question as still right for the current text)."""
    key = (law.id, written)
    if key not in stored.changes:
        stored.changes[key] = _changes(session, law, written)
    dated = law.get(written).dated or "-"
    for ref in wanted:
        entry = stored.changes[key].get(ref)
        if entry is None:
            continue
        old = _label(law.unit, *ref)
        if entry["new"] is None:
            return msg("{law} {old} of the version of {date} is not in the current text",
                       law=citation.law, old=old, date=dated)  # fmt: skip
        if tuple(entry["new"]) != ref:
            return msg("{law} {old} of the version of {date} is {new} in the current text",
                       law=citation.law, old=old, date=dated,
                       new=_label(law.unit, *entry["new"]))  # fmt: skip
        if not settled:
            return msg("{law} {old} of the version of {date} is changed in the current text",
                       law=citation.law, old=old, date=dated)  # fmt: skip
    return None


def _changes(session: Session, law: LawVersions, written: int) -> dict[tuple[int, int], Any]:
    import sqlalchemy as sa

    from studyhub.laws.doubt import affected_articles
    from studyhub.laws.store import version_articles
    from studyhub.models import LawVersion

    preambles = dict(
        session.execute(
            sa.select(LawVersion.version, LawVersion.preamble).where(
                LawVersion.law_id == law.id, LawVersion.version.in_([written, law.current])
            )
        ).all()
    )
    return affected_articles(
        version_articles(session, law.id, written),
        version_articles(session, law.id, law.current),
        preambles.get(written),
        preambles.get(law.current),
    )


def _label(unit: str, number: int, sub: int) -> str:
    """第八条, 第二条之一, 第七部分（二）, or 序言 for (0, 0)."""
    if number == 0:
        return "序言"
    label = f"第{int_to_cn(number)}{unit}"
    if sub:
        label += f"之{int_to_cn(sub)}" if unit == "条" else f"（{int_to_cn(sub)}）"
    return label
