"""Membership terms without HTTP: start, renew (up to the cap), end, each audited; what a member
says about themselves, and the counts the secretariat sees of it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from council.actions import ActionError, Forbidden
from council.actions import terms as actions
from council.models import AuditEvent, SelfDescription, Term
from council.queries import terms as queries
from tests.conftest import make_user

START = date(2026, 1, 1)
TODAY = date(2026, 12, 2)


def start(db, settings, people, who="member", day=START):
    with db.write() as s:
        return actions.start_term(
            s, people["secretariat"], settings, people[who].id, day, today=TODAY
        )


def audit_actions(db):
    with db.read() as s:
        return list(s.execute(select(AuditEvent.action, AuditEvent.object_id)).all())


def test_a_term_starts_for_the_council_term_length_and_is_audited(db, settings, people):
    term = start(db, settings, people)
    assert (term.started_on, term.ends_on, term.renewals) == (START, date(2027, 12, 31), 0)
    assert ("term.start", str(people["member"].id)) in audit_actions(db)


def test_renewal_is_refused_beyond_the_cap_with_a_clear_message(db, settings, people):
    start(db, settings, people)
    with db.write() as s:
        renewed = actions.renew_term(s, people["secretariat"], settings, people["member"].id)
    assert renewed.ends_on == date(2029, 12, 31) and renewed.renewals == 1
    with pytest.raises(ActionError, match="cannot be renewed") as refused, db.write() as s:
        actions.renew_term(s, people["secretariat"], settings, people["member"].id)
    assert "1 renewal" in refused.value.message
    with db.read() as s:
        term = s.get(Term, people["member"].id)
        assert term is not None and term.renewals == 1 and term.ends_on == date(2029, 12, 31)
    assert [a for a, _ in audit_actions(db)].count("term.renew") == 1


def test_a_higher_cap_allows_more_renewals(db, settings, people):
    settings.term_renewal_cap = 2
    start(db, settings, people)
    for _ in range(2):
        with db.write() as s:
            actions.renew_term(s, people["secretariat"], settings, people["member"].id)
    with pytest.raises(ActionError), db.write() as s:
        actions.renew_term(s, people["secretariat"], settings, people["member"].id)


def test_ending_a_term_is_audited_and_then_nothing_can_be_renewed(db, settings, people):
    start(db, settings, people)
    with db.write() as s:
        ended = actions.end_term(s, people["secretariat"], people["member"].id, today=TODAY)
    assert ended.ended_on == TODAY
    assert ("term.end", str(people["member"].id)) in audit_actions(db)
    with pytest.raises(ActionError, match="no current term"), db.write() as s:
        actions.renew_term(s, people["secretariat"], settings, people["member"].id)
    # After a break the member can be appointed again, with the renewals counted afresh.
    again = start(db, settings, people, day=date(2027, 1, 1))
    assert again.renewals == 0 and again.ended_on is None


def test_a_second_term_cannot_start_over_a_current_one(db, settings, people):
    start(db, settings, people)
    with pytest.raises(ActionError, match="already has a term"):
        start(db, settings, people)


@pytest.mark.parametrize("role", ["member", "chair", "official"])
def test_only_the_secretariat_changes_terms(db, settings, people, role):
    start(db, settings, people, who="member2")
    for change in (
        lambda s: actions.start_term(s, people[role], settings, people["member"].id, START),
        lambda s: actions.renew_term(s, people[role], settings, people["member2"].id),
        lambda s: actions.end_term(s, people[role], people["member2"].id),
    ):
        with pytest.raises(Forbidden), db.write() as s:
            change(s)
    with db.read() as s:
        term = s.get(Term, people["member2"].id)
        assert term is not None and term.renewals == 0 and term.ended_on is None


def test_staff_get_no_term(db, settings, people):
    with pytest.raises(ActionError, match="Choose a member"):
        start(db, settings, people, who="official")


def test_size_and_terms_ending_soon(db, settings, people):
    start(db, settings, people, day=date(2025, 3, 1))  # ends 2027-02-28: within 90 days
    start(db, settings, people, who="member2", day=date(2026, 6, 1))
    with db.read() as s:
        current = queries.current_terms(s, TODAY)
        without = queries.members_without_term(s, TODAY)
    assert [r.member.name for r in current] == ["amber", "birch"]
    assert [r.member.name for r in queries.ending_soon(current, TODAY)] == ["amber"]
    assert [m.name for m in without] == ["cedar"]


def test_self_description_is_optional_and_not_audited(db, settings, people):
    member = people["member"]
    before = audit_actions(db)
    with db.write() as s:
        actions.describe_self(s, member, gender="woman", region="  Lviv   oblast ")
    with db.read() as s:
        found = s.get(SelfDescription, member.id)
        assert found is not None and found.region == "Lviv oblast"
    assert audit_actions(db) == before
    with db.write() as s:
        actions.describe_self(s, member, gender="", region="")
    with db.read() as s:
        assert s.get(SelfDescription, member.id) is None
    with pytest.raises(ActionError), db.write() as s:
        actions.describe_self(s, member, gender="robot", region="")
    with pytest.raises(Forbidden), db.write() as s:
        actions.describe_self(s, people["official"], gender="man", region="")


def test_composition_counts_hide_groups_of_fewer_than_5(db, settings, people):
    members = [make_user(db, settings, f"m{n:02d}") for n in range(11)]
    for n, member in enumerate(members):
        with db.write() as s:
            gender = "woman" if n < 6 else ("man" if n < 10 else "")
            region = "North" if n < 5 else ("South" if n < 9 else "")
            actions.describe_self(s, member, gender=gender, region=region)
    with db.read() as s:
        found = queries.composition_of(s, [m.id for m in members])
    assert found.total == 11
    gender = {c.answer: c.count for c in found.gender}
    # 6 women, 4 men, 1 not said: the men are fewer than 5, hidden; 11 - 6 = 5 reveals no one.
    assert gender["woman"] == 6 and gender["man"] is None
    region = {c.answer: c.count for c in found.region}
    # 5 North, 4 South, 2 not said: South hidden; 11 - 5 = 6, so North may be shown.
    assert region == {"North": 5, "": None}
