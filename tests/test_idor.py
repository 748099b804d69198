"""IDOR sweep, generated from the route table: every route with an object id in its path must
say how to make such an object for an owner, and then every other role asks for it and is refused.

A new route with `{...}` in its path fails `test_every_route_with_an_id_is_in_the_sweep` until it
is added to OBJECT_ROUTES below. To add one (a consultation, a comment, an engagement...):

    "/consultations/{consultation_id:int}": ObjectRoute(
        owners=("official",),                      # whose objects to make
        make=lambda w, owner: {"consultation_id": str(make_consultation(w, owner))},
        may=lambda viewer, owner: viewer == "secretariat" or same_ministry(viewer, owner),
        unchanged=lambda w, params: ...,           # optional: assert the object is untouched
    ),

Roles are the `people` fixture's: member, member2 (another member), chair, official,
official_other (another ministry), secretariat, secretariat2, and "visitor" (not signed in).
Each refused request carries a valid CSRF token of the asker's own session, so the refusal
comes from authorisation, not from the CSRF wall.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.routing import Route

from council.actions import accounts
from council.db import Database
from council.models import Invite, Role, User
from council.routes import routes
from council.settings import Settings
from tests.conftest import csrf_from, make_settings, make_user, new_client, sign_in

VIEWERS = [
    "visitor",
    "member",
    "member2",
    "chair",
    "official",
    "official_other",
    "secretariat",
    "secretariat2",
]


@dataclass
class World:
    db: Database
    settings: Settings
    people: dict[str, User]
    made: dict[str, Any] = field(default_factory=dict)


@dataclass
class ObjectRoute:
    owners: tuple[str, ...]
    make: Callable[[World, str], dict[str, str]]
    may: Callable[[str, str], bool]
    unchanged: Callable[[World, dict[str, str]], None] | None = None
    # A bearer link (an invite): holding the token is the permission; the sweep checks instead
    # that tokens nobody was given are refused for everyone.
    bearer: bool = False


def _invite(world: World, owner: str) -> dict[str, str]:
    with world.db.write() as session:
        invite, token = accounts.create_invite(session, world.people[owner], world.settings)
    return {"token": token, "invite_id": str(invite.id)}


def _invite_unrevoked(world: World, params: dict[str, str]) -> None:
    with world.db.read() as session:
        invite = session.get(Invite, int(params["invite_id"]))
        assert invite is not None and invite.revoked_at is None and invite.used_at is None


def _account(world: World, owner: str) -> dict[str, str]:
    return {"user_id": str(world.people[owner].id)}


def _account_unchanged(world: World, params: dict[str, str]) -> None:
    with world.db.read() as session:
        user = session.get(User, int(params["user_id"]))
        assert user is not None and user.oidc_sub is None


def _secretariat_team(viewer: str, owner: str) -> bool:
    return viewer.startswith("secretariat")


OBJECT_ROUTES: dict[str, ObjectRoute] = {
    "/join/{token}": ObjectRoute(
        owners=("secretariat",), make=_invite, may=lambda v, o: True, bearer=True
    ),
    "/secretariat/invites/{invite_id:int}/revoke": ObjectRoute(
        owners=("secretariat",),
        make=_invite,
        may=_secretariat_team,
        unchanged=_invite_unrevoked,
    ),
    "/secretariat/people/{user_id:int}/oidc": ObjectRoute(
        owners=("member", "chair", "official", "secretariat"),
        make=_account,
        may=_secretariat_team,
        unchanged=_account_unchanged,
    ),
}


def routes_with_ids() -> dict[str, Route]:
    found = {}
    for route in routes():
        if isinstance(route, Route) and "{" in route.path:
            found[route.path] = route
    return found


def test_every_route_with_an_id_is_in_the_sweep():
    assert set(routes_with_ids()) == set(OBJECT_ROUTES), (
        "add the new route to OBJECT_ROUTES in tests/test_idor.py"
    )


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Ministry sign-in on, so that a missed permission check would really change a link.
    return make_settings(
        database_url,
        oidc_issuer="https://idp.example",
        oidc_client_id="council",
        oidc_client_secret="not-used-here",
    )


@pytest.fixture
def world(db, settings, people) -> World:  # type: ignore[no-untyped-def]
    people = dict(people)
    people["secretariat2"] = make_user(db, settings, "secretary-two", Role.SECRETARIAT)
    return World(db=db, settings=settings, people=people)


@pytest.fixture
def clients(app, world):  # type: ignore[no-untyped-def]
    made = {}
    for viewer in VIEWERS:
        c = new_client(app)
        c.__enter__()
        if viewer != "visitor":
            assert sign_in(c, world.people[viewer].name, db=world.db).status_code == 303
        made[viewer] = c
    yield made
    for c in made.values():
        c.__exit__(None, None, None)


def fill(path: str, params: dict[str, str]) -> str:
    for name, value in params.items():
        path = path.replace(f"{{{name}:int}}", value).replace(f"{{{name}}}", value)
    assert "{" not in path, path
    return path


def ask(client, method: str, url: str):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    page = client.get("/account")
    if page.status_code != 200:
        page = client.get("/signin")
    token = csrf_from(page.text)
    return client.post(url, data={"csrf_token": token, "sub": "attacker-sub", "note": "x"})


def refused(viewer: str, method: str, response) -> bool:  # type: ignore[no-untyped-def]
    if response.status_code in (403, 404):
        return True
    # Someone not signed in who opens a page is sent to sign in first.
    return (
        viewer == "visitor"
        and method == "GET"
        and response.status_code == 303
        and response.headers["location"].startswith("/signin")
    )


@pytest.mark.parametrize("path", sorted(OBJECT_ROUTES))
def test_each_role_is_refused_other_roles_objects(path, world, clients):
    spec = OBJECT_ROUTES[path]
    route = routes_with_ids()[path]
    methods = sorted((route.methods or set()) - {"HEAD"})
    tried = 0
    for owner in spec.owners:
        params = spec.make(world, owner)
        if spec.bearer:
            # Nobody gets in with a token they were not given.
            forged = {k: secrets.token_urlsafe(24) for k in params}
            for viewer in VIEWERS:
                for method in methods:
                    response = ask(clients[viewer], method, fill(path, forged))
                    assert response.status_code == 404, (viewer, method, path)
                    tried += 1
            continue
        for viewer in VIEWERS:
            if spec.may(viewer, owner):
                continue
            for method in methods:
                response = ask(clients[viewer], method, fill(path, params))
                assert refused(viewer, method, response), (viewer, owner, method, path)
                tried += 1
        if spec.unchanged:
            spec.unchanged(world, params)
    assert tried > 0
