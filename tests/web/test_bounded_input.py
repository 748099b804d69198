"""Bounded input: ids no column can hold, bodies too large or with too many fields, text longer
than its field takes. Each is refused with a clear answer, never a 500, and nothing typed is lost
where the page can keep it."""

from __future__ import annotations

import re

import httpx
from starlette.routing import Route

from council.app import create_app
from council.routes import routes
from tests.conftest import make_settings, new_client, sign_in
from tests.servers import start_server, stop_server

HUGE = "9" * 25
PARAM = re.compile(r"{([a-z_]+)(?::[a-z]+)?}")


def _id_routes() -> list[tuple[str, str]]:
    """(method, url) of every route that takes an id, every parameter a 25-digit number."""
    found = []
    for route in routes():
        if not isinstance(route, Route):
            continue
        names = PARAM.findall(route.path)
        if not any(name.endswith("_id") or name == "number" for name in names):
            continue
        url = PARAM.sub(HUGE, route.path)
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                found.append((method, url))
    return found


ID_ROUTES = _id_routes()


def test_the_route_table_has_id_routes():
    assert len(ID_ROUTES) > 40


def _csrf(client) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text)
    assert match
    return match.group(1)


def test_every_id_route_answers_404_for_an_id_no_column_holds(database_url, people, db):
    """Asked by someone who may use the page, it is a plain 404; by someone who may not, the
    refusal (403) that comes before any id is read. Never a 500."""
    app = create_app(make_settings(database_url))
    answers: dict[tuple[str, str], set[int]] = {route: set() for route in ID_ROUTES}
    for name in ("secretary", "amber"):
        with new_client(app) as client:
            client.raise_server_exceptions = False  # type: ignore[attr-defined]
            assert sign_in(client, name, db=db).status_code == 303
            token = _csrf(client)
            for method, url in ID_ROUTES:
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data={"csrf_token": token})
                answers[(method, url)].add(response.status_code)
    wrong = {route: seen for route, seen in answers.items() if 404 not in seen or seen - {403, 404}}
    assert wrong == {}


def test_a_huge_id_keeps_the_connection_of_a_real_server(database_url, people, tmp_path):
    """The server answers 404 on the same keep-alive connection (a 500 used to drop it)."""
    server = start_server(tmp_path, database_url)
    try:
        with httpx.Client(base_url=server.base) as client:
            for _method, url in [r for r in ID_ROUTES if r[0] == "GET"]:
                response = client.get(url)
                # 303: sign in first, for a page that needs it before it reads any id.
                assert response.status_code in (303, 404), url
                assert response.headers.get("connection") != "close", url
    finally:
        stop_server(server)
