"""Consent texts in the member's language: the secretariat translates each version, the member
reads it in their language with the original (the text that counts) beside it, and an
untranslated text is marked as English. And no Ukrainian date ends with two full stops."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from council import i18n
from council.actions import safeguards as safeguard_actions
from council.models import AuditEvent, ConsentTextTranslation
from tests.conftest import post

ORIGINAL = "Taking part is your choice."
UKRAINIAN = "Участь - це ваш вибір."


@pytest.fixture
def text_id(db, people):
    with db.write() as s:
        text = safeguard_actions.publish_consent_text(
            s, people["secretariat"], "taking_part", ORIGINAL
        )
        safeguard_actions.give_consent(s, people["member"], "taking_part")
    return text.id


def in_language(client, lang: str):  # type: ignore[no-untyped-def]
    client.get(f"/language?lang={lang}&next=/home")
    return client


def test_secretariat_translates_a_consent_text(db, people, signed_in, text_id):
    sec = signed_in("secretariat")
    texts = sec.get("/secretariat/consents")
    assert f'href="/secretariat/consents/{text_id}/translations/uk"' in texts.text
    url = f"/secretariat/consents/{text_id}/translations/uk"
    editor = sec.get(url)
    assert editor.status_code == 200 and ORIGINAL in editor.text
    assert sec.get(f"/secretariat/consents/{text_id}/translations/en").status_code == 404
    assert sec.get("/secretariat/consents/999999/translations/uk").status_code == 404
    saved = post(sec, url, {"body": UKRAINIAN}, page=url)
    assert saved.status_code == 303
    with db.read() as s:
        row = s.execute(select(ConsentTextTranslation)).scalar_one()
        actions = s.execute(select(AuditEvent.action)).scalars().all()
    assert row.body == UKRAINIAN and row.locale == "uk" and row.consent_text_id == text_id
    assert "translation.save" in actions
    assert "translated" in sec.get("/secretariat/consents").text
    # Members and officials may not translate.
    for role in ("member", "official"):
        client = signed_in(role)
        assert client.get(url).status_code == 403
        assert post(client, url, {"body": "Taken over"}).status_code == 403
    with db.read() as s:
        assert s.execute(select(ConsentTextTranslation.body)).scalars().all() == [UKRAINIAN]


def test_member_reads_the_consent_in_their_language_with_the_original_marked(
    db, people, signed_in, text_id
):
    sec = signed_in("secretariat")
    url = f"/secretariat/consents/{text_id}/translations/uk"
    assert post(sec, url, {"body": UKRAINIAN}, page=url).status_code == 303
    member = in_language(signed_in("member"), "uk")
    page = member.get("/consents").text
    assert f'<div class="consent-text" lang="uk"><p>{UKRAINIAN}</p></div>' in page
    # The original is there too, in its own language, and says it is the one that counts.
    assert f'<div class="consent-text" lang="en"><p>{ORIGINAL}</p></div>' in page
    assert "Це переклад. Чинним є оригінал" in page
    # In Russian there is no translation: the English text, marked as English, with a notice.
    page = in_language(member, "ru").get("/consents").text
    assert f'<div class="consent-text" lang="en"><p>{ORIGINAL}</p></div>' in page
    assert "Этот текст доступен только на английском языке." in page
    # In English: the original alone.
    page = in_language(member, "en").get("/consents").text
    assert UKRAINIAN not in page and "This is a translation" not in page


def test_a_ukrainian_date_ends_its_sentence_with_one_full_stop(db, people, signed_in, text_id):
    page = in_language(signed_in("member"), "uk").get("/consents").text
    assert "Ви погодилися" in page
    assert "р.." not in page and "г.." not in page  # noqa: RUF001  (Cyrillic: "year")
    token = i18n.current_locale.set("uk")
    try:
        day = i18n.format_day(datetime(2026, 12, 1, tzinfo=UTC), UTC)
        year = "\u0440."  # short for "year": it ends a Ukrainian date
        assert day.endswith(year)
        said = i18n.gettext("You agreed on %(day)s.", day=day)
        assert said.endswith(year) and not said.endswith(year + ".")
    finally:
        i18n.current_locale.reset(token)
