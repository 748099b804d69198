"""The consultation lifecycle and its safeguards gate, tested without HTTP and then through it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from council.actions import ActionError, Forbidden
from council.actions import consultations as actions
from council.models import Consultation, Status, utcnow
from tests.conftest import post
from tests.factories import prepared_consultation


def status_of(db, cid):
    with db.read() as session:
        return session.get(Consultation, cid).status


def test_gate_refuses_an_incomplete_consultation_and_names_what_is_missing(db, settings, people):
    setup = prepared_consultation(db, settings, people, complete=False)
    with pytest.raises(ActionError) as refused, db.write() as session:
        actions.transition(
            session, people["secretariat"], setup.consultation_id, Status.OPEN, settings
        )
    message = refused.value.message
    assert "Content warnings chosen" in message
    assert "A payment rate" in message
    assert "A support contact" not in message  # that one was done
    assert status_of(db, setup.consultation_id) == Status.IN_REVIEW


def test_gate_items_one_by_one(db, settings, people):
    setup = prepared_consultation(db, settings, people, complete=False)
    with db.read() as session:
        consultation = session.get(Consultation, setup.consultation_id)
        missing = {
            item.key for item in actions.gate(session, consultation, settings) if not item.done
        }
    assert missing == {"warnings", "payment"}
    with db.read() as session:
        consultation = session.get(Consultation, setup.consultation_id)
        consultation.deadline = utcnow() + timedelta(days=settings.min_comment_days - 1)
        consultation.support_contact = ""
        consultation.languages_formats = ""
        consultation.response_due = None
        missing = {
            item.key for item in actions.gate(session, consultation, settings) if not item.done
        }
        session.rollback()
    assert missing == {"warnings", "payment", "period", "support", "languages", "response"}


def test_the_minimum_comment_period_is_a_setting(db, settings, people):
    from tests.conftest import make_settings

    setup = prepared_consultation(db, settings, people)
    stricter = make_settings(settings.database_url, min_comment_days=45)
    with db.read() as session:
        consultation = session.get(Consultation, setup.consultation_id)
        consultation.opened_at = None
        assert "period" in {
            i.key for i in actions.gate(session, consultation, stricter) if not i.done
        }


def test_complete_consultation_opens_and_lifecycle_roles(db, settings, people):
    setup = prepared_consultation(db, settings, people, status=Status.IN_REVIEW)
    cid = setup.consultation_id
    with pytest.raises(Forbidden), db.write() as session:
        actions.transition(session, people["official"], cid, Status.OPEN, settings)
    with db.write() as session:
        actions.transition(session, people["secretariat"], cid, Status.OPEN, settings)
    assert status_of(db, cid) == Status.OPEN
    with pytest.raises(ActionError), db.write() as session:  # no skipping steps
        actions.transition(session, people["secretariat"], cid, Status.ANSWERED, settings)
    with pytest.raises(Forbidden), db.write() as session:
        actions.transition(session, people["official"], cid, Status.CLOSED, settings)
    with db.write() as session:
        actions.transition(
            session, people["secretariat"], cid, Status.CLOSED, settings, "The law was withdrawn."
        )
    with pytest.raises(Forbidden), db.write() as session:
        actions.transition(session, people["official_other"], cid, Status.ANSWERED, settings)
    with db.write() as session:
        actions.transition(session, people["official"], cid, Status.ANSWERED, settings)
    assert status_of(db, cid) == Status.ANSWERED


def test_members_cannot_move_a_consultation(db, settings, people):
    setup = prepared_consultation(db, settings, people, status=Status.IN_REVIEW)
    for role in ("member", "chair"):
        with pytest.raises(Forbidden), db.write() as session:
            actions.transition(session, people[role], setup.consultation_id, Status.OPEN, settings)


def test_deadline_can_be_extended_never_shortened(db, settings, people):
    setup = prepared_consultation(db, settings, people)
    with db.read() as session:
        deadline = session.get(Consultation, setup.consultation_id).deadline
    with pytest.raises(ActionError), db.write() as session:
        actions.extend_deadline(
            session, people["secretariat"], setup.consultation_id, deadline - timedelta(days=1)
        )
    with pytest.raises(Forbidden), db.write() as session:
        actions.extend_deadline(
            session, people["official"], setup.consultation_id, deadline + timedelta(days=1)
        )
    with db.write() as session:
        actions.extend_deadline(
            session, people["secretariat"], setup.consultation_id, deadline + timedelta(days=7)
        )


def test_gate_refuses_through_http_and_the_page_lists_the_missing_items(
    signed_in, db, settings, people
):
    setup = prepared_consultation(db, settings, people, complete=False)
    url = f"/consultations/{setup.consultation_id}/settings"
    client = signed_in("secretariat")
    page = client.get(url)
    assert "Missing before it can open:" in page.text
    assert "Open for comments" in page.text
    response = post(
        client, f"/consultations/{setup.consultation_id}/status", {"to": "open"}, page=url
    )
    assert response.status_code == 400
    assert "cannot open until the safeguards checklist is complete" in response.text
    assert "A payment rate for taking part" in response.text
    assert "Content warnings chosen" in response.text
    assert status_of(db, setup.consultation_id) == Status.IN_REVIEW


def test_secretariat_completes_the_checklist_and_opens_over_http(signed_in, db, settings, people):
    setup = prepared_consultation(db, settings, people, complete=False)
    url = f"/consultations/{setup.consultation_id}/settings"
    client = signed_in("secretariat")
    deadline = (utcnow() + timedelta(days=30)).date().isoformat()
    response_day = (utcnow() + timedelta(days=60)).date().isoformat()
    response = post(
        client,
        url,
        {
            "deadline": deadline,
            "response_due": response_day,
            "languages_formats": "English",
            "support_contact": "Hanna",
            "warnings_confirmed": "yes",
            "payment_rate": "25.50",
            "payment_currency": "EUR",
            "payment_unit": "hour",
        },
        page=url,
    )
    assert response.status_code == 303, response.text
    with db.read() as session:
        stored = session.get(Consultation, setup.consultation_id)
    assert stored.payment_rate_minor == 2550 and isinstance(stored.payment_rate_minor, int)
    response = post(
        client, f"/consultations/{setup.consultation_id}/status", {"to": "open"}, page=url
    )
    assert response.status_code == 303
    assert status_of(db, setup.consultation_id) == Status.OPEN


def test_an_official_cannot_set_the_secretariats_part_of_the_checklist(
    signed_in, db, settings, people
):
    from council.models import Consultation as C

    official = people["official"]
    from tests.factories import make_draft

    draft_id = make_draft(db, official)
    with db.write() as session:
        consultation = actions.create(session, official, draft_id)
    url = f"/consultations/{consultation.id}/settings"
    client = signed_in("official")
    response = post(
        client,
        url,
        {
            "warnings_confirmed": "yes",
            "payment_rate": "99",
            "payment_currency": "EUR",
            "payment_unit": "hour",
        },
        page=url,
    )
    assert response.status_code == 303
    with db.read() as session:
        stored = session.execute(select(C).where(C.id == consultation.id)).scalar_one()
    assert stored.warnings_confirmed is False and stored.payment_rate_minor is None


def test_questions_are_validated(db, settings, people):
    setup = prepared_consultation(db, settings, people, complete=False)
    with pytest.raises(ActionError), db.write() as session:
        actions.add_question(
            session,
            people["secretariat"],
            setup.consultation_id,
            text="Pick",
            kind="single",
            options=["Only one"],
        )
    with pytest.raises(ActionError), db.write() as session:
        actions.add_question(
            session, people["secretariat"], setup.consultation_id, text="", kind="text", options=[]
        )
