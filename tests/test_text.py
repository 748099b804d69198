"""Markdown is sanitised; word diffs read as the text itself."""

from __future__ import annotations

from council.text import markdown, word_diff


def test_no_raw_html_survives():
    html = str(markdown("<script>alert(1)</script><img src=x onerror=alert(1)> **bold**"))
    # Shown as text, never as tags.
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html


def test_dangerous_links_are_dropped_and_safe_ones_marked():
    html = str(markdown("[a](javascript:alert(1)) [b](https://example.org)"))
    assert "javascript:" not in html.replace("[a](javascript:alert(1))", "")
    assert 'href="https://example.org"' in html and "noreferrer" in html


def test_word_diff():
    pieces = word_diff("within 48 hours", "within 24 hours")
    assert [(p.kind, p.text) for p in pieces] == [
        ("same", "within "),
        ("delete", "48"),
        ("insert", "24"),
        ("same", " hours"),
    ]


def test_a_text_is_rendered_once_and_a_changed_text_anew():
    markdown.cache_clear()
    first = markdown("A section *once*.")
    again = markdown("A section *once*.")
    assert again is first and markdown.cache_info().hits == 1
    assert "<em>twice</em>" in markdown("A section *twice*.")
