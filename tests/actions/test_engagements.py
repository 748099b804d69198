"""The engagement ledger without HTTP: pricing, status changes, overdue, totals, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlmodel import select

from council.actions import ActionError, Forbidden, payments
from council.actions import engagements as actions
from council.actions import rates as rate_actions
from council.models import AuditEvent, Engagement, Rate, utcnow
from council.queries import engagements as ledger
from council.rules import ledger as ledger_rules
from council.rules import money
from council.web.csv import lines as csv_lines


def set_rates(db, secretariat, currency="EUR", hour=2500, flat=5000):
    with db.write() as s:
        rate_actions.set_rate(
            s, secretariat, kind="consultation", unit="hour", currency=currency, amount_minor=hour
        )
        rate_actions.set_rate(
            s, secretariat, kind="meeting", unit="flat", currency=currency, amount_minor=flat
        )
        rate_actions.set_payment_methods(s, secretariat, ["bank_transfer", "mobile_money"])


def contribute(db, member, hours="2", label="Draft law on shelters", **kw):
    with db.write() as s:
        return actions.record_contribution(
            s,
            member,
            consultation_id=kw.pop("consultation_id", None),
            label=label,
            occurred_on=kw.pop("occurred_on", (kw.get("now") or utcnow()).date()),
            quantity_milli=money.parse_quantity(hours),
            **kw,
        )


def test_rate_change_keeps_history_and_engagements_keep_their_price(db, people):
    sec, member = people["secretariat"], people["member"]
    set_rates(db, sec)
    first = contribute(db, member, "1.5")
    assert first.fee_minor == 3750 and first.status == "completed"
    with db.write() as s:
        rate_actions.set_rate(
            s, sec, kind="consultation", unit="hour", currency="EUR", amount_minor=3000
        )
    second = contribute(db, member, "1.5")
    with db.read() as s:
        assert s.get(Engagement, first.id).rate_minor == 2500
        assert s.get(Engagement, second.id).fee_minor == 4500
        history = ledger.rate_history(s)
        assert [r.amount_minor for r in history] == [2500]
        assert ledger.current_rate(s, "consultation", "hour").amount_minor == 3000


def test_only_the_secretariat_edits_the_rate_card_and_moves_status(db, people):
    set_rates(db, people["secretariat"])
    e = contribute(db, people["member"])
    for role in ("member", "member2", "chair", "official"):
        with db.write() as s, pytest.raises(Forbidden):
            rate_actions.set_rate(
                s, people[role], kind="other", unit="day", currency="EUR", amount_minor=1
            )
        with db.write() as s, pytest.raises(Forbidden):
            actions.approve(s, people[role], e.id)
        with db.write() as s, pytest.raises(Forbidden):
            actions.mark_paid(s, people[role], e.id)
    with db.write() as s, pytest.raises(Forbidden):
        actions.record_contribution(
            s,
            people["official"],
            consultation_id=None,
            label="x",
            occurred_on=date.today(),
            quantity_milli=1000,
        )


def test_status_flow_and_audit(db, people):
    sec = people["secretariat"]
    set_rates(db, sec)
    e = contribute(db, people["member"])
    with db.write() as s, pytest.raises(ActionError):
        actions.mark_paid(s, sec, e.id)  # not approved yet
    with db.write() as s:
        actions.approve(s, sec, e.id)
    with db.write() as s:
        actions.add_expense(s, sec, e.id, kind="travel", amount_minor=1234, note="bus")
        actions.add_expense(s, sec, e.id, kind="childcare", amount_minor=2000, note="")
    with db.write() as s:
        paid = actions.mark_paid(s, sec, e.id)
    assert paid.status == "paid" and paid.paid_at is not None
    assert paid.total_minor == 5000 + 1234 + 2000
    with db.write() as s, pytest.raises(ActionError):
        actions.cancel(s, sec, e.id, "too late")
    with db.write() as s, pytest.raises(ActionError):
        actions.add_expense(s, sec, e.id, kind="travel", amount_minor=1, note="")
    with db.read() as s:
        events = (
            s.execute(select(AuditEvent.action).where(AuditEvent.object_type == "engagement"))
            .scalars()
            .all()
        )
    assert events == [
        "engagement.contribution",
        "engagement.approved",
        "engagement.expense",
        "engagement.expense",
        "engagement.paid",
    ]


def test_cancel_needs_a_reason_and_override_needs_a_reason(db, people):
    sec, member = people["secretariat"], people["member"]
    set_rates(db, sec)
    with db.write() as s:
        planned = actions.create_engagement(
            s,
            sec,
            member_id=member.id,
            kind="meeting",
            unit="flat",
            quantity_milli=1000,
            occurred_on=date.today(),
        )
    with db.write() as s, pytest.raises(ActionError):
        actions.cancel(s, sec, planned.id, "  ")
    with db.write() as s:
        actions.cancel(s, sec, planned.id, "Meeting moved online")
    with db.write() as s, pytest.raises(ActionError) as refused:
        actions.create_engagement(
            s,
            sec,
            member_id=member.id,
            kind="meeting",
            unit="flat",
            quantity_milli=1000,
            occurred_on=date.today(),
            override_rate_minor=9000,
        )
    assert refused.value.field == "override_reason"
    with db.write() as s:
        e = actions.create_engagement(
            s,
            sec,
            member_id=member.id,
            kind="meeting",
            unit="flat",
            quantity_milli=1000,
            occurred_on=date.today(),
            override_rate_minor=9000,
            override_reason="Long travel",
        )
    assert e.fee_minor == 9000 and e.rate_override_reason == "Long travel"
    with db.write() as s, pytest.raises(ActionError):
        actions.create_engagement(
            s,
            sec,
            member_id=people["official"].id,
            kind="meeting",
            unit="flat",
            quantity_milli=1000,
            occurred_on=date.today(),
        )


def test_overdue_at_the_deadline_boundary(db, people, settings):
    sec = people["secretariat"]
    set_rates(db, sec)
    days = settings.payment_deadline_days
    assert days == 30
    completed = utcnow() - timedelta(days=10)
    e = contribute(db, people["member"], now=completed)
    due = completed + timedelta(days=days)
    assert ledger_rules.due_at(e, days) == due
    assert not ledger_rules.is_overdue(e, days, now=due)
    assert ledger_rules.is_overdue(e, days, now=due + timedelta(microseconds=1))
    assert not ledger_rules.is_overdue(e, days, now=due - timedelta(seconds=1))
    with db.write() as s:
        approved = actions.approve(s, sec, e.id)
    assert ledger_rules.is_overdue(approved, days, now=due + timedelta(seconds=1))
    with db.write() as s:
        paid = actions.mark_paid(s, sec, e.id)
    assert not ledger_rules.is_overdue(paid, days, now=due + timedelta(days=100))

    # The query agrees with the rule, either side of the boundary.
    late = contribute(db, people["member2"], now=utcnow() - timedelta(days=days, seconds=5))
    on_time = contribute(db, people["member2"], now=utcnow() - timedelta(days=days - 1))
    with db.read() as s:
        ids = [row.engagement.id for row in ledger.overdue(s, days)]
    assert late.id in ids and on_time.id not in ids and e.id not in ids


def test_bulk_approve_skips_what_is_not_completed(db, people):
    sec = people["secretariat"]
    set_rates(db, sec)
    a = contribute(db, people["member"])
    b = contribute(db, people["member2"])
    with db.write() as s:
        actions.cancel(s, sec, b.id, "duplicate")
        assert actions.bulk_approve(s, sec, [a.id, b.id, 99999]) == 1
    with db.read() as s:
        assert s.get(Engagement, a.id).status == "approved"
        assert s.get(Engagement, b.id).status == "cancelled"


def test_member_year_totals(db, people):
    sec, member = people["secretariat"], people["member"]
    set_rates(db, sec)
    paid = contribute(db, member, "2")
    contribute(db, member, "1")
    cancelled = contribute(db, member, "4")
    with db.write() as s:
        actions.approve(s, sec, paid.id)
        actions.mark_paid(s, sec, paid.id)
        actions.cancel(s, sec, cancelled.id, "not held")
    with db.read() as s:
        totals = ledger_rules.year_totals(
            ledger.member_engagements(s, member.id), date.today().year
        )
    assert totals.paid == {"EUR": 5000}
    assert totals.outstanding == {"EUR": 2500}


@pytest.mark.parametrize(
    ("currency", "rate", "hours", "fee"),
    [
        ("JPY", 3333, "0.75", 2500),
        ("EUR", 3333, "0.75", 2500),
        ("KWD", 12345, "2.5", 30863),
    ],
)
def test_pricing_in_every_exponent(db, people, currency, rate, hours, fee):
    set_rates(db, people["secretariat"], currency=currency, hour=rate)
    e = contribute(db, people["member"], hours)
    assert e.currency == currency and e.fee_minor == fee


@hsettings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    currency=st.sampled_from(["JPY", "EUR", "KWD"]),
    rate=st.integers(min_value=1, max_value=10**7),
    quantities=st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=5),
    expense=st.integers(min_value=0, max_value=10**6),
)
def test_ledger_totals_are_exact_sums(db, people, currency, rate, quantities, expense):
    sec = people["secretariat"]
    with db.write() as s:
        rate_actions.set_rate(
            s, sec, kind="review", unit="hour", currency=currency, amount_minor=rate
        )
        created = []
        for q in quantities:
            e = actions.create_engagement(
                s,
                sec,
                member_id=people["member"].id,
                kind="review",
                unit="hour",
                quantity_milli=q,
                occurred_on=date(2026, 3, 1),
                completed=True,
            )
            if expense:
                actions.add_expense(s, sec, e.id, kind="travel", amount_minor=expense, note="")
            created.append(e)
    expected = sum(money.fee(rate, q) + expense for q in quantities)
    with db.read() as s:
        rows = [
            r
            for r in ledger.aggregates(s)
            if r.kind == "review" and r.currency == currency and r.month == "2026-03"
        ]
        ids = {e.id for e in created}
        stored = [e for e in ledger.member_engagements(s, people["member"].id) if e.id in ids]
    assert sum(e.total_minor for e in stored) == expected
    # Aggregates include earlier examples of this test too: compare the increase.
    assert rows and rows[0].committed_minor >= expected
    with db.write() as s:
        for e in created:
            actions.cancel(s, sec, e.id, "test cleanup")


def test_csv_escapes_formulas_and_shows_legal_names_only_on_payment_lines(db, people, settings):
    sec, member, member2 = people["secretariat"], people["member"], people["member2"]
    set_rates(db, sec)
    with db.write() as s:
        payments.save_payment_profile(
            s,
            settings.secret_key,
            member,
            method="bank_transfer",
            details="UA12 3456 7890",
            legal_name='=HYPERLINK("x")',
        )
        payments.save_payment_profile(
            s,
            settings.secret_key,
            member2,
            method="mobile_money",
            details="+380 50 000 0000",
            legal_name="Olena K.",
        )
    paid = contribute(db, member, label="+SUM(A1:A9)")
    contribute(db, member2, label="@cmd|' /C calc'!A0")
    with db.write() as s:
        actions.approve(s, sec, paid.id)
        actions.add_expense(s, sec, paid.id, kind="travel", amount_minor=700, note="")
        actions.mark_paid(s, sec, paid.id)
    with db.read() as s:
        found = ledger.finance_rows(s, settings.secret_key, ledger.ledger(s, 30))
        text = "".join(csv_lines(ledger.CSV_HEADER, found))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    fee = next(r for r in rows if r["engagement"] == str(paid.id) and r["line"] == "fee")
    assert fee["legal_name"] == '\'=HYPERLINK("x")' and fee["label"] == "'+SUM(A1:A9)"
    assert fee["payment_method"] == "bank_transfer" and fee["amount"] == "50.00"
    expense = next(r for r in rows if r["line"] == "expense:travel")
    assert expense["amount"] == "7.00"
    # member2's line is completed, not a payment line: no legal name.
    other = next(r for r in rows if r["member"] == "birch")
    assert other["legal_name"] == "" and other["label"].startswith("'@")
    assert "UA12" not in text and "380" not in text


def test_payment_details_are_encrypted_and_masked(db, people, settings):
    set_rates(db, people["secretariat"])
    with db.write() as s:
        payments.save_payment_profile(
            s,
            settings.secret_key,
            people["member"],
            method="bank_transfer",
            details="UA1234567890",
            legal_name="Maria Example",
        )
    with db.read() as s:
        from council.models import PaymentProfile

        stored = s.get(PaymentProfile, people["member"].id)
        assert b"UA1234567890" not in stored.details_enc
        assert b"Maria" not in stored.legal_name_enc
        view = ledger.profile_view(settings.secret_key, stored)
    assert view.details_masked.endswith("7890") and "UA12345" not in view.details_masked
    assert view.legal_name == "Maria Example"
    with db.write() as s, pytest.raises(ActionError):
        payments.save_payment_profile(
            s, settings.secret_key, people["member"], method="cash", details="", legal_name=""
        )


def test_aggregates_have_no_member_in_them(db, people):
    set_rates(db, people["secretariat"])
    contribute(db, people["member"])
    with db.read() as s:
        rows = ledger.aggregates(s)
    assert rows and set(vars(rows[0])) == {
        "month",
        "kind",
        "currency",
        "committed_minor",
        "paid_minor",
    }


def test_record_contribution_refuses_the_future_and_empty_labels(db, people):
    set_rates(db, people["secretariat"])
    with pytest.raises(ActionError):
        contribute(db, people["member"], label=" ")
    with pytest.raises(ActionError):
        contribute(db, people["member"], occurred_on=date.today() + timedelta(days=2))
    with db.read() as s:
        assert s.execute(select(Rate)).first()


def test_a_consultation_can_price_a_contribution_at_its_own_rate(db, people):
    """The consultation page passes the rate its safeguards gate set (a consultation id must
    name a real consultation the member can see, so none is given here)."""
    e = contribute(db, people["member"], "2", consultation_rate=(1500, "KWD"))
    assert (e.consultation_id, e.rate_id, e.rate_minor, e.currency, e.fee_minor) == (
        None,
        None,
        1500,
        "KWD",
        3000,
    )
    with pytest.raises(ActionError):
        contribute(db, people["member"], consultation_rate=(0, "EUR"))
    with pytest.raises(ActionError):
        contribute(db, people["member"], consultation_rate=(100, "XYZ"))
