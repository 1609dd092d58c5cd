"""The audit trail: a row for every admin change and every submission, written in the same
transaction as the change itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy.orm import Session

__all__ = ["APPEND_ONLY", "grant_statements", "list_events", "record_event"]


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str = "",
    object_key: str = "",
    details: dict[str, Any] | None = None,
    actor_id: int | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Add an audit row to the current unit of work (committed with it), stamped with the
    database's clock (``at``, when the caller has just read it)."""
    from studyhub.db import db_now
    from studyhub.models import AuditEvent

    session.add(
        AuditEvent(
            at=db_now(session) if at is None else at,
            actor=actor,
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_key=object_key,
            details=details,
        )
    )


def list_events(
    database: Any,
    *,
    since: Any = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Audit events, newest first, filtered by time (an aware datetime), actor and action
    (a prefix such as ``bank.`` matches every bank action)."""
    import sqlalchemy as sa

    from studyhub.models import AuditEvent

    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    if action:
        query = query.where(
            AuditEvent.action.startswith(action)
            if action.endswith(".")
            else AuditEvent.action == action
        )
    with database.session(readonly=True) as session:
        return [
            {
                "at": event.at,
                "actor": event.actor,
                "action": event.action,
                "object": f"{event.object_type}:{event.object_key}",
                "details": event.details,
            }
            for event in session.scalars(query)
        ]


#: tables the application may never change once written
APPEND_ONLY = ("audit_events",)


def grant_statements(role: str, database_name: str) -> list[str]:
    """PostgreSQL statements giving an application role what studyhub needs, but no UPDATE or
    DELETE (or TRUNCATE) on the audit table: audit rows cannot be changed through it."""
    import re

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", role):
        from studyhub.errors import InputError
        from studyhub.i18n import msg

        raise InputError(msg("{role!r} is not a plain PostgreSQL role name", role=role))
    quoted_db = '"' + database_name.replace('"', '""') + '"'
    statements = [
        f"GRANT CONNECT ON DATABASE {quoted_db} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    for table in APPEND_ONLY:
        statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {role}")
    return statements
