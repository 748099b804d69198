"""A member stops taking part, then still opens a receipt: on a phone (360x740), with
JavaScript on and off. Withdrawing asks first, says what it means and offers stepping back."""

from __future__ import annotations

import pytest

from council.demo import DEMO_PASSPHRASE
from tests.browser.conftest import assert_fits_phone, check_page, new_context, screenshot, sign_in

pytestmark = pytest.mark.browser
MEMBER = "member3"  # has paid engagements in the demo data


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_withdrawing_taking_part_then_downloading_a_receipt(browser, live_server, javascript):  # type: ignore[no-untyped-def]
    context = new_context(browser, "360", java_script_enabled=javascript)
    page = context.new_page()
    name = "consent-withdrawal" + ("" if javascript else "-nojs")

    def look(step: str) -> None:
        # axe runs in the page's JavaScript: without it, the fit and a screenshot.
        if javascript:
            check_page(page, f"{name}-{step}")
        else:
            assert_fits_phone(page)
            screenshot(page, f"{name}-{step}-360")

    try:
        sign_in(page, live_server, MEMBER, DEMO_PASSPHRASE)
        page.wait_for_url("**/home")
        page.goto(live_server + "/consents")
        page.click("main a:has-text('Stop taking part')")
        page.wait_for_url("**/consents/taking_part/withdraw")
        main = page.inner_text("main")
        assert "Stop taking part?" in main and "Step back instead" in main
        assert "money you are owed is still paid" in main
        look("confirm")
        page.click("main button:has-text('Withdraw my consent to take part')")
        page.wait_for_url("**/consents")
        assert "You no longer take part" in page.inner_text(".flashes")
        assert "You have stopped taking part" in page.inner_text("main")
        look("done")

        page.click("main a:has-text('Your engagements, payments and receipts')")
        page.wait_for_url("**/engagements")
        page.locator("main a:has-text('Receipt')").first.click()
        page.wait_for_url("**/receipt")
        receipt = page.inner_text("main")
        assert "Receipt number" in receipt and "Total paid" in receipt and "€" in receipt
        look("receipt")
        # Taking part itself is what stopped.
        page.goto(live_server + "/consultations")
        page.wait_for_url("**/consents?next=*")
    finally:
        # Agree again, so the shared server's other tests find member3 taking part.
        page.goto(live_server + "/consents")
        agree = page.locator("form[action='/consents/taking_part/give'] button")
        if agree.count():
            agree.click()
            page.wait_for_load_state()
        context.close()
