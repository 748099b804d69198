"""Every new page renders for each role that may see it, and refuses the roles that may not."""

from __future__ import annotations

import pytest

from tests.factories import author, post_comment, prepared_consultation


@pytest.fixture
def setup(db, settings, people):
    s = prepared_consultation(db, settings, people)
    post_comment(
        db,
        settings,
        author(settings, people["member"]),
        s,
        "An anonymous thought",
        approve_by=people["secretariat"],
    )
    post_comment(
        db,
        settings,
        author(settings, people["member2"]),
        s,
        "A named thought",
        visibility="council",
    )
    return s


def pages(s):
    c = s.consultation_id
    return [
        "/consultations",
        f"/consultations/{c}",
        f"/consultations/{c}/on/draft",
        f"/consultations/{c}/on/section-{s.sections[0].id}",
        f"/consultations/{c}/on/section-{s.warned.id}",
        f"/consultations/{c}/on/question-{s.questions[0].id}",
        f"/consultations/{c}/on/question-{s.questions[1].id}",
    ]


@pytest.mark.parametrize("role", ["member", "chair", "official", "secretariat"])
def test_consultation_pages_render_for_every_role(signed_in, setup, role):
    client = signed_in(role)
    for url in pages(setup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:2000])
        assert "<title>Council</title>" in response.text


@pytest.mark.parametrize("role", ["official", "secretariat"])
def test_staff_pages_render(signed_in, setup, role):
    client = signed_in(role)
    c = setup.consultation_id
    for url in [
        "/drafts",
        f"/drafts/{setup.draft_id}",
        f"/drafts/{setup.draft_id}/v/1",
        f"/consultations/{c}/settings",
        f"/consultations/{c}/results",
        f"/consultations/{c}/results.csv",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:2000])


def test_moderation_queue_renders_for_the_secretariat_only(signed_in, setup):
    assert signed_in("secretariat").get("/moderation").status_code == 200
    for role in ("member", "official"):
        assert signed_in(role).get("/moderation").status_code == 403


def test_members_cannot_reach_staff_pages(signed_in, setup):
    client = signed_in("member")
    c = setup.consultation_id
    for url in [
        "/drafts",
        f"/drafts/{setup.draft_id}",
        f"/consultations/{c}/settings",
        f"/consultations/{c}/results",
        f"/consultations/{c}/results.csv",
    ]:
        assert client.get(url).status_code in (403, 404), url


def test_official_of_another_ministry_sees_nothing(signed_in, setup):
    client = signed_in("official_other")
    c = setup.consultation_id
    for url in [
        f"/drafts/{setup.draft_id}",
        f"/consultations/{c}",
        f"/consultations/{c}/on/draft",
        f"/consultations/{c}/settings",
        f"/consultations/{c}/results",
        f"/consultations/{c}/results.csv",
    ]:
        assert client.get(url).status_code == 404, url


def test_public_is_sent_to_sign_in(client, setup):
    response = client.get(f"/consultations/{setup.consultation_id}")
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")


def test_members_do_not_see_a_consultation_before_it_opens(signed_in, db, settings, people):
    s = prepared_consultation(db, settings, people, complete=False)
    client = signed_in("member")
    assert client.get(f"/consultations/{s.consultation_id}").status_code == 404
    assert "Referral of survivors" not in client.get("/consultations").text


@pytest.mark.parametrize(
    ("locale", "word"), [("uk", "Короткий виклад"), ("ru", "Краткое изложение")]
)
def test_pages_are_translated(signed_in, setup, locale, word):
    client = signed_in("official")
    response = client.get(
        f"/drafts/{setup.draft_id}/compare?from=1&to=1", headers={"Accept-Language": locale}
    )
    assert word in response.text
