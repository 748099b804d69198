"""Reading the audit log: one page of events with their actor's name, and the actions it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from council.models import AuditEvent, User
from council.queries import paging

PAGE_SIZE = 50


@dataclass
class AuditRow:
    event: AuditEvent
    actor_name: str | None


def audit_events(
    session: Session,
    *,
    action: str | None = None,
    actor_name: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
) -> tuple[list[AuditRow], bool]:
    """One page of the audit log, newest first, and whether an older page exists."""
    query = select(AuditEvent, User.name).outerjoin(User, col(AuditEvent.actor_id) == col(User.id))
    if action:
        query = query.where(AuditEvent.action == action)
    if actor_name:
        query = query.where(User.name_key == actor_name.casefold())
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    rows, more = paging.rows(session, query.order_by(col(AuditEvent.id).desc()), page, PAGE_SIZE)
    return [AuditRow(event=e, actor_name=n) for e, n in rows], more


def actions(session: Session) -> list[str]:
    """Every kind of action the log holds, for the filter."""
    return [
        str(row[0])
        for row in session.execute(
            select(func.distinct(AuditEvent.action)).order_by(AuditEvent.action)
        )
    ]
