"""Issue 3 end to end, on a phone (360x740) and on a laptop screen (1280x800): a member reads a
consultation, opens the content-warned section, comments anonymously with and without JavaScript;
the secretariat approves; the official reads the results without any author. Every page checked
is screenshot at both sizes under tests/artifacts/."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from council.demo import DEMO_PASSPHRASE
from tests.browser.conftest import SIZES, check_page, follow, new_context, screenshot, sign_in
from tests.browser.conftest import staff_sign_in as shared_staff_sign_in
from tests.servers import running_server

pytestmark = pytest.mark.browser
WARNED = "What happened to survivors: case examples"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of this module's own: staff codes are single-use per 30-second step, so sharing
    the demo's staff accounts with other browser tests would make them refuse each other."""
    with running_server(tmp_path_factory.mktemp("consultation-live")) as base:
        yield base


def marker() -> str:
    """A unique word of letters only: digits could look like a phone or ID number to the nudge."""
    return "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:10])


def staff_sign_in(page, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    shared_staff_sign_in(page, base, name)


def open_warned_section(page, base: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(base + "/home")
    follow(page, "nav.site-nav a:has-text('Consultations')")
    follow(page, "main .cards a")
    assert page.title() == "Council"
    assert "National referral mechanism" in page.inner_text("h1")
    assert "days left" in page.inner_text(".deadline")
    follow(page, f"main a:has-text('{WARNED}')")
    details = page.locator("details.cw:not(.cw-comments)")
    assert details.get_attribute("open") is None
    assert not page.locator("details.cw:not(.cw-comments) .prose").is_visible()
    page.click("details.cw:not(.cw-comments) summary")
    assert page.locator("details.cw:not(.cw-comments) .prose").is_visible()
    return page.url


@pytest.mark.parametrize("size", SIZES)
def test_member_comments_secretariat_approves_official_reads(browser, server, size):
    live_server = server
    with_js_text = f"From my phone with JavaScript {marker()}"
    without_js_text = f"From my phone without JavaScript {marker()}"

    # A member with JavaScript: the comment list is swapped in place.
    context = new_context(browser, size)
    page = context.new_page()
    sign_in(page, live_server, "member2", DEMO_PASSPHRASE)
    page.wait_for_url("**/home")
    section_url = open_warned_section(page, live_server)
    check_page(page, "consultation-warned-section-open")
    assert page.is_checked("#vis-anon")  # anonymous by default
    assert not page.is_checked("#f-may-quote")  # not quotable by default
    page.fill("#f-body", with_js_text)
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("#comments .flash-success")
    assert page.url == section_url  # no navigation: htmx swapped the list
    assert with_js_text in page.inner_text("#comments")
    screenshot(page, f"consultation-commented-with-js-{size}")
    page.goto(live_server + "/consultations")
    follow(page, "main .cards a")
    check_page(page, "consultation-overview")
    context.close()

    # Another member without JavaScript: the form posts and comes back to the same section.
    context = new_context(browser, size, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "member3", DEMO_PASSPHRASE)
    page.wait_for_url("**/home")
    assert open_warned_section(page, live_server) == section_url
    page.fill("#f-body", without_js_text)
    page.click("#comment-form button[type=submit]")
    page.wait_for_url(section_url + "#comments")
    assert "Your comment is sent" in page.inner_text(".flashes")
    assert without_js_text in page.inner_text("#comments")
    screenshot(page, f"consultation-commented-without-js-{size}")
    context.close()

    # The secretariat approves both from the queue.
    context = new_context(browser, size)
    page = context.new_page()
    staff_sign_in(page, live_server, "secretariat1")
    page.goto(live_server + "/moderation")
    check_page(page, "moderation-queue")
    page.goto(live_server + "/consultations")
    follow(page, "main .cards a")
    follow(page, "main a:has-text('Preparation and safeguards')")
    assert "Every safeguard is in place." in page.inner_text("main")
    check_page(page, "consultation-settings-secretariat")
    page.goto(live_server + "/moderation")
    for text in (with_js_text, without_js_text):
        card = page.locator("article.moderation", has_text=text)
        assert "anonymous" in card.inner_text()
        assert "member2" not in card.inner_text() and "member3" not in card.inner_text()
        card.locator("button:has-text('Approve')").click()
        # htmx swaps the queue in place: the approved comment leaves it.
        page.locator("article.moderation", has_text=text).wait_for(state="detached")
        assert "Approved." in page.inner_text("#queue .flash-success")
    context.close()

    # The official sees both on the results page, with no author anywhere.
    context = new_context(browser, size)
    page = context.new_page()
    staff_sign_in(page, live_server, "official1")
    page.goto(live_server + "/consultations")
    follow(page, "main .cards a")
    follow(page, "main a:has-text('Results')")
    content = page.content()
    assert with_js_text in content and without_js_text in content
    for name in ("member1", "member2", "member3", "member4", "member5"):
        assert name not in content
    assert page.locator("svg[role=img]").count() >= 1
    check_page(page, "results-official")

    # The official's drafts: what changed between the two versions, word by word.
    follow(page, "nav.site-nav a:has-text('Drafts')")
    follow(page, "main .list a")
    follow(page, "main form[action$='/compare'] button")
    assert page.locator("main del").count() >= 1 and page.locator("main ins").count() >= 1
    assert "48" in page.inner_text("main del") or "48" in page.inner_text("main")
    check_page(page, "draft-compare")
    context.close()
