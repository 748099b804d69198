"""The meeting pages as each role sees them: members read and reply, the secretariat schedules,
records attendance on one screen and publishes minutes; officials and visitors are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from council.actions import meetings as actions
from council.models import Engagement, Meeting, MeetingReply, utcnow
from council.queries import meetings as mq
from tests.actions.test_meetings import held, meeting_rate, schedule
from tests.conftest import csrf_from, post


@pytest.fixture
def meeting(db, people):
    found = schedule(db, people["secretariat"])
    with db.write() as s:
        actions.add_agenda_item(
            s,
            people["secretariat"],
            found.id,
            title="Shelter standards",
            content_warning="violence",
            paper="The **paper** text.",
        )
    return found


def test_a_member_sees_the_meeting_with_its_place_and_agenda(signed_in, meeting):
    client = signed_in("member")
    listing = client.get("/meetings")
    assert listing.status_code == 200 and "Spring plenary on shelters" in listing.text
    page = client.get(f"/meetings/{meeting.id}")
    assert page.status_code == 200
    assert "call.example/abc" in page.text
    assert "Content warning: violence" in page.text and "<strong>paper</strong>" in page.text
    assert "Will you come?" in page.text
    ics = client.get(f"/meetings/{meeting.id}/meeting.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert b"SUMMARY:Meeting" in ics.content and b"shelter" not in ics.content.lower()


def test_a_member_replies_with_what_they_need(signed_in, db, people, meeting):
    client = signed_in("member")
    url = f"/meetings/{meeting.id}"
    response = post(
        client, f"{url}/reply", {"answer": "yes", "need": ["childcare", "travel"]}, page=url
    )
    assert response.status_code == 303
    with db.read() as s:
        reply = s.get(MeetingReply, (meeting.id, people["member"].id))
    assert reply.answer == "yes" and reply.needs_childcare and not reply.needs_interpretation
    page = client.get(url).text
    assert 'id="n-childcare" type="checkbox" name="need" value="childcare" checked' in page
    # Without an answer: a message, and the needs ticked are kept.
    refused = post(
        client, f"{url}/reply", {"need": ["interpretation"], "note": "wheelchair"}, page=url
    )
    assert refused.status_code == 400 and "Say whether you will come." in refused.text
    assert 'value="interpretation" checked' in refused.text and 'value="wheelchair"' in refused.text
    secretariat = signed_in("secretariat").get(url).text
    assert "<dt>Will come</dt><dd>1</dd>" in secretariat


@pytest.mark.parametrize("role", ["official", "official_other"])
def test_officials_never_see_a_meeting(signed_in, meeting, role):
    client = signed_in(role)
    assert client.get("/meetings").status_code == 403
    assert client.get(f"/meetings/{meeting.id}").status_code == 403
    assert client.get(f"/meetings/{meeting.id}/meeting.ics").status_code == 403
    assert "/meetings" not in client.get("/home").text


def test_a_visitor_is_sent_to_sign_in(client, meeting):
    for url in ("/meetings", f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/meeting.ics"):
        response = client.get(url)
        assert response.status_code == 303 and response.headers["location"].startswith("/signin")


def test_a_missing_meeting_is_404(signed_in):
    assert signed_in("member").get("/meetings/99999").status_code == 404


def test_the_secretariat_schedules_a_meeting_and_bad_input_is_kept(signed_in, db):
    client = signed_in("secretariat")
    day = (utcnow() + timedelta(days=10)).date().isoformat()
    bad = post(
        client,
        "/meetings/new",
        {"title": "Autumn", "day": day, "start": "xx", "timezone": "Europe/Kyiv", "duration": "90"},
        page="/meetings/new",
    )
    assert bad.status_code == 400 and "Enter the time" in bad.text and 'value="Autumn"' in bad.text
    good = post(
        client,
        "/meetings/new",
        {
            "title": "Autumn",
            "day": day,
            "start": "10:00",
            "timezone": "Europe/Kyiv",
            "duration": "90",
            "place": "Room 1",
        },
        page="/meetings/new",
    )
    assert good.status_code == 303
    with db.read() as s:
        assert s.execute(select(Meeting.title)).scalars().all() == ["Autumn"]


@pytest.mark.parametrize("role", ["member", "chair", "official"])
def test_other_roles_cannot_schedule_record_or_write_minutes(signed_in, db, people, role):
    meeting_rate(db, people["secretariat"])
    past = held(db, people["secretariat"])
    client = signed_in(role)
    assert client.get("/meetings/new").status_code == 403
    assert client.get(f"/meetings/{past.id}/attendance").status_code == 403
    assert (
        post(
            client, f"/meetings/{past.id}/attendance", {"attended": str(people["member"].id)}
        ).status_code
        == 403
    )
    assert (
        post(client, f"/meetings/{past.id}/minutes", {"minutes": "x", "publish": "yes"}).status_code
        == 403
    )
    assert post(client, f"/meetings/{past.id}/agenda", {"item_title": "x"}).status_code == 403
    with db.read() as s:
        assert s.execute(select(Engagement)).first() is None
        assert s.get(Meeting, past.id).minutes_published_at is None


def test_attendance_screen_saved_twice_pays_once(signed_in, db, people):
    meeting_rate(db, people["secretariat"])
    past = held(db, people["secretariat"])
    client = signed_in("secretariat")
    url = f"/meetings/{past.id}/attendance"
    page = client.get(url)
    assert page.status_code == 200 and "amber" in page.text and "official-one" not in page.text
    ticked = [str(people["member"].id), str(people["chair"].id)]
    for _ in range(2):
        token = csrf_from(client.get(url).text)
        response = client.post(url, data={"csrf_token": token, "attended": ticked})
        assert response.status_code == 303
    with db.read() as s:
        rows = s.execute(select(Engagement)).scalars().all()
    assert sorted(e.member_id for e in rows) == sorted([people["member"].id, people["chair"].id])
    assert "checked aria-describedby" in client.get(url).text


def test_minutes_reach_members_only_once_published(signed_in, db, people):
    past = held(db, people["secretariat"])
    secretariat = signed_in("secretariat")
    url = f"/meetings/{past.id}/minutes"
    post(
        secretariat,
        url,
        {"minutes": "We met and agreed.", "decisions": "Write to the ministry"},
        page=url,
    )
    member = signed_in("member")
    assert "We met and agreed." not in member.get(f"/meetings/{past.id}").text
    post(
        secretariat,
        url,
        {"minutes": "We met and agreed.", "decisions": "Write to the ministry", "publish": "yes"},
        page=url,
    )
    page = member.get(f"/meetings/{past.id}").text
    assert "We met and agreed." in page and "Write to the ministry" in page


def test_a_published_decision_may_become_a_draft_position(signed_in, db, people):
    past = held(db, people["secretariat"])
    with db.write() as s:
        actions.save_minutes(
            s,
            people["secretariat"],
            past.id,
            minutes="We met.",
            decisions=["Ask for shelters without a police referral"],
            publish=True,
        )
        (decision,) = mq.decisions(s, past.id)
    chair = signed_in("chair")
    page = chair.get(f"/meetings/{past.id}").text
    link = f"/positions/new?decision={decision.id}"
    assert link in page
    form = chair.get(link).text
    assert 'value="Ask for shelters without a police referral"' in form
    assert "Decided at the meeting" in form
    assert link not in signed_in("member").get(f"/meetings/{past.id}").text
    # Nothing to start from for a decision that is missing.
    assert 'value="Ask for' not in chair.get("/positions/new?decision=99999").text


def test_a_member_sees_their_attendance_payment_and_downloads_it(signed_in, db, people):
    meeting_rate(db, people["secretariat"])
    past = held(db, people["secretariat"])
    with db.write() as s:
        actions.record_attendance(s, people["secretariat"], past.id, [people["member"].id])
    client = signed_in("member")
    page = client.get(f"/meetings/{past.id}").text
    assert "You took part. Your payment for it: Done, waiting for approval." in page
    (engagement,) = mq_engagements(db)
    assert f"/engagements/{engagement.id}" in page
    assert "You took part" not in signed_in("member2").get(f"/meetings/{past.id}").text
    data = client.get("/account/my-data.json").json()
    assert data["meetings"] == [
        {
            "meeting": "Spring plenary on shelters",
            "reply": None,
            "needs": [],
            "note": "",
            "attended": True,
            "engagement_id": engagement.id,
        }
    ]
    assert data["term"] is None and data["about_me"] is None


def mq_engagements(db):
    with db.read() as s:
        return list(s.execute(select(Engagement)).scalars())
