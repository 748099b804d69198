"""The annual report's figures on a small scripted year, against hand-computed values; the
minimum group size of five; freezing on publish."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from council.actions import ActionError, Forbidden, responses
from council.actions import annual_report as report_actions
from council.actions import engagements as engagement_actions
from council.actions import rates as rate_actions
from council.models import AnnualReport, AuditEvent, Consultation, Engagement, Ministry, Status
from council.queries import annual_report as q
from council.rules import money
from tests.conftest import make_settings, make_user
from tests.factories import at, prepared_consultation, publish_with

NOW = "2026-06-01 00:00"


def answer(db, official, rec_id: int, status: str, when: str) -> None:
    with db.write() as session:
        responses.respond(
            session, make_settings(db.url), official, rec_id, status, "Because.", now=at(when)
        )


def contribute(db, member, occurred: str, hours: str = "2") -> Engagement:
    with db.write() as session:
        return engagement_actions.record_contribution(
            session,
            member,
            consultation_id=None,
            label="Work",
            occurred_on=date.fromisoformat(occurred),
            quantity_milli=money.parse_quantity(hours),
        )


@pytest.fixture
def labour(db, people) -> Ministry:
    with db.read() as session:
        return session.execute(
            select(Ministry).where(Ministry.name == "Ministry of Labour")
        ).scalar_one()


@pytest.fixture
def more_members(db, settings, people):
    return [make_user(db, settings, name) for name in ("dune", "elm", "fern")]


@pytest.fixture
def year(db, settings, people, ministry, labour, more_members):
    """Positions and responses of 2026 (and one of 2025), five members' paid work."""
    official, other, secretary = people["official"], people["official_other"], people["secretariat"]
    r = publish_with(db, settings, people, ministry.id, "2026-01-10 12:00", 3)
    answer(db, official, r[0], "accepted", "2026-01-20 09:00")  # 10 days
    answer(db, official, r[0], "rejected", "2026-02-01 09:00")  # current: rejected
    answer(db, official, r[1], "partly_accepted", "2026-02-09 23:00")  # 30 days
    # r[2] never answered: due 11 March, overdue on 1 June.
    t = publish_with(db, settings, people, labour.id, "2026-02-01 08:00", 2)
    answer(db, other, t[0], "accepted", "2026-02-08 10:00")  # 7 days
    # t[1] never answered: due 2 April, overdue.
    last = publish_with(db, settings, people, ministry.id, "2025-12-31 23:00", 1)
    answer(db, official, last[0], "accepted", "2026-01-02 10:00")  # belongs to 2025

    with db.write() as session:
        rate_actions.set_rate(
            session, secretary, kind="consultation", unit="hour", currency="EUR", amount_minor=2500
        )
        rate_actions.set_rate(
            session, secretary, kind="meeting", unit="flat", currency="UAH", amount_minor=100000
        )
    members = [people["member"], people["member2"], people["chair"], *more_members]
    done = [contribute(db, m, f"2026-03-0{i + 1}") for i, m in enumerate(members[:5])]
    contribute(db, members[0], "2026-04-01", "1")  # a second line of one member: 2500
    contribute(db, members[1], "2025-12-31")  # the year before: not counted
    cancelled = contribute(db, members[5], "2026-05-01")  # the sixth member, cancelled
    with db.write() as session:
        engagement_actions.cancel(session, secretary, cancelled.require_id, "Did not happen.")
        for e, amount in ((done[0], 1000), (done[1], 500)):
            engagement_actions.add_expense(
                session, secretary, e.require_id, kind="travel", amount_minor=amount, note=""
            )
        engagement_actions.create_engagement(
            session,
            secretary,
            member_id=members[2].require_id,
            kind="meeting",
            unit="flat",
            quantity_milli=1000,
            occurred_on=date(2026, 5, 2),
            completed=True,
        )
    return r, t, last


def figures(db, year=2026, now=NOW):
    with db.read() as session:
        return q.figures(session, year, at(now))


def test_response_figures_match_hand_computed_values(db, year):
    data = figures(db)
    assert data["responses"] == {
        "ministry": "",
        "made": 5,
        "responded": 3,
        "accepted": 1,
        "partly": 1,
        "rejected": 1,
        "considering": 0,
        "overdue": 2,
        "median_days": 10,
    }
    by_name = {m["ministry"]: m for m in data["ministries"]}
    interior, labour = by_name["Ministry of Interior"], by_name["Ministry of Labour"]
    assert (interior["made"], interior["responded"], interior["overdue"]) == (3, 2, 1)
    assert (interior["rejected"], interior["partly"], interior["median_days"]) == (1, 1, 20)
    assert (labour["made"], labour["accepted"], labour["overdue"], labour["median_days"]) == (
        2,
        1,
        1,
        7,
    )
    positions = data["positions"]
    assert [p["published"] for p in positions] == ["2026-01-10", "2026-02-01"]
    assert positions[0]["due"] == "2026-03-11"
    assert [
        (r["number"], r["status"], r["responded"], r["days"], r["overdue"])
        for r in positions[0]["recommendations"]
    ] == [
        (1, "rejected", "2026-01-20", 10, False),
        (2, "partly_accepted", "2026-02-09", 30, False),
        (3, None, None, None, True),
    ]
    assert positions[0]["title"]["en"] == {"text": "Position of 2026-01-10 12:00", "lang": "en"}
    assert positions[0]["recommendations"][0]["text"] == "R1"


def test_the_year_before_counts_only_its_own_position(db, year):
    data = figures(db, 2025, "2026-01-05 00:00")
    assert [p["published"] for p in data["positions"]] == ["2025-12-31"]
    assert data["responses"]["made"] == 1
    assert data["responses"]["accepted"] == 1
    assert data["responses"]["median_days"] == 2
    # The only engagement of 2025 is one member's: nothing is shown of it.
    assert data["participation"] == {"members": None, "engagements": None}
    assert data["payments"] == [{"currency": "EUR", "fees_minor": None, "expenses_minor": None}]


def test_overdue_is_as_of_the_moment_given(db, year):
    # 11 March 12:00 is r[2]'s due moment: overdue only after it.
    assert figures(db, now="2026-03-11 12:00")["responses"]["overdue"] == 0
    assert figures(db, now="2026-03-11 12:01")["responses"]["overdue"] == 1


def test_participation_and_payments_only_as_aggregates_of_five(db, year):
    data = figures(db)
    # Five members took part (the sixth's only line was cancelled), in 7 lines of work.
    assert data["participation"] == {"members": 5, "engagements": 7}
    assert data["payments"] == [
        # EUR fees: 5 x 2 hours x 25.00 + 1 hour = 275.00; travel of two members only: hidden.
        {"currency": "EUR", "fees_minor": 27500, "expenses_minor": None},
        # One member's meeting paid in UAH: hidden.
        {"currency": "UAH", "fees_minor": None, "expenses_minor": None},
    ]
    assert "meetings" in data and data["meetings"] is None


def test_four_members_are_fewer_than_five(db, year, people):
    with db.write() as session:
        fifth = session.execute(
            select(Engagement).where(Engagement.occurred_on == date(2026, 3, 5))
        ).scalar_one()
        engagement_actions.cancel(session, people["secretariat"], fifth.require_id, "No.")
    data = figures(db)
    assert data["participation"] == {"members": None, "engagements": None}
    assert data["payments"][0]["fees_minor"] is None


def test_consultations_held_are_those_opened_in_the_year(db, settings, people):
    held = prepared_consultation(db, settings, people, status=Status.OPEN)
    earlier = prepared_consultation(db, settings, people, status=Status.CLOSED)
    prepared_consultation(db, settings, people, complete=False)  # never opened
    with db.write() as session:
        moved = session.get(Consultation, earlier.consultation_id)
        assert moved is not None
        moved.opened_at = at("2025-06-01 10:00")
        session.add(moved)
        found = session.get(Consultation, held.consultation_id)
        assert found is not None and found.opened_at is not None
        this_year, opened = found.opened_at.year, found.opened_at.date()
    data = figures(db, this_year, NOW)
    assert [(c["id"], c["days"], c["status"]) for c in data["consultations"]] == [
        (held.consultation_id, 30, "open")
    ]
    assert data["consultations"][0]["opened"] == opened.isoformat()
    assert data["consultations"][0]["title"]["uk"]["text"] == "Referral of survivors"
    assert [c["id"] for c in figures(db, 2025, NOW)["consultations"]] == [earlier.consultation_id]


def test_publishing_freezes_the_figures_and_is_audited(db, year, people):
    _r, _t, last = year
    secretary = people["secretariat"]
    with db.write() as session, pytest.raises(ActionError):  # no foreword yet
        report_actions.publish(session, secretary, 2025, now=at("2026-01-05 00:00"))
    with db.write() as session:
        report_actions.save_foreword(session, secretary, 2025, "Our *year*.")
        report_actions.publish(session, secretary, 2025, now=at("2026-01-05 00:00"))
    with db.read() as session:
        frozen, _row = q.access_report(session, None, 2025, at("2026-06-01 00:00"))
    # Afterwards: the 2025 position's recommendation gets a second answer, its text changes.
    last_rec = frozen["positions"][0]["recommendations"][0]
    assert (last_rec["status"], last_rec["days"]) == ("accepted", 2)
    with db.write() as session:
        rec_id = session.execute(
            select(AuditEvent.object_id).where(AuditEvent.action == "annual_report.publish")
        ).scalar_one()
        assert rec_id == "2025"
    answer(db, people["official"], last[0], "rejected", "2026-02-01 00:00")
    with db.read() as session:
        again, row = q.access_report(session, None, 2025, at("2026-06-01 00:00"))
        live = q.figures(session, 2025, at("2026-06-01 00:00"))
    assert live["positions"][0]["recommendations"][0]["status"] == "rejected"
    assert again == frozen
    assert again["foreword"] == "Our *year*."
    assert row is not None and row.is_published
    with db.write() as session, pytest.raises(ActionError):
        report_actions.save_foreword(session, secretary, 2025, "Changed.")
    with db.write() as session, pytest.raises(ActionError):
        report_actions.publish(session, secretary, 2025, now=at("2026-01-06 00:00"))


def test_only_the_secretariat_writes_and_previews(db, year, people):
    for role in ("member", "chair", "official"):
        with db.write() as session, pytest.raises(Forbidden):
            report_actions.save_foreword(session, people[role], 2025, "Mine.")
    with db.write() as session:
        report_actions.save_foreword(session, people["secretariat"], 2025, "Draft.")
    with db.read() as session:
        for role in ("member", "chair", "official"):
            with pytest.raises(q.NotFound):
                q.access_report(session, people[role], 2025, at(NOW))
        with pytest.raises(q.NotFound):
            q.access_report(session, None, 2025, at(NOW))
        preview, row = q.access_report(session, people["secretariat"], 2025, at(NOW))
        assert preview["foreword"] == "Draft." and row is not None and not row.is_published
        assert session.execute(select(AnnualReport)).scalar_one().snapshot is None


def test_a_year_not_yet_ended_cannot_be_published(db, people):
    with db.write() as session:
        report_actions.save_foreword(
            session, people["secretariat"], 2026, "Soon.", now=at("2026-06-01 00:00")
        )
        with pytest.raises(ActionError):
            report_actions.publish(session, people["secretariat"], 2026, now=at("2026-06-01 00:00"))
        with pytest.raises(ActionError):
            report_actions.save_foreword(
                session, people["secretariat"], 2027, "Later.", now=at("2026-06-01 00:00")
            )
