# ruff: noqa: RUF001  (Ukrainian text on purpose: Cyrillic letters look like Latin ones)
"""Lists, dashboards, the moderation queue, results and the Atom feed name drafts, consultations
and positions in the reader's language where a translation exists, and show the original,
marked with its language, where none does; stored codes (statuses, kinds) are shown as words in
the reader's language. Each list loads its titles with a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest

from council import i18n
from council.actions import position_translations, responses
from council.actions import positions as position_actions
from council.actions import translations as actions
from council.models import (
    Choice,
    CommentStatus,
    EngagementStatus,
    PositionStatus,
    QuestionKind,
    ResponseStatus,
    Role,
    Status,
)
from council.queries import positions as pq
from council.rules.targets import Target
from council.web import labels
from tests.actions.test_translations import UK_TITLE
from tests.conftest import new_client, sign_in, statements_on_reload
from tests.factories import author, post_comment, prepared_consultation, published, version_of

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
UK_POSITION = "Період відновлення"
UK_HEADING = "Розділ перший"
UK_QUESTION = "Чи достатньо довго?"
EN_DRAFT = "Referral of survivors"  # tests.factories.make_draft
EN_TAG = ' <span class="lang-tag" lang="en">English</span>'
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)  # published then: every answer is overdue now


def untranslated(title: str) -> str:
    return f'<span lang="en">{title}</span>{EN_TAG}'


def translated(title: str) -> str:
    return f'<span lang="uk">{title}</span>'


def translate_consultation(db, people, setup, title: str = UK_TITLE) -> None:
    version = version_of(db, setup.draft_id)
    with db.write() as session:
        actions.translate_version(
            session,
            people["official"],
            version.require_id,
            "uk",
            head=actions.VersionText(title, "Підсумок."),
            sections={setup.sections[0].require_id: actions.SectionText(UK_HEADING, "Текст.")},
        )
        choice = setup.questions[0]
        actions.translate_questions(
            session,
            people["official"],
            setup.consultation_id,
            "uk",
            {choice.require_id: actions.QuestionText(UK_QUESTION, ["Так", "Ні"])},
        )


def publish(db, settings, people, ministry, title, *, consultation_id=None, cite=None) -> int:
    """Published long ago, so that every answer is overdue now."""
    return published(
        db, settings, people, ministry, now=LONG_AGO, title=title,
        consultation_id=consultation_id, cite=cite,
    )  # fmt: skip


def translate_position(db, people, pid, title: str = UK_POSITION) -> None:
    with db.write() as session:
        position_translations.translate_position(
            session,
            people["secretariat"],
            pid,
            "uk",
            head=actions.PositionText(title, "Рада **рекомендує**:"),
            recommendations={},
        )


class World:
    """Two consultations and two published positions; the first of each is in Ukrainian too."""

    def __init__(self, db, settings, people, ministry):
        self.ours = prepared_consultation(db, settings, people)
        self.other = prepared_consultation(db, settings, people)
        translate_consultation(db, people, self.ours)
        self.member = author(settings, people["member"])
        # A pending comment on each (for the queue) and an approved one, cited below.
        for setup in (self.ours, self.other):
            post_comment(db, settings, self.member, setup, "Waiting.")
        self.cited = post_comment(
            db, settings, self.member, self.ours, "Cite me.", approve_by=people["secretariat"]
        )
        self.translated = publish(
            db,
            settings,
            people,
            ministry,
            "Reflection period",
            consultation_id=self.ours.consultation_id,
            cite=self.cited,
        )
        self.plain = publish(db, settings, people, ministry, "Safe housing")
        translate_position(db, people, self.translated)
        with db.read() as session:
            self.recommendation = pq.recommendations_of(session, self.translated)[0]
        with db.write() as session:
            responses.respond(
                session,
                settings,
                people["official"],
                self.recommendation.require_id,
                "accepted",
                "We agree.",
            )


@pytest.fixture
def world(db, settings, people, ministry) -> World:
    return World(db, settings, people, ministry)


@pytest.fixture
def in_ukrainian(signed_in):
    def make(role: str):
        client = signed_in(role)
        client.cookies.set("council_lang", "uk")
        return client

    return make


def test_the_consultations_list_names_each_in_the_readers_language(in_ukrainian, world):
    for role in ("member", "official", "secretariat"):
        html = in_ukrainian(role).get("/consultations").text
        assert translated(UK_TITLE) in html, role
        assert html.count(untranslated(EN_DRAFT)) == 1, role  # only the untranslated one
        assert "відкрита" in html  # the status, through the one mapping


def test_the_drafts_list_names_each_in_the_readers_language(in_ukrainian, world):
    html = in_ukrainian("official").get("/drafts").text
    assert translated(UK_TITLE) in html
    assert html.count(untranslated(EN_DRAFT)) == 1


def test_an_english_reader_sees_originals_without_tags(signed_in, world):
    html = signed_in("member").get("/consultations").text
    assert html.count(f'<span lang="en">{EN_DRAFT}</span>') == 2
    assert UK_TITLE not in html and "lang-tag" not in html


def test_moderation_cards_name_the_consultation_in_the_readers_language(in_ukrainian, world):
    html = in_ukrainian("secretariat").get("/moderation").text
    assert f"<strong>{translated(UK_TITLE)}</strong>" in html
    assert f"<strong>{untranslated(EN_DRAFT)}</strong>" in html
    # The htmx fragment (after a moderation action) names them the same way.
    fragment = in_ukrainian("secretariat").get("/moderation", headers={"HX-Request": "true"})
    assert translated(UK_TITLE) in fragment.text and "<html" not in fragment.text


def test_results_headings_are_in_the_readers_language(in_ukrainian, world):
    client = in_ukrainian("official")
    html = client.get(f"/consultations/{world.ours.consultation_id}/results").text
    assert f"<p>{translated(UK_TITLE)}</p>" in html
    assert f'<h2 id="section-{world.ours.sections[0].id}">{translated(UK_HEADING)}</h2>' in html
    assert f'<h2 id="question-{world.ours.questions[0].id}">{translated(UK_QUESTION)}</h2>' in html
    assert f'<h2 id="section-{world.ours.sections[1].id}">{untranslated("Section 2")}</h2>' in html
    assert '<span lang="uk">Так</span>:' in html  # the options, counted by their original
    other = client.get(f"/consultations/{world.other.consultation_id}/results").text
    assert f"<p>{untranslated(EN_DRAFT)}</p>" in other


def test_the_public_positions_list_names_each_in_the_readers_language(client, world):
    html = client.get("/positions", headers={"Accept-Language": "uk"}).text
    assert translated(UK_POSITION) in html
    assert untranslated("Safe housing") in html
    assert "Reflection period" not in html
    english = client.get("/positions", headers={"Accept-Language": "en"}).text
    assert '<span lang="en">Reflection period</span>' in english and UK_POSITION not in english


def test_the_council_work_list_and_a_changed_translation(db, people, ministry, in_ukrainian):
    from tests.factories import new_position

    pid = new_position(db, people["chair"], ministry.id)
    translate_position(db, people, pid)
    member = in_ukrainian("member")
    assert translated(UK_POSITION) in member.get("/positions").text
    # The original changes after it was translated: the list shows the original, as the page does.
    with db.write() as session:
        position_actions.update(
            session,
            people["chair"],
            pid,
            position_actions.PositionInput(
                title="Reflection period, longer",
                body="Changed.",
                recommendations=["Recommendation 1", "Recommendation 2"],
            ),
        )
    html = member.get("/positions").text
    assert untranslated("Reflection period, longer") in html and UK_POSITION not in html


def test_the_secretariat_dashboard_names_overdue_positions_in_the_readers_language(
    db, settings, people, ministry, in_ukrainian, world
):
    # world.translated answers a consultation, whose later due date it takes: not overdue.
    shelter = publish(db, settings, people, ministry, "Shelter")
    translate_position(db, people, world.plain, "Безпечне житло")
    html = in_ukrainian("secretariat").get("/home").text
    assert f'/positions/{world.plain}">{translated("Безпечне житло")}</a>' in html
    assert f'/positions/{shelter}">{untranslated("Shelter")}</a>' in html


def test_your_comments_name_the_citing_position_in_the_readers_language(app, people, world):
    with new_client(app) as client:
        client.cookies.set("council_lang", "uk")
        assert sign_in(client, people["member"].name).status_code == 303
        html = client.get(f"/consultations/{world.ours.consultation_id}").text
    assert f'#r-1">{translated(UK_POSITION)}</a>' in html
    assert "прийнято" in html  # the answer's status, in Ukrainian


def test_position_page_and_respond_page_name_things_in_the_readers_language(
    client, in_ukrainian, world
):
    html = client.get(f"/positions/{world.translated}", headers={"Accept-Language": "uk"}).text
    assert f"<dd>{translated(UK_TITLE)}</dd>" in html  # the consultation it answers
    respond = in_ukrainian("official").get(
        f"/positions/{world.translated}/recommendations/{world.recommendation.id}/respond"
    )
    assert respond.status_code == 200
    assert translated(UK_POSITION) in respond.text
    # The recommendation itself is not translated: the original, marked, with a notice.
    assert '<div class="prose recommendation-text" lang="en"><p>Recommendation 1</p>' in (
        respond.text
    )
    assert "Ця рекомендація доступна лише англійською мовою." in respond.text


def test_the_new_position_form_lists_consultations_in_the_readers_language(in_ukrainian, world):
    html = in_ukrainian("chair").get("/positions/new").text
    assert f'lang="uk">{UK_TITLE}</option>' in html
    assert f'lang="en">{EN_DRAFT}</option>' in html


def entries(client, language: str) -> tuple[ElementTree.Element, dict[str, ElementTree.Element]]:
    response = client.get("/feed.atom", headers={"Accept-Language": language})
    assert response.status_code == 200
    assert "Accept-Language" in response.headers["vary"]
    root = ElementTree.fromstring(response.content)
    titles = {
        entry.findtext(f"{ATOM}id", "").split("/positions/", 1)[-1]: entry.find(f"{ATOM}title")
        for entry in root.findall(f"{ATOM}entry")
    }
    return root, {k: v for k, v in titles.items() if v is not None}


def test_the_feed_is_in_the_requests_language_with_originals_marked(client, world):
    root, titles = entries(client, "uk")
    assert root.get(XML_LANG) == "uk"
    ours, plain = titles[str(world.translated)], titles[str(world.plain)]
    assert (ours.text, ours.get(XML_LANG)) == (UK_POSITION, None)  # the feed's own language
    assert (plain.text, plain.get(XML_LANG)) == ("Safe housing", "en")
    # The answer's entry names the position in its sentence, in the reader's language.
    [answered] = [t for key, t in titles.items() if key.startswith(f"{world.translated}/")]
    assert UK_POSITION in (answered.text or "") and answered.get(XML_LANG) is None

    root, titles = entries(client, "en")
    assert root.get(XML_LANG) == "en"
    ours = titles[str(world.translated)]
    assert (ours.text, ours.get(XML_LANG)) == ("Reflection period", None)


# --- stored codes as words ----------------------------------------------------------------------

ENUMS = [
    (Status, labels.consultation_status_name),
    (CommentStatus, labels.comment_status_name),
    (QuestionKind, labels.question_kind_name),
    (PositionStatus, labels.position_status_name),
    (ResponseStatus, labels.response_name),
    (Choice, labels.choice_name),
    (Role, labels.role_name),
    (EngagementStatus, labels.status_name),
]


@pytest.mark.parametrize(("enum", "name"), ENUMS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_stored_code_has_words_in_each_language(enum, name):
    for locale in i18n.LOCALES:
        token = i18n.current_locale.set(locale)
        try:
            words = {member.value: name(member.value) for member in enum}
        finally:
            i18n.current_locale.reset(token)
        if locale == "en":
            english = words
        else:  # every code has its own words, translated (no code falls through as itself)
            assert all(words[c] not in (c, english[c]) for c in words), (locale, words)


def test_the_draft_page_shows_its_consultations_status_in_ukrainian(in_ukrainian, world):
    html = in_ukrainian("official").get(f"/drafts/{world.ours.draft_id}").text
    assert '<span class="status">відкрита</span>' in html
    assert f'<h1 lang="en">{EN_DRAFT}</h1>' in html  # the staff's page shows the original


# --- query counts --------------------------------------------------------------------------------


def test_lists_issue_the_same_queries_for_one_and_many_translated_items(
    app, db, settings, people, ministry, signed_in
):
    member = author(settings, people["member"])
    clients = {role: signed_in(role) for role in ("member", "official", "secretariat")}
    for client in clients.values():
        client.cookies.set("council_lang", "uk")
    public = new_client(app)
    public.__enter__()
    public.cookies.set("council_lang", "uk")
    pages = [
        (clients["member"], "/consultations"),
        (clients["official"], "/drafts"),
        (clients["secretariat"], "/moderation"),
        (clients["secretariat"], "/home"),
        (public, "/positions"),
        (public, "/feed.atom"),
    ]

    made = iter(range(100))

    def add(n: int) -> None:
        for i in (next(made) for _ in range(n)):
            setup = prepared_consultation(db, settings, people)
            translate_consultation(db, people, setup, f"Консультація {i}")
            post_comment(db, settings, member, setup, "Waiting.", target=Target(section_id=None))
            pid = publish(db, settings, people, ministry, f"Position {i}")
            translate_position(db, people, pid, f"Позиція {i}")

    def measure() -> list[int]:
        return [statements_on_reload(app, client, url) for client, url in pages]

    add(1)
    one = measure()
    assert "Позиція 0" in public.get("/positions").text
    add(6)
    many = measure()
    assert "Позиція 6" in public.get("/positions").text
    assert "Консультація 6" in clients["secretariat"].get("/moderation").text
    assert one == many, list(zip([u for _c, u in pages], one, many, strict=True))
    public.__exit__(None, None, None)
