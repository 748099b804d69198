"""The public pages' cache (council/web/public_cache.py): visitors without a session share a page for
a few seconds; a write drops it; nobody signed in is served from it or puts anything in it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from council.web import public_cache
from tests.conftest import count_queries, make_settings, new_client
from tests.factories import publish_with

PUBLIC = ["/", "/positions", "/scorecard", "/feed.atom"]


@contextmanager
def statements(app) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    with count_queries(app.state.db.engine) as seen:
        yield seen


@pytest.fixture
def settings(database_url):  # type: ignore[no-untyped-def]
    """The deployed default, which the rest of the suite turns off."""
    return make_settings(database_url, public_cache_seconds=10)


@pytest.fixture
def visitor(app):  # type: ignore[no-untyped-def]
    with new_client(app) as client:
        yield client


@pytest.mark.parametrize("path", PUBLIC)
def test_a_second_visitor_gets_the_page_without_a_query(app, visitor, path):
    first = visitor.get(path)
    with statements(app) as seen:
        second = new_client(app).get(path)
    assert first.status_code == second.status_code == 200
    assert seen == []
    assert second.content == first.content
    assert second.headers["content-type"] == first.headers["content-type"]
    assert "set-cookie" not in second.headers
    assert second.headers["cache-control"] == "no-store"  # still never kept by a browser


def test_a_write_in_this_process_shows_on_the_next_request(app, db, settings, people, visitor):
    assert "Position of 2026-11-01" not in visitor.get("/positions").text
    publish_with(db, settings, people, people["official"].ministry_id, "2026-11-01", 1)
    assert "Position of 2026-11-01" in visitor.get("/positions").text


def test_entries_expire(app, visitor, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(public_cache.time, "monotonic", lambda: clock[0])
    visitor.get("/scorecard")
    with statements(app) as seen:
        visitor.get("/scorecard")
    assert seen == []
    clock[0] += app.state.settings.public_cache_seconds + 0.1
    with statements(app) as seen:
        visitor.get("/scorecard")
    assert seen != []


def test_each_language_has_its_own_page(visitor):
    assert 'lang="en"' in visitor.get("/").text
    ukrainian = visitor.get("/", headers={"accept-language": "uk"}).text
    assert '<html lang="uk"' in ukrainian


def test_signed_in_people_are_neither_served_from_it_nor_put_in_it(app, signed_in, visitor):
    public_home = visitor.get("/").text
    member = signed_in("member")
    with statements(app) as seen:
        own_home = member.get("/").text
    assert seen != [] and own_home != public_home
    assert "Sign out" in own_home and "Sign out" not in public_home
    # What the member was shown never reaches a visitor.
    member.get("/positions")
    assert "Sign out" not in new_client(app).get("/positions").text


def test_htmx_fragments_and_pages_that_make_a_session_are_not_kept(app, visitor):
    visitor.get("/scorecard", headers={"HX-Request": "true"})
    with statements(app) as seen:
        visitor.get("/scorecard", headers={"HX-Request": "true"})
    assert seen != []
    # The sign-in page makes a CSRF token, so a session: it is not wrapped, and must not be.
    assert visitor.get("/signin").headers.get("set-cookie")


def test_the_cache_can_be_turned_off(app, visitor):
    app.state.settings.public_cache_seconds = 0
    visitor.get("/")
    with statements(app) as seen:
        visitor.get("/")
    assert seen != []


def test_odd_query_strings_cannot_grow_it_without_bound(app, visitor, monkeypatch):
    monkeypatch.setattr(public_cache, "MAX_ENTRIES", 5)
    for n in range(12):
        visitor.get(f"/positions?x={n}")
    assert 0 < len(app.state.public_cache) <= 5
