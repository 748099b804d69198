from __future__ import annotations

from typing import Any

from sqlmodel import Session

from council.models import AuditEvent, User


def record(
    session: Session,
    actor: User | None,
    action: str,
    object_type: str = "",
    object_id: object = "",
    **detail: Any,
) -> AuditEvent:
    """Append one privileged action to the audit log, in the caller's transaction.

    Detail must never hold secrets or anything that identifies an anonymous author.
    """
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )
    session.add(event)
    return event
