"""Issue 15 in a phone's browser: each role's home says what is waiting, the menu is one row with
the quick exit beside it, and it opens with and without JavaScript."""

from __future__ import annotations

import pytest

from council.demo import DEMO_PASSPHRASE
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_fits_phone,
    check_page,
    open_menu,
    sign_in,
    staff_sign_in,
)

pytestmark = pytest.mark.browser

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


def phone_page(browser, javascript: bool):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript
    )
    return context, context.new_page()


def header_height(page) -> float:  # type: ignore[no-untyped-def]
    box = page.locator(".site-header").bounding_box()
    assert box is not None
    return float(box["height"])


def check(page, name: str, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    """check_page with JavaScript; without it, the page fits the phone (axe runs inside the
    page and needs its JavaScript; the server sends the same HTML either way)."""
    if javascript:
        check_page(page, name)
    else:
        assert page.title() == "Council"
        assert_fits_phone(page)


@JS
def test_member_home_says_what_is_waiting_and_the_menu_is_one_row(browser, live_server, javascript):
    context, page = phone_page(browser, javascript)
    sign_in(page, live_server, "member1", DEMO_PASSPHRASE)
    page.wait_for_url("**/home")
    waiting = page.locator("section.waiting")
    assert "Waiting for you" in waiting.inner_text()
    # The demo has a draft position open for endorsement.
    assert "A draft position asks for your view" in waiting.inner_text()
    count = page.locator("summary.menu-toggle .count").inner_text()
    assert int(count) >= 1
    # One row: the menu takes under a tenth of a 740px screen, not a quarter.
    assert header_height(page) <= 64
    assert page.locator("#quick-exit").is_visible()
    assert not page.locator("nav.site-nav").is_visible()
    check(page, f"waiting-member-{'js' if javascript else 'nojs'}", javascript)
    # Opened, the menu lies over the page; the quick exit stays visible and reachable.
    open_menu(page)
    assert page.locator("nav.site-nav").is_visible()
    assert page.locator("#quick-exit").is_visible()
    if javascript:
        assert_accessible(page)
    with page.expect_navigation():
        page.click("nav.site-nav a[href='/positions']")
    assert "/positions" in page.url
    context.close()


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_the_menu_row_fits_in_every_language(browser, live_server, lang):
    context, page = phone_page(browser, True)
    sign_in(page, live_server, "member2", DEMO_PASSPHRASE)
    page.wait_for_url("**/home")
    with page.expect_navigation():
        page.click(f"footer a[hreflang={lang}]")
    assert header_height(page) <= 64
    assert_fits_phone(page)
    context.close()


@JS
def test_official_and_secretariat_homes_list_what_waits(browser, live_server, javascript):
    context, page = phone_page(browser, javascript)
    staff_sign_in(page, live_server, "official1")
    waiting = page.locator("section.waiting")
    assert "Waiting for your ministry's answer" in waiting.inner_text()
    check(page, f"waiting-official-{'js' if javascript else 'nojs'}", javascript)
    context.close()

    context, page = phone_page(browser, javascript)
    staff_sign_in(page, live_server, "secretariat1")
    text = page.locator("section.waiting").inner_text()
    assert "waiting for moderation" in text
    with page.expect_navigation():
        page.click("section.waiting a[href='/moderation']")
    check(page, f"waiting-moderation-{'js' if javascript else 'nojs'}", javascript)
    context.close()
