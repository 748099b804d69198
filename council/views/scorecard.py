"""The public accountability scorecard: how each ministry answers the council."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from council.models import utcnow
from council.queries import scorecard
from council.web.rendering import render
from council.web.request import db


def scorecard_page(request: Request) -> Response:
    with db(request).read() as session:
        scores = scorecard.compute(session, utcnow())
    return render(request, "public/scorecard.html", {"scores": scores})
