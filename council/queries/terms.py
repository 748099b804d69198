"""Reading membership terms: a member's own, those ending soon, the council's size against its
rule, and its composition (counts only, from what members said about themselves)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from council.models import MEMBER_ROLES, Gender, SelfDescription, Term, User
from council.queries import NotFound
from council.rules import composition
from council.rules import terms as rules


@dataclass
class TermRow:
    member: User
    term: Term


def _active() -> tuple[ColumnElement[bool], ...]:
    return (
        col(User.role).in_([r.value for r in MEMBER_ROLES]),
        col(User.disabled_at).is_(None),
    )


def _current(today: date) -> tuple[ColumnElement[bool], ...]:
    return (
        col(Term.ended_on).is_(None),
        col(Term.started_on) <= today,
        col(Term.ends_on) >= today,
    )


def term_of(session: Session, member_id: int) -> Term | None:
    return session.get(Term, member_id)


def current_terms(session: Session, today: date) -> list[TermRow]:
    """Every active member with a current term, the soonest to end first."""
    rows = session.execute(
        select(User, Term)
        .join(Term, col(Term.member_id) == col(User.id))
        .where(*_active(), *_current(today))
        .order_by(col(Term.ends_on), col(User.name_key))
    ).all()
    return [TermRow(member, term) for member, term in rows]


def ending_soon(rows: list[TermRow], today: date) -> list[TermRow]:
    return [row for row in rows if rules.ends_soon(row.term.ends_on, today)]


def members_without_term(session: Session, today: date) -> list[User]:
    """Active members with no current term (never appointed, ended, or not yet started)."""
    current = select(Term.member_id).where(*_current(today))
    return list(
        session.execute(
            select(User)
            .where(*_active(), col(User.id).not_in(current))
            .order_by(col(User.name_key))
        ).scalars()
    )


def ending_within(session: Session, today: date, days: int) -> int:
    """How many current terms end in the next `days` days."""
    return len(
        session.execute(
            select(Term.member_id).where(
                *_current(today), col(Term.ends_on) <= today + timedelta(days=days)
            )
        ).all()
    )


@dataclass
class Composition:
    total: int
    gender: list[composition.Cell]
    region: list[composition.Cell]


def composition_of(session: Session, member_ids: list[int]) -> Composition:
    """Counts of what the given members said of themselves, with small groups hidden
    (council/rules/composition.py); the total is the number of members given."""
    said = (
        list(
            session.execute(
                select(SelfDescription).where(col(SelfDescription.member_id).in_(member_ids))
            ).scalars()
        )
        if member_ids
        else []
    )
    total = len(member_ids)
    genders = composition.group(s.gender for s in said)
    regions = composition.group(s.region for s in said)
    return Composition(
        total=total,
        gender=composition.cells(genders, total, choices=tuple(g.value for g in Gender)),
        region=composition.cells(regions, total),
    )


def self_description(session: Session, member_id: int) -> SelfDescription | None:
    return session.get(SelfDescription, member_id)


def access_term(session: Session, member_id: int) -> TermRow:
    """An active member and their term, for the secretariat's confirm pages; NotFound for
    anyone else (a staff account, a deleted one, a member without a term)."""
    member = session.get(User, member_id)
    term = session.get(Term, member_id)
    if member is None or not member.is_member or member.disabled_at is not None or term is None:
        raise NotFound
    return TermRow(member, term)


def export_of(session: Session, member_id: int) -> dict[str, object]:
    """A member's term and what they said about themselves, for the download of their data."""
    term = session.get(Term, member_id)
    said = session.get(SelfDescription, member_id)
    return {
        "term": {
            "started_on": term.started_on.isoformat(),
            "ends_on": term.ends_on.isoformat(),
            "renewals": term.renewals,
            "ended_on": term.ended_on.isoformat() if term.ended_on else None,
        }
        if term
        else None,
        "about_me": {"gender": said.gender, "region": said.region} if said else None,
    }
