"""The annual report's pages: the secretariat writes, previews and publishes (with a confirm
step); everyone else gets 403 on the secretariat's pages and 404 on an unpublished report; the
published report is on the home page and in the feed; its PDF holds Cyrillic in Ukrainian; a
page's statements do not grow with the year's size."""

from __future__ import annotations

import io
from datetime import date

import feedparser
import pytest
from pypdf import PdfReader
from sqlmodel import select

from council.actions import annual_report as report_actions
from council.actions import engagements as engagement_actions
from council.actions import rates as rate_actions
from council.models import AnnualReport, AuditEvent
from council.rules import money
from tests.conftest import csrf_from, make_user, new_client, post, statements_on_reload
from tests.factories import publish_with

YEAR = 2025
OTHERS = ("member", "chair", "official")


@pytest.fixture
def year(db, settings, people, ministry):
    """Two positions of 2025 and five members' paid work that year."""
    for when in ("2025-03-01 10:00", "2025-09-01 10:00"):
        publish_with(db, settings, people, ministry.id, when, 2)
    members = [people["member"], people["member2"], people["chair"]]
    members += [make_user(db, settings, name) for name in ("dune", "elm")]
    with db.write() as session:
        rate_actions.set_rate(
            session,
            people["secretariat"],
            kind="consultation",
            unit="hour",
            currency="EUR",
            amount_minor=2500,
        )
    for member in members:
        with db.write() as session:
            engagement_actions.record_contribution(
                session,
                member,
                consultation_id=None,
                label="Work",
                occurred_on=date(2025, 5, 1),
                quantity_milli=money.parse_quantity("2"),
            )


def write_and_publish(db, people, foreword="We **met** and advised.") -> None:
    with db.write() as session:
        report_actions.save_foreword(session, people["secretariat"], YEAR, foreword)
        report_actions.publish(session, people["secretariat"], YEAR)


def test_an_unpublished_report_is_404_for_all_but_the_secretariat(
    client, signed_in, db, people, year
):
    with db.write() as session:
        report_actions.save_foreword(session, people["secretariat"], YEAR, "Draft words.")
    for url in (f"/reports/{YEAR}", f"/reports/{YEAR}/print", f"/reports/{YEAR}/pdf"):
        assert client.get(url).status_code == 404, url
        for role in OTHERS:
            assert signed_in(role).get(url).status_code == 404, (role, url)
    secretary = signed_in("secretariat")
    page = secretary.get(f"/reports/{YEAR}")
    assert page.status_code == 200
    assert "Preview: only the secretariat sees this" in page.text
    assert "Draft words." in page.text
    assert client.get("/reports").text.count(f"/reports/{YEAR}") == 0


def test_the_secretariats_pages_refuse_everyone_else(client, signed_in, db, people, year):
    urls = ("/secretariat/reports", f"/secretariat/reports/{YEAR}")
    for role in OTHERS:
        c = signed_in(role)
        for url in urls:
            assert c.get(url).status_code == 403, (role, url)
        token = csrf_from(c.get("/account").text)
        assert (
            c.post(f"/secretariat/reports/{YEAR}/publish", data={"csrf_token": token}).status_code
            == 403
        )
        assert (
            c.post(
                "/secretariat/reports",
                data={"csrf_token": token, "year": str(YEAR), "foreword": "Mine."},
            ).status_code
            == 403
        )
    for url in urls:
        assert client.get(url).status_code in (303, 403)
    with db.read() as session:
        assert session.execute(select(AnnualReport)).first() is None


def test_the_secretariat_writes_previews_confirms_and_publishes(client, signed_in, db, year):
    secretary = signed_in("secretariat")
    assert secretary.get("/secretariat/reports").status_code == 200
    saved = post(
        secretary,
        "/secretariat/reports",
        {"year": str(YEAR), "foreword": "Our *first* year."},
        page="/secretariat/reports",
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"/secretariat/reports/{YEAR}"
    edit = secretary.get(f"/secretariat/reports/{YEAR}")
    assert "Our *first* year." in edit.text
    assert client.get(f"/reports/{YEAR}").status_code == 404
    confirm = secretary.get(f"/secretariat/reports/{YEAR}/publish")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    done = post(
        secretary, f"/secretariat/reports/{YEAR}/publish", {}, page=confirm.request.url.path
    )
    assert done.status_code == 303 and done.headers["location"] == f"/reports/{YEAR}"
    public = client.get(f"/reports/{YEAR}")
    assert public.status_code == 200
    assert "<em>first</em>" in public.text  # the foreword's Markdown, rendered
    assert "Preview" not in public.text
    assert 'data-figure="made">4<' in public.text
    assert 'data-figure="members">5<' in public.text
    assert "fewer than 5" not in public.text.split('data-figure="members"')[1][:20]
    with db.read() as session:
        actions = session.execute(select(AuditEvent.action)).scalars().all()
    assert "annual_report.save" in actions and "annual_report.publish" in actions
    # Published: the edit page no longer offers the form, and a second publish is refused.
    assert "<textarea" not in secretary.get(f"/secretariat/reports/{YEAR}").text
    again = post(secretary, f"/secretariat/reports/{YEAR}/publish", {})
    assert again.status_code == 400 and "already published" in again.text


def test_fewer_than_five_members_show_as_fewer_than_five(client, db, settings, people, ministry):
    publish_with(db, settings, people, ministry.id, "2025-03-01 10:00", 1)
    write_and_publish(db, people)
    html = client.get(f"/reports/{YEAR}").text
    members = html.split('data-figure="members">')[1].split("</dd>")[0]
    assert "fewer than 5" in members


def test_published_reports_are_linked_from_home_and_the_feed(client, db, people, year):
    assert f"/reports/{YEAR}" not in client.get("/").text
    write_and_publish(db, people)
    assert f'href="/reports/{YEAR}"' in client.get("/").text
    assert f'href="/reports/{YEAR}"' in client.get("/reports").text
    feed = feedparser.parse(client.get("/feed.atom").text)
    links = [entry.link for entry in feed.entries]
    assert f"https://testserver/reports/{YEAR}" in links


def test_print_view_has_the_councils_name_address_and_a_print_button(app, db, people, year):
    app.state.settings.council_address = "1 Example Street; Kyiv 01001"
    write_and_publish(db, people)
    with new_client(app) as c:
        html = c.get(f"/reports/{YEAR}/print").text
    assert app.state.settings.council_name in html
    assert "1 Example Street<br>Kyiv 01001" in html
    assert "data-print hidden>Print</button>" in html  # shown by council.js


def test_the_ukrainian_pdf_holds_cyrillic_and_a_neutral_name(client, db, people, year):
    write_and_publish(db, people, foreword="Рада **працювала** весь рік.")
    client.cookies.set("council_lang", "uk")
    response = client.get(f"/reports/{YEAR}/pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="report-{YEAR}.pdf"'
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Річний звіт 2025" in text
    assert "Рада працювала весь рік." in text
    assert "Позиції та рекомендації" in text


def test_statements_do_not_grow_with_the_year(app, signed_in, db, settings, people, ministry):
    secretary = signed_in("secretariat")
    publish_with(db, settings, people, ministry.id, "2025-02-01 10:00", 1)
    small = statements_on_reload(app, secretary, f"/reports/{YEAR}")
    for n in range(4):
        publish_with(db, settings, people, ministry.id, f"2025-0{n + 3}-01 10:00", 5)
    bigger = statements_on_reload(app, secretary, f"/reports/{YEAR}")
    assert small == bigger <= 15
    write_and_publish(db, people)
    with new_client(app) as visitor:
        assert statements_on_reload(app, visitor, f"/reports/{YEAR}") <= 3


def test_a_year_out_of_range_is_404(client, signed_in):
    assert client.get("/reports/99999").status_code == 404
    assert signed_in("secretariat").get("/secretariat/reports/1999").status_code == 404


def test_a_refused_foreword_keeps_what_was_typed(signed_in):
    secretary = signed_in("secretariat")
    response = post(
        secretary,
        "/secretariat/reports",
        {"year": "2999", "foreword": "Kept words."},
        page="/secretariat/reports",
    )
    assert response.status_code == 400
    assert "Choose a year that has begun." in response.text
    assert "Kept words." in response.text


def test_this_years_report_cannot_be_published_yet(signed_in, db, people):
    from council.models import utcnow

    this_year = utcnow().year
    with db.write() as session:
        report_actions.save_foreword(session, people["secretariat"], this_year, "So far.")
    secretary = signed_in("secretariat")
    page = secretary.get(f"/secretariat/reports/{this_year}/publish")
    assert page.status_code == 200
    assert "once the year has ended" in page.text
    assert "Publish the report</button>" not in page.text
