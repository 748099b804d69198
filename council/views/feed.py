"""The Atom feed of published positions and government responses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from starlette.requests import Request
from starlette.responses import Response

from council.i18n import gettext as _
from council.queries import annual_report as reports
from council.queries import positions as pq
from council.queries import translations as tq
from council.web import labels
from council.web.request import db, reader_locale, settings


class _TitleLanguage(BaseEntryExtension):
    """Marks an entry's <title> with xml:lang when it is not in the feed's language (feedgen
    sets xml:lang only on <feed>; Atom allows it on any element)."""

    lang: str | None = None

    def extend_atom(self, entry: Any) -> Any:
        # feedgen builds the entry without a namespace; the feed's default xmlns applies.
        title = entry.find("title")
        if self.lang and title is not None:
            title.set("{http://www.w3.org/XML/1998/namespace}lang", self.lang)
        return entry


def feed(request: Request) -> Response:
    """Atom 1.0 of published positions and government responses, made with feedgen (a
    maintained library that writes valid Atom, so we never hand-build XML).

    The feed is in the request's language, chosen like every page's (the switcher's cookie,
    else Accept-Language, else English): its summaries already were, and a position's title is
    its translation where a current one exists, else the original marked with its xml:lang. A
    feed reader that sends neither gets English; the response varies on both."""
    base = settings(request).base_url.rstrip("/")
    locale = reader_locale(request)
    with db(request).read() as session:
        positions, responses = pq.feed_entries(session)
        published_reports = reports.published_reports(session)
        titles = tq.position_titles(
            session,
            [r.position.require_id for r in positions]
            + [position.require_id for _r, _rec, position, _m in responses],
            locale,
        )
    generator = FeedGenerator()
    generator.id(f"{base}/feed.atom")
    generator.title(settings(request).council_name)
    generator.author({"name": settings(request).council_name})
    generator.link(href=f"{base}/positions", rel="alternate")
    generator.link(href=f"{base}/feed.atom", rel="self")
    generator.language(locale)
    stamps: list[datetime] = []
    for row in reversed(positions):
        position = row.position
        when = position.withdrawn_at or position.published_at or position.created_at
        stamps.append(when)
        entry = generator.add_entry()
        entry.id(f"{base}/positions/{position.id}")
        title = titles[position.require_id]
        entry.title(title.text)
        if title.lang != locale:
            entry.register_extension("title_language", _TitleLanguage, rss=False)
            entry.title_language.lang = title.lang
        entry.link(href=f"{base}/positions/{position.id}", rel="alternate")
        entry.published(position.published_at or position.created_at)
        entry.updated(when)
        entry.summary(
            _("Withdrawn: %(reason)s", reason=position.withdrawn_reason or "")
            if position.status == "withdrawn"
            else _(
                "A council position to the %(ministry)s with %(n)s recommendations.",
                ministry=row.ministry,
                n=row.recommendations,
            )
        )
    for response, recommendation, position, ministry in reversed(responses):
        stamps.append(response.responded_at)
        entry = generator.add_entry()
        entry.id(f"{base}/positions/{position.id}/responses/{response.id}")
        entry.title(
            _(
                "%(ministry)s answered recommendation %(number)s of “%(title)s”",
                ministry=ministry,
                number=recommendation.number,
                title=titles[position.require_id].text,
            )
        )
        entry.link(
            href=f"{base}/positions/{position.id}#r-{recommendation.number}", rel="alternate"
        )
        entry.published(response.responded_at)
        entry.updated(response.responded_at)
        entry.summary(f"{labels.response_name(response.status)}: {response.explanation[:500]}")
    for report in reversed(published_reports):
        when = report.published_at or report.updated_at
        stamps.append(when)
        entry = generator.add_entry()
        entry.id(f"{base}/reports/{report.year}")
        entry.title(_("Annual report %(year)s", year=report.year))
        entry.link(href=f"{base}/reports/{report.year}", rel="alternate")
        entry.published(when)
        entry.updated(when)
        entry.summary(
            _(
                "The council's year: its consultations, positions and recommendations, "
                "and the government's answers."
            )
        )
    generator.updated(max(stamps) if stamps else datetime(2026, 1, 1, tzinfo=UTC))
    body = generator.atom_str(pretty=True)
    return Response(
        body,
        media_type="application/atom+xml; charset=utf-8",
        headers={"Vary": "Accept-Language, Cookie"},
    )
