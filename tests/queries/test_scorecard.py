"""The scorecard against hand-computed figures (median and overdue across date boundaries), the
Atom feed against a feed parser and Atom 1.0's required structure, and query counts."""

from __future__ import annotations

from datetime import datetime

import feedparser
import pytest
from lxml import etree
from sqlalchemy import select

from council.actions import positions as actions
from council.actions import responses
from council.models import Ministry
from council.queries import scorecard
from tests.conftest import make_settings, statements_on_reload
from tests.factories import at, publish_with

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def labour(db, people) -> Ministry:
    with db.read() as session:
        return session.execute(
            select(Ministry).where(Ministry.name == "Ministry of Labour")
        ).scalar_one()


def answer(db, official, rec_id: int, status: str, when: str) -> None:
    with db.write() as session:
        responses.respond(
            session,
            make_settings(db.url),
            official,
            rec_id,
            status,
            f"{status} on {when}",
            now=at(when),
        )


@pytest.fixture
def fixture_data(db, settings, people, ministry, labour):
    official, other = people["official"], people["official_other"]
    # Interior, position 1: published 10 Jan 12:00, due 11 Mar 12:00 (60 days).
    r = publish_with(db, settings, people, ministry.id, "2026-01-10 12:00", 3)
    answer(db, official, r[0], "accepted", "2026-01-20 09:00")  # first answer: 10 days
    answer(db, official, r[0], "rejected", "2026-02-01 09:00")  # update: current is rejected
    answer(db, official, r[1], "partly_accepted", "2026-02-09 23:00")  # 30 days
    # r[2]: never answered -> overdue after 11 Mar 12:00.
    # Interior, position 2: published 1 Feb 00:30, due 2 Apr 00:30.
    s = publish_with(db, settings, people, ministry.id, "2026-02-01 00:30", 2)
    # 3 calendar days, though under 72 hours: days are counted by UTC date.
    answer(db, official, s[0], "under_consideration", "2026-02-04 00:01")
    # Labour: two answers, 7 and 8 days -> median 7.5.
    t = publish_with(db, settings, people, labour.id, "2026-01-01 08:00", 2)
    answer(db, other, t[0], "accepted", "2026-01-08 08:00")
    answer(db, other, t[1], "accepted", "2026-01-09 20:00")
    # A withdrawn position does not count.
    w = publish_with(db, settings, people, labour.id, "2026-01-02 08:00", 4)
    with db.write() as session:
        position_id = session.execute(
            select(actions.Recommendation.position_id).where(
                actions.Recommendation.id == w[0]  # type: ignore[arg-type]
            )
        ).scalar_one()
        actions.withdraw(session, people["chair"], position_id, "Replaced.")
    return ministry, labour


def scores(db, now: str) -> dict[str, scorecard.MinistryScore]:
    with db.read() as session:
        return {s.ministry: s for s in scorecard.compute(session, at(now))}


def test_figures_match_hand_computed_values(db, fixture_data):
    interior = scores(db, "2026-03-01 00:00")["Ministry of Interior"]
    assert (interior.made, interior.responded) == (5, 3)
    assert (interior.accepted, interior.partly, interior.rejected, interior.considering) == (
        0,
        1,
        1,
        1,
    )
    assert sorted(interior.delays) == [3, 10, 30]
    assert interior.median_days == 10
    assert interior.overdue == 0
    labour = scores(db, "2026-03-01 00:00")["Ministry of Labour"]
    assert (labour.made, labour.responded, labour.accepted) == (2, 2, 2)
    assert labour.median_days == 7.5
    assert scorecard.MinistryScore(1, "m", delays=[10, 20, 30, 40]).median_days == 25
    assert str(scorecard.MinistryScore(1, "m", delays=[10, 20, 30, 40]).median_days) == "25"
    assert labour.overdue == 0


def test_overdue_across_the_due_time_boundary(db, fixture_data):
    # Position 1 is due 2026-03-11 12:00 UTC; position 2 on 2026-04-02 00:30 UTC.
    assert scores(db, "2026-03-11 11:59")["Ministry of Interior"].overdue == 0
    assert scores(db, "2026-03-11 12:00")["Ministry of Interior"].overdue == 0
    assert scores(db, "2026-03-11 12:01")["Ministry of Interior"].overdue == 1
    assert scores(db, "2026-04-02 00:29")["Ministry of Interior"].overdue == 1
    assert scores(db, "2026-04-02 00:31")["Ministry of Interior"].overdue == 2


def test_scorecard_page_shows_figures(client, fixture_data):
    page = client.get("/scorecard").text
    assert 'data-figure="made">5<' in page
    assert 'data-figure="median">10<' in page
    assert 'data-figure="median">7.5<' in page
    # Today is long after the fixture's due dates: both unanswered are overdue.
    assert '<strong class="overdue">2</strong>' in page


def test_atom_feed_parses_and_has_atom_structure(client, fixture_data):
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    titles = [e.title for e in parsed.entries]
    assert any(t.startswith("Position of 2026-01-10") for t in titles)
    assert any("answered recommendation" in t for t in titles)

    # Atom 1.0 (RFC 4287) required elements, checked on the XML itself.
    root = etree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(parsed.entries) > 0
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        # rel defaults to "alternate" when absent (RFC 4287, 4.2.7.2).
        links = entry.findall(f"{ATOM}link")
        assert any(link.get("rel", "alternate") == "alternate" for link in links)
        assert entry.find(f"{ATOM}summary") is not None or entry.find(f"{ATOM}content") is not None
        updated = entry.findtext(f"{ATOM}updated") or ""
        datetime.fromisoformat(updated)  # RFC 3339


def test_empty_feed_is_valid(client):
    parsed = feedparser.parse(client.get("/feed.atom").content)
    assert not parsed.bozo and parsed.version == "atom10"


def test_list_pages_issue_the_same_queries_for_few_and_many(
    app, client, db, settings, people, ministry
):
    urls = ["/positions", "/scorecard", "/feed.atom", "/"]

    def add(n: int) -> None:
        for i in range(n):
            recs = publish_with(
                db, settings, people, ministry.id, f"2026-01-{1 + i % 28:02d} 10:00", 3
            )
            answer(db, people["official"], recs[0], "accepted", "2026-02-01 10:00")

    def measure() -> list[int]:
        return [statements_on_reload(app, client, url) for url in urls]

    add(2)
    few = measure()
    add(20)
    many = measure()
    assert few == many
