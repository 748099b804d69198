"""Issue 15, "What is waiting for me": each role's home page lists what waits for them, the menu
counts it on every page, in neutral words, found without ever tying an account to an anonymous
comment, and in a fixed number of statements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, update

from council.actions import engagements as engagement_actions
from council.actions import moderation
from council.actions import rates as rate_actions
from council.models import Consultation, utcnow
from council.queries import waiting
from council.rules.targets import Target
from tests.conftest import count_queries, statements_on_reload
from tests.factories import author, new_position, post_comment, prepared_consultation, vote


@pytest.fixture
def setup(db, settings, people):
    return prepared_consultation(db, settings, people)


def menu_count(html: str) -> str | None:
    import re

    found = re.search(r'<span class="count"[^>]*>(\d+)<', html)
    return found.group(1) if found else None


def test_member_home_lists_what_moderators_did_to_their_anonymous_comments(
    db, settings, people, setup, signed_in
):
    me = author(settings, people["member"])
    sec = people["secretariat"]
    rejected = post_comment(db, settings, me, setup, "Too sharp a comment.")
    noted = post_comment(db, settings, me, setup, "A comment with a question.")
    redacted = post_comment(db, settings, me, setup, "My caseworker Olena Petrenko helped.")
    other = post_comment(db, settings, author(settings, people["member2"]), setup, "Not mine.")
    with db.write() as session:
        moderation.reject(session, sec, rejected, "Please leave out the insult.")
        moderation.add_note(session, sec, noted, "Could you say which region?")
        moderation.redact(session, sec, redacted, "Olena Petrenko")
        moderation.reject(session, sec, other, "A reason for someone else.")
    home = signed_in("member").get("/home")
    assert home.status_code == 200
    text = home.text
    assert "Please leave out the insult." in text
    assert "Could you say which region?" in text
    assert "A passage of your comment was redacted" in text
    assert "A reason for someone else." not in text
    assert "Not mine." not in text
    # The other member sees only their own.
    theirs = signed_in("member2").get("/home").text
    assert "A reason for someone else." in theirs
    assert "Please leave out the insult." not in theirs


def test_positions_open_for_endorsement_wait_until_the_member_chooses(
    db, settings, people, ministry, signed_in
):
    pid = new_position(db, people["chair"], ministry.id, title="Shelter standards")
    client = signed_in("member")
    assert "Shelter standards" in client.get("/home").text
    assert menu_count(client.get("/account").text) == "1"
    vote(db, settings, people["member"], pid, "abstain")
    assert "Shelter standards" not in client.get("/home").text
    assert menu_count(client.get("/account").text) is None


def test_deadline_close_and_a_payment_changed_are_listed(db, settings, people, setup, signed_in):
    with db.write() as session:
        session.execute(
            update(Consultation)
            .where(col(Consultation.id) == setup.consultation_id)
            .values(deadline=utcnow() + timedelta(days=3))
        )
        sec = people["secretariat"]
        rate_actions.set_rate(
            session, sec, kind="consultation", unit="hour", currency="EUR", amount_minor=2500
        )
        e = engagement_actions.record_contribution(
            session,
            people["member"],
            consultation_id=None,
            label="Reading the shelter draft",
            occurred_on=utcnow().date(),
            quantity_milli=1000,
        )
        engagement_actions.approve(session, sec, e.require_id)
    client = signed_in("member")
    text = client.get("/home").text
    assert "Closing soon" in text
    assert "Reading the shelter draft" in text
    assert f'href="/engagements/{e.id}"' in text
    assert menu_count(client.get("/account").text) == "2"


def test_a_member_stepping_back_is_asked_for_nothing(db, settings, people, ministry, signed_in):
    from council.actions import safeguards

    new_position(db, people["chair"], ministry.id, title="Shelter standards")
    with db.write() as session:
        safeguards.step_back(session, people["member"])
    text = signed_in("member").get("/home").text
    assert "Shelter standards" not in text


def test_official_home_lists_recommendations_waiting_for_an_answer(
    db, settings, people, ministry, signed_in
):
    from tests.factories import published

    pid = published(db, settings, people, ministry, title="Interview rooms")
    official = signed_in("official")
    text = official.get("/home").text
    assert "Interview rooms" in text
    assert "Recommendation 1" in text and "Recommendation 2" in text
    assert f'href="/positions/{pid}/recommendations/' in text
    assert "The ministry committed to answer by" in text
    assert menu_count(official.get("/account").text) == "2"
    # An official of another ministry has nothing waiting.
    assert "Interview rooms" not in signed_in("official_other").get("/home").text


def test_secretariat_home_lists_the_queue_overdue_and_consultations_in_review(
    db, settings, people, setup, signed_in
):
    prepared_consultation(db, settings, people, complete=False)
    post_comment(db, settings, author(settings, people["member"]), setup, "Waiting.")
    client = signed_in("secretariat")
    text = client.get("/home").text
    assert "1 comment is waiting for moderation" in text
    assert "Waiting for the safeguards check" in text
    assert menu_count(client.get("/account").text) == "2"


def test_nothing_waiting_says_so_in_neutral_words(signed_in):
    text = signed_in("member").get("/home").text
    assert "Nothing is waiting for you." in text


def test_waiting_lists_never_join_an_account_to_an_anonymous_comment(db, settings, people, setup):
    """The statements that find a member's waiting comments name the account only beside
    "council-visible"; anonymous ones are found by their tags."""
    me = author(settings, people["member"])
    cid = post_comment(db, settings, me, setup, "Anonymous.")
    with db.write() as session:
        moderation.reject(session, people["secretariat"], cid, "A reason.")
    with db.read() as session, count_queries(db.engine) as statements:
        found = waiting.member_waiting(session, settings, me, utcnow())
    assert [i.comment.id for i in found.comments] == [cid]
    for statement in statements:
        assert "JOIN user" not in statement.replace('"', "")
        if "comment" in statement and "author_id" in statement:
            assert "visibility" in statement


def test_the_member_home_runs_the_same_statements_for_2_or_20_things_waiting(
    app, db, settings, people, setup, ministry, signed_in
):
    client = signed_in("member")
    me = author(settings, people["member"])

    def add(n: int) -> None:
        for i in range(n):
            cid = post_comment(
                db, settings, me, setup, f"Comment {i}", target=Target(section_id=None)
            )
            with db.write() as session:
                moderation.add_note(session, people["secretariat"], cid, f"Note {i}")
            new_position(db, people["chair"], ministry.id, title=f"Position {i}")

    add(2)
    few = statements_on_reload(app, client, "/home")
    few_elsewhere = statements_on_reload(app, client, "/account")
    add(18)
    assert statements_on_reload(app, client, "/home") == few
    assert statements_on_reload(app, client, "/account") == few_elsewhere
