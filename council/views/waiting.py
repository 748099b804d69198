"""The number of things waiting in the menu on every page (issue 15). The lists themselves are on
the home page (public.dashboard); both come from council/queries/waiting.py."""

from __future__ import annotations

from starlette.requests import Request

from council.models import utcnow
from council.queries import waiting
from council.web.request import current_user, db, session_state, settings


def count(request: Request) -> int:
    user = current_user(request)
    if user is None:
        return 0
    with db(request).read() as session:
        return waiting.count_for(
            session, user, settings(request), session_state(request).anonymity_key(), utcnow()
        )
