"""Who may do what: one function per capability, used by every handler and action.

Each takes the signed-in user (or None for the public) and, where the answer depends on an object,
that object. They only answer; the views turn a "no" into 403/404 and the actions refuse too, so a
rule holds whichever way a change arrives.
"""

from __future__ import annotations

from council.models import Role, User
from council.rules import transitions


def is_signed_in(user: User | None) -> bool:
    return user is not None


def is_member(user: User | None) -> bool:
    return user is not None and user.is_member


def is_chair(user: User | None) -> bool:
    return user is not None and user.role == Role.CHAIR


def is_official(user: User | None) -> bool:
    return user is not None and user.role == Role.OFFICIAL


def is_secretariat(user: User | None) -> bool:
    return user is not None and user.role == Role.SECRETARIAT


def can_invite(user: User | None) -> bool:
    return is_secretariat(user)


def can_read_audit_log(user: User | None) -> bool:
    return is_secretariat(user)


def can_manage_accounts(user: User | None) -> bool:
    return is_secretariat(user)


def can_act_for_ministry(user: User | None, ministry_id: int | None) -> bool:
    """An official acts only for the ministry they were registered with."""
    return is_official(user) and user is not None and user.ministry_id == ministry_id


def can_read_own_account(user: User | None, account: User) -> bool:
    return user is not None and user.id == account.id


def is_staff(user: User | None) -> bool:
    return user is not None and user.is_staff


# --- drafts and consultations ------------------------------------------------------------------

MEMBER_VISIBLE_STATUSES = frozenset({"open", "closed", "answered"})


def can_write_drafts(user: User | None, ministry_id: int | None) -> bool:
    """Only an official writes the drafts of their own ministry."""
    return can_act_for_ministry(user, ministry_id)


def can_read_draft(user: User | None, ministry_id: int) -> bool:
    return is_secretariat(user) or can_act_for_ministry(user, ministry_id)


def can_read_consultation(user: User | None, consultation: object) -> bool:
    status = getattr(consultation, "status", "")
    ministry_id = getattr(consultation, "ministry_id", None)
    if is_secretariat(user) or can_act_for_ministry(user, ministry_id):
        return True
    return is_member(user) and status in MEMBER_VISIBLE_STATUSES


def can_comment(user: User | None) -> bool:
    return is_member(user)


def can_edit_consultation(user: User | None, consultation: object) -> bool:
    status = getattr(consultation, "status", "")
    if is_secretariat(user):
        return status in ("draft", "in_review")
    return status == "draft" and can_act_for_ministry(
        user, getattr(consultation, "ministry_id", None)
    )


def can_prepare_consultation(user: User | None, consultation: object) -> bool:
    """The staff who prepare it: its ministry's officials and the secretariat (at any stage;
    what they may change at each stage is can_edit_consultation's to say)."""
    return is_secretariat(user) or can_act_for_ministry(
        user, getattr(consultation, "ministry_id", None)
    )


def can_moderate(user: User | None) -> bool:
    return is_secretariat(user)


def can_read_results(user: User | None, consultation: object) -> bool:
    """Officials of the ministry and the secretariat, once members have had their say."""
    if getattr(consultation, "status", "") not in MEMBER_VISIBLE_STATUSES:
        return False
    return is_secretariat(user) or can_act_for_ministry(
        user, getattr(consultation, "ministry_id", None)
    )


def can_transition(user: User | None, consultation: object, to: str) -> bool:
    who = transitions.CONSULTATION.get((str(getattr(consultation, "status", "")), to))
    if who == "secretariat":
        return is_secretariat(user)
    if who == "official":
        return is_secretariat(user) or can_act_for_ministry(
            user, getattr(consultation, "ministry_id", None)
        )
    return False


# --- paid engagements and safeguards (issue 4) -------------------------------------------------


def can_read_ledger(user: User | None, member_id: int | None) -> bool:
    """A member reads only their own engagements; the secretariat reads every member's."""
    if user is None:
        return False
    if is_secretariat(user):
        return True
    return user.is_member and member_id is not None and user.id == member_id


def can_manage_ledger(user: User | None) -> bool:
    """Price, approve, pay and cancel engagements; edit the rate card; export for finance."""
    return is_secretariat(user)


def can_read_payment_totals(user: User | None) -> bool:
    """Totals by kind and month only, never per member."""
    return is_official(user) or is_secretariat(user)


def can_record_contribution(user: User | None) -> bool:
    return is_member(user)


def can_manage_safeguards(user: User | None) -> bool:
    """Consent texts, support contacts, and reading conflicts of interest and step-backs."""
    return is_secretariat(user)


# --- positions and government responses --------------------------------------------------------

POSITION_PUBLIC = frozenset({"published", "withdrawn"})


def can_write_positions(user: User | None) -> bool:
    """The chair and the secretariat draft positions, adopt, publish and withdraw them."""
    return is_chair(user) or is_secretariat(user)


def can_read_position(user: User | None, position: object) -> bool:
    """Published and withdrawn positions are public; drafts are the council's own business."""
    if getattr(position, "status", "") in POSITION_PUBLIC:
        return True
    return is_member(user) or is_secretariat(user)


def can_vote(user: User | None, position: object) -> bool:
    """Members (the chair too) vote on a draft position; staff never do."""
    return is_member(user) and getattr(position, "status", "") == "draft"


def can_respond(user: User | None, position: object) -> bool:
    """Only officials of the ministry the position addresses, once it is published."""
    return getattr(position, "status", "") == "published" and can_act_for_ministry(
        user, getattr(position, "ministry_id", None)
    )


# --- translations of content (issue 7) ---------------------------------------------------------


def can_translate_draft(user: User | None, ministry_id: int | None) -> bool:
    """The officials of the draft's ministry translate its published versions."""
    return can_act_for_ministry(user, ministry_id)


def can_translate_questions(user: User | None, consultation: object) -> bool:
    """The ministry asks the questions, so its officials translate them, at any stage."""
    return can_act_for_ministry(user, getattr(consultation, "ministry_id", None))


def can_translate_consent_texts(user: User | None) -> bool:
    """Who writes the consent texts (the secretariat) translates them."""
    return can_manage_safeguards(user)


def can_translate_position(user: User | None) -> bool:
    """The secretariat translates the council's positions (the chair writes in one language)."""
    return is_secretariat(user)


# --- the council's year: terms and meetings (issue 18) ----------------------------------------


def can_manage_terms(user: User | None) -> bool:
    """Start, renew and end members' terms; read the council's size and composition."""
    return is_secretariat(user)


def can_manage_meetings(user: User | None) -> bool:
    """Schedule meetings, record attendance, write and publish minutes."""
    return is_secretariat(user)


def can_read_meetings(user: User | None) -> bool:
    """Members see the meetings (with the place or call details); so does the secretariat."""
    return is_member(user) or is_secretariat(user)
