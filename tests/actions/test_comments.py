"""Comment rules without HTTP: rate limits per tag, targets, days left in the reader's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from council.actions import ActionError, Forbidden
from council.models import Throttle
from council.rules.authorship import Author
from council.rules.dates import days_left
from council.rules.targets import Target
from tests.factories import author, post_comment, prepared_consultation


def test_anonymous_posting_is_rate_limited_per_tag_without_storing_it(
    db, settings, people, monkeypatch
):
    monkeypatch.setattr(settings, "comments_per_hour", 2)
    setup = prepared_consultation(db, settings, people)
    amber = author(settings, people["member"])
    post_comment(db, settings, amber, setup, "one")
    post_comment(db, settings, amber, setup, "two")
    with pytest.raises(ActionError) as refused:
        post_comment(db, settings, amber, setup, "three")
    assert "try again tomorrow" in refused.value.message
    # Another member is not slowed down by amber's count.
    post_comment(db, settings, author(settings, people["member2"]), setup, "mine")
    # Counted through the comments' own tags: no counter row at all, so nothing keyed by the
    # tag (or by anything else of the author's) is written with an anonymous comment.
    with db.read() as session:
        assert list(session.execute(select(Throttle)).scalars()) == []


def test_comments_only_on_this_consultations_sections_and_questions(db, settings, people):
    one = prepared_consultation(db, settings, people)
    two = prepared_consultation(db, settings, people)
    amber = author(settings, people["member"])
    for target in (Target(section_id=two.sections[0].id), Target(question_id=two.questions[1].id)):
        with pytest.raises(ActionError):
            post_comment(db, settings, amber, one, "misplaced", target=target)


def test_staff_cannot_comment(db, settings, people):
    setup = prepared_consultation(db, settings, people)
    for role in ("official", "secretariat"):
        with pytest.raises(Forbidden):
            post_comment(db, settings, Author(people[role], None), setup, "no")


def test_choice_answers_must_be_options(db, settings, people):
    setup = prepared_consultation(db, settings, people)
    amber = author(settings, people["member"])
    target = Target(question_id=setup.questions[0].id)
    with pytest.raises(ActionError):
        post_comment(db, settings, amber, setup, "", target=target, choices=["Maybe"])
    with pytest.raises(ActionError):
        post_comment(db, settings, amber, setup, "", target=target, choices=["Yes", "No"])
    post_comment(db, settings, amber, setup, "", target=target, choices=["Yes"])


def test_days_left_counts_in_the_readers_time_zone():
    deadline = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert days_left(deadline, ZoneInfo("UTC"), now) == 1
    # In Kyiv the deadline falls on 2 December already.
    assert days_left(deadline, ZoneInfo("Europe/Kyiv"), now) == 2
    assert days_left(None, ZoneInfo("UTC"), now) is None


def test_target_slugs_round_trip():
    for slug in ("draft", "section-12", "question-3"):
        assert Target.parse(slug).slug == slug
    for bad in ("section-", "section-x", "other-1", "draft-1", "section-" + "9" * 20):
        assert Target.parse(bad) is None


def test_sqlite_keeps_no_insertion_order_for_comments(db):
    if not db.is_sqlite:
        pytest.skip("a SQLite storage detail")
    with db.read() as session:
        sql = session.execute(
            select(text("sql")).select_from(text("sqlite_master")).where(text("name = 'comment'"))
        ).scalar_one()
    assert "WITHOUT ROWID" in sql


@pytest.mark.parametrize("visibility", ["anonymous", "council"])
def test_answering_a_choice_question_again_changes_the_answer(db, settings, people, visibility):
    """One answer per member per question: a second answer replaces the first (found through the
    author's tag or account, as the author finds all their comments), so totals count members."""
    from council.models import Comment
    from council.queries import consultations as cq
    from council.queries.results import results

    setup = prepared_consultation(db, settings, people)
    secretary = people["secretariat"]
    question = setup.questions[0]
    target = Target(question_id=question.id)
    amber = author(settings, people["member"])
    first = post_comment(
        db,
        settings,
        amber,
        setup,
        "",
        target=target,
        choices=["Yes"],
        visibility=visibility,
        approve_by=secretary,
    )
    again = post_comment(
        db,
        settings,
        amber,
        setup,
        "On reflection",
        target=target,
        choices=["No"],
        visibility=visibility,
        approve_by=secretary,
    )
    post_comment(
        db,
        settings,
        author(settings, people["member2"]),
        setup,
        "",
        target=target,
        choices=["No"],
        approve_by=secretary,
    )
    assert again == first
    with db.read() as session:
        answers = (
            session.execute(select(Comment).where(Comment.question_id == question.id))
            .scalars()
            .all()
        )
        assert len(answers) == 2
        mine = session.get(Comment, first)
        assert mine.choices == ["No"] and mine.body == "On reflection"
        assert mine.visibility == visibility
        page = cq.consultation_page(session, setup.consultation_id)
        groups = results(session, page, "The draft")
    counts = next(g for g in groups if g.question and g.question.id == question.id).choice_counts
    assert counts == [("Yes", 0), ("No", 2)]
