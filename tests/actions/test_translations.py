# ruff: noqa: RUF001  (Ukrainian text on purpose: Cyrillic letters look like Latin ones)
"""Content in several languages: staff translate drafts, questions and positions; readers see
each part in their language where translated, and the original, marked, where not."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlmodel import col

from council.actions import ActionError, Forbidden, position_translations
from council.actions import drafts as draft_actions
from council.actions import positions as position_actions
from council.actions import translations as actions
from council.models import (
    AuditEvent,
    Comment,
    DraftSectionTranslation,
    DraftVersionTranslation,
    PositionTranslation,
    QuestionTranslation,
    RecommendationTranslation,
)
from council.queries import drafts as draft_queries
from council.queries import positions as pq
from tests.conftest import new_client, post, statements_on_reload
from tests.factories import make_draft, new_position, prepared_consultation, published, version_of

UK_TITLE = "Національний механізм перенаправлення"
UK_SUMMARY = "Як служби розпізнають людей, які могли постраждати від торгівлі людьми."
UK_HEADING = "Розділ перший"
UK_BODY = "Текст **першого** розділу."
ONLY_EN_UK = "Цей розділ доступний лише англійською мовою."


@pytest.fixture
def setup(db, settings, people):
    return prepared_consultation(db, settings, people)


def translate_first_section(db, official, setup, locale="uk") -> actions.Saved:
    version = version_of(db, setup.draft_id)
    with db.write() as session:
        return actions.translate_version(
            session,
            official,
            version.require_id,
            locale,
            head=actions.VersionText(UK_TITLE, UK_SUMMARY),
            sections={setup.sections[0].require_id: actions.SectionText(UK_HEADING, UK_BODY)},
        )


def rows(db, model):
    with db.read() as session:
        return list(session.execute(select(model)).scalars())


def uk_client(app, cookie: bool = True):
    client = new_client(app)
    client.__enter__()
    if cookie:
        client.cookies.set("council_lang", "uk")
    return client


# --- the actions ---------------------------------------------------------------------------------


def test_an_official_translates_a_published_version_without_changing_it(db, people, setup):
    before = version_of(db, setup.draft_id)
    outcome = translate_first_section(db, people["official"], setup)
    assert (outcome.saved, outcome.removed) == (2, 0)
    [head] = rows(db, DraftVersionTranslation)
    [section] = rows(db, DraftSectionTranslation)
    assert (head.title, head.summary, head.locale) == (UK_TITLE, UK_SUMMARY, "uk")
    assert (section.heading, section.body) == (UK_HEADING, UK_BODY)
    assert head.translated_by_id == section.translated_by_id == people["official"].id
    assert head.translated_at is not None
    after = version_of(db, setup.draft_id)
    assert (after.title, after.summary, after.published_at) == (
        before.title,
        before.summary,
        before.published_at,
    )
    with db.read() as session:
        events = session.execute(
            select(AuditEvent).where(col(AuditEvent.action) == "translation.save")
        ).scalars()
        [event] = list(events)
    assert event.actor_id == people["official"].id
    assert event.detail["locale"] == "uk" and event.detail["saved"] == 2
    # Saving the same text again changes nothing and logs nothing.
    again = translate_first_section(db, people["official"], setup)
    assert (again.saved, again.removed) == (0, 0)


def test_a_section_left_empty_loses_its_translation(db, people, setup):
    translate_first_section(db, people["official"], setup)
    version = version_of(db, setup.draft_id)
    with db.write() as session:
        outcome = actions.translate_version(
            session,
            people["official"],
            version.require_id,
            "uk",
            head=actions.VersionText(UK_TITLE, UK_SUMMARY),
            sections={setup.sections[0].require_id: actions.SectionText()},
        )
    assert outcome.removed == 1
    assert rows(db, DraftSectionTranslation) == []
    assert len(rows(db, DraftVersionTranslation)) == 1


def test_half_translated_parts_are_refused_with_a_message_for_each(db, people, setup):
    version = version_of(db, setup.draft_id)
    first, warned = setup.sections[0], setup.warned
    with pytest.raises(actions.TranslationInvalid) as refused, db.write() as session:
        actions.translate_version(
            session,
            people["official"],
            version.require_id,
            "uk",
            head=actions.VersionText(UK_TITLE, ""),
            sections={
                first.require_id: actions.SectionText(UK_HEADING, ""),
                warned.require_id: actions.SectionText("Приклади", "Текст"),
            },
        )
    problems = refused.value.problems
    assert set(problems) == {"summary", f"s{first.id}-body", f"s{warned.id}-warning"}
    assert "content warning" in problems[f"s{warned.id}-warning"]
    assert rows(db, DraftSectionTranslation) == [] and rows(db, DraftVersionTranslation) == []


def test_only_other_languages_of_published_versions_can_be_translated(db, people, setup):
    version = version_of(db, setup.draft_id)
    for locale in ("en", "de", ""):
        with pytest.raises(ActionError), db.write() as session:
            actions.translate_version(
                session,
                people["official"],
                version.require_id,
                locale,
                head=actions.VersionText("Title", "Summary"),
                sections={},
            )
    with db.write() as session:
        draft_actions.start_new_version(session, people["official"], setup.draft_id)
        unpublished = draft_queries.latest_version(session, setup.draft_id)
    with pytest.raises(ActionError, match="Publish this version first"), db.write() as session:
        actions.translate_version(
            session,
            people["official"],
            unpublished.require_id,
            "uk",
            head=actions.VersionText("Title", "Summary"),
            sections={},
        )
    assert rows(db, DraftVersionTranslation) == []


@pytest.mark.parametrize("who", ["official_other", "secretariat", "member", "chair"])
def test_only_the_ministry_translates_drafts_and_questions(db, people, setup, who):
    version = version_of(db, setup.draft_id)
    with pytest.raises(Forbidden), db.write() as session:
        actions.translate_version(
            session,
            people[who],
            version.require_id,
            "uk",
            head=actions.VersionText(UK_TITLE, UK_SUMMARY),
            sections={},
        )
    with pytest.raises(Forbidden), db.write() as session:
        actions.translate_questions(
            session,
            people[who],
            setup.consultation_id,
            "uk",
            {setup.questions[1].require_id: actions.QuestionText("Що допомогло б?")},
        )
    assert rows(db, DraftVersionTranslation) == [] and rows(db, QuestionTranslation) == []


def test_a_choice_question_needs_every_option_translated(db, people, setup):
    choice = setup.questions[0]
    with pytest.raises(actions.TranslationInvalid) as refused, db.write() as session:
        actions.translate_questions(
            session,
            people["official"],
            setup.consultation_id,
            "uk",
            {choice.require_id: actions.QuestionText("Достатньо довго?", ["Так", ""])},
        )
    assert set(refused.value.problems) == {f"q{choice.id}-option-1"}
    with db.write() as session:
        actions.translate_questions(
            session,
            people["official"],
            setup.consultation_id,
            "uk",
            {choice.require_id: actions.QuestionText("Достатньо довго?", ["Так", "Ні"])},
        )
    [row] = rows(db, QuestionTranslation)
    assert row.options == ["Так", "Ні"] and row.translated_by_id == people["official"].id


@pytest.mark.parametrize("who", ["chair", "member", "official"])
def test_only_the_secretariat_translates_positions(db, people, ministry, who):
    pid = new_position(db, people["chair"], ministry.id)
    with pytest.raises(Forbidden), db.write() as session:
        position_translations.translate_position(
            session,
            people[who],
            pid,
            "uk",
            head=actions.PositionText("Період відновлення", "Рада рекомендує:"),
            recommendations={},
        )
    assert rows(db, PositionTranslation) == []


# --- the staff's pages ---------------------------------------------------------------------------


def test_the_translation_page_shows_each_original_beside_its_box(signed_in, setup):
    client = signed_in("official")
    url = f"/drafts/{setup.draft_id}/v/1/translations/uk"
    page = client.get(url)
    assert page.status_code == 200
    html = page.text
    assert '<div class="original-text" lang="en">Text of section **1**.</div>' in html
    assert re.search(r'<textarea id="f-s\d+-body" name="s\d+-body" lang="uk" dir="auto"', html)
    assert f'id="f-s{setup.warned.id}-warning"' in html  # the warning must be translated too
    assert f'id="f-s{setup.sections[0].id}-warning"' not in html
    # Links to the other target language; none to the original's own.
    assert f'href="/drafts/{setup.draft_id}/v/1/translations/ru"' in html
    assert client.get(f"/drafts/{setup.draft_id}/v/1/translations/en").status_code == 404
    assert client.get(f"/drafts/{setup.draft_id}/v/1/translations/xx").status_code == 404


def test_a_refused_translation_keeps_everything_typed(signed_in, db, setup):
    client = signed_in("official")
    url = f"/drafts/{setup.draft_id}/v/1/translations/uk"
    first = setup.sections[0]
    typed = "Заголовок, набраний з любов’ю"
    response = post(client, url, {"title": UK_TITLE, f"s{first.id}-heading": typed}, page=url)
    assert response.status_code == 400
    assert typed in response.text and UK_TITLE in response.text
    assert "Nothing is saved yet" in response.text
    assert f'href="#f-s{first.id}-body"' in response.text  # the summary links to the field
    assert 'aria-invalid="true"' in response.text
    assert rows(db, DraftVersionTranslation) == [] and rows(db, DraftSectionTranslation) == []


def test_saving_over_http_redirects_and_shows_the_saved_text(signed_in, db, setup):
    client = signed_in("official")
    url = f"/drafts/{setup.draft_id}/v/1/translations/uk"
    first = setup.sections[0]
    data = {
        "title": UK_TITLE,
        "summary": UK_SUMMARY,
        f"s{first.id}-heading": UK_HEADING,
        f"s{first.id}-body": UK_BODY,
    }
    response = post(client, url, data, page=url)
    assert response.status_code == 303 and response.headers["location"] == url
    again = client.get(url).text
    assert "The translation is saved" in again and UK_HEADING in again
    assert len(rows(db, DraftSectionTranslation)) == 1
    detail = client.get(f"/drafts/{setup.draft_id}").text
    assert "1 of 3 sections translated" in detail


def test_officials_translate_questions_from_the_settings_page(signed_in, db, setup):
    client = signed_in("official")
    settings_page = client.get(f"/consultations/{setup.consultation_id}/settings").text
    url = f"/consultations/{setup.consultation_id}/translations/uk"
    assert f'href="{url}"' in settings_page
    choice = setup.questions[0]
    data = {
        f"q{choice.id}-text": "Чи достатньо довго?",
        f"q{choice.id}-option-0": "Так",
        f"q{choice.id}-option-1": "Ні",
    }
    assert post(client, url, data, page=url).status_code == 303
    [row] = rows(db, QuestionTranslation)
    assert row.question_id == choice.id and row.options == ["Так", "Ні"]


# --- readers -------------------------------------------------------------------------------------


def test_a_member_reading_in_ukrainian_sees_translations_and_marked_originals(
    app, db, people, setup
):
    translate_first_section(db, people["official"], setup)
    choice = setup.questions[0]
    with db.write() as session:
        actions.translate_questions(
            session,
            people["official"],
            setup.consultation_id,
            "uk",
            {choice.require_id: actions.QuestionText("Чи достатньо довго?", ["Так", "Ні"])},
        )
    client = uk_client(app)
    from tests.conftest import sign_in

    assert sign_in(client, people["member"].name).status_code == 303
    base = f"/consultations/{setup.consultation_id}"
    overview = client.get(base).text
    assert f'<h1 lang="uk">{UK_TITLE}</h1>' in overview
    assert f'lang="uk">{UK_HEADING}</a>' in overview
    # An untranslated section in the list keeps its English heading, marked as English.
    assert 'lang="en">Section 2</a> <span class="lang-tag" lang="en">English</span>' in overview
    assert 'lang="uk">Чи достатньо довго?</a>' in overview

    translated = client.get(f"{base}/on/section-{setup.sections[0].id}").text
    assert f'<h1 lang="uk">{UK_HEADING}</h1>' in translated
    assert (
        '<div class="prose" lang="uk"><p>Текст <strong>першого</strong> розділу.</p>' in translated
    )
    assert ONLY_EN_UK not in translated

    untranslated = client.get(f"{base}/on/section-{setup.sections[2].id}").text
    assert '<h1 lang="en">Section 3</h1>' in untranslated
    assert f'<p class="lang-notice">{ONLY_EN_UK}</p>' in untranslated
    assert '<div class="prose" lang="en">' in untranslated
    # The notice is in the reader's language, outside the English part.
    assert untranslated.index(ONLY_EN_UK) < untranslated.index('<div class="prose" lang="en">')

    question = client.get(f"{base}/on/question-{choice.id}").text
    assert 'value="Yes"' in question and '<label for="opt-1" lang="uk">Так</label>' in question
    # An answer stores the original option, so results count it the same in every language.
    response = post(
        client,
        f"{base}/on/question-{choice.id}",
        {"choices": "Yes", "visibility": "anonymous"},
        page=f"{base}/on/question-{choice.id}",
    )
    assert response.status_code == 303
    [comment] = rows(db, Comment)
    assert comment.choices == ["Yes"]
    client.__exit__(None, None, None)


def test_a_reader_in_english_sees_no_notices(signed_in, db, people, setup):
    translate_first_section(db, people["official"], setup)
    client = signed_in("member")
    base = f"/consultations/{setup.consultation_id}"
    for url in (base, f"{base}/on/section-{setup.sections[2].id}"):
        html = client.get(url).text
        assert "lang-notice" not in html and "lang-tag" not in html
        assert UK_TITLE not in html


def test_a_comment_in_ukrainian_is_kept_exactly_as_written(signed_in, db, setup):
    client = signed_in("member")
    url = f"/consultations/{setup.consultation_id}/on/section-{setup.sections[0].id}"
    words = "Період відновлення має починатися, коли людина в безпеці, — а не в поліції. Ґанок, їжак, є."
    response = post(client, url, {"body": words, "visibility": "anonymous"}, page=url)
    assert response.status_code == 303  # no identifying-details nudge for plain Ukrainian
    [row] = rows(db, Comment)
    assert row.body == words
    page = client.get(url).text
    assert f'<p class="body" dir="auto">{words}</p>' in page


def test_the_public_reads_a_position_in_ukrainian(app, db, settings, people, ministry):
    pid = published(db, settings, people, ministry)
    with db.read() as session:
        first, _second = pq.recommendations_of(session, pid)
    with db.write() as session:
        position_translations.translate_position(
            session,
            people["secretariat"],
            pid,
            "uk",
            head=actions.PositionText("Період відновлення", "Рада **рекомендує**:"),
            recommendations={first.require_id: "Рекомендація 1"},
        )
    with new_client(app) as client:
        html = client.get(f"/positions/{pid}", headers={"Accept-Language": "uk"}).text
    assert '<h1 lang="uk">Період відновлення</h1>' in html
    assert '<div class="prose" lang="uk"><p>Рекомендація 1</p>' in html
    assert '<p class="lang-notice">Ця рекомендація доступна лише англійською мовою.</p>' in html
    assert '<div class="prose" lang="en"><p>Recommendation 2</p>' in html
    assert len(rows(db, RecommendationTranslation)) == 1


def test_a_changed_draft_position_shows_the_original_until_checked(
    app, signed_in, db, people, ministry
):
    pid = new_position(db, people["chair"], ministry.id)
    with db.write() as session:
        position_translations.translate_position(
            session,
            people["secretariat"],
            pid,
            "uk",
            head=actions.PositionText("Період відновлення", "Рада рекомендує:"),
            recommendations={},
        )
        position_actions.update(
            session,
            people["chair"],
            pid,
            position_actions.PositionInput(
                title="Reflection period",
                body="The council now **insists**:",
                recommendations=["Recommendation 1", "Recommendation 2"],
            ),
        )
    member = signed_in("member")
    member.cookies.set("council_lang", "uk")
    html = member.get(f"/positions/{pid}").text
    assert '<h1 lang="en">Reflection period</h1>' in html
    assert "Цей текст доступний лише англійською мовою." in html
    staff = signed_in("secretariat")
    url = f"/positions/{pid}/translations/uk"
    assert "The original changed after this was translated" in staff.get(url).text
    data = {"title": "Період відновлення", "body": "Рада тепер **наполягає**:"}
    assert post(staff, url, data, page=url).status_code == 303
    html = member.get(f"/positions/{pid}").text
    assert '<h1 lang="uk">Період відновлення</h1>' in html


# --- query counts --------------------------------------------------------------------------------


def test_reading_pages_issue_the_same_queries_for_1_and_30_translated_sections(
    app, db, settings, people, ministry
):
    setup = prepared_consultation(db, settings, people, sections=30)
    version = version_of(db, setup.draft_id)
    pid = new_position(db, people["chair"], ministry.id, recs=30)
    with db.read() as session:
        recommendations = pq.recommendations_of(session, pid)

    def translate(n: int) -> None:
        with db.write() as session:
            actions.translate_version(
                session,
                people["official"],
                version.require_id,
                "uk",
                head=actions.VersionText(UK_TITLE, UK_SUMMARY),
                sections={
                    s.require_id: actions.SectionText(
                        f"Розділ {i}", f"Текст {i}", "насильство" if s.content_warning else ""
                    )
                    for i, s in enumerate(setup.sections[:n], start=1)
                },
            )
            actions.translate_questions(
                session,
                people["official"],
                setup.consultation_id,
                "uk",
                {
                    q.require_id: actions.QuestionText(
                        f"Питання {q.id}", ["Так", "Ні"][: len(q.options)]
                    )
                    for q in setup.questions[:n]
                },
            )
            position_translations.translate_position(
                session,
                people["secretariat"],
                pid,
                "uk",
                head=actions.PositionText("Період", "Текст"),
                recommendations={
                    r.require_id: f"Рекомендація {r.number}" for r in recommendations[:n]
                },
            )

    client = uk_client(app)
    from tests.conftest import sign_in

    assert sign_in(client, people["member"].name).status_code == 303
    base = f"/consultations/{setup.consultation_id}"
    urls = [base, f"{base}/on/section-{setup.sections[0].id}", f"/positions/{pid}"]

    def measure() -> list[int]:
        return [statements_on_reload(app, client, url) for url in urls]

    translate(1)
    one = measure()
    assert "Розділ 1" in client.get(base).text and "Розділ 2" not in client.get(base).text
    translate(30)
    thirty = measure()
    assert "Розділ 30" in client.get(base).text
    assert one == thirty
    client.__exit__(None, None, None)


def test_draft_language_is_recorded_and_copied_to_new_versions(db, people):
    draft_id = make_draft(db, people["official"])
    with db.write() as session:
        draft_actions.start_new_version(session, people["official"], draft_id)
        version = draft_queries.latest_version(session, draft_id)
        assert version.language == "en"
        draft_actions.update_version(
            session,
            people["official"],
            draft_id,
            title="Механізм",
            summary="Коротко.",
            sections=[],
            language="uk",
        )
    with db.read() as session:
        assert draft_queries.latest_version(session, draft_id).language == "uk"
    with pytest.raises(ActionError), db.write() as session:
        draft_actions.update_version(
            session,
            people["official"],
            draft_id,
            title="T",
            summary="S",
            sections=[],
            language="xx",
        )


def test_a_translated_content_warning_still_hides_the_section(app, db, people, setup):
    version = version_of(db, setup.draft_id)
    warned = setup.warned
    with db.write() as session:
        actions.translate_version(
            session,
            people["official"],
            version.require_id,
            "uk",
            head=actions.VersionText(),
            sections={warned.require_id: actions.SectionText("Приклади", "Текст.", "насильство")},
        )
    client = uk_client(app)
    from tests.conftest import sign_in

    assert sign_in(client, people["member"].name).status_code == 303
    base = f"/consultations/{setup.consultation_id}"
    html = client.get(f"{base}/on/section-{warned.id}").text
    assert (
        '<summary>Попередження про зміст: <span lang="uk">насильство</span> '
        '<span class="cw-open">' in html
    )
    assert '<details class="cw">' in html
    # An untranslated warned section names its warning in English, marked as English.
    client.cookies.set("council_lang", "ru")
    html = client.get(f"{base}/on/section-{warned.id}").text
    assert 'Предупреждение о содержании: <span lang="en">violence</span>' in html
    assert "Этот раздел доступен только на английском языке." in html
    # The title and summary were left untranslated: the overview says so, in the reader's words.
    client.cookies.set("council_lang", "uk")
    overview = client.get(base).text
    assert '<h1 lang="en">Referral of survivors</h1>' in overview
    assert "Цей текст доступний лише англійською мовою." in overview
    client.__exit__(None, None, None)
