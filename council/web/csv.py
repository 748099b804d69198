"""CSV downloads: every cell guarded against formula injection, written as it is read.

A spreadsheet must never run a cell as a formula (OWASP "CSV Injection"): text that a
spreadsheet would read as one gets a leading apostrophe. The file is produced row by row, so an
export of any size holds every row without being built in memory first.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack

from sqlmodel import Session
from starlette.responses import StreamingResponse

from council.db import Database

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The CSV text, a line at a time (CRLF, as RFC 4180 and spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        if out.tell() > 16_384:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _closing(chunks: Iterator[str], resource: AbstractContextManager[object]) -> Iterator[str]:
    with resource:
        yield from chunks


def response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    closing: AbstractContextManager[object] | None = None,
) -> StreamingResponse:
    """The download; `closing` (the export's database session) is closed once the last row is
    written, or when the download is abandoned."""
    chunks = lines(header, rows)
    if closing is not None:
        chunks = _closing(chunks, closing)
        # Started here, so that even a download dropped before its first byte closes it (a
        # started generator runs its `with` exit when it is collected).
        chunks = itertools.chain([next(chunks)], chunks)
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def export(
    database: Database,
    filename: str,
    header: Sequence[str],
    prepare: Callable[[Session], Iterable[Sequence[object]]],
) -> StreamingResponse:
    """A download of every row, however many: `prepare(session)` counts them, writes the audit
    line, and returns the rows' iterator, all in one snapshot (Database.snapshot()), so the
    count is exact; the rows are then streamed from that snapshot and it is closed after."""
    stack = ExitStack()
    session = stack.enter_context(database.snapshot())
    try:
        return response(filename, header, prepare(session), closing=stack)
    except BaseException:
        stack.close()
        raise
