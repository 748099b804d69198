"""CSV exports hold every row, however many, streamed in batches; the audit log says how many."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from sqlalchemy import select

from council.models import AuditEvent, Engagement, Expense, utcnow
from tests.conftest import count_queries

ENGAGEMENTS = 1234  # more than two of the export's batches, and past the 500 it used to stop at
EXPENSES = 40


def _many_engagements(db, people) -> None:  # type: ignore[no-untyped-def]
    members = [people["member"].id, people["member2"].id, people["chair"].id]
    start = date(2026, 1, 1)
    with db.write() as session:
        rows = [
            Engagement(
                member_id=members[n % 3],
                kind="meeting",
                label="=HYPERLINK(1)" if n == 7 else f"meeting {n}",
                occurred_on=start + timedelta(days=n % 300),
                unit="flat",
                quantity_milli=1000,
                rate_minor=6000,
                currency="EUR",
                fee_minor=6000,
                status="completed",
                completed_at=utcnow(),
            )
            for n in range(ENGAGEMENTS)
        ]
        session.add_all(rows)
        session.flush()
        session.add_all(
            Expense(engagement_id=rows[n * 30].require_id, kind="travel", amount_minor=450)
            for n in range(EXPENSES)
        )


def test_the_finance_csv_holds_every_row_and_the_audit_says_how_many(signed_in, db, people, app):
    _many_engagements(db, people)
    client = signed_in("secretariat")
    with count_queries(app.state.db.engine) as statements:
        response = client.get("/secretariat/ledger.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][0] == "engagement"
    body = rows[1:]
    assert len(body) == ENGAGEMENTS + EXPENSES
    assert len({row[0] for row in body}) == ENGAGEMENTS  # every engagement, none twice
    assert sum(1 for row in body if row[1] == "expense:travel") == EXPENSES
    assert any(row[7] == "'=HYPERLINK(1)" for row in body)  # the formula guard holds
    with db.read() as session:
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "ledger.export")
        ).scalar_one()
    assert event.detail["lines"] == ENGAGEMENTS + EXPENSES
    # Read in batches: a few statements per batch, not one per row, nor one for everything.
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) < 40


def test_a_filtered_export_counts_its_lines_not_only_its_engagements(signed_in, db, people):
    _many_engagements(db, people)
    client = signed_in("secretariat")
    member = people["member"].id  # the member whose engagements have the expenses
    response = client.get(f"/secretariat/ledger.csv?member={member}")
    body = list(csv.reader(io.StringIO(response.text)))[1:]
    expected = len(range(0, ENGAGEMENTS, 3)) + EXPENSES
    assert len(body) == expected
    with db.read() as session:
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "ledger.export")
        ).scalar_one()
    assert event.detail["lines"] == expected
    assert event.detail["filters"] == {"member": str(member)}


def test_the_results_csv_holds_every_comment_and_the_audit_says_how_many(
    signed_in, db, settings, people
):
    from council.models import Comment, CommentStatus
    from tests.factories import prepared_consultation

    setup = prepared_consultation(db, settings, people)
    day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    section = setup.sections[1].id
    with db.write() as session:
        session.add_all(
            Comment(
                consultation_id=setup.consultation_id,
                section_id=section if n % 2 else None,
                body="=1+1" if n == 3 else f"comment {n}",
                status=CommentStatus.APPROVED.value if n % 7 else CommentStatus.PENDING.value,
                created_on=day - timedelta(days=n % 5),
            )
            for n in range(1300)
        )
    approved = sum(1 for n in range(1300) if n % 7)
    response = signed_in("official").get(f"/consultations/{setup.consultation_id}/results.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))[1:]
    assert len(rows) == approved
    assert {row[2] for row in rows} == {
        "'=1+1" if n == 3 else f"comment {n}" for n in range(1300) if n % 7
    }
    # Part by part in page order: the draft as a whole first, then the section.
    abouts = [row[0] for row in rows]
    assert abouts == sorted(abouts, key=lambda about: about != "The draft as a whole")
    with db.read() as session:
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "consultation.export")
        ).scalar_one()
    assert event.detail["lines"] == approved
