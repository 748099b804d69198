"""Ministry sign-in against a real OpenID Connect provider (npm oidc-provider on 127.0.0.1).

The app runs in-process (TestClient at https://testserver); the provider is a real node process.
httpx plays the official's browser at the provider and hands the redirect back to the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from sqlalchemy import func, select

from council.actions import ActionError, Forbidden
from council.actions import oidc as oidc_actions
from council.app import create_app
from council.db import Database
from council.models import AuditEvent, Ministry, Role, User, WebSession
from tests.conftest import csrf_from, make_settings, new_client, post
from tests.oidc.harness import (
    CLIENT_ID,
    CLIENT_SECRET,
    Provider,
    free_port,
    log_in_at_provider,
    running_provider,
)

pytestmark = pytest.mark.slow

BACK_TO = "https://testserver/"
CALLBACK = "https://testserver/signin/oidc/callback"
SUB = "moi-7f3a9c"


@pytest.fixture(scope="session")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with running_provider(tmp_path_factory.mktemp("oidc"), [CALLBACK]) as running:
        yield running


def oidc_settings(database_url: str, issuer: str, **overrides: object):  # type: ignore[no-untyped-def]
    return make_settings(
        database_url,
        oidc_issuer=issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_display_name="Ministry sign-in",
        oidc_timeout_seconds=3,
        **overrides,
    )


@pytest.fixture
def make_app(database_url: str):  # type: ignore[no-untyped-def]
    """make_app(issuer) -> an app signing in with that provider; its database closed after."""
    made = []

    def make(issuer: str):  # type: ignore[no-untyped-def]
        app = create_app(oidc_settings(database_url, issuer))
        made.append(app)
        return app

    yield make
    for app in made:
        app.state.db.dispose()


@pytest.fixture
def oidc_app(make_app, provider: Provider):  # type: ignore[no-untyped-def]
    return make_app(provider.issuer)


@pytest.fixture
def official(oidc_app, ministry: Ministry) -> User:  # type: ignore[no-untyped-def]
    db, settings = oidc_app.state.db, oidc_app.state.settings
    with db.write() as session:
        return oidc_actions.register_oidc_user(
            session, None, settings, name="olena-moi", sub=SUB, ministry=ministry.name
        )


def start(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/signin/oidc")
    assert response.status_code == 302, response.text
    return response.headers["location"]


def callback(client, url: str):  # type: ignore[no-untyped-def]
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def is_signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/home").status_code == 200


def counts(db: Database) -> tuple[int, int]:
    """(accounts, signed-in sessions): a refused sign-in changes neither."""
    with db.read() as session:
        users = session.execute(select(func.count()).select_from(User)).scalar_one()
        signed_in = session.execute(
            select(func.count()).select_from(WebSession).where(WebSession.user_id.is_not(None))  # type: ignore[union-attr]
        ).scalar_one()
    return users, signed_in


def refused_because(caplog: pytest.LogCaptureFixture, reason: str) -> bool:
    return any(reason in r.getMessage() for r in caplog.records if r.name == "council.oidc")


def with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_official_signs_in_with_the_ministry_account_and_out_again(oidc_app, official, ministry):
    db = oidc_app.state.db
    with new_client(oidc_app) as client:
        page = client.get("/signin")
        assert 'href="/signin/oidc"' in page.text and "Ministry sign-in" in page.text
        authorize = start(client)
        query = parse_qs(urlsplit(authorize).query)
        assert authorize.startswith(oidc_app.state.settings.oidc_issuer + "/auth?")
        assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
        assert query["state"][0] and query["nonce"][0] and query["scope"] == ["openid"]
        # PKCE verifier, state and nonce stay on the server, in the session row.
        assert "code_verifier" not in authorize
        back = log_in_at_provider(authorize, SUB, BACK_TO)
        done = callback(client, back)
        assert done.status_code == 303 and done.headers["location"] == "/home"
        home = client.get("/home")
        assert home.status_code == 200 and "olena-moi" in home.text
        # No local TOTP is asked for: the ministry's provider is the second factor.
        assert client.get("/account").status_code == 200
        with db.read() as session:
            user = session.get(User, official.id)
            assert user.ministry_id == ministry.id and user.password_hash is None
            rows = session.execute(select(WebSession)).scalars().all()
        assert len(rows) == 1 and rows[0].user_id == official.id
        assert not any(k.startswith("_state_") for k in rows[0].data)

        assert post(client, "/signout", page="/account").status_code == 303
        assert not is_signed_in(client)
    assert counts(db)[1] == 0


def test_tampered_state_is_refused(oidc_app, official, caplog):
    db = oidc_app.state.db
    with new_client(oidc_app) as client:
        back = log_in_at_provider(start(client), SUB, BACK_TO)
        state = parse_qs(urlsplit(back).query)["state"][0]
        for forged in (state[:-1] + ("A" if state[-1] != "A" else "B"), "", "x" * 500):
            refused = callback(client, with_param(back, "state", forged))
            assert refused.status_code == 400, forged
            assert "Sign-in did not complete" in refused.text
            assert not is_signed_in(client)
    assert refused_because(caplog, "mismatching_state")
    assert counts(db) == (1, 0)


def test_callback_in_another_browser_is_refused(oidc_app, official):
    """Login CSRF: a callback URL planted in someone else's browser has no state there."""
    with new_client(oidc_app) as mine, new_client(oidc_app) as victim:
        back = log_in_at_provider(start(mine), SUB, BACK_TO)
        assert callback(victim, back).status_code == 400
        assert not is_signed_in(victim)


def test_replayed_code_is_refused(oidc_app, official, caplog):
    db = oidc_app.state.db
    with new_client(oidc_app) as client:
        back = log_in_at_provider(start(client), SUB, BACK_TO)
        assert callback(client, back).status_code == 303
        post(client, "/signout", page="/account")
        # The same callback again: its state was used up.
        assert callback(client, back).status_code == 400
        assert not is_signed_in(client)
    with new_client(oidc_app) as attacker:
        # A fresh flow's state with the old code: the state passes, the provider refuses the code.
        fresh = parse_qs(urlsplit(start(attacker)).query)["state"][0]
        refused = callback(attacker, with_param(back, "state", fresh))
        assert refused.status_code == 400
        assert not is_signed_in(attacker)
    assert refused_because(caplog, "invalid_grant")
    assert counts(db) == (1, 0)


def test_id_token_with_another_nonce_is_refused(oidc_app, official, caplog):
    with new_client(oidc_app) as client:
        authorize = start(client)
        back = log_in_at_provider(
            authorize, SUB, BACK_TO, tamper=lambda u: with_param(u, "nonce", "attacker-nonce")
        )
        refused = callback(client, back)
        assert refused.status_code == 400
        assert not is_signed_in(client)
    assert refused_because(caplog, "id token invalid_claim")
    assert counts(oidc_app.state.db) == (1, 0)


def test_callback_naming_another_issuer_is_refused(oidc_app, official):
    with new_client(oidc_app) as client:
        back = log_in_at_provider(start(client), SUB, BACK_TO)
        assert "iss=" in back  # RFC 9207: the provider says who answered
        assert callback(client, with_param(back, "iss", "https://evil.example")).status_code == 400
        assert not is_signed_in(client)


def test_provider_error_answer_is_refused(oidc_app, official):
    with new_client(oidc_app) as client:
        start(client)
        refused = client.get("/signin/oidc/callback?error=access_denied&state=x")
        assert refused.status_code == 400 and not is_signed_in(client)


def test_expired_id_token_is_refused(make_app, tmp_path, official, caplog):
    """A provider whose token endpoint runs an hour late issues ID tokens already expired."""
    with running_provider(tmp_path, [CALLBACK], OIDC_TOKEN_CLOCK_SKEW_SECONDS="-3600") as late:
        app = make_app(late.issuer)
        with app.state.db.write() as session:
            session.get(User, official.id).oidc_issuer = late.issuer
        with new_client(app) as client:
            back = log_in_at_provider(start(client), SUB, BACK_TO)
            refused = callback(client, back)
            assert refused.status_code == 400
            assert not is_signed_in(client)
        assert counts(app.state.db) == (1, 0)
    assert refused_because(caplog, "expired_token")


def test_unknown_sub_is_told_to_ask_the_secretariat(oidc_app, official):
    db = oidc_app.state.db
    with new_client(oidc_app) as client:
        back = log_in_at_provider(start(client), "mol-unregistered-42", BACK_TO)
        page = callback(client, back)
        assert page.status_code == 403
        assert "Ask the secretariat to add you" in page.text
        assert "mol-unregistered-42" in page.text
        assert not is_signed_in(client)
    assert counts(db) == (1, 0)


def test_a_member_cannot_be_linked_to_a_ministry_account(oidc_app, people):
    settings, db = oidc_app.state.settings, oidc_app.state.db
    with db.write() as session:
        with pytest.raises(Forbidden):
            oidc_actions.set_oidc_link(session, None, settings, people["member"].id, "x-1")
        with pytest.raises(ActionError):
            oidc_actions.register_oidc_user(
                session, None, settings, name="sneaky", sub="x-2", ministry="M", role=Role.MEMBER
            )


def test_provider_down_shows_a_clear_page_and_creates_nothing(make_app, official):
    app = make_app(f"http://127.0.0.1:{free_port()}")
    with new_client(app) as client:
        page = client.get("/signin/oidc")
        assert page.status_code == 503
        assert "Ministry sign-in is not available right now" in page.text
        assert not is_signed_in(client)
    assert counts(app.state.db) == (1, 0)


def test_provider_going_down_mid_flow_creates_nothing(make_app, tmp_path, official):
    with running_provider(tmp_path, [CALLBACK]) as brief:
        app = make_app(brief.issuer)
        with app.state.db.write() as session:
            session.get(User, official.id).oidc_issuer = brief.issuer
        client = new_client(app)
        client.__enter__()
        back = log_in_at_provider(start(client), SUB, BACK_TO)
    # The provider has stopped: the code cannot be redeemed.
    try:
        page = callback(client, back)
        assert page.status_code == 503
        assert "not available" in page.text
        assert not is_signed_in(client)
    finally:
        client.__exit__(None, None, None)
    assert counts(app.state.db) == (1, 0)


def test_discovery_naming_another_issuer_is_refused(make_app, provider, official):
    app = make_app(provider.issuer + "/")
    with new_client(app) as client:
        assert client.get("/signin/oidc").status_code == 503


def test_no_provider_configured_keeps_passphrase_sign_in_only(client):
    assert "/signin/oidc" not in client.get("/signin").text
    assert client.get("/signin/oidc").status_code == 404
    assert client.get("/signin/oidc/callback?code=x&state=y").status_code == 404


def test_secretariat_registers_and_relinks_an_official(oidc_app, people, db, ministry):
    from tests.conftest import sign_in

    with new_client(oidc_app) as staff:
        assert sign_in(staff, "secretary", db=oidc_app.state.db).status_code == 303
        page = staff.get("/secretariat/people")
        assert "Add someone who signs in with their ministry account" in page.text
        response = staff.post(
            "/secretariat/people",
            data={
                "name": "mykola-mol",
                "sub": "mol-0001",
                "ministry": "Ministry of Labour",
                "role": "official",
                "csrf_token": csrf_from(page.text),
            },
        )
        assert response.status_code == 303
        page = staff.get("/secretariat/people")
        assert "mol-0001" in page.text
        # The same sub cannot be given twice.
        again = staff.post(
            "/secretariat/people",
            data={
                "name": "someone-else",
                "sub": "mol-0001",
                "ministry": "Ministry of Labour",
                "role": "official",
                "csrf_token": csrf_from(page.text),
            },
        )
        assert again.status_code == 400 and "already signs in" in again.text
        with db.read() as session:
            user = session.execute(select(User).where(User.name == "mykola-mol")).scalar_one()
            labour = session.execute(
                select(Ministry).where(Ministry.name == "Ministry of Labour")
            ).scalar_one()
        assert user.ministry_id == labour.id and user.role == "official"
        relinked = staff.post(
            f"/secretariat/people/{user.id}/oidc",
            data={"sub": "mol-0002", "csrf_token": csrf_from(page.text)},
        )
        assert relinked.status_code == 303
        # Removing the only way in is refused.
        staff.post(
            f"/secretariat/people/{user.id}/oidc",
            data={"sub": "", "csrf_token": csrf_from(page.text)},
        )
        with db.read() as session:
            assert session.get(User, user.id).oidc_sub == "mol-0002"
            actions = (
                session.execute(
                    select(AuditEvent.action).where(AuditEvent.object_id == str(user.id))
                )
                .scalars()
                .all()
            )
        assert actions.count("oidc.link") == 2


def test_relinking_ends_the_officials_sessions(oidc_app, official):
    db, settings = oidc_app.state.db, oidc_app.state.settings
    with new_client(oidc_app) as client:
        callback(client, log_in_at_provider(start(client), SUB, BACK_TO))
        assert is_signed_in(client)
        with db.write() as session:
            oidc_actions.set_oidc_link(session, None, settings, official.id, "moi-new-sub")
        assert not is_signed_in(client)


def test_cli_pre_registers_an_official(monkeypatch, database_url, provider, capsys):
    from council.cli import main

    monkeypatch.setenv("COUNCIL_DATABASE_URL", database_url)
    monkeypatch.setenv("COUNCIL_OIDC_ISSUER", provider.issuer)
    monkeypatch.setenv("COUNCIL_OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("COUNCIL_OIDC_CLIENT_SECRET", CLIENT_SECRET)
    code = main(
        [
            "create-user",
            "--name",
            "iryna",
            "--role",
            "official",
            "--ministry",
            "Ministry of Health",
            "--oidc-sub",
            "moh-77",
        ]
    )
    assert code == 0, capsys.readouterr()
    db = Database(database_url)
    with db.read() as session:
        user = session.execute(select(User).where(User.name == "iryna")).scalar_one()
    db.dispose()
    assert user.oidc_sub == "moh-77" and user.password_hash is None and user.ministry_id


def test_an_oidc_only_account_cannot_sign_in_with_a_passphrase(oidc_app, official):
    from tests.conftest import sign_in

    with new_client(oidc_app) as client:
        assert sign_in(client, "olena-moi", "").status_code == 400
        assert sign_in(client, "olena-moi", "None").status_code == 400
