"""Engagements and safeguards over HTTP: who sees what, the gate, the export, the journeys."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from council.actions import engagements as actions
from council.actions import rates as rate_actions
from council.actions import safeguards as safeguard_actions
from council.models import AuditEvent, Engagement, User, utcnow
from tests.conftest import PASSPHRASE, post
from tests.factories import prepared_consultation


@pytest.fixture
def priced(db, people):
    sec = people["secretariat"]
    with db.write() as s:
        rate_actions.set_rate(
            s, sec, kind="consultation", unit="hour", currency="EUR", amount_minor=2500
        )
        rate_actions.set_rate(
            s, sec, kind="meeting", unit="flat", currency="EUR", amount_minor=6000
        )
        rate_actions.set_payment_methods(s, sec, ["bank_transfer", "mobile_money"])
    return people


def make_engagement(db, people, role="member", status="completed", days_ago=0):
    sec = people["secretariat"]
    with db.write() as s:
        e = actions.record_contribution(
            s,
            people[role],
            consultation_id=None,
            label=f"work of {role}",
            occurred_on=(utcnow() - timedelta(days=days_ago)).date(),
            quantity_milli=2000,
            now=utcnow() - timedelta(days=days_ago),
        )
        if status in ("approved", "paid"):
            actions.approve(s, sec, e.id)
        if status == "paid":
            actions.mark_paid(s, sec, e.id)
        if status == "cancelled":
            actions.cancel(s, sec, e.id, "not needed")
    return e


def test_member_records_secretariat_pays_member_gets_receipt(db, priced, signed_in):
    member = signed_in("member")
    page = member.get("/engagements/record")
    assert page.status_code == 200 and "What you contributed to" in page.text
    response = post(
        member,
        "/engagements/record",
        {
            "label": "Draft law on shelters",
            "occurred_on": date.today().isoformat(),
            "quantity": "1.5",
            "unit": "hour",
            "consultation_id": "",
        },
        page="/engagements/record",
    )
    assert response.status_code == 303 and response.headers["location"] == "/engagements"
    mine = member.get("/engagements")
    assert "Draft law on shelters" in mine.text and "€37.50" in mine.text
    with db.read() as s:
        e = s.execute(select(Engagement)).scalar_one()
    assert e.status == "completed" and e.consultation_id is None

    sec = signed_in("secretariat")
    ledger = sec.get("/secretariat/ledger")
    assert ledger.status_code == 200 and "amber" in ledger.text
    assert (
        post(
            sec, "/secretariat/ledger/approve", {"id": str(e.id)}, page="/secretariat/ledger"
        ).status_code
        == 303
    )
    assert (
        post(
            sec, f"/engagements/{e.id}/status", {"to": "paid"}, page=f"/engagements/{e.id}"
        ).status_code
        == 303
    )
    with db.read() as s:
        assert s.get(Engagement, e.id).status == "paid"
        changes = (
            s.execute(
                select(AuditEvent.action).where(
                    AuditEvent.object_type == "engagement", AuditEvent.object_id == str(e.id)
                )
            )
            .scalars()
            .all()
        )
    assert changes == ["engagement.contribution", "engagement.approved", "engagement.paid"]

    mine = member.get("/engagements")
    assert "Paid" in mine.text and f"/engagements/{e.id}/receipt" in mine.text
    receipt = member.get(f"/engagements/{e.id}/receipt")
    assert receipt.status_code == 200
    assert "amber" in receipt.text and "€37.50" in receipt.text and "000001" in receipt.text


def test_receipt_uses_the_legal_name_only_when_given(db, priced, signed_in, settings):
    member = signed_in("member")
    assert (
        post(
            member,
            "/account/payment",
            {
                "method": "bank_transfer",
                "details": "UA21 3223 1300 0002 6007 2335 6600 1",
                "legal_name": "Maria Example",
            },
            page="/account/payment",
        ).status_code
        == 303
    )
    page = member.get("/account/payment")
    assert "6001" in page.text and "3223" not in page.text and "Maria Example" in page.text
    e = make_engagement(db, priced, status="paid")
    staff_view = signed_in("secretariat").get(f"/engagements/{e.id}").text
    assert "Bank transfer" in staff_view and "6001" in staff_view and "3223" not in staff_view
    receipt = member.get(f"/engagements/{e.id}/receipt")
    assert "Maria Example" in receipt.text and "Bank transfer" in receipt.text
    other = make_engagement(db, priced, role="member2", status="paid")
    member2 = signed_in("member2")
    assert "birch" in member2.get(f"/engagements/{other.id}/receipt").text


def test_nobody_reads_another_members_ledger_receipt_or_consents(db, priced, signed_in):
    ids = [
        make_engagement(db, priced, status=s).id
        for s in ("completed", "approved", "paid", "cancelled")
    ]
    with db.write() as s:
        safeguard_actions.publish_consent_text(s, priced["secretariat"], "being_quoted", "Quote?")
        safeguard_actions.give_consent(s, priced["member"], "being_quoted")
    intruders = {r: signed_in(r) for r in ("member2", "chair", "official", "official_other")}
    for role, client in intruders.items():
        for engagement_id in [*ids, 9999]:
            for suffix in ("", "/receipt"):
                response = client.get(f"/engagements/{engagement_id}{suffix}")
                assert response.status_code == 404, (role, engagement_id, suffix)
        mine = client.get("/engagements")
        assert "work of member" not in mine.text
        if role.startswith("official"):
            assert mine.status_code == 403
            assert client.get("/consents").status_code == 403
        else:
            consents = client.get("/consents")
            assert "You agreed" not in consents.text
        for url in (
            "/secretariat/ledger",
            "/secretariat/ledger.csv",
            "/secretariat/rates",
            "/secretariat/ledger/new",
            "/secretariat/safeguards",
            "/secretariat/consents",
            "/secretariat/support",
        ):
            assert client.get(url).status_code == 403, (role, url)
        # Nor change anything.
        assert (
            post(
                client, f"/engagements/{ids[0]}/status", {"to": "approved"}, page="/help"
            ).status_code
            == 403
        )
        assert (
            post(
                client, "/secretariat/ledger/approve", {"id": str(ids[0])}, page="/help"
            ).status_code
            == 403
        )
    with db.read() as s:
        assert s.get(Engagement, ids[0]).status == "completed"
    # The owner reads every one of their own.
    owner = signed_in("member")
    for engagement_id in ids:
        assert owner.get(f"/engagements/{engagement_id}").status_code == 200
    assert owner.get(f"/engagements/{ids[0]}/receipt").status_code == 404  # not paid yet
    assert owner.get(f"/engagements/{ids[2]}/receipt").status_code == 200


def test_officials_see_aggregates_only(db, priced, signed_in):
    make_engagement(db, priced, status="paid")
    make_engagement(db, priced, role="member2", status="approved")
    official = signed_in("official")
    page = official.get("/engagements/totals")
    assert page.status_code == 200
    assert "€100.00" in page.text and "€50.00" in page.text  # committed, paid
    for name in ("amber", "birch", "work of"):
        assert name not in page.text
    assert not re.search(r"/engagements/\d", page.text)
    assert signed_in("member").get("/engagements/totals").status_code == 403


def test_csv_export_escapes_and_is_audited(db, priced, signed_in, settings, people):
    cid = prepared_consultation(db, settings, people).consultation_id
    with db.write() as s:
        e = actions.record_contribution(
            s,
            priced["member"],
            consultation_id=cid,
            label="=cmd|' /C calc'!A0",
            occurred_on=date.today(),
            quantity_milli=1000,
        )
        actions.add_expense(
            s, priced["secretariat"], e.id, kind="travel", amount_minor=450, note=""
        )
    sec = signed_in("secretariat")
    response = sec.get("/secretariat/ledger.csv?status=completed")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][0] == "engagement" and len(rows) == 3
    assert rows[1][7] == "'=cmd|' /C calc'!A0"
    with db.read() as s:
        assert s.execute(
            select(AuditEvent).where(AuditEvent.action == "ledger.export")
        ).scalar_one().detail["filters"] == {"status": "completed"}


def test_ledger_filters_and_overdue_on_the_home_page(db, priced, signed_in, settings):
    late = make_engagement(db, priced, days_ago=settings.payment_deadline_days + 1)
    fresh = make_engagement(db, priced, role="member2", days_ago=1)
    sec = signed_in("secretariat")
    home = sec.get("/home")
    assert "1 payment is overdue" in home.text and f"/engagements/{late.id}" in home.text
    assert f'/engagements/{fresh.id}"' not in home.text
    only_late = sec.get("/secretariat/ledger?overdue=1")
    assert f'/engagements/{late.id}"' in only_late.text
    assert f'/engagements/{fresh.id}"' not in only_late.text
    by_member = sec.get(f"/secretariat/ledger?member={priced['member2'].id}")
    assert "birch" in by_member.text and f'/engagements/{late.id}"' not in by_member.text
    fragment = sec.get("/secretariat/ledger?kind=meeting", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="ledger-results">')
    month = late.occurred_on.strftime("%Y-%m")
    assert f'/engagements/{late.id}"' in sec.get(f"/secretariat/ledger?month={month}").text


def test_secretariat_pages_render(db, priced, signed_in):
    e = make_engagement(db, priced)
    sec = signed_in("secretariat")
    for url in (
        "/secretariat/ledger",
        "/secretariat/rates",
        "/secretariat/ledger/new",
        f"/engagements/{e.id}",
        "/secretariat/safeguards",
        "/secretariat/consents",
        "/secretariat/support",
        "/engagements/totals",
    ):
        assert sec.get(url).status_code == 200, url
    response = post(
        sec,
        "/secretariat/rates",
        {"kind": "training", "unit": "day", "currency": "KWD", "amount": "12.345"},
        page="/secretariat/rates",
    )
    assert response.status_code == 303
    assert "KWD" in sec.get("/secretariat/rates").text
    response = post(
        sec,
        "/secretariat/ledger/new",
        {
            "member": str(priced["member2"].id),
            "kind": "training",
            "unit": "day",
            "quantity": "0.5",
            "occurred_on": date.today().isoformat(),
            "label": "Induction",
            "completed": "1",
            "override_rate": "",
            "override_reason": "",
        },
        page="/secretariat/ledger/new",
    )
    assert response.status_code == 303
    with db.read() as s:
        created = s.execute(select(Engagement).where(Engagement.label == "Induction")).scalar_one()
    assert created.fee_minor == 6173 and created.currency == "KWD"  # 12.345 / 2, half up
    post(
        sec,
        f"/engagements/{created.id}/expenses",
        {"kind": "childcare", "amount": "1.5", "note": ""},
        page="/secretariat/ledger",
    )
    post(
        sec,
        f"/engagements/{created.id}/status",
        {"to": "cancelled", "reason": ""},
        page="/secretariat/ledger",
    )
    with db.read() as s:
        again = s.get(Engagement, created.id)
    assert again.expenses_minor == 1500 and again.status == "completed"


def test_consent_gate_asks_before_anything_else(db, priced, signed_in):
    member = signed_in("member")
    assert member.get("/home").status_code == 200  # no text yet: nothing to ask
    with db.write() as s:
        safeguard_actions.publish_consent_text(
            s, priced["secretariat"], "taking_part", "Taking part is your choice."
        )
    response = member.get("/consultations")
    assert response.status_code == 303
    assert response.headers["location"] == "/consents?next=%2Fconsultations"
    for allowed in ("/consents", "/help", "/account/my-data", "/account/delete", "/engagements"):
        assert member.get(allowed).status_code == 200, allowed
    assert post(member, "/engagements/record", {"label": "x"}, page="/consents").status_code == 403
    assert member.get("/account/my-data.json").status_code == 200
    response = post(
        member, "/consents/taking_part/give", {"next": "/engagements"}, page="/consents"
    )
    assert response.status_code == 303 and response.headers["location"] == "/engagements"
    assert member.get("/consultations").status_code == 200
    # Withdrawal (once confirmed) takes effect on the very next request, and is in the audit log.
    withdrawn = post(member, "/consents/taking_part/withdraw", {"confirm": "yes"}, page="/consents")
    assert withdrawn.status_code == 303
    assert member.get("/consultations").status_code == 303
    with db.read() as s:
        logged = (
            s.execute(select(AuditEvent.action).where(AuditEvent.actor_id == priced["member"].id))
            .scalars()
            .all()
        )
    assert logged[-2:] == ["consent.give", "consent.withdraw"]
    # Staff are never stopped by it.
    assert signed_in("secretariat").get("/home").status_code == 200
    assert signed_in("official").get("/home").status_code == 200
    assert post(member, "/consents/nonsense/give", page="/consents").status_code == 404


def test_step_back_conflicts_and_support_contacts(db, priced, signed_in, client, settings, people):
    cid = prepared_consultation(db, settings, people).consultation_id
    member = signed_in("member")
    assert post(member, "/account/step-back", page="/consents").status_code == 303
    assert "You are stepping back" in member.get("/home").text
    sec = signed_in("secretariat")
    overview = sec.get("/secretariat/safeguards")
    assert "amber — stepping back" in overview.text
    assert "member, stepping back" in sec.get("/secretariat/people").text
    assert (
        post(
            member,
            "/conflicts",
            {"consultation_id": str(cid), "description": "I worked for the ministry."},
            page="/conflicts",
        ).status_code
        == 303
    )
    assert "I worked for the ministry." in sec.get("/secretariat/safeguards").text
    assert post(member, "/account/resume", page="/consents").status_code == 303
    assert "amber — stepping back" not in sec.get("/secretariat/safeguards").text
    assert (
        post(
            sec,
            "/secretariat/support",
            {"name": "Helpline", "how_to_reach": "0 800 111", "description": "Day and night"},
            page="/secretariat/support",
        ).status_code
        == 303
    )
    help_page = client.get("/help")
    assert "Helpline" in help_page.text and "0 800 111" in help_page.text
    assert (
        post(
            member, "/secretariat/support", {"name": "x", "how_to_reach": "y"}, page="/help"
        ).status_code
        == 403
    )


def test_my_data_and_account_deletion(db, priced, signed_in):
    make_engagement(db, priced, status="paid")
    member = signed_in("member")
    page = member.get("/account/my-data")
    assert page.status_code == 200 and "amber" in page.text
    download = member.get("/account/my-data.json")
    assert "attachment" in download.headers["content-disposition"]
    data = json.loads(download.text)
    assert data["account"]["pseudonym"] == "amber" and data["engagements"][0]["total"] == "50.00"
    assert signed_in("official").get("/account/my-data").status_code == 403
    wrong = post(member, "/account/delete", {"passphrase": "not it"}, page="/account/delete")
    assert wrong.status_code == 400
    done = post(member, "/account/delete", {"passphrase": PASSPHRASE}, page="/account/delete")
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert member.get("/engagements").status_code == 303  # signed out
    with db.read() as s:
        assert s.execute(select(User).where(User.name == "amber")).first() is None
        kept = s.execute(select(Engagement)).scalar_one()
    assert kept.member_id is None and kept.former_member_ref.startswith("former-")


@pytest.fixture
def count_queries():
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    yield statements
    event.remove(Engine, "before_cursor_execute", before)


def test_list_pages_make_the_same_queries_for_few_or_many_rows(
    db, priced, signed_in, count_queries
):
    sec, member, official = signed_in("secretariat"), signed_in("member"), signed_in("official")
    pages = [
        (sec, "/secretariat/ledger"),
        (sec, "/secretariat/ledger.csv"),
        (sec, "/home"),
        (member, "/engagements"),
        (official, "/engagements/totals"),
    ]

    def counts():
        result = []
        for client, url in pages:
            count_queries.clear()
            assert client.get(url).status_code == 200
            result.append(len(count_queries))
        return result

    for status in ("completed", "paid"):
        make_engagement(db, priced, status=status, days_ago=40)
    few = counts()
    for _ in range(10):
        for status in ("completed", "approved", "paid"):
            make_engagement(db, priced, status=status, days_ago=40)
    assert counts() == few


def test_every_id_is_refused_to_another_member(db, priced, signed_in):
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st

    owned = make_engagement(db, priced, status="paid")
    intruder = signed_in("member2")

    @hsettings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        st.one_of(st.just(owned.id), st.integers(min_value=0, max_value=10**20)),
        st.sampled_from(["", "/receipt"]),
    )
    def check(engagement_id, suffix):
        assert intruder.get(f"/engagements/{engagement_id}{suffix}").status_code == 404

    check()


def test_signed_out_visitors_are_sent_to_sign_in(client, priced):
    for url in (
        "/engagements",
        "/engagements/1",
        "/engagements/1/receipt",
        "/consents",
        "/secretariat/ledger",
        "/secretariat/ledger.csv",
        "/engagements/totals",
        "/account/my-data.json",
    ):
        response = client.get(url)
        assert response.status_code == 303 and response.headers["location"].startswith(
            "/signin?next="
        ), url


def test_member_withdraws_only_their_own_unapproved_contribution(db, priced, signed_in):
    own = make_engagement(db, priced)
    other = make_engagement(db, priced, role="member2")
    approved = make_engagement(db, priced, status="approved")
    member = signed_in("member")
    assert "Withdraw this contribution" in member.get(f"/engagements/{own.id}").text
    assert "Withdraw this contribution" not in member.get(f"/engagements/{approved.id}").text
    assert post(member, f"/engagements/{other.id}/withdraw", page="/engagements").status_code == 404
    post(member, f"/engagements/{approved.id}/withdraw", page="/engagements")
    response = post(member, f"/engagements/{own.id}/withdraw", page="/engagements")
    assert response.status_code == 303
    with db.read() as s:
        assert s.get(Engagement, own.id).status == "cancelled"
        assert s.get(Engagement, other.id).status == "completed"
        assert s.get(Engagement, approved.id).status == "approved"
    assert (
        post(signed_in("official"), f"/engagements/{own.id}/withdraw", page="/help").status_code
        == 403
    )


def test_consultation_page_links_to_contribution_conflicts_and_help(
    db, settings, people, signed_in
):
    """No rate card at all: the consultation's own rate (EUR 25.00 an hour) prices the work."""
    cid = prepared_consultation(db, settings, people).consultation_id
    member = signed_in("member")
    page = member.get(f"/consultations/{cid}")
    assert page.status_code == 200
    for link in (
        f"/engagements/record?consultation={cid}",
        f"/conflicts?consultation={cid}",
        "/help#support",
    ):
        assert link in page.text
    form = member.get(f"/engagements/record?consultation={cid}")
    assert "This consultation pays €25.00 per hour." in form.text
    response = post(
        member,
        "/engagements/record",
        {
            "label": "Comments on the draft",
            "occurred_on": date.today().isoformat(),
            "quantity": "2",
            "unit": "day",
            "consultation_id": str(cid),
        },
        page=f"/engagements/record?consultation={cid}",
    )
    assert response.status_code == 303
    with db.read() as s:
        e = s.execute(select(Engagement)).scalar_one()
    assert (e.consultation_id, e.unit, e.rate_minor, e.currency, e.fee_minor) == (
        cid,
        "hour",
        2500,
        "EUR",
        5000,
    )
    # Another consultation id the member cannot cite is refused, not stored.
    refused = post(
        member,
        "/engagements/record",
        {
            "label": "x",
            "occurred_on": date.today().isoformat(),
            "quantity": "1",
            "unit": "hour",
            "consultation_id": str(cid + 999),
        },
        page="/engagements/record",
    )
    assert refused.status_code == 400
