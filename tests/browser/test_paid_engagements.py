"""A member records a contribution, the secretariat approves and pays it, the member sees it paid
and opens the receipt: on a phone (360x740) and on a laptop screen (1280x800)."""

from __future__ import annotations

import pytest

from council.demo import DEMO_PASSPHRASE
from tests.browser.conftest import (
    SIZES,
    assert_accessible,
    assert_fits_phone,
    check_page,
    new_context,
    screenshot,
    sign_in,
    staff_sign_in,
)

pytestmark = pytest.mark.browser
LABEL = "Browser test: notes on the action plan"


@pytest.fixture(scope="module")
def secretariat_state(browser, live_server):  # type: ignore[no-untyped-def]
    """secretariat1 signed in once for the module's runs: each sign-in code works once per
    30-second step, and the shared server's other tests sign the same account in."""
    context = new_context(browser)
    staff_sign_in(context.new_page(), live_server, "secretariat1")
    state = context.storage_state()
    context.close()
    return state


@pytest.mark.parametrize("size", SIZES)
def test_contribution_is_approved_paid_and_receipted(browser, live_server, secretariat_state, size):  # type: ignore[no-untyped-def]
    label = f"{LABEL} ({size})"
    member_context = new_context(browser, size)
    staff_context = new_context(browser, size, storage_state=secretariat_state)
    member = member_context.new_page()
    staff = staff_context.new_page()
    try:
        sign_in(member, live_server, "member2", DEMO_PASSPHRASE)
        member.wait_for_url("**/home")
        member.click("main a:has-text('Record my contribution')")
        member.wait_for_url("**/engagements/record")
        member.fill("#f-label", label)
        member.fill("#f-quantity", "1.5")
        check_page(member, "engagements-record")
        member.click("main button[type=submit]")
        member.wait_for_url("**/engagements")
        row = member.locator("li", has_text=label)
        assert "Done, waiting for approval" in row.inner_text()
        assert "€37.50" in row.inner_text()
        assert_accessible(member)

        staff.goto(live_server + "/home")
        assert "overdue" in staff.inner_text("main")
        check_page(staff, "engagements-secretariat-home")
        staff.goto(live_server + "/secretariat/ledger?status=completed")
        check_page(staff, "engagements-ledger")
        staff.click(f"main a:has-text('{label}')")
        staff.click("main button:has-text('Approve')")
        staff.wait_for_load_state()
        assert "Approved, waiting for payment" in staff.inner_text("main")
        staff.click("main button:has-text('Mark as paid')")
        staff.wait_for_load_state()
        assert "Paid" in staff.inner_text(".facts")
        check_page(staff, "engagements-paid")
        for path in (
            "/secretariat/rates",
            "/secretariat/ledger/new",
            "/secretariat/safeguards",
            "/secretariat/consents",
            "/secretariat/support",
            "/engagements/totals",
        ):
            staff.goto(live_server + path)
            check_page(staff, "engagements-secretariat" + path.replace("/", "-"))

        member.goto(live_server + "/engagements")
        row = member.locator("li", has_text=label)
        assert "Paid" in row.inner_text()
        check_page(member, "engagements-mine")
        row.locator("a:has-text('Receipt')").click()
        member.wait_for_url("**/receipt")
        receipt = member.inner_text("main")
        assert "member2" in receipt and "€37.50" in receipt and "Mobile money" in receipt
        check_page(member, "engagements-receipt")
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
