"""Membership terms: the secretariat starts, renews and ends them (each audited); a member says,
if they wish, something about themselves for the council's composition counts."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.i18n import gettext as _
from council.i18n import ngettext
from council.models import Gender, SelfDescription, Term, User, utcnow
from council.rules import permissions
from council.rules import terms as rules
from council.settings import Settings

MAX_REGION = 60


def _member(session: Session, member_id: int) -> User:
    member = session.get(User, member_id)
    if member is None or not member.is_member or member.disabled_at is not None:
        raise ActionError(_("Choose a member."), "member")
    return member


def _today(today: date | None) -> date:
    return today or utcnow().date()


def start_term(
    session: Session,
    actor: User,
    settings: Settings,
    member_id: int,
    started_on: date | None,
    today: date | None = None,
) -> Term:
    """A member's appointment: a term of the council's length from `started_on`. Refused while
    they have a current term (renew or end that one instead)."""
    if not permissions.can_manage_terms(actor):
        raise Forbidden
    member = _member(session, member_id)
    if started_on is None:
        raise ActionError(_("Enter the day the term starts."), "started_on")
    term = session.get(Term, member.require_id)
    if term is not None and term.ended_on is None and term.ends_on >= _today(today):
        raise ActionError(_("This member already has a term. Renew it or end it first."))
    if term is None:
        term = Term(member_id=member.require_id, started_on=started_on, ends_on=started_on)
    term.started_on = started_on
    term.ends_on = rules.term_end(started_on, settings.term_months)
    term.renewals = 0
    term.ended_on = None
    term.updated_at = utcnow()
    session.add(term)
    session.flush()
    record(
        session,
        actor,
        "term.start",
        "user",
        member.id,
        started_on=started_on.isoformat(),
        ends_on=term.ends_on.isoformat(),
    )
    return term


def _term_for_change(session: Session, actor: User, member_id: int) -> Term:
    if not permissions.can_manage_terms(actor):
        raise Forbidden
    member = _member(session, member_id)
    term = session.get(Term, member.require_id)
    if term is None or term.ended_on is not None:
        raise ActionError(_("This member has no current term."))
    return term


def renew_term(
    session: Session, actor: User, settings: Settings, member_id: int, today: date | None = None
) -> Term:
    """One more term, from the day after the current one ends; refused beyond the cap."""
    term = _term_for_change(session, actor, member_id)
    cap = settings.term_renewal_cap
    if not rules.may_renew(term.renewals, cap):
        raise ActionError(
            ngettext(
                "This term cannot be renewed: the council's rule allows %(num)s renewal in a "
                "row, and it has had it. The member can be appointed again after a break.",
                "This term cannot be renewed: the council's rule allows %(num)s renewals in a "
                "row, and it has had them. The member can be appointed again after a break.",
                cap,
            )
        )
    before = term.ends_on
    term.ends_on = rules.renewed_end(term.ends_on, settings.term_months)
    term.renewals += 1
    term.updated_at = utcnow()
    session.add(term)
    record(
        session,
        actor,
        "term.renew",
        "user",
        member_id,
        before=before.isoformat(),
        after=term.ends_on.isoformat(),
        renewals=term.renewals,
    )
    return term


def end_term(session: Session, actor: User, member_id: int, today: date | None = None) -> Term:
    """The term ends today (a member who leaves, or is not renewed)."""
    term = _term_for_change(session, actor, member_id)
    day = _today(today)
    term.ended_on = min(day, term.ends_on)
    term.updated_at = utcnow()
    session.add(term)
    record(session, actor, "term.end", "user", member_id, ended_on=term.ended_on.isoformat())
    return term


def describe_self(session: Session, member: User, *, gender: str, region: str) -> None:
    """What a member chooses to say about themselves; both empty removes the row. Not audited:
    the audit log would otherwise keep, beside the member's id, what they chose to say."""
    if not permissions.is_member(member):
        raise Forbidden
    if gender and gender not in {g.value for g in Gender}:
        raise ActionError(_("Choose one of the options."), "gender")
    region = " ".join(region.split())[:MAX_REGION]
    found = session.get(SelfDescription, member.require_id)
    if not gender and not region:
        if found is not None:
            session.delete(found)
        return
    found = found or SelfDescription(member_id=member.require_id)
    found.gender, found.region, found.updated_at = gender, region, utcnow()
    session.add(found)
