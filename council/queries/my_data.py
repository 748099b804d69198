"""Everything held about a member, for their own eyes: the page and the download show this."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from council.auth import crypto
from council.models import (
    AuditEvent,
    ConflictDeclaration,
    Consent,
    ParticipationPause,
    PaymentProfile,
    Quote,
    RecoveryCode,
    User,
)
from council.queries import NotFound, meetings, terms
from council.queries import comments as comment_queries
from council.queries import engagements as ledger
from council.rules import money, permissions
from council.rules.authorship import Author


def _iso(value: datetime | date | None) -> datetime | date | None:
    """Times stay times here: the page formats them for the reader, the JSON file writes them
    as ISO 8601 (`as_json`)."""
    return value


def as_json(data: dict[str, Any]) -> str:
    def default(value: object) -> str:
        if isinstance(value, datetime | date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(data, ensure_ascii=False, indent=2, default=default)


def export(
    session: Session, secret: str, member: User, anonymity_key: bytes | None = None
) -> dict[str, Any]:
    """Everything held about the member, readable (amounts as decimal text, never floats),
    with the comments they can find: council-visible ones by their account, anonymous ones by
    their anonymity key (without it in the session, those cannot be found by anyone)."""
    if not permissions.is_member(member):
        raise NotFound
    member_id = member.require_id
    engagements = ledger.member_engagements(session, member_id)
    expenses = ledger.expenses_of(session, [e.require_id for e in engagements])
    profile = ledger.profile_view(secret, session.get(PaymentProfile, member_id))
    details = None
    stored = session.get(PaymentProfile, member_id)
    if stored is not None and stored.details_enc:
        details = crypto.decrypt(secret, ledger.DETAILS_PURPOSE, stored.details_enc).decode()

    def amount(minor: int, currency: str) -> str:
        return money.plain_amount(minor, currency)

    return {
        "account": {
            "pseudonym": member.name,
            "role": member.role,
            "created_at": _iso(member.created_at),
            "email": member.email,
            "timezone": member.timezone,
            "language": member.locale,
            "second_factor": member.totp_enrolled_at is not None,
            "unused_recovery_codes": len(
                session.execute(
                    select(RecoveryCode.id).where(
                        RecoveryCode.user_id == member_id, col(RecoveryCode.used_at).is_(None)
                    )
                ).all()
            ),
        },
        "payment": {
            "method": profile.method if profile else None,
            "details": details,
            "legal_name": profile.legal_name if profile else None,
        },
        "engagements": [
            {
                "id": e.id,
                "kind": e.kind,
                "label": e.label,
                "date": _iso(e.occurred_on),
                "quantity": money.format_quantity(e.quantity_milli),
                "unit": e.unit,
                "rate": amount(e.rate_minor, e.currency),
                "rate_override_reason": e.rate_override_reason,
                "fee": amount(e.fee_minor, e.currency),
                "expenses": [
                    {"kind": x.kind, "amount": amount(x.amount_minor, e.currency), "note": x.note}
                    for x in expenses.get(e.require_id, [])
                ],
                "total": amount(e.total_minor, e.currency),
                "currency": e.currency,
                "status": e.status,
                "cancel_reason": e.cancel_reason,
                "completed_at": _iso(e.completed_at),
                "approved_at": _iso(e.approved_at),
                "paid_at": _iso(e.paid_at),
                "paid_method": e.paid_method,
            }
            for e in engagements
        ],
        # Issue 18: the member's term, what they said about themselves, their meetings.
        **terms.export_of(session, member_id),
        "meetings": meetings.export_of(session, member_id),
        "consents": [
            {
                "topic": c.topic,
                "version": c.version,
                "given_at": _iso(c.given_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in session.execute(
                select(Consent).where(Consent.member_id == member_id).order_by(col(Consent.id))
            ).scalars()
        ],
        "stepping_back": [
            {"started_at": _iso(p.started_at), "ended_at": _iso(p.ended_at)}
            for p in session.execute(
                select(ParticipationPause)
                .where(ParticipationPause.member_id == member_id)
                .order_by(col(ParticipationPause.id))
            ).scalars()
        ],
        "conflicts_of_interest": [
            {
                "consultation_id": d.consultation_id,
                "description": d.description,
                "declared_at": _iso(d.declared_at),
            }
            for d in session.execute(
                select(ConflictDeclaration).where(ConflictDeclaration.member_id == member_id)
            ).scalars()
        ],
        "quotes": [
            {"position": q.position_ref, "published": q.published, "flagged_at": _iso(q.flagged_at)}
            for q in session.execute(select(Quote).where(Quote.member_id == member_id)).scalars()
        ],
        "comments": [
            {
                "consultation_id": c.consultation_id,
                "day": c.created_on.date(),
                "visibility": c.visibility,
                "status": c.status,
                "body": c.body,
                "choices": c.choices,
                "may_quote": c.may_quote,
                "reject_reason": c.reject_reason,
            }
            for c in comment_queries.every_own_comment(session, Author(member, anonymity_key))
        ],
        "activity": [
            {"at": _iso(a.at), "action": a.action}
            for a in session.execute(
                select(AuditEvent)
                .where(AuditEvent.actor_id == member_id)
                .order_by(col(AuditEvent.id))
            ).scalars()
        ],
    }
