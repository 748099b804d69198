"""Issue 7 on a phone: a member switches to Ukrainian and reads the demo consultation - the
translated parts in Ukrainian, the untranslated ones in English with a notice - and comments in
Ukrainian, with JavaScript on and off."""

from __future__ import annotations

import uuid

import pytest

from council.demo import DEMO_PASSPHRASE
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_fits_phone,
    assert_within_budget,
    follow,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser
ONLY_EN = "Цей розділ доступний лише англійською мовою."
# A unique tag for the comment, in Cyrillic letters (digits could look like an ID number).
HEX, CYRILLIC = "0123456789abcdef", "абвгдежзиклмнопр"


def check(page, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    """It fits a phone; and axe finds nothing. axe runs inside the page, so it needs the page's
    JavaScript (with it off, its timers never fire); the server sends the same HTML either way,
    so the JavaScript run checks what the no-JavaScript run sees."""
    assert_fits_phone(page)
    if javascript:
        assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_member_reads_the_consultation_in_ukrainian(browser, live_server, javascript):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript
    )
    page = context.new_page()
    sign_in(page, live_server, "member5", DEMO_PASSPHRASE)
    page.wait_for_url("**/home")
    # The language switcher on every page; it keeps the member on the page they were on.
    follow(page, "footer a[hreflang=uk]")
    assert page.get_attribute("html", "lang") == "uk"
    follow(page, "nav.site-nav a[href='/consultations']")
    follow(page, "main .cards a")
    suffix = "" if javascript else "-nojs"

    heading = page.locator("main h1")
    assert heading.get_attribute("lang") == "uk"
    assert "Національний механізм перенаправлення" in heading.inner_text()
    assert page.locator("main a[lang=uk]:has-text('Період для роздумів')").count() == 1
    untranslated = page.locator("main .section-list a[lang=en]:has-text('Residence permits')")
    assert untranslated.count() == 1
    # Four sections and the second question are left in English, and marked so.
    assert page.locator("main .lang-tag[lang=en]").count() == 5
    check(page, javascript)
    assert_within_budget(page)
    screenshot(page, f"consultation-uk-360{suffix}")
    overview = page.url

    # A section left in English says so, in Ukrainian, outside the English text.
    follow(page, "main a:has-text('Residence permits')")
    assert page.locator("main h1").get_attribute("lang") == "en"
    assert page.locator("main .lang-notice").inner_text() == ONLY_EN
    assert page.locator("main .prose[lang=en]").is_visible()
    check(page, javascript)
    screenshot(page, f"consultation-uk-untranslated-section-360{suffix}")

    # The content-warned section: its warning is translated, and it still stays closed.
    page.goto(overview)
    follow(page, "main a:has-text('Що сталося з постраждалими')")
    summary = page.locator("details.cw:not(.cw-comments) summary")
    assert "насильство та експлуатація" in summary.inner_text()
    assert not page.locator("details.cw:not(.cw-comments) .prose").is_visible()
    page.click("details.cw:not(.cw-comments) summary")
    assert page.locator("details.cw:not(.cw-comments) .prose[lang=uk]").is_visible()
    assert page.locator("main .lang-notice").count() == 0

    # A comment in Ukrainian comes back exactly as written.
    unique = uuid.uuid4().hex[:8].translate(str.maketrans(HEX, CYRILLIC))
    words = f"Я прочитала цей розділ українською — дякую. Позначка: {unique}."
    page.fill("#f-body", words)
    if javascript:
        page.click("#comment-form button[type=submit]")
        page.wait_for_selector(f"#comments .comment.own .body:has-text('{words}')")
    else:
        follow(page, "#comment-form button[type=submit]")
    body = page.locator(f"#comments .comment.own .body:has-text('{words}')")
    assert body.inner_text() == words
    assert body.get_attribute("dir") == "auto"
    check(page, javascript)
    screenshot(page, f"consultation-uk-comment-360{suffix}")

    # The first question: translated with its options; the second is only in English.
    page.goto(overview)
    follow(page, "main a:has-text('Чи достатньо 90 днів')")
    assert page.locator("fieldset legend[lang=uk]").inner_text().startswith("Чи достатньо")
    assert page.locator("label[lang=uk]:has-text('Важко сказати')").count() == 1
    assert page.locator("input[name=choices][value='Not sure']").count() == 1
    check(page, javascript)
    context.close()
