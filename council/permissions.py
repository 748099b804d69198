"""Who may do what: one function per capability, used by every handler and action.

Each takes the signed-in user (or None for the public) and, where the answer depends on an object,
that object. They only answer; the views turn a "no" into 403/404 and the actions refuse too, so a
rule holds whichever way a change arrives.
"""

from __future__ import annotations

from council.models import Role, User


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
