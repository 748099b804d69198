"""Issue 5 end to end on a phone (360x740) and a laptop screen (1280x800): a member endorses the
demo's draft position, the chair adopts it, the secretariat publishes it, the official answers a
recommendation, and the member sees, under their own comment, the recommendation that cited it
and the answer; the public position page and scorecard show it without signing in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from council.demo import DEMO_PASSPHRASE
from tests.browser.conftest import SIZES, check_page, follow, new_context, screenshot, sign_in
from tests.browser.test_consultation_flow import staff_sign_in
from tests.servers import running_server

pytestmark = pytest.mark.browser
TITLE = "The national referral mechanism: support first"
ANSWER = "The ministry will start the reflection period when the person is safe"


@pytest.fixture(scope="module", params=list(SIZES))
def size_and_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A fresh demo server for each size: the journey adopts and publishes the demo's one draft
    position, which can happen only once (and staff codes are single-use per 30-second step)."""
    with running_server(tmp_path_factory.mktemp(f"positions-{request.param}")) as base:
        yield request.param, base


def test_endorse_adopt_publish_answer_and_trace(browser, size_and_server):
    size, base = size_and_server
    # A member endorses the draft; their choice is shown back only to them.
    member_context = new_context(browser, size)
    member = member_context.new_page()
    sign_in(member, base, "member2", DEMO_PASSPHRASE)
    member.wait_for_url("**/home")
    follow(member, "nav.site-nav a:has-text('Positions')")
    follow(member, f"main a:has-text('{TITLE}')")
    position_url = member.url
    assert re.search(r"/positions/\d+$", position_url)
    check_page(member, "position-draft-member")
    member.check("#v-endorse")
    follow(member, "main button:has-text('Record my choice')")
    assert "You chose: endorse" in member.inner_text("main")

    # The chair adopts: the rule is met; the chair never sees member2's choice.
    chair_context = new_context(browser, size)
    chair = chair_context.new_page()
    sign_in(chair, base, "member1", DEMO_PASSPHRASE)
    chair.wait_for_url("**/home")
    chair.goto(position_url)
    assert "You chose: endorse" not in chair.inner_text("main")
    assert "3 endorse, 0 object, 0 abstain" in chair.inner_text("main")
    check_page(chair, "position-draft-chair")
    follow(chair, "main button:has-text('Adopt the position')")
    assert "The position is adopted." in chair.inner_text(".flashes")
    chair_context.close()

    # The secretariat publishes.
    secretariat_context = new_context(browser, size)
    secretary = secretariat_context.new_page()
    staff_sign_in(secretary, base, "secretariat1")
    secretary.goto(position_url)
    assert "endorse" not in secretary.inner_text("main").replace("endorsement", "")
    follow(secretary, "main button:has-text('Publish the position')")
    assert "The position is published." in secretary.inner_text(".flashes")
    secretariat_context.close()

    # The official of the addressed ministry answers recommendation 1.
    official_context = new_context(browser, size)
    official = official_context.new_page()
    staff_sign_in(official, base, "official1")
    official.goto(position_url)
    follow(official, "main a:has-text('Answer recommendation 1')")
    check_page(official, "position-respond-official")
    official.check("#s-partly_accepted")
    official.fill("#f-explanation", ANSWER + ", from 2027; 60 days, not 90.")
    follow(official, "main button:has-text('Publish the answer')")
    assert ANSWER in official.inner_text("#r-1")
    official_context.close()

    # The member follows their comment to the outcome.
    member.goto(base + "/consultations")
    follow(member, "main .cards a")
    yours = member.locator("section.yours")
    outcome = yours.locator(".outcome").first
    assert "Cited in recommendation 1" in outcome.inner_text()
    assert ANSWER in outcome.inner_text()
    assert "partly accepted" in outcome.inner_text()
    outcome.scroll_into_view_if_needed()
    check_page(member, "your-comment-outcome")
    member_context.close()

    # The public, signed out.
    public_context = new_context(browser, size)
    public = public_context.new_page()
    public.goto(position_url)
    text = public.inner_text("main")
    assert TITLE in text and ANSWER in text and "partly accepted" in text
    for name in ("member1", "member2", "member3", "member4", "member5"):
        assert name not in public.content()
    check_page(public, "position-public")
    # The print stylesheet: no navigation, no forms, the recommendations and answers kept.
    public.emulate_media(media="print")
    assert not public.locator(".site-header").is_visible()
    assert public.locator("#r-1 .response").is_visible()
    screenshot(public, f"position-print-{size}")
    public.emulate_media(media="screen")
    public.goto(base + "/scorecard")
    assert "Ministry of Interior" in public.inner_text("main")
    assert "Responses overdue" in public.inner_text("main")
    check_page(public, "scorecard-public")
    public.goto(base + "/positions")
    check_page(public, "positions-public")
    public.goto(base + "/")
    assert "The council has 5 members." in public.inner_text("main")
    check_page(public, "home-public")
    assert not public_context.cookies()
    public_context.close()
