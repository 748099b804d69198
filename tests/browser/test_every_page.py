"""Every page, for every role, in every language, on a phone: axe, the 360px fit and the weight.

Each role (the public, a member, an official, the secretariat) signs in once per language, in its
own browser context at 360x740 with the language chosen from the switcher, and crawls breadth-first
from its home page, following same-origin links and visiting one page per route pattern (ids are
collapsed by matching the app's own route table). Every page visited, in all three languages:

- axe-core reports no WCAG 2.x A/AA violation;
- the page fits 360px without scrolling sideways, and says its language in <html lang>;
- its first load (the browser cache is disabled, so every page fetches its CSS and JS as a first
  visit would) transfers at most 50 KB (gzip, headers included) in at most 20 requests.

Pages no link leads to are reached the way a person reaches them: the sign-in code page while a
staff member signs in, the invite page from a link the secretariat makes on the invites page, the
recovery codes after asking for new ones, and the sign-in code set-up as a new staff member.

`test_every_page_is_visited` compares the routes visited with the route table: a new GET page
fails it until a link leads to it (or it is listed in NOT_PAGES with the reason).

The table of pages is written to tests/artifacts/pages.md (and printed; see it with `-s`).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from starlette.routing import Route

from council.demo import DEMO_PASSPHRASE
from council.routes import routes
from tests.browser.conftest import (
    ARTIFACTS,
    PAGE_BUDGET_BYTES,
    PAGE_BUDGET_REQUESTS,
    PHONE,
    axe_results,
    overflow,
    page_weight,
    sign_in,
    staff_sign_in,
    start_axe,
)
from tests.servers import running_server, server_env

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "uk", "ru")
ROLES = {
    # role: (pseudonym or None for the public, staff with a sign-in code, where the crawl starts)
    "public": (None, False, "/"),
    "member": ("member2", False, "/home"),
    "official": ("official1", True, "/home"),
    "secretariat": ("secretariat1", True, "/home"),
}
INSTANCES = 4  # objects of one route opened to look for links (only the first is checked)
NEW_STAFF = "secretariat-new"
NEW_STAFF_PASSPHRASE = "granite willow evening bell"

# GET routes that are not pages anyone reads in the browser, and why they are not crawled.
NOT_PAGES = {
    "/language": "the language switcher: sets the cookie and redirects (used to pick the language)",
    "/healthz": "plain text for health checks (and the quick-exit target on the test server)",
    "/feed.atom": "an Atom feed for feed readers, not HTML",
    "/signin/oidc": "redirects to the ministry's sign-in provider (tests/browser/test_oidc_browser)",
    "/signin/oidc/callback": "where the ministry's provider sends the browser back; no page",
    "/account/totp/qr.svg": "an image inside the sign-in code set-up page (whose alt text axe checks)",
    "/account/my-data.json": "a download (JSON)",
    "/account/my-data.html": "a download (a page to keep; tests/views/test_my_data reads it)",
    "/consultations/{consultation_id:id}/results.csv": "a download (CSV)",
    "/secretariat/ledger.csv": "a download (CSV)",
    "/meetings/{meeting_id:id}/meeting.ics": "a download (iCalendar)",
    "/reports/{year:id}/pdf": "a download (PDF; tests/views/test_annual_report reads it back)",
}


def get_routes() -> list[Route]:
    return [r for r in routes() if isinstance(r, Route) and r.methods and "GET" in r.methods]


GET_ROUTES = get_routes()


def pattern_of(path: str) -> str | None:
    """The route pattern a path matches, in the table's order (as Starlette matches them)."""
    for route in GET_ROUTES:
        if route.path_regex.match(path):
            return route.path
    return None


@dataclass
class Visit:
    role: str
    language: str
    pattern: str
    url: str
    status: int
    size: int
    requests: int
    overflow: int
    html_lang: str
    violations: list[tuple[str, list[object]]]

    def problems(self) -> list[str]:
        where = f"{self.role}/{self.language} {self.url}"
        found = []
        if self.status != 200:
            found.append(f"{where}: status {self.status}")
        if self.violations:
            found.append(f"{where}: axe {self.violations}")
        if self.overflow > 0:
            found.append(f"{where}: scrolls sideways by {self.overflow}px at 360px")
        if self.html_lang != self.language:
            found.append(f"{where}: <html lang={self.html_lang!r}>")
        if self.size > PAGE_BUDGET_BYTES:
            found.append(f"{where}: {self.size} bytes transferred")
        if self.requests > PAGE_BUDGET_REQUESTS:
            found.append(f"{where}: {self.requests} requests")
        return found


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def patterns(self, role: str | None = None, language: str | None = None) -> set[str]:
        return {
            v.pattern
            for v in self.visits
            if (role is None or v.role == role) and (language is None or v.language == language)
        }


# Screenshots for the note: (role, language, route pattern) -> file name.
SCREENSHOTS = {
    ("member", "uk", "/consultations/{consultation_id:id}"): "member-consultation-uk-360",
    ("secretariat", "en", "/moderation"): "secretariat-moderation-360",
    ("public", "en", "/scorecard"): "public-scorecard-360",
}


class LinkFinder(HTMLParser):
    """Links a person can follow from a page: <a href>, and GET forms sent as they stand."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.form: tuple[str, list[tuple[str, str]]] | None = None
        self.select: str | None = None
        self.first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and a.get("method", "get").lower() == "get":
            self.form = (a.get("action", ""), [])
        elif self.form is None or (not a.get("name") and tag != "option"):
            return
        elif tag == "input" and a.get("type", "text") not in ("submit", "button", "image"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.form[1].append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select, self.first_option = a["name"], None
        elif tag == "option" and self.select is not None:
            if self.first_option is None:
                self.first_option = a.get("value", "")
            if "selected" in a:
                self.form[1].append((self.select, a.get("value", "")))
                self.select = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.form is not None and self.select is not None:
            self.form[1].append((self.select, self.first_option or ""))
            self.select = None
        elif tag == "form" and self.form is not None:
            action, fields = self.form
            self.links.append(action + ("?" + urlencode(fields) if fields else ""))
            self.form = None


def links_in(html: str, page_url: str) -> list[str]:
    finder = LinkFinder()
    finder.feed(html)
    return [urljoin(page_url, link).partition("#")[0] for link in finder.links]


class Checker:
    """One role in one language, in its own phone-sized browser context."""

    def __init__(self, crawl: Crawl, page, base: str, role: str, language: str) -> None:  # type: ignore[no-untyped-def]
        self.crawl, self.page, self.base = crawl, page, base
        self.role, self.language = role, language
        self.seen: set[str] = set()
        self.pending: Visit | None = None
        # Every load is a first load: nothing comes from the browser cache.
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def problem(self, text: str) -> None:
        self.crawl.problems.append(f"{self.role}/{self.language} {text}")

    def discover(self, start: str) -> list[str]:
        """Breadth-first over same-origin links, with this context's cookies (fetched, not
        rendered: that is quick). Up to INSTANCES objects of each route are opened to find
        links that only some objects have (an edit link on a draft, an answer form on a
        published position); the first URL found for each route is the one checked."""
        first: dict[str, str] = {}
        opened: dict[str, set[str]] = {}
        queue = deque([self.base + start])
        queued = {self.base + start}
        while queue:
            url = queue.popleft()
            response = self.page.context.request.get(url)
            final = urlsplit(response.url)
            pattern = pattern_of(final.path)
            if response.status != 200 or pattern is None:
                self.problem(f"{url}: status {response.status}, landed on {response.url}")
                continue
            first.setdefault(pattern, response.url)
            paths = opened.setdefault(pattern, set())
            if final.path in paths or len(paths) >= INSTANCES:
                continue
            paths.add(final.path)
            for link in links_in(response.text(), response.url):
                parts = urlsplit(link)
                if f"{parts.scheme}://{parts.netloc}" != self.base:
                    continue
                if parts.path.startswith("/static/") or link in queued:
                    continue
                target = pattern_of(parts.path)
                if target is None:
                    self.problem(f"{response.url}: links to {link}, which no GET route serves")
                elif target not in NOT_PAGES and len(opened.get(target, ())) < INSTANCES:
                    queued.add(link)
                    queue.append(link)
        return list(first.values())

    def begin_check(self) -> bool:
        """Measure the page now in the browser and start axe in it; False if its route was
        checked already in this context."""
        page = self.page
        pattern = pattern_of(urlsplit(page.url).path)
        if pattern is None or pattern in self.seen:
            return False
        self.seen.add(pattern)
        shot = SCREENSHOTS.get((self.role, self.language, pattern))
        if shot:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{shot}.png"))
            page.screenshot(path=str(ARTIFACTS / f"{shot}-full.png"), full_page=True)
        size, requests = page_weight(page)
        status, html_lang = page.evaluate(
            """() => [performance.getEntriesByType('navigation')[0].responseStatus,
                      document.documentElement.lang]"""
        )
        url = page.url.removeprefix(self.base)
        self.pending = Visit(
            self.role,
            self.language,
            pattern,
            url,
            status,
            size,
            requests,
            overflow(page),
            html_lang,
            [],
        )
        start_axe(page)
        return True

    def finish_check(self) -> None:
        visit = self.pending
        assert visit is not None
        visit.violations = axe_results(self.page)
        self.crawl.visits.append(visit)
        self.crawl.problems.extend(visit.problems())
        self.pending = None

    def check_current(self) -> None:
        if self.begin_check():
            self.finish_check()

    def goto(self, url: str) -> None:
        self.page.goto(url, wait_until="load")
        self.check_current()


def check_side_by_side(checkers: list[Checker], urls: list[list[str]]) -> None:
    """Each checker's pages in turn, one page of each at a time: axe runs in all their
    renderers at once (separate processes), so both cores work."""
    queues = [deque(u) for u in urls]
    while any(queues):
        started = []
        for checker, queue in zip(checkers, queues, strict=True):
            if queue:
                checker.page.goto(queue.popleft(), wait_until="load")
                if checker.begin_check():
                    started.append(checker)
        for checker in started:
            checker.finish_check()


def new_phone(browser, base: str, language: str):  # type: ignore[no-untyped-def]
    """A phone in `language`, chosen with the switcher as a person would."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{base}/language?lang={language}&next=/help")
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("every-page")
    with running_server(folder) as base:
        # A secretary who has not set up sign-in codes yet, as `council create-user` makes one.
        env = server_env(f"sqlite:///{folder / 'council.db'}", int(base.rsplit(":", 1)[1]))
        env["COUNCIL_NEW_PASSPHRASE"] = NEW_STAFF_PASSPHRASE
        command = ["create-user", "--name", NEW_STAFF, "--role", "secretariat"]
        subprocess.run(
            [sys.executable, "-m", "council.cli", *command],
            env=env,
            check=True,
            capture_output=True,
        )
        yield base


def _start_new_version(page, base: str) -> None:  # type: ignore[no-untyped-def]
    """The official starts version 3 of the demo draft, so that a draft has an edit page."""
    page.goto(base + "/drafts")
    page.click("main a[href^='/drafts/']:not([href='/drafts/new'])")
    page.click("main form[action$='/new-version'] button[type=submit]")
    page.wait_for_load_state("load")


def _make_invite(page, base: str) -> str:  # type: ignore[no-untyped-def]
    """The secretariat makes an invite link on the invites page, for the public to open."""
    page.goto(base + "/secretariat/invites")
    page.fill("#f-note", "every-page crawl")
    page.click("main form[action='/secretariat/invites'] button[type=submit]")
    page.wait_for_load_state("load")
    return str(page.inner_text("code.link")).strip()


def _new_recovery_codes(checker: Checker) -> None:
    """A member asks for new recovery codes; they are shown once, on their own page."""
    page = checker.page
    page.goto(checker.base + "/account")
    page.click("main form[action='/account/recovery-codes'] button[type=submit]")
    page.wait_for_url("**/account/recovery-codes")
    checker.check_current()


@pytest.fixture(scope="module")
def crawl(browser, site: str) -> Crawl:  # type: ignore[no-untyped-def]
    """Role by role; a role's three languages side by side, each in its own context. All the
    checks (axe, fit, weight) run on every page in every language."""
    base = site
    result = Crawl()
    started = time.monotonic()
    invite_link = ""
    for role in ("secretariat", "official", "member", "public"):
        name, staff, start = ROLES[role]
        checkers = []
        for language in LANGUAGES:
            page = new_phone(browser, base, language)
            checker = Checker(result, page, base, role, language)
            checkers.append(checker)
            if staff:
                # The sign-in code page, in this language, on the way in.
                staff_sign_in(page, base, name, at_code=lambda _page, c=checker: c.check_current())
            elif name:
                sign_in(page, base, name, DEMO_PASSPHRASE)
                page.wait_for_url("**/home")
        if role == "official":
            _start_new_version(checkers[0].page, base)
        if role == "secretariat":
            invite_link = _make_invite(checkers[0].page, base)
        check_side_by_side(checkers, [c.discover(start) for c in checkers])
        for checker in checkers:
            if role == "member":
                _new_recovery_codes(checker)
            if role == "public":
                checker.goto(invite_link)
            checker.page.context.close()
    # Setting up sign-in codes: what a new staff member sees first.
    checkers = []
    for language in LANGUAGES:
        page = new_phone(browser, base, language)
        checkers.append(Checker(result, page, base, "secretariat (new)", language))
        sign_in(page, base, NEW_STAFF, NEW_STAFF_PASSPHRASE)
        page.wait_for_url("**/account/totp")
    check_side_by_side(checkers, [[c.page.url] for c in checkers])
    for checker in checkers:
        checker.page.context.close()
    result.seconds = time.monotonic() - started
    _write_table(result)
    return result


def _write_table(result: Crawl) -> None:
    rows: dict[tuple[str, str], dict[str, Visit]] = {}
    for visit in result.visits:
        rows.setdefault((visit.pattern, visit.role), {})[visit.language] = visit
    lines = [
        "| Route | Role | "
        + " | ".join(f"{lang} bytes / requests" for lang in LANGUAGES)
        + " | axe |",
        "|---|---|" + "---|" * len(LANGUAGES) + "---|",
    ]
    for (pattern, role), by_language in sorted(rows.items()):
        cells = []
        for language in LANGUAGES:
            v = by_language.get(language)
            cells.append(f"{v.size:,} / {v.requests}" if v else "—")
        axe = sum(len(v.violations) for v in by_language.values())
        verdict = "0 violations" if not axe else f"**{axe} violations**"
        lines.append(f"| `{pattern}` | {role} | " + " | ".join(cells) + f" | {verdict} |")
    sizes = [v.size for v in result.visits]
    lines += [
        "",
        f"{len(result.visits)} page loads ({len(rows)} pages by route and role) in "
        f"{result.seconds:.0f} s; largest {max(sizes):,} bytes; most requests "
        f"{max(v.requests for v in result.visits)}. Bytes are transferred with gzip, headers "
        "included, on a first load (browser cache off), at 360x740.",
    ]
    text = "\n".join(lines) + "\n"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "pages.md").write_text(text)
    print("\n" + text)


def test_every_page_passes_axe_fits_a_phone_and_keeps_to_the_budget(crawl: Crawl) -> None:
    assert not crawl.problems, "\n".join(crawl.problems)


def test_every_page_is_visited(crawl: Crawl) -> None:
    pages = {r.path for r in GET_ROUTES} - set(NOT_PAGES)
    missing = pages - crawl.patterns()
    assert not missing, (
        f"no role reached these pages; link to them or list them in NOT_PAGES: {missing}"
    )
    assert set(NOT_PAGES) <= {r.path for r in GET_ROUTES}, "NOT_PAGES names a route that is gone"


def test_every_language_reaches_the_same_pages(crawl: Crawl) -> None:
    for role in (*ROLES, "secretariat (new)"):
        english = crawl.patterns(role, "en")
        for language in LANGUAGES[1:]:
            assert crawl.patterns(role, language) == english, (role, language)
