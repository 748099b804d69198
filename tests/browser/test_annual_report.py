"""The public annual report on a phone (360x740), with and without JavaScript: a visitor finds
last year's report from the home page, reads it and opens its printable document, in English
and in Ukrainian. Each page passes check_page (neutral title, fits 360px, weight, axe; axe only with
JavaScript, which it needs); the
Print button shows only where JavaScript can print."""

from __future__ import annotations

import pytest

from council.models import utcnow
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_phone,
    assert_within_budget,
    check_page,
    screenshot,
)

pytestmark = pytest.mark.browser


def check(page, name: str, js: bool) -> None:  # type: ignore[no-untyped-def]
    """check_page with JavaScript; without it axe cannot run in the page (the same HTML was
    checked with JavaScript on), so the rest of check_page."""
    if js:
        check_page(page, name)
        return
    assert page.title() == "Council"
    assert_fits_phone(page)
    assert_within_budget(page)
    screenshot(page, f"{name}-{page.viewport_size['width']}")


def visit(page, base: str, tag: str, js: bool = True) -> None:  # type: ignore[no-untyped-def]
    last = utcnow().year - 1
    page.goto(f"{base}/")
    page.click(f"main a[href='/reports/{last}']")
    page.wait_for_url(f"**/reports/{last}")
    main = page.inner_text("main")
    assert "first full year" in main
    assert "Interpreters for survivors at every stage" in main
    assert page.inner_text("[data-figure=members]") == "5"
    check(page, f"annual-report-{tag}", js)
    screenshot_first_screen(page, f"annual-report-first-screen-{tag}")
    page.click(f"main a[href='/reports/{last}/print']")
    page.wait_for_url(f"**/reports/{last}/print")
    assert "National Survivor Advisory Council" in page.inner_text(".letterhead")
    check(page, f"annual-report-print-{tag}", js)


def screenshot_first_screen(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """What a phone shows first (the viewport only), beside check_page's full-page shot."""
    path = screenshot(page, name)
    page.screenshot(path=str(path), full_page=False)


def test_the_report_with_javascript(phone, live_server):
    visit(phone, live_server, "js")
    assert phone.is_visible("main button[data-print]")


def test_the_report_without_javascript(phone_without_js, live_server):
    visit(phone_without_js, live_server, "nojs", js=False)
    assert not phone_without_js.is_visible("main button[data-print]")
    assert phone_without_js.is_visible("main a:has-text('Download PDF')")


def test_the_report_in_ukrainian(phone, live_server):
    phone.goto(f"{live_server}/language?lang=uk&next=/")
    last = utcnow().year - 1
    phone.click(f"main a[href='/reports/{last}']")
    phone.wait_for_url(f"**/reports/{last}")
    assert f"Річний звіт {last}" in phone.inner_text("main h1")
    assert "Позиції та рекомендації" in phone.inner_text("main")
    assert phone.title() == "Рада"  # "Council": neutral in Ukrainian too
    assert_fits_phone(phone)
    assert_within_budget(phone)
    assert_accessible(phone)
    screenshot_first_screen(phone, "annual-report-first-screen-uk")
