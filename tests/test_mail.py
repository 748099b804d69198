"""Neutral notifications through a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from email import message_from_bytes

import pytest
from sqlalchemy import update

from council.app import create_app
from council.models import Status, User, utcnow
from tests.conftest import make_settings, new_client, post, sign_in
from tests.factories import prepared_consultation
from tests.servers import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_opening_sends_a_neutral_message_to_opted_in_members_only(smtp, db, settings, people):
    inbox, port = smtp
    with db.write() as session:
        session.execute(
            update(User)
            .where(User.name == "amber")
            .values(email="amber@example.org", notify_by_email=True)
        )
        session.execute(
            update(User)
            .where(User.name == "birch")
            .values(email="birch@example.org", notify_by_email=True, stepping_back_since=utcnow())
        )
        session.execute(
            update(User)
            .where(User.name == "cedar")
            .values(email="cedar@example.org", notify_by_email=False)
        )
    setup = prepared_consultation(db, settings, people, status=Status.IN_REVIEW)
    app = create_app(make_settings(settings.database_url, smtp_host="127.0.0.1", smtp_port=port))
    url = f"/consultations/{setup.consultation_id}/settings"
    with new_client(app) as client:
        assert sign_in(client, "secretary", db=db).status_code == 303
        assert (
            post(
                client, f"/consultations/{setup.consultation_id}/status", {"to": "open"}, page=url
            ).status_code
            == 303
        )
    deadline = time.monotonic() + 5
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [to for to, _ in inbox.messages] == [["amber@example.org"]]
    message = message_from_bytes(inbox.messages[0][1])
    body = message.get_payload(decode=True).decode()
    assert "Something new is waiting for you on the council platform" in body
    assert message["Subject"] == "Something new is waiting for you"
    assert "http" not in body  # not even the site's address
    for revealing in ("Referral", "consultation", "survivor", "trafficking", "Section"):
        assert revealing.lower() not in (body + message["Subject"]).lower().replace(
            "council platform", ""
        )


def test_without_smtp_host_nothing_is_sent(settings):
    from council import mail

    assert mail.send_neutral(settings, [("a@example.org", None)]) == 0
