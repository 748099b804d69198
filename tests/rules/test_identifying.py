"""The identifying-details nudge finds each kind of detail and leaves ordinary text alone."""

from __future__ import annotations

import pytest

from council.rules.identifying import find


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("write to anna.k@example.org please", "email", "anna.k@example.org"),
        ("call +380 67 123 4567 now", "phone", "+380 67 123 4567"),
        ("call 067 123 4567 now", "phone", "067 123 4567"),
        ("ring 020 7946 0958", "phone", "020 7946 0958"),
        ("see https://example.com/me", "url", "https://example.com/me"),
        ("or www.example.org", "url", "www.example.org"),
        ("I lived at 12 Baker Street then", "address", "12 Baker Street"),
        ("жила на вул. Хрещатик 22", "address", "вул. Хрещатик 22"),
        ("passport AB1234567", "id_number", "AB1234567"),
        ("IBAN UA21 3223 1300 0002 6007 2335 6600 1", "id_number", None),
    ],
)
def test_finds_each_kind(text, kind, found):
    results = find(text)
    assert any(r.kind == kind and (found is None or r.text == found) for r in results), results


@pytest.mark.parametrize(
    "text",
    [
        "Ninety days is better than thirty.",
        "The reflection period should be 90 days, not 30.",
        "In 2024 I went to the shelter twice.",
    ],
)
def test_ordinary_text_passes(text):
    assert find(text) == []
