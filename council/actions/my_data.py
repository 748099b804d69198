"""Deleting a member's account (what is held about them is read in council/queries/my_data.py).

Deletion keeps only what finance law needs: a *paid* engagement stays in the ledger with its
amounts, dates, kind and payment method, the member's id replaced by a random `former-…`
reference, free text cleared, and the legal name that was copied at payment (only if the member
had given one, encrypted). Everything else about the member is deleted: unpaid engagements, the
payment profile (method details, legal name), consents, pauses, conflict declarations, recovery
codes and sessions; quotes lose their link to the member; the account row goes, and with it the
pseudonym. The audit log keeps the account's number only (it never holds names).

Comments (another branch) stay published and disowned unless the member also chose to withdraw
them: `delete_account(..., withdraw_comments=True)` — the consultations work adds that step here.
"""

from __future__ import annotations

import secrets

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select, update

from council.actions import Forbidden
from council.actions.audit import record
from council.auth.anonymity import author_tag
from council.auth.sessions import end_all_for_user
from council.models import (
    Comment,
    ConflictDeclaration,
    Consent,
    Engagement,
    EngagementStatus,
    Expense,
    ParticipationPause,
    PaymentProfile,
    Quote,
    RecoveryCode,
    User,
)
from council.rules import permissions


def delete_account(
    session: Session,
    member: User,
    *,
    withdraw_comments: bool = False,
    anonymity_key: bytes | None = None,
) -> str:
    """Delete the member's account (see the module's docstring for what stays). Returns the
    `former-…` reference given to the paid engagements that finance keeps.

    Comments stay, disowned, unless the member chose to withdraw them too: then every comment of
    theirs goes, council-visible ones found by author and anonymous ones by the tags their
    anonymity key gives (it is in their signed-in session; without it nobody can find them).
    Withdrawal is the member's right over their own words, so it also takes comments whose
    consultation has closed, and the citations and quotes of them, with it."""
    if not permissions.is_member(member):
        raise Forbidden
    member_id = member.require_id
    withdrawn = (
        _withdraw_all_comments(session, member_id, anonymity_key) if withdraw_comments else 0
    )
    reference = "former-" + secrets.token_hex(4)
    unpaid = list(
        session.execute(
            select(Engagement.id).where(
                Engagement.member_id == member_id, Engagement.status != EngagementStatus.PAID
            )
        ).scalars()
    )
    if unpaid:
        session.execute(delete(Expense).where(col(Expense.engagement_id).in_(unpaid)))
        session.execute(delete(Engagement).where(col(Engagement.id).in_(unpaid)))
    paid = list(
        session.execute(select(Engagement.id).where(Engagement.member_id == member_id)).scalars()
    )
    if paid:
        session.execute(update(Expense).where(col(Expense.engagement_id).in_(paid)).values(note=""))
        session.execute(
            update(Engagement)
            .where(col(Engagement.id).in_(paid))
            .values(member_id=None, former_member_ref=reference, label="", rate_override_reason="")
        )
    for table in (PaymentProfile, Consent, ParticipationPause, ConflictDeclaration):
        session.execute(delete(table).where(col(table.member_id) == member_id))
    session.execute(update(Quote).where(col(Quote.member_id) == member_id).values(member_id=None))
    session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == member_id))
    end_all_for_user(session, member_id)
    record(
        session,
        member,
        "account.delete",
        "user",
        member_id,
        paid_engagements_kept=len(paid),
        comments_withdrawn=withdrawn,
    )
    session.execute(delete(User).where(col(User.id) == member_id))
    return reference


def _withdraw_all_comments(session: Session, member_id: int, anonymity_key: bytes | None) -> int:
    own = col(Comment.author_id) == member_id
    if anonymity_key is not None:
        consultation_ids = session.execute(select(Comment.consultation_id).distinct()).scalars()
        tags = [author_tag(anonymity_key, cid) for cid in consultation_ids]
        own = or_(own, col(Comment.author_tag).in_(tags))
    ids = list(session.execute(select(Comment.id).where(own)).scalars())
    if ids:
        # Notes, citations and quotes of these comments go with them (ON DELETE CASCADE).
        session.execute(delete(Comment).where(col(Comment.id).in_(ids)))
    return len(ids)
