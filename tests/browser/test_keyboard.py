"""Each journey by keyboard alone, on a phone with JavaScript on: a member comments anonymously,
edits and withdraws the comment; endorses a position; records a contribution; the secretariat
approves and rejects with a reason; an official publishes an answer to a recommendation.

After signing in (the shared helpers), only Tab, Shift+Tab, Enter, Space and the arrow keys move
and act, and text is typed; every control reached must show its focus. Where htmx replaces the
part of the page that had focus, focus must land on the message saying what happened, not fall
back to the top of the page.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from council.demo import DEMO_PASSPHRASE
from tests.browser.conftest import (
    PHONE,
    assert_focus_visible,
    focus_description,
    has_focus,
    press_and_load,
    sign_in,
    staff_sign_in,
    tab_to,
)
from tests.browser.test_consultation_flow import WARNED, marker
from tests.servers import running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo server of this module's own: the walks change the draft position's votes and the
    moderation queue, and staff sign-in codes are single-use per 30-second step."""
    with running_server(tmp_path_factory.mktemp("keyboard-live")) as base:
        yield base


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def skip_to_content(page) -> None:  # type: ignore[no-untyped-def]
    """The first Tab on a page reaches the skip link, which shows itself and moves to <main>."""
    page.keyboard.press("Tab")
    assert has_focus(page, page.locator(".skip-link")), focus_description(page)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert has_focus(page, "#main")


def assert_focus_on(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    assert has_focus(page, page.locator(selector)), focus_description(page)
    assert_focus_visible(page)


def test_member_comments_edits_and_withdraws_by_keyboard(page, server):
    text = f"Typed with the keyboard only {marker()}"
    sign_in(page, server, "member3", DEMO_PASSPHRASE)
    page.wait_for_url("**/home")
    skip_to_content(page)
    tab_to(page, "Consultations")
    press_and_load(page)
    tab_to(page, page.locator("main .cards a"))
    press_and_load(page)
    tab_to(page, WARNED)
    press_and_load(page)

    # The content warning: its summary opens with Enter, and the text is then reachable.
    tab_to(page, page.locator("details.cw:not(.cw-comments) summary"))
    page.keyboard.press("Enter")
    assert page.locator("details.cw:not(.cw-comments) .prose").is_visible()
    tab_to(page, "#f-body")
    page.keyboard.type(text)
    tab_to(page, "#vis-anon")  # anonymous is chosen already
    assert page.is_checked("#vis-anon")
    tab_to(page, "Send comment")
    page.keyboard.press("Enter")
    page.wait_for_selector("#comments .flash-success")
    # htmx replaced the form that had focus: focus is on the message, not lost.
    assert_focus_on(page, "#comments .flash-success")
    assert text in page.inner_text("#comments .comment.own")

    # Edit: the link in the comment, then the form on its own page.
    own = page.locator("#comments .comment.own", has_text=text)
    tab_to(page, own.locator("a:has-text('Edit')"))
    press_and_load(page)
    tab_to(page, "#f-body")
    page.keyboard.type("Changed: ")
    tab_to(page, "Save")
    press_and_load(page)
    assert "Your comment is changed" in page.inner_text(".flashes")
    own = page.locator("#comments .comment.own", has_text="Changed: ")
    assert text in own.inner_text()

    # Withdraw: htmx swaps the comments; focus goes to what happened.
    tab_to(page, own.locator("button:has-text('Withdraw')"))
    page.keyboard.press("Enter")
    page.wait_for_selector("#comments .flash-success")
    assert "withdrawn" in page.inner_text("#comments .flash-success")
    assert_focus_on(page, "#comments .flash-success")
    assert text not in page.inner_text("#comments")
    # And the walk goes on from there: the next Tab reaches the form below, not the page's top.
    tab_to(page, "#f-body", limit=10)


def test_member_endorses_a_position_by_keyboard(page, server):
    sign_in(page, server, "member2", DEMO_PASSPHRASE)
    page.wait_for_url("**/home")
    # The menu is a disclosure: Enter on its summary opens it, then its links are reachable.
    tab_to(page, page.locator("summary.menu-toggle"))
    page.keyboard.press("Enter")
    tab_to(page, "Positions")
    press_and_load(page)
    tab_to(page, page.locator("main a", has_text="The national referral mechanism: support first"))
    press_and_load(page)
    # Tab enters the radio group on its first choice; Space chooses it.
    tab_to(page, "#v-endorse", limit=100)
    page.keyboard.press("Space")
    assert page.is_checked("#v-endorse")
    tab_to(page, "Record my choice")
    press_and_load(page)
    assert "You chose: endorse" in page.inner_text("main")


def test_member_records_a_contribution_by_keyboard(page, server):
    label = f"Keyboard contribution {marker()}"
    sign_in(page, server, "member5", DEMO_PASSPHRASE)
    page.wait_for_url("**/home")
    skip_to_content(page)
    tab_to(page, "Record my contribution")
    press_and_load(page)
    tab_to(page, "#f-label")
    page.keyboard.type(label)
    tab_to(page, "#f-quantity")  # the date is today already
    page.keyboard.type("2")
    tab_to(page, "Record")
    press_and_load(page)
    assert "/engagements" in page.url
    assert "Done, waiting for approval" in page.locator("li", has_text=label).inner_text()


def test_secretariat_approves_and_rejects_by_keyboard(page, server):
    staff_sign_in(page, server, "secretariat1")
    skip_to_content(page)
    tab_to(page, "Comments waiting for moderation")
    press_and_load(page)
    cards = page.locator("article.moderation")
    assert cards.count() >= 2, "the demo queue has comments waiting"
    first = cards.nth(0).get_attribute("id")
    second = cards.nth(1).get_attribute("id")

    tab_to(page, page.locator(f"#{first} button:has-text('Approve')"))
    page.keyboard.press("Enter")
    page.locator(f"#{first}").wait_for(state="detached")
    assert "Approved." in page.inner_text("#queue .flash-success")
    assert_focus_on(page, "#queue .flash-success")

    # Reject with a reason: the <details> opens with Enter, its form is next in the Tab order.
    tab_to(page, page.locator(f"#{second} summary:has-text('Reject with a reason')"), limit=10)
    page.keyboard.press("Enter")
    tab_to(page, f"#reason-{second.removeprefix('m-')}", limit=3)
    page.keyboard.type("It names a place that could identify someone.")
    tab_to(page, "Reject", limit=3)
    page.keyboard.press("Enter")
    page.locator(f"#{second}").wait_for(state="detached")
    assert page.locator("#queue .flash-success").count() == 1
    assert_focus_on(page, "#queue .flash-success")


def test_official_publishes_an_answer_by_keyboard(page, server):
    answer = f"Answered by keyboard {marker()}"
    staff_sign_in(page, server, "official1")
    tab_to(page, page.locator("summary.menu-toggle"))
    page.keyboard.press("Enter")
    tab_to(page, "Positions")
    press_and_load(page)
    tab_to(page, page.locator("main a", has_text="Safe housing for survivors outside the capital"))
    press_and_load(page)
    tab_to(page, "Update the answer to recommendation 1", limit=100)
    press_and_load(page)
    # Tab enters the group of answers; the arrow keys move the choice within it.
    tab_to(page, page.locator("input[name=status]"))
    for _ in range(6):
        if page.is_checked("#s-rejected"):
            break
        page.keyboard.press("ArrowDown")
    assert page.is_checked("#s-rejected")
    assert_focus_visible(page)
    tab_to(page, "#f-explanation")
    page.keyboard.type(answer)
    tab_to(page, "Publish the answer")
    press_and_load(page)
    assert answer in page.inner_text("#r-1")
