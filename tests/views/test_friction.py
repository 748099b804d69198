"""Issue 15, "Friction": the small things a member, moderator or official hit in real hands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from council.actions import drafts as draft_actions
from council.actions import safeguards
from tests.factories import author, post_comment, prepared_consultation

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def setup(db, settings, people):
    return prepared_consultation(db, settings, people)


def test_support_numbers_are_tel_links(db, people, setup, signed_in):
    with db.write() as session:
        safeguards.save_support_contact(
            session,
            people["secretariat"],
            name="La Strada hotline",
            how_to_reach="Call 0 800 500 335",
        )
    client = signed_in("member")
    assert 'href="tel:+380800500335">0 800 500 335</a>' in client.get("/help").text
    detail = client.get(f"/consultations/{setup.consultation_id}").text
    assert 'Hanna, <a href="tel:+380440000000">+380 44 000 0000</a>' in detail


def test_tel_links_escape_everything_else():
    from council.web.labels import tel_links

    html = str(tel_links("<b>Olha</b> +380 44 000 0000"))
    assert html.startswith("&lt;b&gt;Olha&lt;/b&gt; <a href=")


def test_the_feed_is_announced_to_feed_readers(client):
    html = client.get("/").text
    assert '<link rel="alternate" type="application/atom+xml" href="/feed.atom"' in html


def test_the_sign_in_page_warns_about_saving_the_passphrase_on_a_shared_phone(client):
    html = client.get("/signin").text
    assert "do not let the browser save your passphrase" in html


def test_return_when_ready_is_the_resume_button_itself(db, people, signed_in):
    with db.write() as session:
        safeguards.step_back(session, people["member"])
    html = signed_in("member").get("/home").text
    notice = html[html.index("You are stepping back") :]
    notice = notice[: notice.index("</div>")]
    assert 'action="/account/resume"' in notice and "Return when you are ready" in notice


def test_comments_under_a_content_warning_are_behind_it(db, settings, people, setup, signed_in):
    warned = setup.warned
    from council.rules.targets import Target

    post_comment(
        db,
        settings,
        author(settings, people["member2"]),
        setup,
        "A hard story.",
        target=Target(section_id=warned.id),
        approve_by=people["secretariat"],
    )
    html = (
        signed_in("member")
        .get(f"/consultations/{setup.consultation_id}/on/section-{warned.id}")
        .text
    )
    behind = re.search(r'<details class="cw cw-comments"[^>]*>(.*?)</details>', html, re.S)
    assert behind and "A hard story." in behind.group(1)


def test_members_see_what_changed_between_published_versions(db, settings, people, signed_in):
    setup = prepared_consultation(db, settings, people)
    official = people["official"]
    with db.write() as session:
        draft_actions.start_new_version(session, official, setup.draft_id)
    client = signed_in("member")
    # The unpublished version 2 is not the member's to see.
    assert client.get(f"/drafts/{setup.draft_id}/compare?from=1&to=2").status_code == 404
    assert client.get(f"/drafts/{setup.draft_id}/compare?from=1&to=1").status_code == 200
    # A draft no consultation put before members stays closed to them.
    other = prepared_consultation(db, settings, people, complete=False)
    assert client.get(f"/drafts/{other.draft_id}/compare").status_code == 404


def test_officials_see_which_checklist_items_only_the_secretariat_sets(
    db, settings, people, signed_in
):
    setup = prepared_consultation(db, settings, people, complete=False)
    html = signed_in("official").get(f"/consultations/{setup.consultation_id}/settings").text
    assert html.count("(the secretariat sees to this)") == 2


def test_print_views_carry_the_council_and_a_print_button(db, settings, people, signed_in):
    text = (ROOT / "templates/engagements/receipt.html").read_text()
    assert "Use your browser's Print command" not in text
    assert "print_button(" in text and "letterhead()" in text
    from council.models import Ministry
    from tests.factories import published

    with db.read() as session:
        ministry = session.get(Ministry, 1)
    pid = published(db, settings, people, ministry, title="Printed")
    html = signed_in("member").get(f"/positions/{pid}").text
    assert f'<p class="letterhead"><strong>{settings.council_name}</strong>' in html
    assert "data-print hidden" in html


def test_radios_and_checkboxes_do_not_shrink_when_their_label_wraps():
    css = (ROOT / "static/css/council.css").read_text()
    rule = re.search(r'input\[type="checkbox"\], input\[type="radio"\] \{([^}]*)\}', css)
    assert rule and "flex-shrink: 0" in rule.group(1)
