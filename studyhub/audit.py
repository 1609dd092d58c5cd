"""The audit trail: a row for every admin change and every submission, written in the same
transaction as the change itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["record_event"]


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str = "",
    object_key: str = "",
    details: dict[str, Any] | None = None,
    actor_id: int | None = None,
) -> None:
    """Add an audit row to the current unit of work (committed with it)."""
    from studyhub.db import db_now
    from studyhub.models import AuditEvent

    session.add(
        AuditEvent(
            at=db_now(session),
            actor=actor,
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_key=object_key,
            details=details,
        )
    )
