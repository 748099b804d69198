"""Commenting, anonymity and moderation over HTTP, as members, staff and attackers would use them."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select, text, update
from sqlmodel import SQLModel

from council.actions import accounts
from council.actions import comments as comment_actions
from council.actions import moderation as moderation_actions
from council.models import REDACTED, AuditEvent, Comment, Consultation, ModeratorNote, User, utcnow
from council.queries import comments as comment_queries
from council.rules.targets import Target
from tests.conftest import PG_URL, csrf_from, new_client, post, sign_in, statements_on_reload
from tests.factories import author, post_comment, prepared_consultation

HX = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture
def setup(db, settings, people):
    return prepared_consultation(db, settings, people)


def section_url(setup, index=0):
    return f"/consultations/{setup.consultation_id}/on/section-{setup.sections[index].id}"


def comment_rows(db):
    with db.read() as session:
        return list(session.execute(select(Comment)).scalars())


def send(client, url, body, **extra):
    data = {"body": body, "visibility": "anonymous", **extra}
    return post(client, url, data, page=url)


# --- posting -----------------------------------------------------------------------------------


def test_anonymous_comment_without_javascript_redirects_back_to_the_section(
    signed_in, db, setup, people
):
    client = signed_in("member")
    url = section_url(setup)
    response = send(client, url, "Ninety days would help.")
    assert response.status_code == 303
    assert response.headers["location"] == url + "#comments"
    page = client.get(url)
    assert "Ninety days would help." in page.text
    assert "waiting for moderation" in page.text
    [row] = comment_rows(db)
    assert row.author_id is None
    assert row.author_tag == author(db_settings(db), people["member"]).tag(setup.consultation_id)
    assert row.created_on == row.created_on.replace(hour=0, minute=0, second=0, microsecond=0)
    assert re.fullmatch(r"[0-9a-f-]{36}", row.id)


def db_settings(db):
    from tests.conftest import make_settings

    return make_settings(db.url)


def test_posting_with_htmx_returns_only_the_comment_list(signed_in, setup):
    client = signed_in("member")
    url = section_url(setup)
    response = post(
        client, url, {"body": "Swapped in place.", "visibility": "anonymous"}, page=url, headers=HX
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="comments"')
    assert "<html" not in response.text
    assert "Swapped in place." in response.text
    assert "Thank you. Your comment is sent" in response.text


def test_council_visible_comment_stores_the_author(signed_in, db, setup, people):
    client = signed_in("member")
    assert send(client, section_url(setup), "Named.", visibility="council").status_code == 303
    [row] = comment_rows(db)
    assert row.author_id == people["member"].id and row.author_tag is None


def test_choice_answer_is_counted_on_the_results_page(signed_in, db, setup, people):
    member = signed_in("member")
    url = f"/consultations/{setup.consultation_id}/on/question-{setup.questions[0].id}"
    response = post(member, url, {"choices": "No", "body": "", "visibility": "anonymous"}, page=url)
    assert response.status_code == 303, response.text
    [row] = comment_rows(db)
    secretariat = signed_in("secretariat")
    assert post(secretariat, f"/moderation/{row.id}/approve", page="/moderation").status_code == 303
    results = signed_in("official").get(f"/consultations/{setup.consultation_id}/results")
    assert '<span lang="en">No</span>: 1 answer' in results.text
    assert '<span lang="en">Yes</span>: 0 answers' in results.text
    assert "<svg" in results.text


def test_answering_a_single_choice_question_again_changes_the_answer(signed_in, db, setup):
    member = signed_in("member")
    url = f"/consultations/{setup.consultation_id}/on/question-{setup.questions[0].id}"
    first = {"choices": "No", "body": "", "visibility": "anonymous"}
    assert post(member, url, first, page=url).status_code == 303
    page = member.get(url).text
    assert "Change your answer" in page and "Your answer stays anonymous." in page
    again = {"choices": "Yes", "body": "", "visibility": "anonymous"}
    assert post(member, url, again, page=url, headers=HX).status_code == 200
    [row] = comment_rows(db)
    assert row.choices == ["Yes"]
    secretariat = signed_in("secretariat")
    assert post(secretariat, f"/moderation/{row.id}/approve", page="/moderation").status_code == 303
    for _ in range(2):
        post(member, url, {"choices": "No", "body": "", "visibility": "anonymous"}, page=url)
    [row] = comment_rows(db)
    assert row.choices == ["No"] and row.status == "pending"


def test_member_without_anonymity_key_is_asked_to_sign_in_again(signed_in, db, app, setup):
    client = signed_in("member")
    with app.state.db.write() as session:
        session.execute(text("UPDATE web_session SET anonymity_key_wrapped = NULL"))
    url = section_url(setup)
    response = send(client, url, "Keep this text")
    assert response.status_code == 400
    assert "sign out and sign in again" in response.text
    assert "Keep this text" in response.text
    assert comment_rows(db) == []


# --- the nudge ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("detail", "label"),
    [
        ("write to anna.k@example.org", "an email address"),
        ("call +380 67 123 4567", "a phone number"),
        ("see https://example.com/me", "a web address"),
        ("I lived at 12 Baker Street", "a street address"),
        ("my passport AB1234567", "an ID or account number"),
    ],
)
def test_nudge_fires_and_keeps_the_text(signed_in, db, setup, detail, label):
    client = signed_in("member")
    url = section_url(setup)
    body = f"Before that, {detail}, and then I left."
    response = send(client, url, body)
    assert response.status_code == 200
    assert "could identify you or someone else" in response.text
    assert label in response.text
    assert f">{body}</textarea>" in response.text
    assert comment_rows(db) == []  # nothing posted until the member chooses
    # Choosing "post it as it is" posts the same text.
    response = post(
        client, url, {"body": body, "visibility": "anonymous", "confirmed": "yes"}, page=url
    )
    assert response.status_code == 303
    assert [r.body for r in comment_rows(db)] == [body]


def test_nudge_works_through_htmx_too(signed_in, setup):
    client = signed_in("member")
    url = section_url(setup)
    response = post(
        client, url, {"body": "mail me: x@y.org", "visibility": "anonymous"}, page=url, headers=HX
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "an email address" in response.text
    assert "mail me: x@y.org</textarea>" in response.text


# --- deadlines ---------------------------------------------------------------------------------


def test_comment_after_the_deadline_is_refused_and_the_text_shown_back(signed_in, db, setup):
    client = signed_in("member")
    url = section_url(setup)
    page = client.get(url)
    with db.write() as session:
        session.execute(update(Consultation).values(deadline=utcnow() - timedelta(minutes=1)))
    typed = "This took me an hour to write."
    response = client.post(
        url, data={"body": typed, "visibility": "anonymous", "csrf_token": csrf_from(page.text)}
    )
    assert response.status_code == 400
    assert "The deadline for comments on this consultation has passed" in response.text
    assert typed in response.text
    assert comment_rows(db) == []


# --- the author's own comments -----------------------------------------------------------------


def test_author_edits_and_withdraws_after_signing_out_and_in(app, db, setup, people):
    url = section_url(setup)
    with new_client(app) as client:
        assert sign_in(client, "amber").status_code == 303
        assert send(client, url, "First words.").status_code == 303
        [row] = comment_rows(db)
        assert post(client, "/signout").status_code == 303
    with new_client(app) as client:
        assert sign_in(client, "amber").status_code == 303
        overview = client.get(f"/consultations/{setup.consultation_id}")
        assert "First words." in overview.text
        edit_url = f"/comments/{row.id}/edit"
        assert client.get(edit_url).status_code == 200
        response = post(client, edit_url, {"body": "Better words."}, page=edit_url)
        assert response.status_code == 303
        assert [r.body for r in comment_rows(db)] == ["Better words."]
        response = post(client, f"/comments/{row.id}/withdraw", page=url)
        assert response.status_code == 303
        assert comment_rows(db) == []


def test_nobody_else_can_edit_or_withdraw_a_comment(signed_in, db, settings, setup, people):
    mine = post_comment(db, settings, author(settings, people["member"]), setup, "Mine.")
    named = post_comment(
        db, settings, author(settings, people["member"]), setup, "Named.", visibility="council"
    )
    for role in ("member2", "chair"):
        other = signed_in(role)
        for comment_id in (mine, named):
            assert other.get(f"/comments/{comment_id}/edit").status_code == 404
            response = post(other, f"/comments/{comment_id}/edit", {"body": "hijacked"})
            assert response.status_code == 404
            assert post(other, f"/comments/{comment_id}/withdraw").status_code == 404
    for role in ("official", "secretariat"):
        assert signed_in(role).get(f"/comments/{mine}/edit").status_code == 403
    assert sorted(r.body for r in comment_rows(db)) == ["Mine.", "Named."]


def test_passphrase_reset_leaves_anonymous_comments_published_but_not_editable(
    client, signed_in, db, settings, setup, people
):
    url = section_url(setup)
    assert sign_in(client, "amber").status_code == 303
    form = client.get(url).text
    assert "After a passphrase reset you can no longer edit or withdraw it." in form
    assert send(client, url, "Written before the reset.").status_code == 303
    [row] = comment_rows(db)
    with db.write() as session:
        moderation_actions.approve(session, people["secretariat"], row.id)
        codes = accounts.new_recovery_codes(session, session.get(User, people["member"].id))
    assert post(client, "/signout").status_code == 303
    new = "a whole new passphrase here"
    page = client.get("/recover")
    assert "can no longer edit or withdraw them" in page.text
    response = client.post(
        "/recover",
        data={
            "name": "amber",
            "code": codes[0],
            "passphrase": new,
            "passphrase_again": new,
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.status_code == 303
    assert sign_in(client, "amber", new).status_code == 303
    overview = client.get(f"/consultations/{setup.consultation_id}")
    assert "Written before the reset." not in overview.text.split('id="yours"')[1]
    assert client.get(f"/comments/{row.id}/edit").status_code == 404
    assert post(client, f"/comments/{row.id}/withdraw", page=url).status_code == 404
    # Still published.
    results = signed_in("official").get(f"/consultations/{setup.consultation_id}/results")
    assert "Written before the reset." in results.text


# --- who sees what -----------------------------------------------------------------------------


def _official_pages(setup):
    c = setup.consultation_id
    urls = [
        "/consultations",
        f"/consultations/{c}",
        f"/consultations/{c}/on/draft",
        f"/consultations/{c}/settings",
        f"/consultations/{c}/results",
        f"/consultations/{c}/results.csv",
        f"/drafts/{setup.draft_id}",
    ]
    urls += [f"/consultations/{c}/on/section-{s.id}" for s in setup.sections]
    urls += [f"/consultations/{c}/on/question-{q.id}" for q in setup.questions]
    return urls


def test_an_official_never_receives_an_author(signed_in, db, settings, setup, people):
    secretary = people["secretariat"]
    amber, birch = author(settings, people["member"]), author(settings, people["member2"])
    post_comment(db, settings, amber, setup, "Anonymous view.", approve_by=secretary)
    post_comment(
        db,
        settings,
        birch,
        setup,
        "Council-visible view.",
        visibility="council",
        approve_by=secretary,
    )
    post_comment(
        db,
        settings,
        amber,
        setup,
        "",
        target=Target(question_id=setup.questions[0].id),
        choices=["Yes"],
        visibility="council",
        approve_by=secretary,
    )
    post_comment(db, settings, birch, setup, "Pending, never shown.", visibility="council")
    tags = {r.author_tag for r in comment_rows(db) if r.author_tag}
    official = signed_in("official")
    seen = ""
    for url in _official_pages(setup):
        response = official.get(url)
        assert response.status_code == 200, url
        body = response.text
        seen += body
        for secret in ("amber", "birch", *tags):
            assert secret not in body, (url, secret)
        assert "Pending, never shown." not in body
    assert "Anonymous view." in seen and "Council-visible view." in seen
    csv_text = official.get(f"/consultations/{setup.consultation_id}/results.csv").text
    header = csv_text.splitlines()[0].lower()
    assert "author" not in header and "pseudonym" not in header and "member" not in header


def test_the_secretariat_cannot_see_who_wrote_an_anonymous_comment(
    signed_in, db, settings, setup, people
):
    amber, birch = author(settings, people["member"]), author(settings, people["member2"])
    anonymous_id = post_comment(db, settings, amber, setup, "Only a tag links me.")
    post_comment(db, settings, birch, setup, "You may know me.", visibility="council")
    secretariat = signed_in("secretariat")
    queue = secretariat.get("/moderation").text
    assert "Only a tag links me." in queue and "You may know me." in queue
    assert "birch" in queue  # council-visible: the pseudonym is shown to the secretariat
    assert "amber" not in queue
    approve = post(secretariat, f"/moderation/{anonymous_id}/approve", page="/moderation")
    assert approve.status_code == 303
    for url in [
        section_url(setup),
        f"/consultations/{setup.consultation_id}/results",
        "/secretariat/audit",
    ]:
        assert "amber" not in secretariat.get(url).text, url
    # In the database, the only link from the comment to anyone is the tag.
    with db.read() as session:
        row = session.get(Comment, anonymous_id)
        assert row.author_id is None
        assert row.author_tag == amber.tag(setup.consultation_id)
        events = list(session.execute(select(AuditEvent)).scalars())
    assert not any(e.actor_id == people["member"].id for e in events)
    assert not any(row.author_tag in str(e.detail) for e in events)
    # Nothing else in the database holds the tag (the rate limiter keys are keyed hashes).
    dump = _database_text(db)
    assert dump.count(row.author_tag) == 1


def test_members_see_others_comments_only_where_discussion_is_allowed(
    signed_in, db, settings, people
):
    closed = prepared_consultation(db, settings, people, allow_discussion=False)
    birch = author(settings, people["member2"])
    post_comment(
        db, settings, birch, closed, "Not for other members.", approve_by=people["secretariat"]
    )
    amber_client = signed_in("member")
    assert "Not for other members." not in amber_client.get(section_url(closed)).text
    assert "Not for other members." in signed_in("official").get(section_url(closed)).text
    opened = prepared_consultation(db, settings, people, allow_discussion=True)
    post_comment(
        db,
        settings,
        birch,
        opened,
        "For the council.",
        visibility="council",
        approve_by=people["secretariat"],
    )
    page = amber_client.get(section_url(opened)).text
    assert "For the council." in page and "birch" in page


def test_unapproved_comments_are_not_shown_to_others(signed_in, db, settings, setup, people):
    post_comment(db, settings, author(settings, people["member2"]), setup, "Still pending.")
    for role in ("member", "official", "chair"):
        assert "Still pending." not in signed_in(role).get(section_url(setup)).text


# --- moderation --------------------------------------------------------------------------------


def test_reject_with_reason_is_shown_to_the_author(signed_in, db, settings, setup, people):
    comment_id = post_comment(
        db, settings, author(settings, people["member"]), setup, "Rejected text."
    )
    secretariat = signed_in("secretariat")
    response = post(
        secretariat,
        f"/moderation/{comment_id}/reject",
        {"reason": "Please remove the name."},
        page="/moderation",
    )
    assert response.status_code == 303
    page = signed_in("member").get(f"/consultations/{setup.consultation_id}").text
    assert "Please remove the name." in page
    assert (
        "Please remove the name."
        not in signed_in("member2").get(f"/consultations/{setup.consultation_id}").text
    )


def test_reject_without_reason_is_refused(signed_in, db, settings, setup, people):
    comment_id = post_comment(db, settings, author(settings, people["member"]), setup, "Text.")
    response = post(
        signed_in("secretariat"),
        f"/moderation/{comment_id}/reject",
        {"reason": " "},
        page="/moderation",
        headers=HX,
    )
    assert response.status_code == 400 and "Give a reason" in response.text
    assert comment_rows(db)[0].status == "pending"


def _database_text(db) -> str:
    """Every value of every table, as text."""
    parts = []
    with db.read() as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in session.execute(table.select()):
                parts.append(repr(tuple(row)))
    return "\n".join(parts)


def test_redaction_leaves_no_trace_of_the_passage(signed_in, db, settings, setup, people):
    passage = "Olena Petrenko from Lviv"
    comment_id = post_comment(
        db, settings, author(settings, people["member"]), setup, f"It happened to {passage}, twice."
    )
    secretariat = signed_in("secretariat")
    response = post(
        secretariat,
        f"/moderation/{comment_id}/redact",
        {"passage": passage},
        page="/moderation",
        headers=HX,
    )
    assert response.status_code == 200 and "The passage is redacted" in response.text
    with db.read() as session:
        assert session.get(Comment, comment_id).body == f"It happened to {REDACTED}, twice."
    assert passage not in _database_text(db)
    if not PG_URL:
        # Not in the file either: secure_delete zeroes the old cell, the WAL was checkpointed.
        path = Path(settings.database_url.removeprefix("sqlite:///"))
        for file in (path, Path(f"{path}-wal")):
            if file.exists():
                assert passage.encode() not in file.read_bytes(), file


def test_redacting_a_passage_that_is_not_there_is_refused(signed_in, db, settings, setup, people):
    comment_id = post_comment(
        db, settings, author(settings, people["member"]), setup, "Plain text."
    )
    response = post(
        signed_in("secretariat"),
        f"/moderation/{comment_id}/redact",
        {"passage": "absent"},
        page="/moderation",
        headers=HX,
    )
    assert response.status_code == 400
    assert comment_rows(db)[0].body == "Plain text."


def test_a_moderators_note_reaches_the_anonymous_author_and_nobody_else(
    signed_in, db, settings, setup, people
):
    comment_id = post_comment(
        db, settings, author(settings, people["member"]), setup, "Worrying text."
    )
    note = "Are you safe? Reply by editing your comment."
    response = post(
        signed_in("secretariat"),
        f"/moderation/{comment_id}/note",
        {"note": note},
        page="/moderation",
    )
    assert response.status_code == 303
    with db.read() as session:
        [stored] = session.execute(select(ModeratorNote)).scalars()
    assert stored.comment_id == comment_id
    overview = f"/consultations/{setup.consultation_id}"
    assert note in signed_in("member").get(overview).text
    assert note in signed_in("member").get(section_url(setup)).text
    for role in ("member2", "chair", "official"):
        client = signed_in(role)
        for url in (overview, section_url(setup)):
            assert note not in client.get(url).text, (role, url)


def test_only_the_secretariat_moderates(signed_in, db, settings, setup, people):
    comment_id = post_comment(db, settings, author(settings, people["member"]), setup, "Text.")
    for role in ("member", "member2", "official"):
        assert post(signed_in(role), f"/moderation/{comment_id}/approve").status_code == 403
    assert comment_rows(db)[0].status == "pending"


def test_queue_is_oldest_first(signed_in, db, settings, setup, people):
    newer = post_comment(db, settings, author(settings, people["member"]), setup, "Newer one.")
    older = post_comment(db, settings, author(settings, people["member2"]), setup, "Older one.")
    with db.write() as session:
        session.get(Comment, older).created_on = session.get(Comment, newer).created_on - timedelta(
            days=2
        )
    queue = signed_in("secretariat").get("/moderation").text
    assert queue.index("Older one.") < queue.index("Newer one.")


# --- query counts ------------------------------------------------------------------------------


def test_consultation_pages_issue_the_same_queries_for_10_and_1000_comments(
    app, signed_in, db, settings, setup, people, monkeypatch
):
    monkeypatch.setattr(settings, "comments_per_hour", 10**6)
    writers = [author(settings, people["member2"]), author(settings, people["chair"])]

    def add(n):
        with db.write() as session:
            for i in range(n):
                who = writers[i % 2]
                comment = comment_actions.post(
                    session,
                    settings,
                    who,
                    setup.consultation_id,
                    Target(section_id=setup.sections[0].id),
                    body=f"Comment {i}",
                    visibility="council" if i % 3 else "anonymous",
                )
                moderation_actions.approve(session, people["secretariat"], comment.id)

    member, official = signed_in("member"), signed_in("official")
    urls = [f"/consultations/{setup.consultation_id}", section_url(setup)]

    def measure() -> list[int]:
        return [statements_on_reload(app, c, url) for c in (member, official) for url in urls]

    add(10)
    with_ten = measure()
    add(990)
    with_thousand = measure()
    assert with_ten == with_thousand
    assert "Comment 999" not in member.get(section_url(setup)).text  # paged
    assert "Later comments" in member.get(section_url(setup)).text


def test_withdrawing_with_htmx_swaps_the_list_and_leaves_no_trace(signed_in, db, settings, setup):
    client = signed_in("member")
    url = section_url(setup)
    words = "Words I no longer want anywhere"
    assert send(client, url, words).status_code == 303
    [row] = comment_rows(db)
    response = post(client, f"/comments/{row.id}/withdraw", page=url, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="comments"')
    assert "Your comment is withdrawn" in response.text and words not in response.text
    assert comment_rows(db) == []
    assert words not in _database_text(db)
    if not PG_URL:
        path = Path(settings.database_url.removeprefix("sqlite:///"))
        for file in (path, Path(f"{path}-wal")):
            if file.exists():
                assert words.encode() not in file.read_bytes(), file


def test_editing_after_the_deadline_is_refused_and_the_text_kept(signed_in, db, setup):
    client = signed_in("member")
    url = section_url(setup)
    assert send(client, url, "Before the deadline.").status_code == 303
    [row] = comment_rows(db)
    edit_url = f"/comments/{row.id}/edit"
    page = client.get(edit_url)
    with db.write() as session:
        session.execute(update(Consultation).values(deadline=utcnow() - timedelta(minutes=1)))
    response = client.post(
        edit_url, data={"body": "A late change.", "csrf_token": csrf_from(page.text)}
    )
    assert response.status_code == 400
    assert "deadline for comments on this consultation has passed" in response.text
    assert "A late change." in response.text
    assert [r.body for r in comment_rows(db)] == ["Before the deadline."]
    # And the overview no longer offers edit or withdraw.
    overview = client.get(f"/consultations/{setup.consultation_id}").text
    assert f"/comments/{row.id}/edit" not in overview


# --- long lists are paged (issue 8) ------------------------------------------------------------


@pytest.mark.parametrize("arms", [400, 2], ids=["one-statement", "in-chunks"])
def test_results_show_a_few_comments_per_part_and_link_to_the_rest(
    signed_in, db, settings, setup, people, monkeypatch, arms
):
    from council.queries import results

    monkeypatch.setattr(results, "MAX_UNION_ARMS", arms)
    monkeypatch.setattr(settings, "comments_per_hour", 10**6)
    writer = author(settings, people["member2"])
    post_comment(db, settings, writer, setup, "On the last section.",
                 target=Target(section_id=setup.sections[-1].id), approve_by=people["secretariat"])  # fmt: skip
    with db.write() as session:
        for i in range(1, 8):
            comment = comment_actions.post(
                session,
                settings,
                writer,
                setup.consultation_id,
                Target(section_id=setup.sections[0].id),
                body=f"Results comment {i}.",
            )
            moderation_actions.approve(session, people["secretariat"], comment.id)
    official = signed_in("official")
    page = official.get(f"/consultations/{setup.consultation_id}/results").text
    # Same-day comments come in the order of their random ids: any five of the seven.
    assert sum(f"Results comment {i}." in page for i in range(1, 8)) == 5
    assert "On the last section." in page
    link = f'/consultations/{setup.consultation_id}/on/section-{setup.sections[0].id}#comments"'
    assert link in page and "See all 7 comments on this part" in page
    assert "<td>7</td>" in page  # the total counts every approved comment
    # The part's own page has them all (paged), and so does the CSV.
    part = official.get(section_url(setup)).text
    assert all(f"Results comment {i}." in part for i in range(1, 8))
    csv = official.get(f"/consultations/{setup.consultation_id}/results.csv").text
    assert all(f"Results comment {i}." in csv for i in range(1, 8))


def test_the_next_page_of_comments_is_a_plain_link_that_htmx_loads_in_place(
    signed_in, db, settings, setup, people, monkeypatch
):
    from council.queries import comments

    monkeypatch.setattr(comments, "PAGE_SIZE", 2)
    writer = author(settings, people["member2"])
    with db.write() as session:
        for i in range(3):
            comment = comment_actions.post(
                session,
                settings,
                writer,
                setup.consultation_id,
                Target(section_id=setup.sections[0].id),
                body=f"Paged comment {i}.",
            )
            moderation_actions.approve(session, people["secretariat"], comment.id)
    official = signed_in("official")
    first = official.get(section_url(setup)).text
    assert '<a href="?page=2#comments" hx-get="?page=2" hx-target="#comments"' in first
    on_first = {i for i in range(3) if f"Paged comment {i}." in first}
    assert len(on_first) == 2
    fragment = official.get(section_url(setup) + "?page=2", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="comments"')
    [rest] = {0, 1, 2} - on_first
    assert f"Paged comment {rest}." in fragment.text
    assert not any(f"Paged comment {i}." in fragment.text for i in on_first)


# --- the member's own comments, paged (issue 8) ------------------------------------------------


def test_own_comments_come_newest_first_in_pages_and_never_among_the_others(
    signed_in, db, settings, people, monkeypatch
):
    monkeypatch.setattr(comment_queries, "OWN_PAGE_SIZE", 2)
    opened = prepared_consultation(db, settings, people, allow_discussion=True)
    birch = author(settings, people["member2"])
    for i in range(5):  # anonymous and council-visible, all approved
        visibility = "council" if i % 2 else "anonymous"
        post_comment(
            db, settings, birch, opened, f"Mine {i}.", visibility=visibility,
            approve_by=people["secretariat"],
        )  # fmt: skip
        with db.write() as session:  # a day apart, so that "newest" is well defined
            session.execute(
                update(Comment)
                .where(Comment.body == f"Mine {i}.")
                .values(created_on=utcnow() - timedelta(days=10 - i))
            )
    post_comment(db, settings, author(settings, people["member"]), opened, "Amber's.",
                 approve_by=people["secretariat"])  # fmt: skip
    birch_client = signed_in("member2")

    def mine_on(html: str) -> list[int]:
        return [int(n) for n in re.findall(r"Mine (\d)\.", html)]

    pages = [birch_client.get(section_url(opened) + f"?mine={n}").text for n in (1, 2, 3)]
    assert [mine_on(p) for p in pages] == [[4, 3], [2, 1], [0]]
    assert all("Amber&#39;s." in p or "Amber's." in p for p in pages)  # others stay listed
    assert '<a href="?mine=2&amp;page=1#comments"' in pages[0]
    assert "?mine=4" not in pages[2] and '<a href="?mine=2&amp;page=1#comments"' in pages[2]
    # The overview pages them the same way.
    overview = f"/consultations/{opened.consultation_id}"
    first = birch_client.get(overview).text
    assert mine_on(first) == [4, 3] and '<a href="?mine=2#yours">' in first
    assert mine_on(birch_client.get(overview + "?mine=3").text) == [0]
    assert (
        "not commented on this consultation yet" not in birch_client.get(overview + "?mine=9").text
    )


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's query planner")
def test_own_comments_are_found_through_the_author_indexes(db, settings, people):
    """Written as one OR, the lookup read every comment of the consultation (issue 8)."""
    opened = prepared_consultation(db, settings, people)
    birch = author(settings, people["member2"])
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, *_args):  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    with db.read() as session:
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            comment_queries.own_comments(session, birch, opened.consultation_id)
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
        [(statement, parameters)] = [s for s in statements if "FROM comment" in s[0]]
        plan = " | ".join(
            str(row[-1])
            for row in session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters
            )
        )
    assert "ix_comment_author_id" in plan and "ix_comment_author_tag" in plan, plan
    assert "ix_comment_listing" not in plan and "SCAN" not in plan, plan
    assert "USING PRIMARY KEY (id=?)" in plan, plan


@pytest.mark.parametrize(
    ("query", "expected"),
    [(b"", 1), (b"page=3", 3), (b"page=0", 1), (b"page=-4", 1), (b"page=x", 1), (b"page=9" * 3, 1),
     (b"page=10000000", 100_000), (b"mine=2", 1)],
)  # fmt: skip
def test_page_numbers_from_the_query_string_are_whole_and_bounded(query, expected):
    from starlette.requests import Request

    from council.web.forms import page_number

    request = Request({"type": "http", "query_string": query, "headers": []})
    assert page_number(request) == expected
    assert page_number(request, "mine") == (2 if query == b"mine=2" else 1)
