"""Every URL htmx drives answers an htmx request with a fragment, for every role.

The URLs are not listed by hand: they are read from the templates' `hx-get`/`hx-post` (and any
other `hx-<method>`) attributes, matched against the app's route table, and their ids filled in
from the demo data. A relative one (a pager's `hx-get="?page=2"`) is asked of every page that
renders the template it is in. Each is requested with `HX-Request: true` as the public, a
member, an official and the secretariat, and must answer

- never a server error, and
- never a whole page: no `<html>`, no site header or menu inside the swapped element,

whether the answer is the fragment itself, a refusal (403/404), or a redirect.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from jinja2 import nodes
from sqlmodel import select
from starlette.routing import Route
from starlette.testclient import TestClient

from council import demo
from council.models import (
    Comment,
    Consultation,
    DraftSection,
    DraftVersion,
    Engagement,
    Position,
    Question,
    Recommendation,
)
from council.routes import routes
from council.web import rendering
from tests.conftest import csrf_from, sign_in

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HX_ATTRIBUTE = re.compile(r'\bhx-(get|post|put|patch|delete)="([^"]*)"')
JINJA = re.compile(r"{{.*?}}|{%.*?%}")
HX = {"HX-Request": "true", "HX-Request-Type": "partial"}
ROLES = {"public": None, "member": "member2", "official": "official1", "secretary": "secretariat1"}
# Values of `{{ what }}` and the like that come from a macro's callers, not from the data.
WORDS = {"what": ["approve", "reject", "redact", "note"], "locale": ["uk"]}
WHOLE_PAGE = ("<html", "<header", 'class="site-nav"', "<!doctype")


def hx_attributes() -> list[tuple[str, str, str]]:
    """(template, method, url) for every hx-<method> attribute in templates/."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for method, url in HX_ATTRIBUTE.findall(path.read_text()):
            found.append((str(path.relative_to(TEMPLATES)), method.upper(), url))
    return found


ROUTES = [r for r in routes() if isinstance(r, Route)]


def route_for(url: str) -> Route | None:
    """The route an hx- URL written with Jinja expressions leads to: each `{{ ... }}` stands
    for one path parameter."""
    shape = JINJA.sub("\0", url.split("?")[0])
    for route in ROUTES:
        if re.sub(r"{[^}]+}", "\0", route.path) == shape:
            return route
    return None


def macro_callers(template: str) -> set[str]:
    """Templates that use a relative hx- URL of `template`: itself, or, for a file of macros,
    those that call one of its macros with an hx target (an argument named `target`)."""
    if not Path(template).name.startswith("_"):
        return {template}
    env = rendering.environment
    targets = {}  # macro name -> position of its `target` argument
    for macro in env.parse((TEMPLATES / template).read_text()).find_all(nodes.Macro):
        names = [arg.name for arg in macro.args]
        if "target" in names:
            targets[macro.name] = names.index("target")
    callers = set()
    for path in TEMPLATES.rglob("*.html"):
        if path == TEMPLATES / template:
            continue
        tree = env.parse(path.read_text())
        for call in tree.find_all(nodes.Call):
            if not isinstance(call.node, nodes.Name) or call.node.name not in targets:
                continue
            given = len(call.args) > targets[call.node.name] or any(
                kw.key == "target" for kw in call.kwargs
            )
            if given:
                callers.add(str(path.relative_to(TEMPLATES)))
    return callers


def test_the_templates_have_hx_urls_and_each_leads_somewhere():
    attributes = hx_attributes()
    assert len(attributes) >= 5
    for template, _method, url in attributes:
        if url.startswith("?"):
            assert macro_callers(template), (template, url)
        else:
            assert route_for(url) is not None, f"{template}: {url} matches no route"


# --- the data ----------------------------------------------------------------------------------


def path_values(db) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Candidate values for every path parameter, from the demo data (a few of each)."""
    with db.read() as session:

        def ids(column, limit: int = 6) -> list[str]:  # type: ignore[no-untyped-def]
            return [str(v) for v in session.execute(select(column).limit(limit)).scalars()]

        sections = ids(DraftSection.id, 2)
        questions = ids(Question.id, 3)
        values = {
            "consultation_id": ids(Consultation.id),
            "comment_id": ids(Comment.id, 40),
            "engagement_id": ids(Engagement.id, 3),
            "position_id": ids(Position.id, 3),
            "recommendation_id": ids(Recommendation.id, 2),
            "draft_id": ids(DraftVersion.draft_id, 2),
            "number": ["1"],
            "target": ["draft"]
            + [f"section-{s}" for s in sections]
            + [f"question-{q}" for q in questions],
        }
    return values | WORDS


def resolve(route: Route, values: dict[str, list[str]]) -> list[str]:
    names = re.findall(r"{(\w+)(?::\w+)?}", route.path)
    for name in names:
        assert values.get(name), f"no value for {{{name}}} in {route.path}: add it to path_values"
    urls = []
    for combination in itertools.product(*(values[name] for name in names)):
        path = route.path
        for name, value in zip(names, combination, strict=True):
            path = re.sub(r"{" + name + r"(?::\w+)?}", value, path, count=1)
        urls.append(path)
    return urls


@pytest.fixture
def demo_app(app, db, settings):  # type: ignore[no-untyped-def]
    demo.load(db, settings)
    return app


@pytest.fixture
def clients(demo_app, db) -> Iterator[dict]:  # type: ignore[no-untyped-def]
    made = {}
    for role, name in ROLES.items():
        # A server error is an answer to look at here, not an exception in the test.
        client = TestClient(
            demo_app,
            base_url="https://testserver",
            follow_redirects=False,
            raise_server_exceptions=False,
        )
        client.__enter__()
        if name is not None:
            response = sign_in(client, name, demo.DEMO_PASSPHRASE, db=db)
            assert response.status_code == 303, response.text
        made[role] = client
    yield made
    for client in made.values():
        client.__exit__(None, None, None)


def fragment_problem(response) -> str | None:  # type: ignore[no-untyped-def]
    """What is wrong with an answer to an htmx request, or None."""
    if response.status_code >= 500:
        return f"{response.status_code}: {response.text[:300]}"
    if response.is_redirect:
        # fetch would follow it and swap the whole page it leads to into the element: htmx
        # must be told (HX-Redirect) to go there itself instead.
        return f"redirect to {response.headers['location']}"
    body = response.text.lower()
    for sign in WHOLE_PAGE:
        if sign in body:
            return f"a whole page ({sign!r})"
    return None


def rendered_templates(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The names of the templates rendered from now on, appended as each is loaded."""
    seen: list[str] = []
    original = rendering.environment.get_template

    def recording(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(str(getattr(name, "name", name)))
        return original(name, *args, **kwargs)

    monkeypatch.setattr(rendering.environment, "get_template", recording)
    return seen


def test_every_htmx_url_answers_a_fragment_for_every_role(clients, db, monkeypatch):
    values = path_values(db)
    seen = rendered_templates(monkeypatch)
    requests: list[tuple[str, str]] = []  # (method, url) to ask with HX-Request
    hosts: set[str] = set()
    for template, method, url in hx_attributes():
        if url.startswith("?"):
            hosts |= macro_callers(template)
            continue
        route = route_for(url)
        assert route is not None and route.methods
        # A form's hx-post is asked as a browser would send it; a GET page is asked too when
        # the route has one (the form page the hx-post comes from).
        for path in resolve(route, values):
            if "GET" in route.methods:
                requests.append(("GET", path))
            if method != "GET":
                requests.append((method, path))

    # Relative hx URLs (pagers) ask the page they are on: find the pages rendering their
    # templates by opening every GET page once as each role.
    staff = clients["secretary"]
    pages = [r for r in ROUTES if r.methods and "GET" in r.methods and "{" not in r.path]
    pages += [r for r in ROUTES if r.methods and "GET" in r.methods and "{" in r.path]
    for route in pages:
        if route.path.endswith((".csv", ".json", ".atom", ".svg")) or "token" in route.path:
            continue
        if not all(name in values for name in re.findall(r"{(\w+)", route.path)):
            continue
        for path in resolve(route, values)[:8]:
            for client in (staff, clients["member"], clients["official"]):
                seen.clear()
                page = client.get(path)
                if page.status_code == 200 and hosts & set(seen):
                    requests.append(("GET", path))
                    for _m, link in HX_ATTRIBUTE.findall(page.text):
                        if link.startswith("?"):
                            requests.append(("GET", urljoin(path, link.replace("&amp;", "&"))))
    asked_hosts = {url for method, url in requests if method == "GET"}
    assert hosts and asked_hosts, "no page renders the templates with relative hx URLs"

    tokens = {
        role: csrf_from(client.get("/account" if role != "public" else "/signin").text)
        for role, client in clients.items()
    }
    problems = []
    for method, url in dict.fromkeys(requests):
        for role, client in clients.items():
            headers = HX | {"X-CSRF-Token": tokens[role]}
            if method == "GET":
                response = client.get(url, headers=headers)
            else:
                data = {"csrf_token": tokens[role], "reason": "x", "note": "x", "passage": "x"}
                response = client.request(method, url, headers=headers, data=data)
            problem = fragment_problem(response)
            if problem:
                problems.append(f"{role} {method} {url}: {problem}")
    assert not problems, "\n".join(problems)
