"""Hardening that is not about one page: headers on every kind of response, the readiness probe,
invite rate limits shared across processes, bounded parameters and input cleaning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from council.app import create_app
from council.middleware.security import CSP
from council.web.forms import clean_text
from council.web.rendering import TEMPLATES_DIR
from tests.conftest import make_settings, new_client, post, sign_in

ROLES = ["member", "chair", "official", "secretariat"]
SIGNED_IN_PAGES = ["/home", "/account", "/help", "/"]
STAFF_PAGES = ["/secretariat/invites", "/secretariat/people", "/secretariat/audit"]


def assert_hardened(response, *, hsts: bool = True) -> None:  # type: ignore[no-untyped-def]
    headers = response.headers
    assert headers["content-security-policy"] == CSP, response.url
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert headers["cache-control"] == "no-store", response.url
    assert "camera=()" in headers["permissions-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert ("strict-transport-security" in headers) is hsts


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_page_is_hardened_and_never_cached(signed_in, role):
    client = signed_in(role)
    for url in SIGNED_IN_PAGES + (STAFF_PAGES if role == "secretariat" else []):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_hardened(response)
        # A fragment for htmx is a signed-in page too.
        assert_hardened(client.get(url, headers={"HX-Request": "true"}))


def test_error_responses_carry_the_same_headers(client, database_url, people):
    assert_hardened(client.get("/no-such-page"))  # 404
    assert_hardened(client.post("/signin", data={"name": "x"}))  # CSRF refusal, 403
    small = create_app(make_settings(database_url, max_request_bytes=100))
    with new_client(small) as c:
        too_big = c.post("/signin", content=b"x" * 500)
        assert too_big.status_code == 413
        assert_hardened(too_big)
    assert_hardened(client.get("/healthz"))


def test_local_mode_sends_no_hsts_and_production_does(database_url):
    with new_client(create_app(make_settings(database_url, env="local"))) as local:
        assert_hardened(local.get("/"), hsts=False)
    production = make_settings(database_url, env="production", base_url="https://c.example")
    with new_client(create_app(production)) as prod:
        response = prod.get("/")
        assert_hardened(response)
        assert "max-age=63072000" in response.headers["strict-transport-security"]


def test_templates_need_no_inline_script_style_or_eval():
    """What the CSP would block anyway must not be written: no inline script or style, no
    event-handler attributes, no htmx features that need eval (hx-on, js: values, filters)."""
    problems = []
    for path in sorted(Path(TEMPLATES_DIR).rglob("*.html")):
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"<style",
            r"\sstyle=",
            r"\son[a-z]+=",
            r"hx-on",
            r"javascript:",
            r"\bjs:",
            r"hx-trigger=\"[^\"]*\[",
        ):
            if re.search(pattern, text, re.I):
                problems.append((path.name, pattern))
    assert problems == []
    base = (Path(TEMPLATES_DIR) / "base.html").read_text()
    # htmx would otherwise inject an inline <style> for its indicators.
    assert '"includeIndicatorCSS": false' in base


def test_healthz_says_ready_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-directory/council.db",
        "postgresql+psycopg://postgres@127.0.0.1:1/council?connect_timeout=2",
    ],
)
def test_healthz_says_unavailable_when_the_database_does_not(url):
    app = create_app(make_settings(url))
    with new_client(app) as client:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "reason": "database unavailable"}
        # Nothing about the failure leaks to whoever asks.
        assert "psycopg" not in response.text and "sqlite" not in response.text


def test_invites_are_rate_limited_per_member_across_processes(database_url, people, db):
    settings = make_settings(database_url, invites_per_hour=3)
    first, second = create_app(settings), create_app(settings)
    with new_client(first) as a, new_client(second) as b:
        for c in (a, b):
            assert sign_in(c, "secretary", db=db).status_code == 303
        made = 0
        for attempt in range(5):
            c = a if attempt % 2 == 0 else b
            response = post(c, "/secretariat/invites", {"note": f"n{attempt}"})
            if response.status_code == 200:
                made += 1
            else:
                assert response.status_code == 429
                assert "Wait a while" in response.text
        assert made == 3
    from sqlalchemy import func, select

    from council.models import Invite

    with db.read() as session:
        assert session.execute(select(func.count()).select_from(Invite)).scalar_one() == 3


def test_audit_log_page_number_is_bounded(signed_in):
    client = signed_in("secretariat")
    for page in ("9" * 40, "-5", "abc", "1e9"):
        assert client.get(f"/secretariat/audit?page={page}").status_code == 200


def test_text_from_forms_loses_direction_overrides_and_control_characters():
    hostile = "ab\u202ecd\u2066e\x00f\x1bg\u200fh\tk\nl"
    assert clean_text(hostile) == "abcdef" + "g\u200fh\tk\nl"
    assert len(clean_text("x" * 50, 10)) == 10
