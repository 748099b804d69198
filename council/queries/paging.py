"""Pages of a list: one more row than a page is asked for, so "is there a next page?" costs no
count of the whole list."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session

Row = TypeVar("Row")


def offset(page: int, size: int) -> int:
    return (max(page, 1) - 1) * size


def rows(session: Session, query: Any, page: int, size: int) -> tuple[list[Any], bool]:
    """One page of a query's rows (tuples), and whether another page follows."""
    found = list(session.execute(query.offset(offset(page, size)).limit(size + 1)).all())
    return found[:size], len(found) > size


def scalars(session: Session, query: Any, page: int, size: int) -> tuple[list[Any], bool]:
    """One page of a query's first column (ORM objects for `select(Model)`), and whether another
    page follows."""
    found = list(session.execute(query.offset(offset(page, size)).limit(size + 1)).scalars())
    return found[:size], len(found) > size


def trim(found: list[Row], size: int) -> tuple[list[Row], bool]:
    """For a list fetched with `size + 1` rows some other way."""
    return found[:size], len(found) > size
