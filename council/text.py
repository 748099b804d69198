"""Markdown to safe HTML, and word-level "what changed" between two texts.

`MarkdownIt("js-default")` does not pass raw HTML through (plain `MarkdownIt()` does), and nh3
(the Rust ammonia sanitiser) then removes anything that is still not on its allow-list, so a
draft's text can never carry a script, a style or an event handler onto a member's phone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("js-default")
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3",
    "h4", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href"}}


# Markdown here is published or draft content (sections, positions, answers), never a comment:
# rendering a text once per worker and keeping it by the text itself means a changed text is a
# new key, so nothing stale is ever shown and no write has to drop anything. 2,048 texts of a
# few kilobytes each is a few megabytes per worker.
@lru_cache(maxsize=2048)
def markdown(source: str) -> Markup:
    html = _markdown.render(source or "")
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704  # nosec B704  (sanitised by nh3 just above)


_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    """A run of text that is the same, inserted or deleted."""

    kind: str  # "same", "insert", "delete"
    text: str


def word_diff(old: str, new: str) -> list[Piece]:
    """Word-by-word differences, whitespace kept, so the result reads as the text itself."""
    a = _TOKEN.findall(old or "")
    b = _TOKEN.findall(new or "")
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return pieces
