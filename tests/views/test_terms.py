"""The terms pages: the secretariat's overview and confirm steps, a member's own term and their
"about you" answers; every other role is refused and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from council.actions import terms as actions
from council.models import Term, utcnow
from tests.conftest import csrf_from, post


def start(db, settings, people, who="member", days_ago=700):
    with db.write() as s:
        actions.start_term(
            s,
            people["secretariat"],
            settings,
            people[who].id,
            utcnow().date() - timedelta(days=days_ago),
        )


def test_the_secretariat_sees_size_terms_ending_soon_and_members_without(
    signed_in, db, settings, people
):
    start(db, settings, people)
    page = signed_in("secretariat").get("/secretariat/terms")
    assert page.status_code == 200
    assert "1 member has a current term." in page.text
    assert "fewer members than its rule" in page.text
    assert "Renew amber's term" in page.text
    assert "birch" in page.text  # without a term


def test_starting_a_term_from_the_page(signed_in, db, settings, people):
    client = signed_in("secretariat")
    response = post(
        client,
        "/secretariat/terms",
        {"member": str(people["member2"].id), "started_on": utcnow().date().isoformat()},
        page="/secretariat/terms",
    )
    assert response.status_code == 303
    with db.read() as s:
        assert s.get(Term, people["member2"].id) is not None
    bad = post(
        client,
        "/secretariat/terms",
        {"member": str(people["member2"].id)},
        page="/secretariat/terms",
    )
    assert bad.status_code == 400 and "Enter the day the term starts." in bad.text


def test_renewing_asks_first_then_renews_then_refuses_beyond_the_cap(
    signed_in, db, settings, people
):
    start(db, settings, people)
    client = signed_in("secretariat")
    url = f"/secretariat/terms/{people['member'].id}/renew"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Yes, renew the term" in confirm.text
    with db.read() as s:
        assert s.get(Term, people["member"].id).renewals == 0  # type: ignore[union-attr]
    assert client.post(url, data={"csrf_token": csrf_from(confirm.text)}).status_code == 303
    assert "The term is renewed." in client.get("/secretariat/terms").text
    again = client.get(url)
    assert "cannot be renewed" in again.text and "Yes, renew" not in again.text
    client.post(url, data={"csrf_token": csrf_from(again.text)})
    assert "cannot be renewed" in client.get("/secretariat/terms").text
    with db.read() as s:
        assert s.get(Term, people["member"].id).renewals == 1  # type: ignore[union-attr]


def test_ending_asks_first(signed_in, db, settings, people):
    start(db, settings, people)
    client = signed_in("secretariat")
    url = f"/secretariat/terms/{people['member'].id}/end"
    confirm = client.get(url)
    assert "Yes, end the term" in confirm.text
    client.post(url, data={"csrf_token": csrf_from(confirm.text)})
    with db.read() as s:
        assert s.get(Term, people["member"].id).ended_on is not None  # type: ignore[union-attr]


def test_confirm_pages_of_someone_without_a_term_or_staff_are_404(signed_in, people):
    client = signed_in("secretariat")
    assert client.get(f"/secretariat/terms/{people['member2'].id}/renew").status_code == 404
    assert client.get(f"/secretariat/terms/{people['official'].id}/end").status_code == 404
    assert client.get("/secretariat/terms/999999/end").status_code == 404


@pytest.mark.parametrize("role", ["member", "chair", "official"])
def test_other_roles_are_refused_and_change_nothing(signed_in, db, settings, people, role):
    start(db, settings, people, who="member2")
    client = signed_in(role)
    assert client.get("/secretariat/terms").status_code == 403
    for what in ("renew", "end"):
        url = f"/secretariat/terms/{people['member2'].id}/{what}"
        assert client.get(url).status_code == 403
        assert post(client, url).status_code == 403
    assert (
        post(
            client,
            "/secretariat/terms",
            {"member": str(people["member"].id), "started_on": "2026-01-01"},
        ).status_code
        == 403
    )
    with db.read() as s:
        term = s.get(Term, people["member2"].id)
        assert term is not None and term.renewals == 0 and term.ended_on is None
        assert s.get(Term, people["member"].id) is None


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/secretariat/terms")
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")


def test_a_member_sees_their_own_term_on_their_account(signed_in, db, settings, people):
    start(db, settings, people)
    page = signed_in("member").get("/account")
    assert "Your term runs from" in page.text
    other = signed_in("member2").get("/account")
    assert "No term is recorded for you yet." in other.text


def test_about_you_is_optional_and_kept_when_it_must_be_fixed(signed_in, db, people):
    client = signed_in("member")
    page = client.get("/account/about-me")
    assert page.status_code == 200 and "I prefer not to say" in page.text
    saved = post(
        client, "/account/about-me", {"gender": "", "region": "North"}, page="/account/about-me"
    )
    assert saved.status_code == 303
    assert 'value="North"' in client.get("/account/about-me").text
    assert signed_in("official").get("/account/about-me").status_code == 403
