"""CSRF, throttling across processes, security headers, request limits and production settings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from council.app import create_app
from council.models import Throttle, User
from council.settings import InsecureSettings, Settings
from tests.conftest import PASSPHRASE, csrf_from, make_settings, new_client, post, sign_in


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, people, db):
    assert sign_in(client, "amber").status_code == 303
    new = "copper meadow winter tide"
    response = client.post(
        "/account/passphrase",
        data={"current": PASSPHRASE, "passphrase": new, "passphrase_again": new},
    )
    assert response.status_code == 403
    assert client.get("/home").status_code == 200  # still signed in, passphrase unchanged
    assert post(client, "/signout").status_code == 303
    assert sign_in(client, "amber", PASSPHRASE).status_code == 303


def test_post_with_another_sessions_token_is_refused(app, people):
    with new_client(app) as mine, new_client(app) as theirs:
        their_token = csrf_from(theirs.get("/signin").text)
        mine.get("/signin")
        response = mine.post(
            "/signin", data={"name": "amber", "passphrase": PASSPHRASE, "csrf_token": their_token}
        )
        assert response.status_code == 403


def test_cross_site_post_is_refused_even_with_a_token(client, people):
    token = csrf_from(client.get("/signin").text)
    data = {"name": "amber", "passphrase": PASSPHRASE, "csrf_token": token}
    cross = client.post("/signin", data=data, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    foreign = client.post("/signin", data=data, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    same = client.post("/signin", data=data, headers={"Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 303


def test_csrf_token_accepted_from_htmx_header(client, people):
    token = csrf_from(client.get("/signin").text)
    response = client.post(
        "/signin",
        data={"name": "amber", "passphrase": PASSPHRASE},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.status_code == 303


def test_wrong_passphrase_is_throttled_across_two_app_instances(database_url, people, db):
    """Two app objects stand in for two worker processes: they share only the database."""
    settings = make_settings(database_url, signin_max_failures_per_account=5)
    first, second = create_app(settings), create_app(settings)
    with new_client(first) as a, new_client(second) as b:
        for attempt in range(5):
            c = a if attempt % 2 == 0 else b
            response = sign_in(c, "amber", f"wrong passphrase number {attempt}")
            assert response.status_code == 400
            assert "Pseudonym or passphrase is wrong." in response.text
        # The sixth try is refused even with the right passphrase, on either instance.
        for c in (a, b):
            refused = sign_in(c, "amber", PASSPHRASE)
            assert refused.status_code == 400
            assert "Too many attempts" in refused.text
            assert c.get("/home").status_code == 303
    with db.read() as session:
        keys = session.execute(select(Throttle.key)).scalars().all()
    # Neither the pseudonym nor the client address is stored in clear.
    assert keys and not any("amber" in k or "testclient" in k for k in keys)


def test_throttle_counts_unknown_accounts_too(client, people):
    for attempt in range(5):
        sign_in(client, "no-such-person", f"wrong {attempt} passphrase")
    assert "Too many attempts" in sign_in(client, "no-such-person", "anything at all").text


def test_successful_sign_in_resets_the_account_counter(client, people):
    for attempt in range(4):
        assert sign_in(client, "amber", f"wrong passphrase {attempt}").status_code == 400
    assert sign_in(client, "amber").status_code == 303
    post(client, "/signout")
    for attempt in range(4):
        assert sign_in(client, "amber", f"wrong passphrase again {attempt}").status_code == 400
    assert sign_in(client, "amber").status_code == 303


def test_security_headers_on_pages(client):
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert "camera=()" in response.headers["permissions-policy"]
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_signed_in_pages_are_not_stored(client, people):
    sign_in(client, "amber")
    assert client.get("/home").headers["cache-control"] == "no-store"


def test_no_inline_script_or_style_in_pages(client):
    html = client.get("/signin").text
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    assert "http://" not in html.replace("http://127.0.0.1", "")


def test_static_files_are_cacheable(client):
    response = client.get("/static/css/council.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")


def test_session_cookie_flags(client, people):
    page = client.get("/signin")
    response = client.post(
        "/signin",
        data={"name": "amber", "passphrase": PASSPHRASE, "csrf_token": csrf_from(page.text)},
    )
    for header in (page.headers["set-cookie"], response.headers["set-cookie"]):
        assert header.startswith("__Host-council=")
        assert "HttpOnly" in header and "Secure" in header and "SameSite=Lax" in header
        assert "Path=/" in header and "Domain" not in header


def test_public_pages_create_no_session(client, db):
    from council.models import WebSession

    for url in ("/", "/help"):
        assert "set-cookie" not in client.get(url).headers
    with db.read() as session:
        assert session.execute(select(WebSession)).first() is None


def test_oversized_request_gets_a_clear_413(database_url):
    app = create_app(make_settings(database_url, max_request_bytes=1000))
    with new_client(app) as c:
        response = c.post(
            "/signin",
            content=b"x" * 5000,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 413
        assert "too much to send" in response.text


def test_production_refuses_a_default_or_short_secret():
    with pytest.raises(InsecureSettings):
        Settings(env="production", base_url="https://council.example").check_safe_to_start()
    with pytest.raises(InsecureSettings):
        Settings(
            env="production", secret_key="short", base_url="https://council.example"
        ).check_safe_to_start()
    with pytest.raises(InsecureSettings):
        create_app(Settings(env="production", base_url="https://council.example"))
    Settings(
        env="production",
        secret_key="x" * 40,
        anonymity_pepper="p" * 40,
        base_url="https://c.example",
    ).check_safe_to_start()


def test_production_refuses_a_default_short_or_reused_pepper():
    """The pepper is what keeps a stolen database plus a guessed passphrase from opening a
    member's anonymity key: production needs one of its own (issue 14)."""
    good = {"env": "production", "secret_key": "x" * 40, "base_url": "https://c.example"}
    for pepper in (None, "short", "x" * 40):
        extra = {} if pepper is None else {"anonymity_pepper": pepper}
        with pytest.raises(InsecureSettings, match="COUNCIL_ANONYMITY_PEPPER"):
            Settings(**good, **extra).check_safe_to_start()  # type: ignore[arg-type]
    Settings(**good, anonymity_pepper="p" * 40).check_safe_to_start()  # type: ignore[arg-type]


def test_local_mode_cookie_works_over_plain_http(database_url, people):
    settings = make_settings(database_url, env="local")
    app = create_app(settings)
    from starlette.testclient import TestClient

    with TestClient(app, base_url="http://127.0.0.1:8000", follow_redirects=False) as c:
        assert sign_in(c, "amber").status_code == 303
        assert c.get("/home").status_code == 200
        assert settings.session_cookie_name == "council_session"
        assert "strict-transport-security" not in c.get("/").headers


def test_rehash_on_parameter_change(client, db, people):
    from argon2 import PasswordHasher

    from council.auth import passwords

    with db.read() as session:
        before = session.get(User, people["member"].id).password_hash
    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    try:
        assert sign_in(client, "amber").status_code == 303
    finally:
        passwords._hasher = original
    with db.read() as session:
        after = session.get(User, people["member"].id).password_hash
    assert after != before and "m=2048,t=2" in after


def test_vendored_htmx_matches_its_recorded_checksum():
    import hashlib
    from pathlib import Path

    vendor = Path(__file__).resolve().parent.parent / "static" / "vendor"
    recorded, name = (vendor / "htmx-4.0.1.min.js.sha256").read_text().split()
    assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == recorded
    assert (vendor / "htmx-4.0.1.LICENSE").exists()
