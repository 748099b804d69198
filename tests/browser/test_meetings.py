"""Meetings in the browser, with JavaScript on and off, at 360x740: a member opens the coming
meeting, reads a paper behind its content warning and says they come and need childcare; the
secretariat records a past meeting's attendance on one screen, twice, and it is paid once.
Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re

import pytest

from council.demo import DEMO_PASSPHRASE
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_phone,
    check_page,
    follow,
    new_context,
    screenshot,
    sign_in,
    staff_sign_in,
)

pytestmark = pytest.mark.browser
JS = {"js": True, "nojs": False}


def check(page, name: str, js: str) -> None:  # type: ignore[no-untyped-def]
    """check_page with JavaScript on (axe and the measurements run in the page); without it
    only the screenshot: the HTML is the same, and the JS-on run has checked it."""
    if JS[js]:
        check_page(page, name)
    else:
        screenshot(page, f"{name}-360")


def check_languages(page, base: str, js: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """The same page in Ukrainian and Russian (whose words are longest) still fits and passes
    axe; then back to English."""
    path = page.url.split(base)[1]
    for lang in ("uk", "ru"):
        page.goto(f"{base}/language?lang={lang}&next={path}")
        assert page.get_attribute("html", "lang") == lang
        if JS[js]:
            assert_fits_phone(page)
            assert_accessible(page)
        screenshot(page, f"{name}-{js}-{lang}-360")
    page.goto(f"{base}/language?lang=en&next=/home")


@pytest.fixture(scope="module")
def secretariat_state(browser, live_server):  # type: ignore[no-untyped-def]
    context = new_context(browser)
    staff_sign_in(context.new_page(), live_server, "secretariat1")
    state = context.storage_state()
    context.close()
    return state


@pytest.mark.parametrize("js", JS)
def test_member_reads_the_coming_meeting_and_replies(browser, live_server, js):  # type: ignore[no-untyped-def]
    context = new_context(browser, "360", java_script_enabled=JS[js])
    page = context.new_page()
    try:
        sign_in(page, live_server, "member5", DEMO_PASSPHRASE)
        page.wait_for_url("**/home")
        follow(page, "nav a:has-text('Meetings')")
        page.wait_for_url("**/meetings")
        check(page, f"meetings-list-{js}", js)
        page.click("main a:has-text('Winter plenary')")
        page.wait_for_url(re.compile(r".*/meetings/\d+$"))
        main = page.locator("main")
        assert "Video call" in main.inner_text()
        paper = page.locator("details.cw")
        assert not paper.locator(".prose").is_visible()
        paper.locator("summary").click()
        assert paper.locator(".prose").is_visible()
        check(page, f"meetings-member-{js}", js)
        screenshot(page, f"member-meeting-{js}-360")
        page.check("#a-yes")
        page.check("#n-childcare")
        page.click("main button:has-text('Send my answer')")
        page.wait_for_load_state()
        assert "your reply is saved" in page.inner_text(".flashes")
        assert page.is_checked("#a-yes") and page.is_checked("#n-childcare")
        assert not page.is_checked("#n-travel")
        check_languages(page, live_server, js, "member-meeting")
    finally:
        context.close()


@pytest.mark.parametrize("js", JS)
def test_attendance_is_recorded_on_one_screen_and_paid_once(  # type: ignore[no-untyped-def]
    browser, live_server, secretariat_state, js
):
    context = new_context(
        browser, "360", java_script_enabled=JS[js], storage_state=secretariat_state
    )
    page = context.new_page()
    try:
        page.goto(live_server + "/meetings")
        page.click("main a:has-text('Online meeting on the referral draft')")
        page.click("main a:has-text('Record attendance')")
        page.wait_for_url("**/attendance")
        check(page, f"meetings-attendance-{js}", js)
        screenshot(page, f"attendance-{js}-360")
        page.check("#att-" + page.get_attribute("label:has-text('member3')", "for")[4:])
        page.click("main button:has-text('Save attendance')")
        page.wait_for_url("**/attendance")
        assert re.search(r"\d+ engagements? added", page.inner_text(".flashes"))
        row = page.locator(".attendance-row", has_text="member3")
        assert "Done, waiting for approval" in row.inner_text()
        page.click("main button:has-text('Save attendance')")
        page.wait_for_url("**/attendance")
        assert "0 engagements added" in page.inner_text(".flashes")
        check_languages(page, live_server, js, "attendance")
        page.goto(live_server + "/secretariat/ledger?kind=meeting")
        ledger = page.inner_text("main")
        assert ledger.count("Online meeting on the referral draft") == 6  # five, and member3
    finally:
        context.close()


def test_secretariat_pages_of_the_council_year_pass_axe_at_360(
    browser, live_server, secretariat_state
):  # type: ignore[no-untyped-def]
    context = new_context(browser, "360", storage_state=secretariat_state)
    page = context.new_page()
    try:
        page.goto(live_server + "/secretariat/terms")
        assert "Terms ending in the next 90 days" in page.inner_text("main")
        check_page(page, "terms-secretariat")
        screenshot(page, "terms-secretariat-js-360")
        page.click('main a:has-text("Renew member2\'s term")')
        page.wait_for_url("**/renew")
        check_page(page, "terms-renew-confirm")
        page.goto(live_server + "/secretariat/terms")
        page.click('main a:has-text("Renew member1\'s term") >> nth=0')
        assert "cannot be renewed" in page.inner_text("main")
        check_page(page, "terms-renew-refused")
        page.goto(live_server + "/meetings/new")
        check_page(page, "meetings-new")
        page.goto(live_server + "/meetings")
        page.click("main a:has-text('Winter plenary')")
        assert "Add an agenda item" in page.inner_text("main")
        check_page(page, "meetings-secretariat")
        page.goto(live_server + "/meetings")
        page.click("main a:has-text('Autumn plenary')")
        page.click("main a:has-text('Write the minutes')")
        check_page(page, "meetings-minutes")
        check_languages(page, live_server, "js", "minutes")
    finally:
        context.close()


def test_member_account_shows_the_term_and_about_me(phone, live_server):  # type: ignore[no-untyped-def]
    sign_in(phone, live_server, "member2", DEMO_PASSPHRASE)
    phone.wait_for_url("**/home")
    phone.goto(live_server + "/account")
    assert "Your term runs from" in phone.inner_text("main")
    check_page(phone, "account-term")
    screenshot(phone, "account-term-js-360")
    phone.click("main a:has-text('About you, if you wish')")
    phone.wait_for_url("**/about-me")
    check_page(phone, "about-me")
    check_languages(phone, live_server, "js", "about-me")
