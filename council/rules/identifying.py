"""The identifying-details nudge: before a comment is posted, look for what could identify
someone (docs/design.md, "Anonymity") and show the author what was found.

It only asks; it never changes or blocks the text. Phone numbers are found with `phonenumbers`
(Google's libphonenumber), which knows each country's formats far better than a regex could;
the rest are deliberately broad patterns, because asking once too often is cheap and missing a
detail is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from council.i18n import gettext as _

# Regions whose national formats are tried besides international (+...) numbers.
PHONE_REGIONS = ("UA", "GB", "US", "DE", "PL")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|info|io|gov|ua|ru|uk|de|pl|eu)"
    r"(?:/\S*)?\b",
    re.IGNORECASE,
)
_STREET_WORDS = (
    r"street|st\.?|road|rd\.?|avenue|ave\.?|lane|ln\.?|boulevard|blvd\.?|square|drive|way|"
    r"вулиця|вул\.?|проспект|просп\.?|пр-т|провулок|пров\.?|площа|улица|ул\.?|переулок|пер\.?|"
    r"площадь|strasse|straße|ulica|ul\."
)
STREET = re.compile(
    rf"\b\d{{1,5}}[a-zA-Z\u0430-\u044f\u0410-\u042f]?,?\s+(?:[\w'-]+\s+){{0,3}}(?:{_STREET_WORDS})(?=\W|$)"
    rf"|(?<!\w)(?:{_STREET_WORDS})\s+(?:[\w'-]+\s+){{0,3}}\d{{1,5}}[a-zA-Z\u0430-\u044f\u0410-\u042f]?\b",
    re.IGNORECASE,
)
# Passport-like (two letters and six or more digits), IBAN-like, or a long run of digits.
ID_NUMBER = re.compile(
    r"\b[A-Z\u0410-\u042f]{2}\s?\d{6,9}\b"
    r"|\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\b"
    r"|\b\d[\d -]{6,}\d\b"
)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    @property
    def label(self) -> str:
        return {
            "email": _("an email address"),
            "phone": _("a phone number"),
            "url": _("a web address"),
            "address": _("a street address"),
            "id_number": _("an ID or account number"),
        }[self.kind]


def find(text: str) -> list[Finding]:
    """What in `text` could identify someone, each once, in the order found."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        found.append(Finding(kind, text[start:end]))

    for match in EMAIL.finditer(text):
        add("email", match.start(), match.end())
    for match in URL.finditer(text):
        add("url", match.start(), match.end())
    for region in PHONE_REGIONS:
        for phone in phonenumbers.PhoneNumberMatcher(text, region):
            add("phone", phone.start, phone.end)
    for match in STREET.finditer(text):
        add("address", match.start(), match.end())
    for match in ID_NUMBER.finditer(text):
        add("id_number", match.start(), match.end())
    return found


def passages(typed: str) -> list[str]:
    """The passages a moderator asked to redact: one a line, blank lines ignored."""
    return [line.strip() for line in typed.splitlines() if line.strip()]


def passage_pattern(passage: str) -> re.Pattern[str]:
    """A passage as it may stand in the text: any case, any run of spaces or line breaks
    between its words (a moderator retyping it should not have to match either)."""
    words = passage.split()
    return re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)


def redact(text: str, typed: str, mark: str) -> tuple[str, list[str]]:
    """`text` with every passage of `typed` replaced by `mark`, and the passages not found (when
    any is missing, nothing is replaced: the moderator fixes it and tries again)."""
    wanted = passages(typed)
    missing = [p for p in wanted if not passage_pattern(p).search(text)]
    if missing or not wanted:
        return text, missing
    for passage in wanted:
        text = passage_pattern(passage).sub(lambda _match: mark, text)
    return text, []
