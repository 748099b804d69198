"""Consents, stepping back, quotes, conflicts and account deletion, without HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect
from sqlmodel import select

from council.actions import ActionError, Forbidden, my_data, payments
from council.actions import engagements as engagement_actions
from council.actions import rates as rate_actions
from council.actions import safeguards as actions
from council.models import AuditEvent, Engagement, Quote, User
from council.queries import my_data as my_data_queries
from council.queries import safeguards
from council.rules import money
from tests.factories import prepared_consultation


def publish(db, sec, topic="taking_part", body="You may stop at any time."):
    with db.write() as s:
        return actions.publish_consent_text(s, sec, topic, body)


def test_versions_and_current_consent(db, people):
    sec, member = people["secretariat"], people["member"]
    with db.read() as s:
        assert not safeguards.needs_taking_part_consent(s, member.id)  # nothing written yet
    assert publish(db, sec).version == 1
    with db.read() as s:
        assert safeguards.needs_taking_part_consent(s, member.id)
    with db.write() as s:
        actions.give_consent(s, member, "taking_part")
    with db.read() as s:
        assert not safeguards.needs_taking_part_consent(s, member.id)
    assert publish(db, sec, body="Version two.").version == 2
    with db.read() as s:
        assert safeguards.needs_taking_part_consent(s, member.id)
        row = next(r for r in safeguards.consent_rows(s, member.id) if r.topic == "taking_part")
        assert row.outdated and not row.given
    with db.write() as s, pytest.raises(Forbidden):
        actions.publish_consent_text(s, member, "taking_part", "mine")
    with db.write() as s, pytest.raises(Forbidden):
        actions.give_consent(s, people["official"], "taking_part")


def test_withdrawal_takes_effect_at_once_and_is_audited(db, people):
    sec, member = people["secretariat"], people["member"]
    publish(db, sec, "email_contact", "We may email you that something is waiting.")
    with db.write() as s:
        actions.give_consent(s, member, "email_contact")
    with db.read() as s:
        assert safeguards.has_consented(s, member.id, "email_contact")
    with db.write() as s:
        actions.withdraw_consent(s, member, "email_contact")
    with db.read() as s:
        assert not safeguards.has_consented(s, member.id, "email_contact")
        actions_logged = (
            s.execute(select(AuditEvent.action).where(AuditEvent.actor_id == member.id))
            .scalars()
            .all()
        )
    assert actions_logged[-2:] == ["consent.give", "consent.withdraw"]


def test_withdrawing_being_quoted_flags_every_quote(db, people):
    sec, member, other = people["secretariat"], people["member"], people["member2"]
    publish(db, sec, "being_quoted", "The council may quote you anonymously.")
    with db.write() as s:
        actions.give_consent(s, member, "being_quoted")
        s.add_all(
            [
                Quote(member_id=member.id, position_ref="position-1", published=False),
                Quote(member_id=member.id, position_ref="position-2", published=True),
                Quote(member_id=other.id, position_ref="position-1", published=True),
            ]
        )
    with db.write() as s:
        actions.withdraw_consent(s, member, "being_quoted")
    with db.read() as s:
        quotes = s.execute(select(Quote).order_by(Quote.id)).scalars().all()
        flagged = (
            s.execute(select(AuditEvent).where(AuditEvent.action == "quote.flag")).scalars().all()
        )
    assert [q.flagged_at is not None for q in quotes] == [True, True, False]
    assert flagged[0].detail == {"count": 2}


def test_step_back_and_resume(db, people):
    member = people["member"]
    with db.write() as s:
        actions.step_back(s, member)
        actions.step_back(s, member)  # already stepping back: one pause
    with db.read() as s:
        assert safeguards.is_stepping_back(s, member.id)
        assert safeguards.stepping_back_member_ids(s) == {member.id}
    with db.write() as s:
        actions.resume(s, member)
    with db.read() as s:
        assert not safeguards.is_stepping_back(s, member.id)
        assert safeguards.stepping_back_member_ids(s) == set()
    with db.write() as s, pytest.raises(Forbidden):
        actions.step_back(s, people["secretariat"])


def test_conflicts_and_support_contacts(db, people, settings):
    cid = prepared_consultation(db, settings, people).consultation_id
    with db.write() as s:
        actions.declare_conflict(
            s,
            people["member"],
            consultation_id=cid,
            description="I work for a shelter named in the draft.",
        )
        with pytest.raises(ActionError):
            actions.declare_conflict(s, people["member"], consultation_id=cid, description=" ")
        with pytest.raises(ActionError):
            actions.declare_conflict(
                s, people["member"], consultation_id=cid + 999, description="x"
            )
        actions.save_support_contact(
            s, people["secretariat"], name="Helpline", how_to_reach="0 800 000 000"
        )
        with pytest.raises(Forbidden):
            actions.save_support_contact(s, people["member"], name="x", how_to_reach="y")
    with db.read() as s:
        rows = safeguards.conflicts(s)
        assert rows[0].member_name == "amber" and rows[0].declaration.consultation_id == cid
        assert [c.name for c in safeguards.support_contacts(s)] == ["Helpline"]


def _all_text(db) -> str:
    """Every value in every table, as one string, to look for what must be gone."""
    chunks = []
    with db.read() as s:
        conn = s.connection()
        for name in inspect(conn).get_table_names():
            for row in conn.exec_driver_sql(f'SELECT * FROM "{name}"'):
                chunks.extend(repr(v) for v in row)
    return "\n".join(chunks)


def test_account_deletion_leaves_only_what_finance_keeps(db, people, settings):
    sec, member = people["secretariat"], people["member"]
    cid = prepared_consultation(db, settings, people).consultation_id
    secret = settings.secret_key
    publish(db, sec)
    with db.write() as s:
        rate_actions.set_rate(
            s, sec, kind="consultation", unit="hour", currency="EUR", amount_minor=2500
        )
        rate_actions.set_payment_methods(s, sec, ["bank_transfer"])
        payments.save_payment_profile(
            s,
            secret,
            member,
            method="bank_transfer",
            details="UA99 8888",
            legal_name="Maria Example",
        )
        actions.give_consent(s, member, "taking_part")
        actions.step_back(s, member)
        actions.declare_conflict(s, member, consultation_id=cid, description="amber's cousin")
        s.add(Quote(member_id=member.id, position_ref="p-1"))
        paid = engagement_actions.record_contribution(
            s,
            member,
            consultation_id=None,
            label="amber's work",
            occurred_on=date.today(),
            quantity_milli=money.parse_quantity("2"),
        )
        unpaid = engagement_actions.record_contribution(
            s,
            member,
            consultation_id=None,
            label="more",
            occurred_on=date.today(),
            quantity_milli=1000,
        )
        engagement_actions.approve(s, sec, paid.id)
        engagement_actions.add_expense(
            s, sec, paid.id, kind="travel", amount_minor=500, note="amber's bus"
        )
        engagement_actions.mark_paid(s, sec, paid.id)
    with db.read() as s:
        exported = my_data_queries.export(s, secret, s.get(User, member.id))
    assert exported["payment"]["legal_name"] == "Maria Example"
    assert exported["account"]["pseudonym"] == "amber"
    assert {e["status"] for e in exported["engagements"]} == {"paid", "completed"}

    with db.write() as s:
        reference = my_data.delete_account(s, s.get(User, member.id))

    everything = _all_text(db)
    assert "amber" not in everything.lower()
    assert "UA99" not in everything
    with db.read() as s:
        assert s.get(User, member.id) is None
        assert s.get(Engagement, unpaid.id) is None
        kept = s.get(Engagement, paid.id)
        assert kept.member_id is None and kept.former_member_ref == reference
        assert kept.total_minor == 5500 and kept.label == ""
        # The one thing finance keeps about the person: the legal name copied at payment.
        from council.queries import engagements as ledger

        assert ledger.payee_legal_name(secret, kept) == "Maria Example"
        names = []
        for table in (
            "payment_profile",
            "consent",
            "participation_pause",
            "conflict_declaration",
            "recovery_code",
            "web_session",
        ):
            names.append(s.connection().exec_driver_sql(f"SELECT count(*) FROM {table}").scalar())
        assert names == [0, 0, 0, 0, 0, 0]
        assert s.execute(select(Quote.member_id)).scalar_one() is None
    # Other members are untouched.
    with db.read() as s:
        assert s.get(User, people["member2"].id) is not None


@pytest.mark.parametrize("withdraw", [False, True])
def test_account_deletion_disowns_or_withdraws_comments(db, people, settings, withdraw):
    """Comments stay, disowned, unless the member also chooses to withdraw them; then both the
    council-visible and the anonymous ones go (the anonymous ones found with their key)."""
    from council.actions import my_data
    from council.models import Comment
    from tests.factories import author, post_comment

    setup = prepared_consultation(db, settings, people)
    amber = author(settings, people["member"])
    anonymous = post_comment(db, settings, amber, setup, "Said without my name.")
    visible = post_comment(db, settings, amber, setup, "Said with my name.", visibility="council")
    other = post_comment(db, settings, author(settings, people["member2"]), setup, "Not amber's.")
    with db.write() as s:
        member = s.get(User, people["member"].id)
        my_data.delete_account(s, member, withdraw_comments=withdraw, anonymity_key=amber.key)
    with db.read() as s:
        left = {c.id: c for c in s.execute(select(Comment)).scalars()}
    assert other in left
    if withdraw:
        assert anonymous not in left and visible not in left
    else:
        assert left[anonymous].author_id is None and left[visible].author_id is None
        assert left[visible].body == "Said with my name."
