"""A person on a phone: sign in, move around, leave quickly — with and without JavaScript."""

from __future__ import annotations

import time

import pytest

from council.auth import totp
from council.demo import DEMO_PASSPHRASE, DEMO_TOTP_SECRET
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_phone,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_public_pages_on_a_phone(phone, live_server):
    for path, name in (("/", "public-home"), ("/signin", "signin"), ("/help", "help")):
        phone.goto(live_server + path)
        assert phone.title() == "Council"
        assert_fits_phone(phone)
        assert_accessible(phone)
        screenshot(phone, f"foundation-{name}-360")


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
    code = totp.code_at(DEMO_TOTP_SECRET, time.time())
    sign_in(phone, live_server, "secretariat1", DEMO_PASSPHRASE, code=code)
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
