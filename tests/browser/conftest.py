"""Browser tests: the real server in its own process, driven by Debian's Chromium.

The server runs `council serve` on a free 127.0.0.1 port against a migrated SQLite file with the
demo data. Only that process is stopped at the end. Chromium comes from Debian's package
(/usr/bin/chromium); Playwright's own browser download cannot work on these machines.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import free_port, running_server
from tests.totp_steps import unused_step

__all__ = ["free_port", "running_server"]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"{CHROMIUM} is missing in CI: .ci/run must install chromium")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("live")) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


# The two sizes every journey runs at (issue 7): a phone, and a laptop screen.
SIZES = {
    "360": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
    "1280": {"viewport": DESKTOP},
}


def new_context(browser, size: str = "360", **options):  # type: ignore[no-untyped-def]
    """A browser context at one of SIZES ("360" or "1280"), JavaScript on unless told."""
    return browser.new_context(**SIZES[size], **options)


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    """A phone-sized page with JavaScript on."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_js(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


AXE_OPTIONS = {
    "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    "resultTypes": ["violations"],
}


def start_axe(page) -> None:  # type: ignore[no-untyped-def]
    """Start axe-core in the page and return at once (several pages can run it side by side);
    `axe_results` waits for it."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    # In a task of its own: axe works through promises, which would otherwise all run before
    # this evaluate returned.
    page.evaluate(
        "options => { window.__axe = new Promise(done => setTimeout(done, 0))"
        ".then(() => axe.run(options)); }",
        AXE_OPTIONS,
    )


def axe_results(page) -> list[tuple[str, list[object]]]:  # type: ignore[no-untyped-def]
    """The violations of WCAG 2.x A/AA rules that `start_axe` found, as (rule, [targets])."""
    found = page.evaluate(
        "() => window.__axe.then(r => r.violations.map(v => [v.id, v.nodes.map(n => n.target)]))"
    )
    return [(rule, targets) for rule, targets in found]


def axe_violations(page) -> list[tuple[str, list[object]]]:  # type: ignore[no-untyped-def]
    """axe-core in the page: violations of WCAG 2.x A/AA rules, as (rule, [targets])."""
    start_axe(page)
    return axe_results(page)


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    """axe-core in the page: zero violations of WCAG 2.x A/AA rules."""
    violations = axe_violations(page)
    assert not violations, violations


def overflow(page) -> int:  # type: ignore[no-untyped-def]
    """How far the page is wider than the screen. Measured against the viewport we asked for,
    not window.innerWidth: a mobile browser zooms out to show a too-wide page, and then
    innerWidth grows with it."""
    return int(page.evaluate("document.documentElement.scrollWidth")) - page.viewport_size["width"]


def assert_fits_phone(page) -> None:  # type: ignore[no-untyped-def]
    """The page does not scroll sideways at the viewport's width (360px on a phone)."""
    wider = overflow(page)
    width = page.viewport_size["width"]
    assert wider <= 0, f"{page.url} scrolls sideways by {wider}px at {width}px"


PAGE_BUDGET_BYTES = 50 * 1024
PAGE_BUDGET_REQUESTS = 20


def page_weight(page) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Bytes transferred (compressed, headers included) and requests made by the first load."""
    entries = page.evaluate(
        """() => [...performance.getEntriesByType('navigation'),
                  ...performance.getEntriesByType('resource')]
                 .map(e => ({name: e.name, size: e.transferSize || e.encodedBodySize || 0}))"""
    )
    return sum(e["size"] for e in entries), len(entries)


def assert_within_budget(page) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    size, requests = page_weight(page)
    assert size <= PAGE_BUDGET_BYTES, f"{page.url} transferred {size} bytes"
    assert requests <= PAGE_BUDGET_REQUESTS, f"{page.url} made {requests} requests"
    return size, requests


def check_page(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """What every page a journey visits must pass: a neutral title, no sideways scrolling at the
    viewport's width, zero axe violations and the weight budget; then a screenshot named with
    the width (`name-360.png`, `name-1280.png`) under tests/artifacts/ for review. The weight is
    of this load, so CSS and JS the context has cached already count for nothing;
    test_every_page measures true first loads."""
    assert page.title() == "Council"
    assert_fits_phone(page)
    assert_within_budget(page)
    assert_accessible(page)
    screenshot(page, f"{name}-{page.viewport_size['width']}")


def open_menu(page) -> None:  # type: ignore[no-untyped-def]
    """Open the site's menu (a <details> disclosure), as a person does before choosing from it."""
    if page.locator("details.menu[open]").count() == 0:
        page.click("summary.menu-toggle")


def sign_in(page, base: str, name: str, passphrase: str, code=None, at_code=None) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the form. `code` is a TOTP code, or a function making one when the code
    page is reached (so that a slow passphrase check cannot age it out of its window);
    `at_code(page)`, if given, runs on the code page."""
    page.goto(f"{base}/signin")
    page.fill("#f-name", name)
    page.fill("#f-passphrase", passphrase)
    page.click("main button[type=submit]")
    if code is not None:
        page.wait_for_url("**/signin/code")
        if at_code is not None:
            at_code(page)
        page.fill("#f-code", code() if callable(code) else code)
        page.click("main button[type=submit]")


_used_steps: dict[tuple[str, str], int] = {}


def staff_sign_in(page, base: str, name: str = "secretariat1", at_code=None) -> None:  # type: ignore[no-untyped-def]
    """Sign a demo staff account in with the published TOTP secret.

    The server accepts each 30-second code once per account (no replay) within one step either
    side of its clock, and the tests share servers. So the code is made only once the code page
    is shown, from the current step or the next one not yet used on that server (both stay valid
    for at least 30 seconds, however slowly a loaded machine answers), waiting for the next
    window when both are used.
    """
    from council.auth import totp
    from council.demo import DEMO_PASSPHRASE, DEMO_TOTP_SECRET

    def code() -> str:
        step = unused_step(_used_steps.get((base, name)), margin=30)
        _used_steps[(base, name)] = step
        return totp.code_at(DEMO_TOTP_SECRET, step * 30)

    sign_in(page, base, name, DEMO_PASSPHRASE, code=code, at_code=at_code)
    page.wait_for_url(lambda url: "/signin" not in url)


# --- Keyboard-only walks ----------------------------------------------------------------------

# What has focus, for the message when a walk goes wrong.
_DESCRIBE_FOCUS = """() => { const e = document.activeElement;
  return e ? `<${e.tagName.toLowerCase()} id=${e.id} class=${e.className}> ` +
    (e.innerText || e.value || '').trim().slice(0, 60) : 'nothing'; }"""

# The name a person hears for the focused control: its text, or its label's.
_FOCUS_NAME = """() => { const e = document.activeElement;
  if (!e || e === document.body) return null;
  const text = e.labels && e.labels.length ? e.labels[0].innerText : (e.innerText || e.value || '');
  return text.replace(/\\s+/g, ' ').trim(); }"""


def focus_description(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.evaluate(_DESCRIBE_FOCUS))


def assert_focus_visible(page) -> None:  # type: ignore[no-untyped-def]
    """The focused element matches :focus-visible and draws something for it (an outline or a
    box shadow), so a sighted keyboard user can see where they are."""
    shown = page.evaluate(
        """() => { const e = document.activeElement;
          if (!e || e === document.body || !e.matches(':focus-visible')) return false;
          const s = getComputedStyle(e);
          return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
            || s.boxShadow !== 'none'; }"""
    )
    assert shown, f"no visible focus on {focus_description(page)}"


def has_focus(page, target) -> bool:  # type: ignore[no-untyped-def]
    """`target` is a Locator, "#id", or the exact name of a control (its text or label)."""
    if isinstance(target, str) and target.startswith("#"):
        return bool(page.evaluate("id => document.activeElement?.id === id", target[1:]))
    if isinstance(target, str):
        return bool(page.evaluate(_FOCUS_NAME) == target)
    return bool(target.evaluate("e => e === document.activeElement", timeout=5000))


def tab_to(page, target, *, limit: int = 60, key: str = "Tab") -> None:  # type: ignore[no-untyped-def]
    """Press Tab (or `key`) until `target` has focus, failing after `limit` presses; then check
    that the focus is visible. Only the keyboard moves."""
    if not isinstance(target, str):
        target = target.first
        target.wait_for(state="attached", timeout=5000)
    for _ in range(limit):
        page.keyboard.press(key)
        if has_focus(page, target):
            assert_focus_visible(page)
            return
    raise AssertionError(
        f"{limit} presses of {key} never reached {target!r}; focus is on {focus_description(page)}"
    )


def follow(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Click a link and wait for the page it leads to; a link in the menu opens the menu first,
    as a person on a phone has to (the menu sits behind a <details> disclosure)."""
    link = page.locator(selector).first
    if not link.is_visible() and link.evaluate("a => !!a.closest('details.menu')"):
        open_menu(page)
    with page.expect_navigation():
        link.click()


def press_and_load(page, key: str = "Enter") -> None:  # type: ignore[no-untyped-def]
    """Press a key that follows a link or sends a form, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)
