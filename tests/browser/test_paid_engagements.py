"""On a phone: a member records a contribution, the secretariat approves and pays it, the member
sees it paid and opens the receipt."""

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
LABEL = "Browser test: notes on the action plan"


def staff_sign_in(page, base):  # type: ignore[no-untyped-def]
    """secretariat1 with the demo code. Another test may already have used this 30-second
    step's code (the server refuses a replay), so the next step's code, which the server also
    accepts, is tried after it."""
    sign_in(
        page,
        base,
        "secretariat1",
        DEMO_PASSPHRASE,
        code=totp.code_at(DEMO_TOTP_SECRET, time.time()),
    )
    page.wait_for_load_state()
    if page.url.endswith("/signin/code"):
        page.fill("#f-code", totp.code_at(DEMO_TOTP_SECRET, time.time() + 30))
        page.click("main button[type=submit]")
    page.wait_for_url("**/home")


def test_contribution_is_approved_paid_and_receipted(browser, live_server):
    phone = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
    member_context = browser.new_context(**phone)
    staff_context = browser.new_context(**phone)
    member = member_context.new_page()
    staff = staff_context.new_page()
    try:
        sign_in(member, live_server, "member2", DEMO_PASSPHRASE)
        member.wait_for_url("**/home")
        member.click("main a:has-text('Record my contribution')")
        member.wait_for_url("**/engagements/record")
        member.fill("#f-label", LABEL)
        member.fill("#f-quantity", "1.5")
        assert_fits_phone(member)
        assert_accessible(member)
        screenshot(member, "engagements-record-360")
        member.click("main button[type=submit]")
        member.wait_for_url("**/engagements")
        row = member.locator("li", has_text=LABEL)
        assert "Done, waiting for approval" in row.inner_text()
        assert "€37.50" in row.inner_text()
        assert_accessible(member)

        staff_sign_in(staff, live_server)
        assert "overdue" in staff.inner_text("main")
        screenshot(staff, "engagements-secretariat-home-360")
        staff.goto(live_server + "/secretariat/ledger?status=completed")
        assert_fits_phone(staff)
        assert_accessible(staff)
        screenshot(staff, "engagements-ledger-360")
        staff.click(f"main a:has-text('{LABEL}')")
        staff.click("main button:has-text('Approve')")
        staff.wait_for_load_state()
        assert "Approved, waiting for payment" in staff.inner_text("main")
        staff.click("main button:has-text('Mark as paid')")
        staff.wait_for_load_state()
        assert "Paid" in staff.inner_text(".facts")
        assert_accessible(staff)

        member.goto(live_server + "/engagements")
        row = member.locator("li", has_text=LABEL)
        assert "Paid" in row.inner_text()
        screenshot(member, "engagements-mine-360")
        row.locator("a:has-text('Receipt')").click()
        member.wait_for_url("**/receipt")
        receipt = member.inner_text("main")
        assert "member2" in receipt and "€37.50" in receipt and "Mobile money" in receipt
        assert member.title() == "Council"
        assert_fits_phone(member)
        assert_accessible(member)
        screenshot(member, "engagements-receipt-360")
    finally:
        member_context.close()
        staff_context.close()


def test_member_pages_fit_a_phone_and_pass_axe(phone, live_server):
    sign_in(phone, live_server, "member1", DEMO_PASSPHRASE)
    phone.wait_for_url("**/home")
    for path, name in (
        ("/engagements", "mine"),
        ("/consents", "consents"),
        ("/account/payment", "payment"),
        ("/conflicts", "conflicts"),
        ("/account/my-data", "my-data"),
        ("/help", "help-support"),
    ):
        phone.goto(live_server + path)
        assert_fits_phone(phone)
        assert_accessible(phone)
        screenshot(phone, f"engagements-{name}-member1-360")
    # The longest words are Ukrainian and Russian: the pages must still fit.
    for lang in ("uk", "ru"):
        phone.goto(f"{live_server}/language?lang={lang}&next=/engagements")
        assert phone.get_attribute("html", "lang") == lang
        assert_fits_phone(phone)
        assert_accessible(phone)
        screenshot(phone, f"engagements-mine-member1-{lang}-360")
    phone.goto(f"{live_server}/language?lang=en&next=/home")


def test_member_who_has_not_agreed_is_asked_first(phone, live_server):
    sign_in(phone, live_server, "member6", DEMO_PASSPHRASE)
    phone.wait_for_url("**/consents?next=*")
    assert "Before anything else" in phone.inner_text("main")
    assert_accessible(phone)
    screenshot(phone, "engagements-consent-gate-360")
    phone.locator("form[action='/consents/taking_part/give'] button").click()
    phone.wait_for_url("**/home")
