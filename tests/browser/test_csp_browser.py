"""In Chromium, with JavaScript on: no page and no htmx swap trips the Content-Security-Policy.

The CSP has no 'unsafe-inline' and no 'unsafe-eval'; this checks that htmx and our script work
under it (htmx configured to inject no indicator styles, no hx-on or eval-needing features).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import staff_sign_in

pytestmark = pytest.mark.browser

WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    return list(page.evaluate("window.__cspViolations || []"))


def test_pages_and_htmx_swaps_raise_no_csp_violation(browser, live_server):
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    seen = []
    try:
        for path in ("/", "/help", "/signin", "/recover"):
            page.goto(live_server + path)
            seen += violations(page)
        staff_sign_in(page, live_server, "secretariat1")
        page.wait_for_url("**/home")
        for path in ("/home", "/account", "/secretariat/invites", "/secretariat/people"):
            page.goto(live_server + path)
            seen += violations(page)
        page.goto(live_server + "/secretariat/audit")
        assert page.evaluate("typeof window.htmx") == "object"
        # The filter form is enhanced by htmx: submitting swaps only the results.
        page.fill("#f-actor", "secretariat1")
        with page.expect_request(lambda r: "/secretariat/audit?" in r.url) as request:
            page.click("form.filters button[type=submit]")
        assert request.value.headers.get("hx-request") == "true"
        page.wait_for_load_state("networkidle")
        assert page.locator("#audit-results").count() == 1
        seen += violations(page)
        reported = [m for m in console if "Content Security Policy" in m]
        # The watch itself works: an injected inline script is blocked and reported.
        page.evaluate(
            "var s = document.createElement('script'); s.textContent = 'window.x = 1';"
            "document.body.appendChild(s)"
        )
        page.wait_for_function("window.__cspViolations.length > 0")
        assert page.evaluate("window.x") is None
    finally:
        context.close()
    assert seen == []
    assert reported == []
