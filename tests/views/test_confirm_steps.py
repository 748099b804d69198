"""One tap, no way back: each of these asks first and says what happens (a page without
JavaScript, the same fragment with htmx)."""

from __future__ import annotations

from sqlmodel import select

from council.models import AuditEvent, Consultation, Status
from tests.conftest import post
from tests.factories import prepared_consultation

HX = {"HX-Request": "true", "HX-Request-Type": "partial"}


def test_closing_early_asks_why_shows_it_to_members_and_audits_it(db, settings, people, signed_in):
    setup = prepared_consultation(db, settings, people)
    cid = setup.consultation_id
    sec = signed_in("secretariat")
    page = sec.get(f"/consultations/{cid}/settings").text
    # The settings page has no one-tap close: a step that asks first.
    assert 'name="to" value="closed"' not in page
    assert f'action="/consultations/{cid}/close"' in page
    confirm = sec.get(f"/consultations/{cid}/close")
    assert confirm.status_code == 200 and "<html" in confirm.text
    assert "Close it now?" in confirm.text and "30 days left" in confirm.text
    fragment = sec.get(f"/consultations/{cid}/close", headers=HX)
    assert (
        fragment.text.lstrip().startswith('<div id="close-step"') and "<html" not in fragment.text
    )
    # Without a reason: refused, still open.
    refused = post(sec, f"/consultations/{cid}/close", {"reason": " "}, page="/secretariat/audit")
    assert refused.status_code == 400 and "Say why it closes before its deadline" in refused.text
    # The old one-tap step is refused too.
    old = post(sec, f"/consultations/{cid}/status", {"to": "closed"}, page="/secretariat/audit")
    assert old.status_code == 400
    with db.read() as s:
        assert s.get(Consultation, cid).status == Status.OPEN
    reason = "The ministry withdrew the draft law."
    done = post(sec, f"/consultations/{cid}/close", {"reason": reason}, page="/secretariat/audit")
    assert done.status_code == 303
    with db.read() as s:
        closed = s.get(Consultation, cid)
        event = (
            s.execute(select(AuditEvent).where(AuditEvent.action == "consultation.status"))
            .scalars()
            .all()[-1]
        )
    assert closed.status == Status.CLOSED and closed.closed_reason == reason
    assert event.detail["early"] is True and event.detail["reason"] == reason
    member_page = signed_in("member").get(f"/consultations/{cid}").text
    assert "Closed early on" in member_page and reason in member_page
    assert "days left" not in member_page
    assert "days left" not in sec.get(f"/consultations/{cid}/settings").text
    # Members may not close, nor open the step.
    assert signed_in("member2").get(f"/consultations/{cid}/close").status_code in (403, 404)
