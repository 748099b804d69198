"""Issue 15: redacting a passage without friction. The passage matches whatever its case and
spacing; a mismatch keeps the form open with what was typed; the queue offers what the
identifying-details check found."""

from __future__ import annotations

import re

import pytest

from council.actions import ActionError, moderation
from council.models import REDACTED, Comment
from tests.conftest import csrf_from
from tests.factories import author, post_comment, prepared_consultation

HX = {"HX-Request": "true", "HX-Request-Type": "partial"}
BODY = "My caseworker Olena  Petrenko\nhelped me. Call +380 44 123 4567 any time."


@pytest.fixture
def comment_id(db, settings, people):
    setup = prepared_consultation(db, settings, people)
    return post_comment(db, settings, author(settings, people["member"]), setup, BODY)


def body_of(db, comment_id: str) -> str:
    with db.read() as session:
        found = session.get(Comment, comment_id)
        assert found is not None
        return found.body


def test_a_passage_matches_whatever_its_case_and_spacing(db, people, comment_id):
    with db.write() as session:
        moderation.redact(session, people["secretariat"], comment_id, "olena petrenko")
    body = body_of(db, comment_id)
    assert "Petrenko" not in body and "Olena" not in body
    assert body.startswith(f"My caseworker {REDACTED}")


def test_several_passages_one_a_line(db, people, comment_id):
    with db.write() as session:
        moderation.redact(
            session, people["secretariat"], comment_id, "Olena Petrenko\n+380 44 123 4567\n"
        )
    body = body_of(db, comment_id)
    assert "Petrenko" not in body and "123 4567" not in body
    assert body.count(REDACTED) == 2


def test_a_passage_not_there_changes_nothing(db, people, comment_id):
    with db.write() as session, pytest.raises(ActionError):
        moderation.redact(session, people["secretariat"], comment_id, "Olena Petrenko\nMykola")
    assert body_of(db, comment_id) == BODY


def queue_form(html: str, comment_id: str) -> str:
    start = html.index(f'id="m-{comment_id}"')
    return html[start : html.index("</article>", start)]


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_a_mismatch_keeps_the_form_open_with_what_was_typed(signed_in, comment_id, htmx):
    client = signed_in("secretariat")
    token = csrf_from(client.get("/moderation").text)
    typed = "Olena Petrenkoo"
    response = client.post(
        f"/moderation/{comment_id}/redact",
        data={"passage": typed, "csrf_token": token},
        headers=HX if htmx else {},
    )
    assert response.status_code == 400
    card = queue_form(response.text, comment_id)
    redact = card[card.index('action="/moderation/' + comment_id + '/redact"') - 400 :]
    assert re.search(r"<details[^>]*\bopen\b", redact)
    assert f">{typed}</textarea>" in card
    assert "not in the comment" in card


def test_the_queue_offers_what_the_identifying_check_found(signed_in, comment_id):
    card = queue_form(signed_in("secretariat").get("/moderation").text, comment_id)
    assert ">+380 44 123 4567</textarea>" in card
