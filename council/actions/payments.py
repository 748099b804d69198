"""How a member is paid: their own payment choice (details and legal name encrypted), and the
audit of the secretariat's finance export."""

from __future__ import annotations

from sqlmodel import Session

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.auth import crypto
from council.i18n import gettext as _
from council.models import PaymentProfile, User, utcnow
from council.queries import engagements as engagement_queries
from council.rules import permissions


def save_payment_profile(
    session: Session,
    secret: str,
    member: User,
    *,
    method: str,
    details: str,
    legal_name: str,
    keep_details: bool = False,
) -> PaymentProfile:
    """A member's own choice. Details and legal name are encrypted; an empty legal name removes
    it. `keep_details` leaves stored details as they are (the form shows them only masked)."""
    if not permissions.is_member(member):
        raise Forbidden
    if method and method not in engagement_queries.enabled_payment_methods(session):
        raise ActionError(_("Choose one of the ways the council can pay."), "method")
    profile = session.get(PaymentProfile, member.id) or PaymentProfile(member_id=member.require_id)
    profile.method = method
    if not keep_details:
        details = details.strip()[:300]
        profile.details_enc = (
            crypto.encrypt(secret, engagement_queries.DETAILS_PURPOSE, details.encode())
            if details
            else None
        )
    legal_name = legal_name.strip()[:200]
    profile.legal_name_enc = (
        crypto.encrypt(secret, engagement_queries.LEGAL_NAME_PURPOSE, legal_name.encode())
        if legal_name
        else None
    )
    profile.updated_at = utcnow()
    session.add(profile)
    # What changed, never the values.
    record(session, member, "payment_profile.save", "user", member.id, method=method)
    return profile


def record_export(session: Session, actor: User, *, lines: int, filters: dict[str, str]) -> None:
    """The finance export is a privileged read: the audit log says who took it and when."""
    if not permissions.can_manage_ledger(actor):
        raise Forbidden
    record(session, actor, "ledger.export", "engagement", "", lines=lines, filters=filters)
