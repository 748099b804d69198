"""A member's consents over HTTP: withdrawing taking part asks first, offers stepping back, and
leaves payments, receipts, the account and the data reachable."""

from __future__ import annotations

import pytest

from council.actions import safeguards as safeguard_actions
from council.queries import safeguards
from tests.conftest import post
from tests.views.test_engagements import make_engagement, priced  # noqa: F401  (a fixture)


@pytest.fixture
def agreed(db, priced):  # noqa: F811
    with db.write() as s:
        for topic, body in (("taking_part", "Taking part is your choice."), ("being_quoted", "Q?")):
            safeguard_actions.publish_consent_text(s, priced["secretariat"], topic, body)
        safeguard_actions.give_consent(s, priced["member"], "taking_part")
    return priced


def taking_part(db, member) -> bool:
    with db.read() as s:
        return not safeguards.needs_taking_part_consent(s, member.id)


def test_withdrawing_taking_part_asks_first_and_offers_stepping_back(db, agreed, signed_in):
    member = signed_in("member")
    page = member.get("/consents")
    # The consents page links to the explanation: no form there withdraws taking part.
    assert 'href="/consents/taking_part/withdraw"' in page.text
    assert 'action="/consents/taking_part/withdraw"' not in page.text
    confirm = member.get("/consents/taking_part/withdraw")
    assert confirm.status_code == 200
    assert "Stop taking part?" in confirm.text and "Step back instead" in confirm.text
    assert "money you are owed is still paid" in confirm.text
    # An old one-tap form (or a replayed post) without the confirmation is only explained.
    unconfirmed = post(member, "/consents/taking_part/withdraw", page="/consents")
    assert unconfirmed.status_code == 200 and "Stop taking part?" in unconfirmed.text
    assert taking_part(db, agreed["member"])
    # Stepping back instead keeps the consent.
    assert post(member, "/account/step-back", page="/consents").status_code == 303
    with db.read() as s:
        assert safeguards.is_stepping_back(s, agreed["member"].id)
    assert taking_part(db, agreed["member"])
    assert "Step back instead" not in member.get("/consents/taking_part/withdraw").text


def test_after_withdrawing_payments_receipts_account_and_data_stay_reachable(db, agreed, signed_in):
    paid = make_engagement(db, agreed, status="paid")
    member = signed_in("member")
    done = post(member, "/consents/taking_part/withdraw", {"confirm": "yes"}, page="/consents")
    assert done.status_code == 303 and done.headers["location"] == "/consents"
    assert not taking_part(db, agreed["member"])
    for url in (
        "/engagements",
        f"/engagements/{paid.id}",
        f"/engagements/{paid.id}/receipt",
        "/account",
        "/account/payment",
        "/account/my-data",
        "/account/my-data.json",
        "/account/delete",
    ):
        assert member.get(url).status_code == 200, url
    assert "€50.00" in member.get(f"/engagements/{paid.id}/receipt").text
    # Taking part is what stops.
    for url in ("/consultations", "/engagements/record", "/conflicts"):
        response = member.get(url)
        assert response.status_code == 303 and response.headers["location"].startswith(
            "/consents?next="
        ), url
    page = member.get("/consents")
    assert "You have stopped taking part" in page.text
    assert 'href="/engagements"' in page.text and 'href="/account/delete"' in page.text


def test_optional_consents_are_marked_optional(db, agreed, signed_in):
    page = signed_in("member").get("/consents").text
    quoted = page.split('id="h-being_quoted"')[1].split("</h2>")[0]
    taking = page.split('id="h-taking_part"')[1].split("</h2>")[0]
    assert "optional" in quoted and "optional" not in taking
    assert "You can take part without agreeing to this." in page
