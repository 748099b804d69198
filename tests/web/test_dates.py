"""Issue 15: one way to write a date per language, everywhere, and the zone wherever a time is
shown. Templates never print a stored date or time themselves: they go through the i18n filters
(format_day, format_date, format_when), which Babel formats in the reader's language."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from council import i18n

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# A name that holds a date or a time: created_at, occurred_on, deadline, response_due, ...
DATED = re.compile(
    r"(?<![\w\"'])((?:[a-z_]+\.)*(?:[a-z_]+_(?:at|on)|deadline|response_due|date))\b"
)
EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
STRING = re.compile(r'"[^"]*"|\'[^\']*\'')
RAW = re.compile(r"\.isoformat\(|strftime|format_when\([^)]*,")


def raw_dates(text: str) -> list[str]:
    found = [m.group(0) for m in RAW.finditer(text)]
    for expression in EXPRESSION.findall(text):
        expression = STRING.sub('""', expression)  # words in messages are not dates
        for match in DATED.finditer(expression):
            before = expression[: match.start()].rstrip()
            after = expression[match.end() :].lstrip()
            if after.startswith("|") and re.match(r"\|\s*format_(day|date|when)\b", after):
                continue
            # A condition (`x if e.paid_at else ...`), a form value the browser reads as ISO
            # (`value=values.occurred_on`), or a key, not something printed.
            if re.search(r"(\bif|\band|\bor|\bnot|value=|\()$", before) or after.startswith(
                ("(", "=")
            ):
                continue
            found.append(match.group(1))
    return found


def test_the_scan_sees_raw_dates() -> None:
    """It is not blind: an ISO date, a bare time and a time without its zone are caught."""
    assert raw_dates("{{ e.occurred_on.isoformat() }}")
    assert raw_dates("<td>{{ row.event.at }}</td>{{ a.created_at }}")
    assert raw_dates('{{ c.deadline | format_when(zone, "short") }}')
    assert not raw_dates("{{ c.deadline | format_when(zone) }} {{ e.paid_at | format_day(zone) }}")
    assert not raw_dates('{{ forms.input("occurred_on", value=values.occurred_on) }}')


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_prints_a_raw_date(path: Path) -> None:
    assert raw_dates(path.read_text()) == []


MOMENT = datetime(2026, 12, 29, 19, 17, tzinfo=UTC)
KYIV = ZoneInfo("Europe/Kyiv")


@pytest.mark.parametrize(
    "locale,day,when",
    [
        ("en", "Dec 29, 2026", "Dec 29, 2026, 9:17 PM"),
        ("uk", "29 груд. 2026 р.", "29 груд. 2026 р., 21:17"),  # noqa: RUF001
        ("ru", "29 дек. 2026 г.", "29 дек. 2026 г., 21:17"),  # noqa: RUF001
    ],
)
def test_one_way_per_language_with_the_zone_when_there_is_a_time(locale, day, when) -> None:
    def spaced(text: str) -> str:  # CLDR's no-break spaces, as plain ones
        return text.replace("\u202f", " ").replace("\xa0", " ")

    token = i18n.current_locale.set(locale)
    try:
        assert spaced(i18n.format_day(MOMENT, KYIV)) == day
        assert spaced(i18n.format_calendar_day(date(2026, 12, 29))) == day
        shown = spaced(i18n.format_when(MOMENT, KYIV))
        assert shown.startswith(when), shown
        assert shown.endswith(("EET", "GMT+2", "GMT+02:00", "(Europe/Kyiv)")), shown
    finally:
        i18n.current_locale.reset(token)
