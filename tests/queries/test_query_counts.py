"""Every page the benchmark measures (bench/data.py PAGES) issues at most 15 SQL statements, and
the same number for a small data set and one five times bigger: no page's queries grow with the
council's work (issue 8). The data sets are the benchmark's own, built through the actions at a
tiny scale; the counts are measured exactly as `make bench` measures them."""

from __future__ import annotations

from bench import data
from bench.run import MAX_QUERIES, measure_in_process, pages
from tests.conftest import make_settings

SMALL = 0.01  # 5 members, 1 draft of 30 sections, 1 consultation, 500 comments, 50 engagements
BIGGER = 0.05  # then 2,500 more comments (100 more on the measured consultation), ...


def test_every_benchmarked_page_issues_at_most_15_statements_whatever_the_size(database_url):
    settings = make_settings(database_url, comments_per_hour=data.UNTHROTTLED, bench=True)
    builder = data.Builder(database_url, scale=SMALL, settings=settings)
    fixture = builder.build()
    _sessions, small = measure_in_process(settings, fixture)
    with builder.db.read() as session:
        before = data.comment_count(session, fixture.ids["consultation"])

    builder.scale = BIGGER
    builder.grow()
    builder.db.dispose()
    _sessions, bigger = measure_in_process(settings, fixture)
    with builder.db.read() as session:
        after = data.comment_count(session, fixture.ids["consultation"])
    builder.db.dispose()

    assert after >= before + 100  # the measured consultation did grow
    assert set(small) == {p.label for p in pages()}
    counts = {label: (count, bigger[label][0]) for label, (count, _size) in small.items()}
    assert {k: v for k, v in counts.items() if max(v) > MAX_QUERIES or v[0] != v[1]} == {}
