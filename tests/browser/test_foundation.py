"""A person on a phone: sign in, move around, leave quickly — with and without JavaScript."""

from __future__ import annotations

import pytest

from council.demo import DEMO_PASSPHRASE
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_fits_phone,
    assert_within_budget,
    screenshot,
    sign_in,
    staff_sign_in,
)

pytestmark = pytest.mark.browser


def test_public_pages_on_a_phone(browser, live_server):
    for path, name in (("/", "public-home"), ("/signin", "signin"), ("/help", "help")):
        # A fresh context each time: a first visit, nothing cached yet.
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        phone = context.new_page()
        phone.goto(live_server + path, wait_until="load")
        assert_within_budget(phone)
        assert phone.title() == "Council"
        assert_fits_phone(phone)
        assert_accessible(phone)
        screenshot(phone, f"foundation-{name}-360")
        context.close()


def test_member_signs_in_and_out_with_javascript(phone, live_server):
    sign_in(phone, live_server, "member2", DEMO_PASSPHRASE)
    phone.wait_for_url("**/home")
    assert "Welcome, member2" in phone.inner_text("h1")
    assert_accessible(phone)
    phone.goto(live_server + "/account")
    assert_fits_phone(phone)
    assert_accessible(phone)
    screenshot(phone, "foundation-account-360")
    phone.click("footer button:has-text('Sign out')")
    phone.wait_for_url(live_server + "/")
    phone.goto(live_server + "/home")
    assert "/signin" in phone.url


def test_member_signs_in_without_javascript(phone_without_js, live_server):
    page = phone_without_js
    sign_in(page, live_server, "member3", DEMO_PASSPHRASE)
    page.wait_for_url("**/home")
    assert "Welcome, member3" in page.inner_text("h1")


def test_wrong_passphrase_keeps_the_pseudonym_and_says_so(phone, live_server):
    sign_in(phone, live_server, "member4", "not the right passphrase")
    assert "Pseudonym or passphrase is wrong." in phone.inner_text(".error-summary")
    assert phone.input_value("#f-name") == "member4"
    assert_accessible(phone)


def test_secretariat_signs_in_with_a_code_and_reads_the_audit_log(phone, live_server):
    staff_sign_in(phone, live_server, "secretariat1")
    phone.wait_for_url("**/home")
    phone.goto(live_server + "/secretariat/audit")
    assert phone.locator("table").count() == 1
    assert_fits_phone(phone)
    assert_accessible(phone)
    screenshot(phone, "foundation-audit-360")


def test_leave_now_replaces_the_page_and_escapes_history(phone, live_server):
    phone.goto(live_server + "/help")
    phone.goto(live_server + "/signin")
    phone.click("#quick-exit")
    phone.wait_for_url("**/healthz")
    phone.go_back()
    # The sign-in page was replaced, so Back skips it.
    assert not phone.url.endswith("/signin")


def test_escape_twice_leaves(phone, live_server):
    phone.goto(live_server + "/help")
    phone.goto(live_server + "/signin")
    phone.keyboard.press("Escape")
    phone.keyboard.press("Escape")
    phone.wait_for_url("**/healthz")


def test_leave_now_is_a_plain_link_without_javascript(phone_without_js, live_server):
    phone_without_js.goto(live_server + "/signin")
    phone_without_js.click("#quick-exit")
    phone_without_js.wait_for_url("**/healthz")


def test_keyboard_only_sign_in(phone, live_server):
    """Skip link first, visible focus, every control reached with Tab, forms sent with Enter."""
    phone.goto(live_server + "/signin")
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = phone.evaluate("JSON.stringify(document.activeElement.getBoundingClientRect())")
    assert '"width":0' not in box  # the skip link shows itself when focused
    phone.keyboard.press("Enter")
    # From the top of <main>, Tab reaches the pseudonym field before anything else in the form.
    for _ in range(5):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.id") == "f-name":
            break
    assert phone.evaluate("document.activeElement.id") == "f-name"
    outline = phone.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    phone.keyboard.type("member5")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.id") == "f-passphrase"
    phone.keyboard.type(DEMO_PASSPHRASE)
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/home")
    assert "Welcome, member5" in phone.inner_text("h1")


def test_ukrainian_pages_read_in_ukrainian(browser, live_server):
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="uk-UA")
    page = context.new_page()
    page.goto(live_server + "/signin")
    assert page.get_attribute("html", "lang") == "uk"
    assert "Увійти" in page.inner_text("h1")
    assert_accessible(page)
    assert_fits_phone(page)
    screenshot(page, "foundation-signin-uk-360")
    context.close()
