"""Roles reaching their pages and refused others'; staff must enrol TOTP before anything else."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from council.actions import invites
from council.auth import totp
from council.models import AuditEvent, Role, User
from tests.conftest import (
    TOTP_MARGIN_SECONDS,
    TOTP_SECRET,
    csrf_from,
    fresh_totp,
    make_user,
    post,
    sign_in,
)

# page -> roles that may open it (everyone signed in may open /home and /account)
PAGES = {
    "/home": {"member", "chair", "official", "secretariat"},
    "/account": {"member", "chair", "official", "secretariat"},
    "/secretariat/invites": {"secretariat"},
    "/secretariat/people": {"secretariat"},
    "/secretariat/audit": {"secretariat"},
}
ROLES = ["member", "chair", "official", "secretariat"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_its_pages_and_is_refused_the_others(signed_in, role):
    client = signed_in(role)
    for url, allowed in PAGES.items():
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, url)
        else:
            assert response.status_code == 403, (role, url)


def test_visitors_are_sent_to_sign_in(client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/signin?next=")


@pytest.mark.parametrize("role", ["member", "chair", "official"])
def test_non_secretariat_cannot_make_or_revoke_invites(signed_in, role, db, settings, people):
    from council.models import Invite

    with db.write() as session:
        invite, _token = invites.create_invite(session, None, settings)
    client = signed_in(role)
    assert post(client, "/secretariat/invites", {"note": "x"}).status_code == 403
    assert post(client, f"/secretariat/invites/{invite.id}/revoke").status_code == 403
    with db.read() as session:
        assert len(session.execute(select(Invite)).all()) == 1
        assert session.get(Invite, invite.id).revoked_at is None


def test_secretariat_makes_an_invite_link_that_works(signed_in, app, db):
    from tests.conftest import new_client

    client = signed_in("secretariat")
    response = post(
        client, "/secretariat/invites", {"note": "met at the drop-in"}, page="/secretariat/invites"
    )
    assert response.status_code == 200
    link = re.search(r"https://testserver/join/([\w-]+)", response.text)
    assert link
    with new_client(app) as newcomer:
        assert newcomer.get(f"/join/{link.group(1)}").status_code == 200
    with db.read() as session:
        actions = session.execute(select(AuditEvent.action)).scalars().all()
    assert "invite.create" in actions


def test_secretariat_revokes_an_invite(signed_in, app, db):
    from tests.conftest import new_client

    client = signed_in("secretariat")
    response = post(client, "/secretariat/invites", {}, page="/secretariat/invites")
    token = re.search(r"/join/([\w-]+)", response.text).group(1)
    invite_id = re.search(r"/secretariat/invites/(\d+)/revoke", response.text).group(1)
    assert (
        post(
            client, f"/secretariat/invites/{invite_id}/revoke", page="/secretariat/invites"
        ).status_code
        == 303
    )
    with new_client(app) as newcomer:
        assert newcomer.get(f"/join/{token}").status_code == 404


def test_staff_without_totp_can_reach_nothing_but_enrolment(app, db, settings, ministry):
    from tests.conftest import new_client

    make_user(db, settings, "new-official", Role.OFFICIAL, ministry_id=ministry.id, enrolled=False)
    with new_client(app) as client:
        response = sign_in(client, "new-official")
        assert response.headers["location"] == "/account/totp"
        for url in ("/home", "/account", "/secretariat/audit", "/help", "/"):
            blocked = client.get(url)
            assert blocked.status_code == 303 and blocked.headers["location"] == "/account/totp"
        # A form post elsewhere is refused outright.
        setup = client.get("/account/totp")
        assert setup.status_code == 200
        token = csrf_from(setup.text)
        refused = client.post("/account/signout-everywhere", data={"csrf_token": token})
        assert refused.status_code == 403

        qr = client.get("/account/totp/qr.svg")
        assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")
        assert b"<svg" in qr.content
        secret = re.search(r'class="secret">([A-Z2-7]+)<', setup.text).group(1)

        wrong = client.post("/account/totp", data={"code": "000000", "csrf_token": token})
        assert wrong.status_code == 400
        assert client.get("/home").status_code == 303

        code = totp.code_at(secret, time.time())
        assert (
            client.post("/account/totp", data={"code": code, "csrf_token": token}).status_code
            == 303
        )
        assert client.get("/home").status_code == 200
    with db.read() as session:
        user = session.execute(select(User).where(User.name == "new-official")).scalar_one()
        assert user.totp_enrolled_at is not None
        # The secret is stored encrypted, never in clear.
        assert secret.encode() not in (user.totp_secret_enc or b"")


def test_enrolled_staff_need_the_code_to_sign_in(client, db, people):
    page = client.get("/signin")
    response = client.post(
        "/signin",
        data={
            "name": "secretary",
            "passphrase": "plum orchard lantern 42",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.headers["location"] == "/signin/code"
    assert client.get("/home").status_code == 303  # not signed in yet
    code_page = client.get("/signin/code")
    bad = client.post(
        "/signin/code", data={"code": "123456", "csrf_token": csrf_from(code_page.text)}
    )
    assert bad.status_code == 400
    good = client.post(
        "/signin/code",
        data={
            "code": fresh_totp(db, people["secretariat"].id),
            "csrf_token": csrf_from(code_page.text),
        },
    )
    assert good.status_code == 303
    assert client.get("/home").status_code == 200


def test_the_tests_totp_codes_outlast_a_slow_request(db, people, monkeypatch):
    """The test helper's codes, made at any moment of a 30-second step, are still accepted
    TOTP_MARGIN_SECONDS later: a staff sign-in slowed down by a loaded machine (test_xss signs
    staff in dozens of times) must not cross the end of its code's window and fail."""
    step_start = 1_800_000_000 // 30 * 30
    for into_step in (0.0, 15.0, 20.5, 25.0, 29.9):
        made_at = step_start + into_step
        monkeypatch.setattr(time, "time", lambda made_at=made_at: made_at)
        code = fresh_totp(db, people["secretariat"].id)  # no step used yet
        for later in (0.0, TOTP_MARGIN_SECONDS):
            accepted = totp.matching_step(TOTP_SECRET, code, None, now=made_at + later)
            assert accepted is not None, (into_step, later)


def test_a_totp_code_cannot_be_replayed(app, db, people):
    from tests.conftest import new_client

    with new_client(app) as first:
        assert sign_in(first, "secretary", db=db).status_code == 303
    with db.read() as session:
        last = session.get(User, people["secretariat"].id).totp_last_step
    replay = totp.code_at(TOTP_SECRET, last * 30)
    with new_client(app) as second:
        page = second.get("/signin")
        second.post(
            "/signin",
            data={
                "name": "secretary",
                "passphrase": "plum orchard lantern 42",
                "csrf_token": csrf_from(page.text),
            },
        )
        code_page = second.get("/signin/code")
        response = second.post(
            "/signin/code", data={"code": replay, "csrf_token": csrf_from(code_page.text)}
        )
        assert response.status_code == 400
        assert second.get("/home").status_code == 303


def test_audit_log_page_lists_and_filters(signed_in, db, settings):

    with db.write() as session:
        invites.create_invite(session, None, settings)
    client = signed_in("secretariat")
    page = client.get("/secretariat/audit")
    assert page.status_code == 200
    assert "invite.create" in page.text and "user.create" in page.text
    filtered = client.get("/secretariat/audit?action=invite.create")
    assert "invite.create" in filtered.text
    assert "<td>user.create</td>" not in filtered.text
    fragment = client.get(
        "/secretariat/audit?action=invite.create",
        headers={"HX-Request": "true", "HX-Request-Type": "partial"},
    )
    assert fragment.text.lstrip().startswith('<div id="audit-results">')
    assert "<html" not in fragment.text


def test_audit_log_is_append_only_in_the_database(db, people):
    from sqlalchemy import delete, update

    with pytest.raises(Exception, match="append-only"), db.write() as session:
        session.execute(update(AuditEvent).values(action="tampered"))
    with pytest.raises(Exception, match="append-only"), db.write() as session:
        session.execute(delete(AuditEvent))
    with db.read() as session:
        assert "tampered" not in session.execute(select(AuditEvent.action)).scalars().all()
