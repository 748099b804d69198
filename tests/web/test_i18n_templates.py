"""Every word a person reads in a template goes through gettext.

Jinja's lexer splits a template into its own syntax and raw text; the raw text, with HTML tags,
entities and attribute values that are not read aloud removed, must hold no letters.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Attributes whose values people read (or hear from a screen reader).
READ_ATTRIBUTES = re.compile(
    r'\b(?:alt|title|placeholder|aria-label)="([^"\x00]*[A-Za-z][^"\x00]*)"'
)
TAG = re.compile(r"<[^>]*>")
ENTITY = re.compile(r"&[a-z]+;|&#\d+;")


def raw_text_outside_gettext(source: str) -> list[str]:
    """The words of a template outside gettext. Jinja's own syntax (and all of a {% trans %}
    block) is replaced by a marker, so that tags split by expressions still read as tags."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    skeleton: list[str] = []
    depth = 0
    tokens = list(env.lex(source))
    for index, (_line, kind, value) in enumerate(tokens):
        if kind == "name" and value == "trans" and tokens[index - 2][1] == "block_begin":
            depth += 1
        elif kind == "name" and value == "endtrans":
            depth -= 1
        if kind == "data" and not depth:
            skeleton.append(value)
        elif not skeleton or skeleton[-1] != "\x00":
            skeleton.append("\x00")
    markup = "".join(skeleton)
    found = [m.group(1) for m in READ_ATTRIBUTES.finditer(markup)]
    for chunk in ENTITY.sub(" ", TAG.sub(" ", markup)).split("\x00"):
        if re.search(r"[^\W\d_]", chunk):
            found.append(chunk.strip())
    return found


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_user_visible_text_outside_gettext(template: Path) -> None:
    assert raw_text_outside_gettext(template.read_text(encoding="utf-8")) == []


def test_the_check_itself_finds_bare_text() -> None:
    assert raw_text_outside_gettext("<p>Hello</p>") == ["Hello"]
    assert raw_text_outside_gettext('<img alt="A picture">') == ["A picture"]
    assert raw_text_outside_gettext("<p>{{ _('Hello') }}</p>") == []
    assert raw_text_outside_gettext("<p>{% trans %}Hello{% endtrans %}</p>") == []
