"""What a person typed, as every handler takes it: the form, cleaned text, numbers and dates.

Typed form models, after Zulip's `typed_endpoint`: a form is a dataclass whose fields say what
each input is (`Annotated[str, Text(300)]`, `Annotated[bool, Flag()]`, ...), and `parse(request,
Model)` reads every field the same way. A handler never writes a parser of its own, so a bound or
a cleaning rule holds on every form.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import (
    Annotated,
    Any,
    TypeVar,
    dataclass_transform,
    get_args,
    get_origin,
    get_type_hints,
)

from starlette.datastructures import FormData
from starlette.requests import Request

from council.actions import ActionError
from council.i18n import gettext as _

# Bidirectional embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574) can make text
# display as something else, in our pages or in a CSV opened later; NUL and other C0 controls have
# no place in a form. The marks right-to-left text needs (U+200E, U+200F, U+061C) are kept.
_UNSAFE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

# The largest id any of our integer columns holds; anything past it names nothing.
MAX_ID = 2**31 - 1
# A bigger page number is only a costly OFFSET onto nothing.
MAX_PAGE = 100_000


def form(request: Request) -> FormData:
    """The body of a POST, parsed once by the CSRF middleware."""
    return request.scope.get("council.form") or FormData()


def clean_text(value: str, max_length: int = 10_000) -> str:
    """Text a person typed, as every handler should take it: bounded and without the controls
    above. Escaping is left to Jinja's autoescape (and nh3 for Markdown)."""
    return _UNSAFE_CONTROLS.sub("", value[:max_length])


# Where a request keeps the fields that were longer than their bound: (name, bound, length).
TOO_LONG = "council.too_long"


def field(request: Request, name: str, max_length: int = 10_000) -> str:
    """Text a person typed in the form, whole (the body limit bounds it), without the controls
    above. Longer than `max_length`, it is not cut: the request remembers it, and every write of
    this request is refused with `too_long(request)` (council/web/request.py), so the page shows
    the text again, whole, with what to fix, and nothing over-long is stored."""
    value = form(request).get(name)
    if not isinstance(value, str):
        return ""
    text = _UNSAFE_CONTROLS.sub("", value)
    if len(text) > max_length:
        request.scope.setdefault(TOO_LONG, []).append((name, max_length, len(text)))
    return text


def too_long(request: Request) -> ActionError | None:
    """Why this request's writes are refused, if a text it carries is longer than its bound."""
    found = request.scope.get(TOO_LONG)
    if not found:
        return None
    name, bound, length = found[0]
    message = _(
        "This text is too long: it can be at most %(max)s characters, and it has %(n)s. "
        "Nothing was saved; your text is still here, whole, to shorten.",
        max=bound,
        n=length,
    )
    return ActionError(message, name)


def _choice(request: Request, name: str, max_length: int) -> str:
    """A value the page chose (a checkbox, an option, an id): cut, never typed by a person."""
    value = form(request).get(name)
    return clean_text(value, max_length) if isinstance(value, str) else ""


def query(request: Request, name: str, max_length: int = 200) -> str:
    """A query-string parameter, cleaned like a form field."""
    return clean_text(request.query_params.get(name, ""), max_length)


def positive_id(value: str | None) -> int | None:
    """An id typed in a form or a query string: a whole number a column can hold, else None."""
    text = (value or "").strip()
    if not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def page_number(request: Request, name: str = "page") -> int:
    """A 1-based page number from the query string: 1 when missing or not a number, and at
    most MAX_PAGE."""
    try:
        return min(max(1, int(request.query_params.get(name, "1")[:7])), MAX_PAGE)
    except ValueError:
        return 1


def iso_day(value: str) -> date | None:
    """A date written year-month-day (what <input type=date> sends), or None."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


# --- typed form models -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Text:
    """Cleaned text of at most `max_length` characters ("" when missing); longer, it is kept
    whole and the request's writes are refused (see field())."""

    max_length: int = 10_000


@dataclasses.dataclass(frozen=True)
class Flag:
    """A checkbox: true when sent with `value` (any non-empty value when `value` is None)."""

    value: str | None = "yes"


@dataclasses.dataclass(frozen=True)
class OneOf:
    """One of a fixed set of values, else `default`."""

    values: tuple[str, ...]
    default: str = ""


@dataclasses.dataclass(frozen=True)
class Id:
    """An id (see positive_id): None when missing or not one."""


@dataclasses.dataclass(frozen=True)
class Many:
    """Every value sent under the name (checkboxes), at most `limit` of them."""

    limit: int = 50
    max_length: int = 200


def _read(request: Request, name: str, spec: object) -> Any:
    if isinstance(spec, Text):
        return field(request, name, spec.max_length)
    if isinstance(spec, Flag):
        sent = _choice(request, name, 20)
        return bool(sent) if spec.value is None else sent == spec.value
    if isinstance(spec, OneOf):
        sent = _choice(request, name, max(len(v) for v in spec.values) + 1)
        return sent if sent in spec.values else spec.default
    if isinstance(spec, Id):
        return positive_id(_choice(request, name, 12))
    if isinstance(spec, Many):
        values = [v for v in form(request).getlist(name) if isinstance(v, str)]
        return [clean_text(v, spec.max_length) for v in values[: spec.limit]]
    raise TypeError(f"no form reader for {spec!r}")


@dataclass_transform()
class Form:
    """A typed form model: subclasses are dataclasses whose fields say how to read each input
    (`name: Annotated[str, Text(60)] = ""`)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(cls)


FormModel = TypeVar("FormModel", bound=Form)


def parse(request: Request, model: type[FormModel]) -> FormModel:
    """Read a typed form model (a dataclass of Annotated fields) from the posted form."""
    hints = get_type_hints(model, include_extras=True)
    values: dict[str, Any] = {}
    for item in dataclasses.fields(model):  # type: ignore[arg-type]
        hint = hints[item.name]
        if get_origin(hint) is not Annotated:
            raise TypeError(f"{model.__name__}.{item.name} says nothing of how to read it")
        values[item.name] = _read(request, item.name, get_args(hint)[1])
    return model(**values)
