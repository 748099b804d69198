"""Joining by invite, signing in and out, recovery codes: the journeys of issue 2, over HTTP."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from sqlalchemy import select, update

from council.actions import accounts, invites
from council.auth import recovery, sessions
from council.models import Invite, RecoveryCode, User, WebSession, utcnow
from tests.conftest import PASSPHRASE, csrf_from, new_client, post, sign_in


def make_invite(db, settings, actor=None) -> str:
    with db.write() as session:
        _invite, token = invites.create_invite(session, actor, settings)
    return token


def join(client, token, name="river", passphrase="silver kettle morning rain"):
    page = client.get(f"/join/{token}")
    assert page.status_code == 200, page.text
    return client.post(
        f"/join/{token}",
        data={
            "name": name,
            "passphrase": passphrase,
            "passphrase_again": passphrase,
            "csrf_token": csrf_from(page.text),
        },
    )


def test_invite_signup_signin_signout(client, db, settings):
    token = make_invite(db, settings)
    response = join(client, token)
    # The codes are shown in the answer to the form itself, so they never wait anywhere.
    assert response.status_code == 200
    codes = [c for c in response.text.split("<code>")[1:]]
    assert len(codes) == 10
    # Shown once only.
    assert client.get("/account/recovery-codes").status_code == 303

    home = client.get("/home")
    assert home.status_code == 200 and "river" in home.text

    out = post(client, "/signout")
    assert out.status_code == 303
    assert client.get("/home").status_code == 303  # back to sign-in

    assert sign_in(client, "river", "silver kettle morning rain").status_code == 303
    assert client.get("/home").status_code == 200

    with db.read() as session:
        user = session.execute(select(User).where(User.name == "river")).scalar_one()
        stored = session.execute(select(RecoveryCode.code_hash)).scalars().all()
    assert user.role == "member"
    assert len(stored) == 10
    # Stored hashed: no code appears in clear.
    assert not any(code.split("</code>")[0] in stored for code in codes)


def test_reused_invite_is_refused(client, app, db, settings):
    token = make_invite(db, settings)
    assert join(client, token).status_code == 200
    with new_client(app) as other:
        page = other.get(f"/join/{token}")
        assert page.status_code == 404
        assert "already been used" in page.text
    with db.read() as session:
        assert session.execute(select(User).where(User.name == "river")).scalar_one()


def test_expired_invite_is_refused(client, db, settings):
    token = make_invite(db, settings)
    with db.write() as session:
        session.execute(update(Invite).values(expires_at=utcnow() - timedelta(minutes=1)))
    page = client.get(f"/join/{token}")
    assert page.status_code == 404
    assert "expired" in page.text
    with db.read() as session:
        assert session.execute(select(User)).first() is None


def test_invite_refused_at_post_time_when_it_expired_meanwhile(client, db, settings):
    token = make_invite(db, settings)
    page = client.get(f"/join/{token}")
    with db.write() as session:
        session.execute(update(Invite).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = client.post(
        f"/join/{token}",
        data={
            "name": "river",
            "passphrase": "silver kettle morning rain",
            "passphrase_again": "silver kettle morning rain",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.status_code == 404
    with db.read() as session:
        assert session.execute(select(User)).first() is None


def test_signup_problems_are_shown_and_the_pseudonym_kept(client, db, settings):
    token = make_invite(db, settings)
    page = client.get(f"/join/{token}")
    response = client.post(
        f"/join/{token}",
        data={
            "name": "wren",
            "passphrase": "short",
            "passphrase_again": "short",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.status_code == 400
    assert "at least 12 characters" in response.text
    assert 'value="wren"' in response.text
    assert 'aria-invalid="true"' in response.text

    common = "password1234"
    response = client.post(
        f"/join/{token}",
        data={
            "name": "wren",
            "passphrase": common,
            "passphrase_again": common,
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.status_code == 400 and "too common" in response.text
    with db.read() as session:
        assert session.execute(select(User)).first() is None
        assert session.execute(select(Invite.used_at)).scalar_one() is None


def test_taken_pseudonym_is_refused_case_insensitively(client, db, settings, people):
    token = make_invite(db, settings)
    response = join(client, token, name="AMBER")
    assert response.status_code == 400
    assert "taken" in response.text


def test_wrong_passphrase_message_does_not_reveal_whether_the_account_exists(client, people):
    wrong = sign_in(client, people["member"].name, "not the passphrase at all")
    unknown = sign_in(client, "nobody-by-this-name", "not the passphrase at all")
    assert wrong.status_code == unknown.status_code == 400
    assert "Pseudonym or passphrase is wrong." in wrong.text
    assert "Pseudonym or passphrase is wrong." in unknown.text


def test_session_id_rotates_at_sign_in(client, people, settings):
    client.get("/signin")  # a visitor session exists now (for the form's CSRF token)
    before = client.cookies.get(settings.session_cookie_name)
    assert before
    assert sign_in(client, people["member"].name).status_code == 303
    after = client.cookies.get(settings.session_cookie_name)
    assert after and after != before
    # The old id does not carry the signed-in session.
    client.cookies.set(settings.session_cookie_name, before, domain="testserver.local")
    client.cookies.clear()
    client.cookies.set(settings.session_cookie_name, before)
    assert client.get("/home").status_code == 303


def test_idle_session_expires(client, db, people, monkeypatch):
    assert sign_in(client, people["member"].name).status_code == 303
    assert client.get("/home").status_code == 200
    # The idle time is carried in the browser's encrypted cookie, not in the session row.
    real = time.time
    monkeypatch.setattr(sessions, "_clock", lambda: real() + 31 * 60)
    response = client.get("/home")
    assert response.status_code == 303
    assert client.get("/signin").text.count("signed out because the page was left unused") == 1


def test_absolute_lifetime_ends_an_active_session(client, db, people):
    assert sign_in(client, people["member"].name).status_code == 303
    with db.write() as session:
        session.execute(update(WebSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/home").status_code == 303


def test_sign_out_everywhere_ends_other_devices(app, db, people):
    with new_client(app) as phone, new_client(app) as laptop:
        assert sign_in(phone, people["member"].name).status_code == 303
        assert sign_in(laptop, people["member"].name).status_code == 303
        assert post(laptop, "/account/signout-everywhere").status_code == 303
        assert phone.get("/home").status_code == 303
        assert laptop.get("/home").status_code == 303
    with db.read() as session:
        assert (
            session.execute(
                select(WebSession).where(WebSession.user_id == people["member"].id)
            ).first()
            is None
        )


def test_recovery_codes_never_rest_in_clear(client, db, settings):
    """Issue 14: codes waited in clear in the session row until shown; read from the database
    (or its WAL) they took over the account. Only their hashes may be stored, anywhere."""
    from tests.test_anonymity import all_stored_bytes, raw_database_bytes

    response = join(client, make_invite(db, settings))
    codes = re.findall(r"<code>([^<]+)</code>", response.text)
    assert len(codes) == 10
    stored = all_stored_bytes(db) + raw_database_bytes(settings)
    for code in codes:
        for form in (code, code.replace("-", ""), recovery.normalise(code)):
            assert form.encode() not in stored
    again = post(client, "/account/recovery-codes", page="/account")
    fresh = re.findall(r"<code>([^<]+)</code>", again.text)
    assert len(fresh) == 10
    stored = all_stored_bytes(db) + raw_database_bytes(settings)
    assert not any(code.encode() in stored for code in fresh)


def test_recovery_code_sets_a_new_passphrase_once(client, db, settings, people):
    with db.write() as session:
        user = session.get(User, people["member"].id)
        codes = accounts.new_recovery_codes(session, user)
    new = "quiet harbour violet stone"
    page = client.get("/recover")
    assert "can no longer edit or withdraw them" in page.text
    data = {
        "name": "amber",
        "code": codes[0].upper().replace("-", " "),
        "passphrase": new,
        "passphrase_again": new,
        "csrf_token": csrf_from(page.text),
    }
    assert client.post("/recover", data=data).status_code == 303
    assert sign_in(client, "amber", new).status_code == 303
    assert post(client, "/signout").status_code == 303
    # The same code does not work twice.
    page = client.get("/recover")
    data["csrf_token"] = csrf_from(page.text)
    data["passphrase"] = data["passphrase_again"] = "another fresh phrase here"
    response = client.post("/recover", data=data)
    assert response.status_code == 400
    assert "recovery code is wrong" in response.text
    assert sign_in(client, "amber", new).status_code == 303


def test_recovery_code_normalisation():
    code = recovery.generate()[0]
    assert recovery.hash_code(code) == recovery.hash_code(code.upper().replace("-", " "))


def test_change_passphrase_signs_out_and_new_one_works(client, people):
    assert sign_in(client, "amber").status_code == 303
    new = "copper meadow winter tide"
    response = post(
        client,
        "/account/passphrase",
        {"current": PASSPHRASE, "passphrase": new, "passphrase_again": new},
    )
    assert response.status_code == 303
    assert client.get("/home").status_code == 303
    assert sign_in(client, "amber", PASSPHRASE).status_code == 400
    assert sign_in(client, "amber", new).status_code == 303


def test_change_passphrase_with_wrong_current_changes_nothing(client, people):
    assert sign_in(client, "amber").status_code == 303
    new = "copper meadow winter tide"
    response = post(
        client,
        "/account/passphrase",
        {"current": "wrong wrong wrong", "passphrase": new, "passphrase_again": new},
    )
    assert response.status_code == 400
    assert "current passphrase is wrong" in response.text
    assert client.get("/home").status_code == 200


def test_next_parameter_cannot_redirect_off_site(client, people):
    page = client.get("/signin?next=https://evil.example/")
    response = client.post(
        "/signin",
        data={
            "name": "amber",
            "passphrase": PASSPHRASE,
            "next": "//evil.example/",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/home"


def test_messages_piling_up_unread_never_push_the_member_out(settings):
    """A client that posts again and again without opening a page (the redirect not followed)
    collects a message per post; the cookie keeps the newest few, so it stays small enough to be
    read back and the member stays signed in."""
    state = sessions.SessionState(settings=settings)
    for n in range(60):
        state.flash(f"Your comment is sent ({n}).")
    assert [f["message"] for f in state.flashes][-1] == "Your comment is sent (59)."
    assert len(state.flashes) == sessions.MAX_FLASHES
    cookie = state.state_cookie()
    assert cookie and sessions.CookieState.read(settings, cookie).flashes == state.flashes
