"""Bounded input: ids no column can hold, bodies too large or with too many fields, text longer
than its field takes. Each is refused with a clear answer, never a 500, and nothing typed is lost
where the page can keep it."""

from __future__ import annotations

import re
from urllib.parse import urlencode

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


# --- bodies too large, too many fields ---------------------------------------------------------

TOO_MUCH = "That was too much to send at once"
HX = {"HX-Request": "true", "HX-Request-Type": "partial"}


def _in_ukrainian(message: str) -> str:
    from council import i18n

    translated = i18n.translations("uk").gettext(message)
    assert translated != message, "not translated"
    return translated


def _member(app, db):  # type: ignore[no-untyped-def]
    client = new_client(app)
    client.__enter__()
    client.cookies.set("council_lang", "uk")
    assert sign_in(client, "amber", db=db).status_code == 303
    return client


def _many_fields(token: str) -> dict:
    fields = [("csrf_token", token)] + [(f"f{i}", "x") for i in range(3000)]
    return {
        "content": urlencode(fields),
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
    }


def test_too_many_fields_is_a_clear_413_in_the_readers_language(database_url, people, db):
    app = create_app(make_settings(database_url))
    client = _member(app, db)
    try:
        response = client.post("/account/passphrase", **_many_fields(_csrf(client)))
        assert response.status_code == 413
        assert '<html lang="uk">' in response.text
        assert _in_ukrainian(TOO_MUCH) in response.text
        # Signed in still: the page is the site's own, with the reader's menu.
        assert "/account" in response.text
    finally:
        client.__exit__(None, None, None)


def test_with_htmx_the_refusal_goes_to_the_messages_and_the_form_stays(database_url, people, db):
    app = create_app(make_settings(database_url))
    client = _member(app, db)
    try:
        many = _many_fields(_csrf(client))
        response = client.post(
            "/account/passphrase", content=many["content"], headers={**many["headers"], **HX}
        )
        assert response.status_code == 413
        # htmx puts the message where the page's messages go and leaves the form, and what
        # was typed in it, as it is.
        assert response.headers["hx-retarget"] == ".flashes"
        assert response.headers["hx-reswap"] == "innerHTML"
        assert "<html" not in response.text
        assert _in_ukrainian(TOO_MUCH) in response.text
    finally:
        client.__exit__(None, None, None)


def test_a_body_too_large_is_a_413_in_the_readers_language(database_url, people, db):
    app = create_app(make_settings(database_url, max_request_bytes=20_000))
    client = _member(app, db)
    try:
        data = {"csrf_token": _csrf(client), "passphrase": "x" * 30_000}
        response = client.post("/account/passphrase", data=data)
        assert response.status_code == 413
        assert _in_ukrainian(TOO_MUCH) in response.text
        response = client.post("/account/passphrase", data=data, headers=HX)
        assert response.status_code == 413 and response.headers["hx-retarget"] == ".flashes"
    finally:
        client.__exit__(None, None, None)


# --- text longer than its field takes ----------------------------------------------------------


def test_an_over_long_comment_is_refused_and_comes_back_whole(signed_in, db, settings, people):
    from sqlalchemy import func, select

    from council.models import Comment
    from tests.conftest import csrf_from
    from tests.factories import prepared_consultation

    setup = prepared_consultation(db, settings, people)
    url = f"/consultations/{setup.consultation_id}/on/section-{setup.sections[0].id}"
    client = signed_in("member")
    typed = ("An hour of careful words. " * 300)[:7000] + "THE END"
    for headers in ({}, HX):
        page = client.get(url)
        data = {"body": typed, "visibility": "anonymous", "csrf_token": csrf_from(page.text)}
        response = client.post(url, data=data, headers=headers)
        assert response.status_code == 400
        assert "This text is too long" in response.text or "at most" in response.text
        assert typed in response.text  # whole, not cut
    with db.read() as session:
        assert session.execute(select(func.count()).select_from(Comment)).scalar_one() == 0


class _FakeRequest:
    def __init__(self, data: dict[str, str]) -> None:
        from starlette.datastructures import FormData

        self.scope = {"council.form": FormData(data)}


def _typed_forms() -> list[type]:
    import importlib
    import pkgutil

    import council.views
    from council.web.forms import Form

    for module in pkgutil.iter_modules(council.views.__path__):
        importlib.import_module(f"council.views.{module.name}")
    found, todo = [], list(Form.__subclasses__())
    while todo:
        model = todo.pop()
        found.append(model)
        todo.extend(model.__subclasses__())
    return found


def test_every_typed_text_field_keeps_an_over_long_text_whole_and_refuses_writes():
    import dataclasses
    from typing import get_args, get_type_hints

    from council.web.forms import Text, parse, too_long

    checked = 0
    for model in _typed_forms():
        hints = get_type_hints(model, include_extras=True)
        for item in dataclasses.fields(model):
            spec = get_args(hints[item.name])[1]
            if not isinstance(spec, Text):
                continue
            text = "y" * (spec.max_length + 5)
            request = _FakeRequest({item.name: text})
            values = parse(request, model)  # type: ignore[arg-type]
            assert getattr(values, item.name) == text, (model, item.name)
            refusal = too_long(request)  # type: ignore[arg-type]
            assert refusal is not None and refusal.field == item.name
            assert str(spec.max_length) in refusal.message
            checked += 1
    assert checked > 30


def test_a_write_no_page_expected_to_refuse_is_refused_with_the_text_kept(signed_in, db):
    """Deleting an account shows no refusal of its own past the passphrase: an over-long field
    still changes nothing, and the answer is a page with the reason and the text whole (never a
    500); with htmx, only the message."""
    from tests.conftest import PASSPHRASE

    client = signed_in("member")
    typed = "keep my words " * 1000
    for headers in ({}, HX):
        data = {"csrf_token": _csrf(client), "passphrase": PASSPHRASE, "withdraw_comments": typed}
        response = client.post("/account/delete", data=data, headers=headers)
        assert response.status_code == 400
        assert "This text is too long" in response.text
        if headers:
            assert response.headers["hx-retarget"] == ".flashes"
            assert "<html" not in response.text
        else:
            assert typed.strip() in response.text
    assert client.get("/account").status_code == 200  # still signed in: nothing was deleted
