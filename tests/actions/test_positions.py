"""Positions: the secret ballot, the adoption rule at its boundary, publication, responses by the
addressed ministry only, citations and quotes, and what members see of their comments' outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import col

from council.actions import ActionError, Forbidden, endorsements, quotes, responses
from council.actions import positions as actions
from council.models import (
    AuditEvent,
    Ballot,
    Ministry,
    Position,
    PositionQuote,
    Role,
    User,
)
from council.queries import positions as pq
from council.rules.adoption import adoption
from tests.conftest import make_user, post, sign_in
from tests.factories import (
    author,
    member_key,
    new_position,
    post_comment,
    prepared_consultation,
    published,
    vote,
)


def test_only_chair_and_secretariat_write_positions(db, people, ministry):
    for role in ("member", "official"):
        with pytest.raises(Forbidden):
            new_position(db, people[role], ministry.id)
    assert new_position(db, people["secretariat"], ministry.id)


def test_position_takes_the_ministry_of_its_consultation(db, settings, people, ministry):
    setup = prepared_consultation(db, settings, people)
    with db.read() as session:
        other = session.execute(
            select(Ministry).where(Ministry.name == "Ministry of Labour")
        ).scalar_one()
    pid = new_position(db, people["chair"], other.id, consultation_id=setup.consultation_id)
    with db.read() as session:
        assert session.get(Position, pid).ministry_id == ministry.id  # type: ignore[union-attr]


def test_ballot_is_secret_and_changeable(app, db, settings, people, ministry, signed_in):
    pid = new_position(db, people["chair"], ministry.id)
    vote(db, settings, people["member"], pid, "object")
    vote(db, settings, people["member"], pid, "endorse")  # changed: counted once
    vote(db, settings, people["member2"], pid, "abstain")
    with db.read() as session:
        position = session.get(Position, pid)
        assert position is not None
        assert (position.endorse_count, position.object_count, position.abstain_count) == (1, 0, 1)
        ballots = list(session.execute(select(Ballot)).scalars())
        assert len(ballots) == 2
        for ballot in ballots:
            # No member id in the row, only a keyed tag.
            assert str(people["member"].id) not in ballot.voter_tag.split()
            assert len(ballot.voter_tag) == 64
        events = list(
            session.execute(
                select(AuditEvent).where(col(AuditEvent.action) == "position.endorsement")
            ).scalars()
        )
        assert events and all(e.actor_id is None and e.detail == {} for e in events)
        for who, choice in (("member", "endorse"), ("member2", "abstain")):
            key = member_key(settings, people[who])
            assert pq.own_choice(session, settings, people[who], pid, key=key) == choice
        assert pq.own_choice(session, settings, people["secretariat"], pid, key=None) is None

    # The member sees their own choice; nobody else sees anyone's.
    member = signed_in("member")
    page = member.get(f"/positions/{pid}").text
    assert "You chose: endorse" in page
    for role in ("member2", "chair", "secretariat"):
        other = signed_in(role).get(f"/positions/{pid}").text
        assert "You chose: endorse" not in other
        assert 'value="endorse" checked' not in other
    assert "You chose: abstain" in signed_in("member2").get(f"/positions/{pid}").text
    # Not in the audit log page either.
    audit = signed_in("secretariat").get("/secretariat/audit").text
    assert "endorse" not in audit.replace("position.endorsement", "")


def test_staff_cannot_vote(db, settings, people, ministry):
    pid = new_position(db, people["chair"], ministry.id)
    for role in ("official", "secretariat"):
        with pytest.raises(Forbidden):
            vote(db, settings, people[role], pid, "endorse")


def test_adoption_refused_below_quorum_and_majority_allowed_at_boundary(db, settings, people):
    # 3 members in `people` (member, member2, chair) plus one more: 4 eligible, quorum 0.5 -> 2.
    extra = make_user(db, settings, "dune")
    ministry_id = people["official"].ministry_id
    pid = new_position(db, people["chair"], ministry_id)
    vote(db, settings, people["member"], pid, "endorse")
    with db.write() as session, pytest.raises(ActionError) as refused:
        actions.adopt(session, settings, people["chair"], pid)
    assert "Not enough members have voted: 1 of 4" in refused.value.message
    # Quorum exactly met (2 of 4), but 1 endorse vs 1 object is not *more* than half.
    vote(db, settings, people["member2"], pid, "object")
    with db.write() as session, pytest.raises(ActionError) as refused:
        actions.adopt(session, settings, people["chair"], pid)
    assert "Not enough endorsements" in refused.value.message
    assert "Not enough members" not in refused.value.message
    # An abstention counts for the quorum, not the majority: still 1 vs 1.
    vote(db, settings, extra, pid, "abstain")
    with db.write() as session, pytest.raises(ActionError):
        actions.adopt(session, settings, people["chair"], pid)
    # 2 endorse vs 1 object: a majority.
    vote(db, settings, people["chair"], pid, "endorse")
    with db.write() as session:
        actions.adopt(session, settings, people["secretariat"], pid)
    with db.read() as session:
        position = session.get(Position, pid)
        assert position is not None and position.status == "adopted"
        # Ballots are dropped once the choice can no longer change; the tally stays.
        assert session.execute(select(Ballot)).first() is None
        assert position.endorse_count == 2
    with db.write() as session, pytest.raises(ActionError):
        endorsements.vote(
            session,
            settings,
            people["member"],
            pid,
            "object",
            key=member_key(settings, people["member"]),
        )


def test_adoption_rule_boundaries_in_exact_fractions(settings):
    position = Position(title="t", ministry_id=1, endorse_count=2, object_count=1)
    assert adoption(position, 6, settings).quorum_met  # 3 of 6 = exactly half
    assert not adoption(position, 7, settings).quorum_met  # 3 of 7 < half
    strict = settings.model_copy(update={"adoption_majority": 2 / 3})
    assert not adoption(position, 4, strict).majority_met  # 2/3 is not more than 2/3
    position.endorse_count = 3
    assert adoption(position, 4, strict).majority_met


def test_adoption_reason_shown_on_the_page(db, people, ministry, signed_in):
    pid = new_position(db, people["chair"], ministry.id)
    chair = signed_in("chair")
    response = post(chair, f"/positions/{pid}/adopt", page=f"/positions/{pid}")
    assert response.status_code == 400
    assert "Not enough members have voted" in response.text


def test_publish_sets_due_date_from_default_or_commitment(db, settings, people, ministry):
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    pid = published(db, settings, people, ministry, now=now)
    with db.read() as session:
        position = session.get(Position, pid)
        assert position is not None
        assert position.response_due == now + timedelta(days=60)
        assert position.published_at == now


def test_only_the_addressed_ministry_answers(db, settings, people, ministry):
    pid = published(db, settings, people, ministry)
    with db.read() as session:
        rec = pq.recommendations_of(session, pid)[0]
    for role in ("official_other", "secretariat", "chair", "member"):
        with db.write() as session, pytest.raises(Forbidden):
            responses.respond(session, settings, people[role], rec.require_id, "accepted", "Yes.")
    with db.write() as session:
        responses.respond(session, settings, people["official"], rec.require_id, "accepted", "Yes.")


def test_official_of_other_ministry_gets_404_on_respond_page(
    db, settings, people, ministry, signed_in
):
    pid = published(db, settings, people, ministry)
    with db.read() as session:
        rec = pq.recommendations_of(session, pid)[0]
    url = f"/positions/{pid}/recommendations/{rec.id}/respond"
    assert signed_in("official_other").get(url).status_code == 404
    own = signed_in("official")
    assert own.get(url).status_code == 200
    done = post(own, url, {"status": "partly_accepted", "explanation": "In part."}, page=url)
    assert done.status_code == 303
    later = post(own, url, {"status": "accepted", "explanation": "Now fully."}, page=url)
    assert later.status_code == 303
    page = own.get(f"/positions/{pid}").text
    assert "Now fully." in page and "Earlier answers" in page


def test_drafts_are_not_public(db, people, ministry, client, signed_in):
    pid = new_position(db, people["chair"], ministry.id)
    assert client.get(f"/positions/{pid}").status_code == 404
    assert signed_in("official").get(f"/positions/{pid}").status_code == 404
    assert signed_in("member").get(f"/positions/{pid}").status_code == 200


def test_citation_quote_and_member_sees_outcome(app, db, settings, people, ministry):
    setup = prepared_consultation(db, settings, people)
    member = author(settings, people["member"])
    quoted = post_comment(
        db, settings, member, setup, "Ninety days, from safety.", approve_by=people["secretariat"]
    )
    council_visible = post_comment(
        db,
        settings,
        member,
        setup,
        "Say who explains it.",
        visibility="council",
        approve_by=people["secretariat"],
    )
    with db.write() as session:
        from council.models import Comment

        found = session.get(Comment, quoted)
        assert found is not None
        found.may_quote = True
        session.add(found)
    pid = new_position(db, people["chair"], ministry.id, consultation_id=setup.consultation_id)
    with db.read() as session:
        rec = pq.recommendations_of(session, pid)[0]
    with db.write() as session:
        quotes.cite(session, people["chair"], rec.require_id, quoted)
        quotes.cite(session, people["chair"], rec.require_id, council_visible)
        with pytest.raises(ActionError):
            quotes.quote(session, people["chair"], pid, council_visible, "Say who")  # may_quote no
        quotes.quote(session, people["chair"], pid, quoted, "Ninety days")
    for who in ("member", "member2", "chair"):
        vote(db, settings, people[who], pid, "endorse")
    with db.write() as session:
        actions.adopt(session, settings, people["chair"], pid)
        actions.publish(session, settings, people["secretariat"], pid)
        people["member"].notify_by_email = True
        people["member"].email = "amber@example.org"
        session.add(people["member"])
    with db.write() as session:
        _r, notify = responses.respond(
            session,
            settings,
            people["official"],
            rec.require_id,
            "accepted",
            "We will change the rule.",
        )
        assert [u.id for u in notify] == [people["member"].id]

    from tests.conftest import new_client

    with new_client(app) as c:
        sign_in(c, people["member"].name)
        page = c.get(f"/consultations/{setup.consultation_id}").text
        assert "Cited in recommendation 1" in page
        assert "We will change the rule." in page
        public = new_client(app)
        with public:
            text = public.get(f"/positions/{pid}").text
            assert "Ninety days" in text  # the quote
            assert "Informed by 2 comments" in text
            assert "Say who explains it." not in text  # cited comments are not public
            assert people["member"].name not in text

    # Withdrawing "being quoted" consent: published -> flagged, with the member's own key.
    with db.write() as session:
        removed, flagged = quotes.flag_quotes(session, people["member"], member.key)
        assert (removed, flagged) == (0, 1)
        quote_row = session.execute(select(PositionQuote)).scalar_one()
        assert quote_row.flagged_at is not None


def test_flag_quotes_removes_from_unpublished(db, settings, people, ministry):
    setup = prepared_consultation(db, settings, people)
    member = author(settings, people["member"])
    cid = post_comment(db, settings, member, setup, "Quote me.", approve_by=people["secretariat"])
    with db.write() as session:
        from council.models import Comment

        found = session.get(Comment, cid)
        assert found is not None
        found.may_quote = True
    pid = new_position(db, people["chair"], ministry.id, consultation_id=setup.consultation_id)
    with db.write() as session:
        quotes.quote(session, people["chair"], pid, cid, "Quote me.")
    # Without the key, an anonymous comment cannot be traced to the member: nothing found.
    with db.write() as session:
        assert quotes.flag_quotes(session, people["member"], None) == (0, 0)
    with db.write() as session:
        assert quotes.flag_quotes(session, people["member"], member.key) == (1, 0)
        assert session.execute(select(PositionQuote)).first() is None


def test_withdraw_keeps_public_with_reason(db, settings, people, ministry, client):
    pid = published(db, settings, people, ministry)
    with db.write() as session, pytest.raises(ActionError):
        actions.withdraw(session, people["chair"], pid, "  ")
    with db.write() as session:
        actions.withdraw(session, people["chair"], pid, "Superseded by a newer position.")
    page = client.get(f"/positions/{pid}")
    assert page.status_code == 200
    assert "Superseded by a newer position." in page.text
    assert "withdrew" in page.text


def test_public_pages_show_no_pseudonym_and_make_no_session(db, settings, people, ministry, client):
    setup = prepared_consultation(db, settings, people)
    post_comment(
        db,
        settings,
        author(settings, people["member"]),
        setup,
        "Visible to the council.",
        visibility="council",
        approve_by=people["secretariat"],
    )
    pid = published(db, settings, people, ministry)
    names = [u.name for u in people.values()]
    for url in ("/", "/positions", f"/positions/{pid}", "/scorecard", "/feed.atom"):
        response = client.get(url)
        assert response.status_code == 200, url
        for name in names:
            assert name not in response.text, (url, name)
        assert "set-cookie" not in response.headers, url
        if url != "/feed.atom":
            assert "<title>Council</title>" in response.text
    assert "The council has 3 members." in client.get("/").text


def test_positions_list_filters(db, settings, people, ministry, client):
    old = published(db, settings, people, ministry, now=datetime(2025, 5, 1, tzinfo=UTC))
    new = published(db, settings, people, ministry, now=datetime(2026, 5, 1, tzinfo=UTC))
    with db.write() as session:
        actions.withdraw(session, people["chair"], new, "Replaced.")
    both = client.get("/positions").text
    assert f"/positions/{old}" in both and f"/positions/{new}" in both
    only_2025 = client.get("/positions?year=2025").text
    assert f"/positions/{old}" in only_2025 and f"/positions/{new}" not in only_2025
    withdrawn = client.get("/positions?status=withdrawn").text
    assert f"/positions/{new}" in withdrawn and f"/positions/{old}" not in withdrawn
    with db.read() as session:
        labour = session.execute(
            select(Ministry).where(Ministry.name == "Ministry of Labour")
        ).scalar_one()
    assert f"/positions/{old}" not in client.get(f"/positions?ministry={labour.id}").text
    assert client.get("/positions?year=abc&ministry=x").status_code == 200


def test_new_position_form(db, people, ministry, signed_in):
    chair = signed_in("chair")
    assert chair.get("/positions/new").status_code == 200
    response = post(
        chair,
        "/positions/new",
        {
            "title": "Interpreters",
            "body": "Text",
            "recommendations": "First.\n\nSecond.",
            "ministry": str(ministry.id),
        },
        page="/positions/new",
    )
    assert response.status_code == 303
    page = chair.get(response.headers["location"]).text
    assert "First." in page and "Second." in page
    assert signed_in("member").get("/positions/new").status_code == 403


def test_member_count_excludes_staff(db, settings, people):
    with db.read() as session:
        assert pq.eligible_voters(session) == 3
    make_user(
        db, settings, "official-three", Role.OFFICIAL, ministry_id=people["official"].ministry_id
    )
    with db.read() as session:
        assert pq.eligible_voters(session) == 3
        assert session.execute(select(User)).all()


def test_edit_draft_keeps_recommendation_records(db, people, ministry, signed_in):
    pid = new_position(db, people["chair"], ministry.id, recs=3)
    with db.read() as session:
        before = [r.id for r in pq.recommendations_of(session, pid)]
    chair = signed_in("chair")
    url = f"/positions/{pid}/edit"
    assert "Recommendation 3" in chair.get(url).text
    response = post(
        chair,
        url,
        {"title": "Renamed", "body": "B", "recommendations": "One.\n\nTwo.", "languages": ""},
        page=url,
    )
    assert response.status_code == 303
    with db.read() as session:
        after = pq.recommendations_of(session, pid)
    assert [r.id for r in after] == before[:2]
    assert [r.text for r in after] == ["One.", "Two."]
    assert signed_in("member").get(url).status_code == 403


def test_secretariat_home_flags_overdue_answers(db, settings, people, ministry, signed_in):
    pid = published(db, settings, people, ministry, now=datetime(2025, 1, 1, tzinfo=UTC))
    home = signed_in("secretariat").get("/home").text
    assert "Answers overdue:" in home and f"/positions/{pid}" in home
    assert "Answers overdue:" not in signed_in("member").get("/home").text


def test_members_are_told_neutrally_when_a_position_opens(
    app, db, people, ministry, signed_in, monkeypatch
):
    from council import mail

    sent: list = []
    monkeypatch.setattr(mail, "send_neutral", lambda s, recipients: sent.extend(recipients))
    with db.write() as session:
        member = session.get(User, people["member"].id)
        member.notify_by_email = True
        member.email = "amber@example.org"
        stepping = session.get(User, people["member2"].id)
        stepping.notify_by_email = True
        stepping.email = "birch@example.org"
        stepping.stepping_back_since = datetime(2026, 1, 1, tzinfo=UTC)
    chair = signed_in("chair")
    response = post(
        chair,
        "/positions/new",
        {"title": "T", "body": "", "recommendations": "R.", "ministry": str(ministry.id)},
        page="/positions/new",
    )
    assert response.status_code == 303
    assert sent == [("amber@example.org", None)]


def test_members_comment_anonymously_on_a_draft(app, db, settings, people, ministry, signed_in):
    pid = new_position(db, people["chair"], ministry.id)
    member = signed_in("member")
    url = f"/positions/{pid}"
    done = post(member, f"{url}/comments", {"body": "Add interpreters."}, page=url)
    assert done.status_code == 303
    assert "Add interpreters." in member.get(url).text
    # Another member does not see it; the drafters do, without a name.
    assert "Add interpreters." not in signed_in("member2").get(url).text
    for role in ("chair", "secretariat"):
        page = signed_in(role).get(url).text
        assert "Add interpreters." in page
        assert people["member"].name not in page
    with db.read() as session:
        from council.models import PositionComment

        row = session.execute(select(PositionComment)).scalar_one()
        assert len(row.author_tag) == 64 and row.created_on.hour == 0
    # Only the author can withdraw it.
    withdraw_url = f"{url}/comments/{row.id}/withdraw"
    assert post(signed_in("member2"), withdraw_url, page=url).status_code == 404
    assert post(member, withdraw_url, page=url).status_code == 303
    assert "Add interpreters." not in signed_in("chair").get(url).text
    assert (
        post(signed_in("official"), f"{url}/comments", {"body": "x"}, page="/account").status_code
        == 404
    )


def test_a_member_stepping_back_is_not_counted_as_absent(db, people):
    from council.actions import safeguards as safeguard_actions

    with db.read() as session:
        before = pq.eligible_voters(session)
    with db.write() as session:
        safeguard_actions.step_back(session, people["member2"])
    with db.read() as session:
        assert pq.eligible_voters(session) == before - 1
    with db.write() as session:
        safeguard_actions.resume(session, people["member2"])
    with db.read() as session:
        assert pq.eligible_voters(session) == before


def test_quote_form_offers_only_quotable_comments(db, settings, people, ministry, signed_in):
    setup = prepared_consultation(db, settings, people)
    member = author(settings, people["member"])
    yes = post_comment(
        db, settings, member, setup, "Quotable words.", approve_by=people["secretariat"]
    )
    post_comment(db, settings, member, setup, "Private words.", approve_by=people["secretariat"])
    with db.write() as session:
        from council.models import Comment

        session.get(Comment, yes).may_quote = True
    pid = new_position(db, people["chair"], ministry.id, consultation_id=setup.consultation_id)
    chair = signed_in("chair")
    page = chair.get(f"/positions/{pid}").text
    form = page[page.index('id="f-quote-comment"') :]
    form = form[: form.index("</select>")]
    assert "Quotable words." in form and "Private words." not in form
    done = post(
        chair,
        f"/positions/{pid}/quote",
        {"comment": yes, "text": "Quotable"},
        page=f"/positions/{pid}",
    )
    assert done.status_code == 303
    assert (
        '<blockquote class="quote"><p dir="auto">Quotable</p>'
        in chair.get(f"/positions/{pid}").text
    )
