"""Safeguards: consents, stepping back, conflicts of interest, quotes, support contacts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select, update

from council.actions import ActionError, Forbidden, consultations
from council.actions.audit import record
from council.i18n import gettext as _
from council.models import (
    ConflictDeclaration,
    Consent,
    ConsentText,
    ConsentTopic,
    ParticipationPause,
    Quote,
    SupportContact,
    User,
    utcnow,
)
from council.queries import safeguards
from council.rules import permissions

# --- consent texts (secretariat) ---------------------------------------------------------------


def publish_consent_text(
    session: Session, actor: User | None, topic: str, body: str
) -> ConsentText:
    """A new version of a consent text. Old versions stay; members who agreed to one are asked
    again (and, for taking part, before anything else)."""
    if actor is not None and not permissions.can_manage_safeguards(actor):
        raise Forbidden
    if topic not in {t.value for t in ConsentTopic}:
        raise ActionError(_("Choose one of the options."), "topic")
    body = body.strip()
    if not body:
        raise ActionError(_("Write the text members are asked to agree to."), "body")
    current = safeguards.current_text(session, topic)
    text = ConsentText(
        topic=topic,
        version=(current.version + 1) if current else 1,
        body=body[:5000],
        created_by_id=actor.id if actor else None,
    )
    session.add(text)
    session.flush()
    record(
        session,
        actor,
        "consent_text.publish",
        "consent_text",
        text.id,
        topic=topic,
        version=text.version,
    )
    return text


# --- a member's consents -----------------------------------------------------------------------


def give_consent(
    session: Session, member: User, topic: str, now: datetime | None = None
) -> Consent:
    """Agree to the current version of a topic's text, in one tap."""
    if not permissions.is_member(member):
        raise Forbidden
    text = safeguards.current_text(session, topic)
    if text is None:
        raise ActionError(_("There is nothing to agree to yet."))
    consent = Consent(
        member_id=member.require_id, topic=topic, version=text.version, given_at=now or utcnow()
    )
    session.add(consent)
    session.flush()
    if topic == ConsentTopic.EMAIL_CONTACT:
        _set_email_notifications(session, member, True)
    record(
        session, member, "consent.give", "consent", consent.id, topic=topic, version=text.version
    )
    return consent


def _set_email_notifications(session: Session, member: User, on: bool) -> None:
    """Consent to email contact is what lets the (neutral) notifications be sent."""
    session.execute(update(User).where(col(User.id) == member.id).values(notify_by_email=on))


def withdraw_consent(
    session: Session, member: User, topic: str, anonymity_key: bytes | None = None
) -> None:
    """Withdraw in one tap; takes effect at once. Withdrawing "being quoted" removes the
    member's quotes from positions not yet published and flags those in published ones for the
    secretariat. Quotes of anonymous comments can be found only with the member's anonymity key
    (from their signed-in session); without it, only council-visible comments are found."""
    if not permissions.is_member(member):
        raise Forbidden
    answer = safeguards.latest_answers(session, member.require_id).get(topic)
    if answer is None or answer.withdrawn_at is not None:
        return
    answer.withdrawn_at = utcnow()
    session.add(answer)
    record(
        session,
        member,
        "consent.withdraw",
        "consent",
        answer.id,
        topic=topic,
        version=answer.version,
    )
    if topic == ConsentTopic.BEING_QUOTED:
        from council.actions import quotes  # quotes are of comments; imported when needed

        flag_quotes(session, member)
        quotes.flag_quotes(session, member, anonymity_key)
    if topic == ConsentTopic.EMAIL_CONTACT:
        _set_email_notifications(session, member, False)


def flag_quotes(session: Session, member: User) -> int:
    """The hook for positions: every unflagged quote of the member (draft or published) is
    flagged, for the secretariat to remove or redact."""
    now = utcnow()
    ids = list(
        session.execute(
            select(Quote.id).where(Quote.member_id == member.id, col(Quote.flagged_at).is_(None))
        ).scalars()
    )
    if ids:
        session.execute(update(Quote).where(col(Quote.id).in_(ids)).values(flagged_at=now))
        record(session, member, "quote.flag", "quote", "", count=len(ids))
    return len(ids)


# --- stepping back -----------------------------------------------------------------------------


def step_back(session: Session, member: User) -> ParticipationPause:
    """Pause participation: no requests, no notifications, never counted as absent. No reason
    is asked and none is stored."""
    if not permissions.is_member(member):
        raise Forbidden
    open_pause = session.execute(
        select(ParticipationPause).where(
            ParticipationPause.member_id == member.id, col(ParticipationPause.ended_at).is_(None)
        )
    ).scalar_one_or_none()
    if open_pause is not None:
        return open_pause
    pause = ParticipationPause(member_id=member.require_id)
    session.add(pause)
    session.flush()
    # The pause history lives in its own table; the account carries the current state, which
    # notifications read (a paused member is sent nothing).
    session.execute(
        update(User).where(col(User.id) == member.id).values(stepping_back_since=pause.started_at)
    )
    record(session, member, "participation.step_back", "user", member.id)
    return pause


def resume(session: Session, member: User) -> None:
    if not permissions.is_member(member):
        raise Forbidden
    for pause in session.execute(
        select(ParticipationPause).where(
            ParticipationPause.member_id == member.id, col(ParticipationPause.ended_at).is_(None)
        )
    ).scalars():
        pause.ended_at = utcnow()
        session.add(pause)
        record(session, member, "participation.resume", "user", member.id)
    session.execute(update(User).where(col(User.id) == member.id).values(stepping_back_since=None))


# --- conflicts of interest ---------------------------------------------------------------------


def declare_conflict(
    session: Session, member: User, *, consultation_id: int | None, description: str
) -> ConflictDeclaration:
    if not permissions.is_member(member):
        raise Forbidden
    description = description.strip()[:2000]
    if not description:
        raise ActionError(_("Describe the conflict of interest."), "description")
    consultations.check_member_can_cite(session, member, consultation_id)
    declaration = ConflictDeclaration(
        member_id=member.require_id, consultation_id=consultation_id, description=description
    )
    session.add(declaration)
    session.flush()
    record(
        session,
        member,
        "conflict.declare",
        "conflict_declaration",
        declaration.id,
        consultation_id=consultation_id,
    )
    return declaration


# --- support contacts --------------------------------------------------------------------------


def save_support_contact(
    session: Session,
    actor: User | None,
    *,
    contact_id: int | None = None,
    name: str,
    how_to_reach: str,
    description: str = "",
    position: int = 0,
) -> SupportContact:
    if actor is not None and not permissions.can_manage_safeguards(actor):
        raise Forbidden
    name, how_to_reach = name.strip()[:120], how_to_reach.strip()[:300]
    if not name or not how_to_reach:
        raise ActionError(_("Give a name and how to reach them."), "name")
    contact = session.get(SupportContact, contact_id) if contact_id else None
    if contact_id and contact is None:
        raise ActionError(_("No such contact."))
    contact = contact or SupportContact(name=name, how_to_reach=how_to_reach)
    contact.name, contact.how_to_reach = name, how_to_reach
    contact.description = description.strip()[:500]
    contact.position = position
    session.add(contact)
    session.flush()
    record(session, actor, "support_contact.save", "support_contact", contact.id)
    return contact


def delete_support_contact(session: Session, actor: User, contact_id: int) -> None:
    if not permissions.can_manage_safeguards(actor):
        raise Forbidden
    contact = session.get(SupportContact, contact_id)
    if contact is not None:
        session.delete(contact)
        record(session, actor, "support_contact.delete", "support_contact", contact_id)
