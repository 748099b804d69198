"""Languages: choosing one, falling back, formatting, and catalogues with nothing missing."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from council import i18n

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "council" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def translated(locale: str, message: str) -> str:
    token = i18n.current_locale.set(locale)
    try:
        return i18n.gettext(message)
    finally:
        i18n.current_locale.reset(token)


@pytest.mark.parametrize("locale", ["uk", "ru"])
def test_accept_language_chooses_the_language(client, locale):
    page = client.get("/signin", headers={"Accept-Language": f"{locale},en;q=0.5"})
    assert f'<html lang="{locale}">' in page.text
    expected = translated(locale, "Sign in")
    assert expected != "Sign in" and expected in page.text


def test_unknown_language_falls_back_to_english(client):
    page = client.get("/signin", headers={"Accept-Language": "de-DE,fr;q=0.8"})
    assert '<html lang="en">' in page.text and "Sign in" in page.text


def test_switcher_choice_wins_over_the_browser(client):
    response = client.get("/language?lang=ru&next=/signin", headers={"Accept-Language": "uk"})
    assert response.status_code == 303 and response.headers["location"] == "/signin"
    page = client.get("/signin", headers={"Accept-Language": "uk"})
    assert '<html lang="ru">' in page.text
    assert "set-cookie" not in client.get("/", headers={"Accept-Language": "uk"}).headers


def test_switcher_ignores_unknown_languages_and_foreign_redirects(client):
    response = client.get("/language?lang=xx&next=https://evil.example/")
    assert response.headers["location"] == "/"
    assert "council_lang" not in response.headers.get("set-cookie", "")


def test_negotiation_honours_quality_values():
    assert i18n.negotiate("en;q=0.3, ru;q=0.9, uk;q=0.5") == "ru"
    assert i18n.negotiate("uk-UA") == "uk"
    assert i18n.negotiate("de, fr") is None
    assert i18n.negotiate("ru;q=0") is None


def test_dates_are_formatted_per_locale():
    moment = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    zone = ZoneInfo("Europe/Kyiv")
    results = {}
    for locale in ("en", "uk", "ru"):
        token = i18n.current_locale.set(locale)
        try:
            results[locale] = i18n.format_day(moment, zone, "long")
        finally:
            i18n.current_locale.reset(token)
    assert results["en"] == "March 5, 2026"
    assert "березня" in results["uk"]
    assert "марта" in results["ru"]


def _catalogue(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle)


def test_template_is_up_to_date_with_the_code(tmp_path):
    """A new string that was never extracted into messages.pot fails here: run `make messages`."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "--no-location",
            "--sort-output",
            "--ignore-dirs=.* node_modules tests",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    expected = {m.id for m in _catalogue(fresh) if m.id}
    committed = {m.id for m in _catalogue(CATALOGUES / "messages.pot") if m.id}
    assert expected == committed


@pytest.mark.parametrize("locale", ["uk", "ru"])
def test_catalogue_is_complete(locale):
    template = _catalogue(CATALOGUES / "messages.pot")
    catalogue = _catalogue(CATALOGUES / locale / "LC_MESSAGES" / "messages.po")
    assert catalogue.num_plurals == 3
    problems = []
    for message in template:
        if not message.id:
            continue
        found = catalogue.get(message.id)
        if found is None or found.fuzzy:
            problems.append(("missing or fuzzy", message.id))
            continue
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        if len(strings) != (3 if message.pluralizable else 1) or not all(strings):
            problems.append(("untranslated", message.id))
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) - wanted or (
                not message.pluralizable and set(PLACEHOLDER.findall(string)) != wanted
            ):
                problems.append(("placeholders differ", message.id))
    assert problems == []


def test_dates_and_money_reuse_one_babel_locale_per_language(monkeypatch):
    """Given a code or a new Locale, Babel reloads its CLDR data: ten times the cost (issue 8)."""
    from babel import Locale

    from council import i18n
    from council.rules import money

    def format_both() -> None:
        token = i18n.current_locale.set("uk")
        try:
            i18n.format_day(datetime(2026, 11, 23, tzinfo=UTC), UTC)
            money.format_amount(1250, "EUR", "uk")
        finally:
            i18n.current_locale.reset(token)

    format_both()  # the first use may load the language
    parsed: list[str] = []
    original = Locale.parse

    def counting_parse(identifier, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not isinstance(identifier, Locale):  # handing back a ready Locale is free
            parsed.append(str(identifier))
        return original(identifier, *args, **kwargs)

    monkeypatch.setattr(Locale, "parse", counting_parse)
    for _ in range(3):
        format_both()
    assert parsed == []


def test_template_gettext_escapes_variables_and_formats_like_jinjas_newstyle():
    from council.web.rendering import environment

    template = environment.from_string(
        '{{ _("by %(name)s", name=who) }}|{{ _("anonymous") }}|'
        '{{ ngettext("%(num)s day left", "%(num)s days left", n) }}|{% trans %}Help{% endtrans %}'
    )
    token = i18n.current_locale.set("uk")
    try:
        html = template.render(who="<b>x</b>", n=3)
    finally:
        i18n.current_locale.reset(token)
    by, anonymous, days, help_ = html.split("|")
    assert "&lt;b&gt;x&lt;/b&gt;" in by and "<b>" not in by
    assert anonymous == i18n.translations("uk").gettext("anonymous") != "anonymous"
    assert days == "Залишилося 3 дні"
    assert help_ == i18n.translations("uk").gettext("Help")
    assert environment.from_string('{{ _("100%% sure") }}').render() == "100% sure"
