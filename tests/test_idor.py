"""IDOR sweep, generated from the route table: every route with an object id in its path must
say how to make such an object for an owner, and then every other role asks for it and is refused.

A new route with `{...}` in its path fails `test_every_route_with_an_id_is_in_the_sweep` until it
is added to OBJECT_ROUTES below. To add one (a consultation, a comment, an engagement...):

    "/consultations/{consultation_id:id}": ObjectRoute(
        owners=("official",),                      # whose objects to make
        make=lambda w, owner: {"consultation_id": str(make_consultation(w, owner))},
        may=lambda viewer, owner: viewer == "secretariat" or same_ministry(viewer, owner),
        unchanged=lambda w, params: ...,           # optional: assert the object is untouched
    ),

Roles are the `people` fixture's: member, member2 (another member), chair, official,
official_other (another ministry), secretariat, secretariat2, and "visitor" (not signed in).
An owner may carry the state its object is made in after an "@" ("official@in_review": a
consultation of the official's ministry, in review); `may` sees the whole string. A route whose
POST is narrower than its GET gives `may_post` too, and `form` adds the fields a POST needs to
really change the object if a check were missing (the sweep then asserts it did not change).
Each refused request carries a valid CSRF token of the asker's own session, so the refusal
comes from authorisation, not from the CSRF wall.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlmodel import col, select
from starlette.routing import Route

from council.actions import (
    annual_report,
    comments,
    drafts,
    endorsements,
    engagements,
    invites,
    moderation,
    rates,
    safeguards,
)
from council.actions import positions as position_actions
from council.db import Database
from council.models import (
    AnnualReport,
    Citation,
    Comment,
    CommentStatus,
    Consent,
    ConsentTextTranslation,
    ConsentTopic,
    Consultation,
    DraftSectionTranslation,
    DraftVersion,
    DraftVersionTranslation,
    Engagement,
    EngagementStatus,
    GovernmentResponse,
    Invite,
    ModeratorNote,
    Position,
    PositionComment,
    PositionQuote,
    PositionTranslation,
    Question,
    QuestionTranslation,
    RecommendationTranslation,
    Role,
    Status,
    SupportContact,
    User,
    Visibility,
)
from council.queries import positions as pq
from council.routes import routes
from council.rules.targets import Target
from council.settings import Settings
from tests.conftest import csrf_from, make_settings, make_user, new_client, sign_in
from tests.factories import (
    author,
    make_draft,
    new_position,
    post_comment,
    prepared_consultation,
    vote,
)

VIEWERS = [
    "visitor",
    "member",
    "member2",
    "chair",
    "official",
    "official_other",
    "secretariat",
    "secretariat2",
]


@dataclass
class World:
    db: Database
    settings: Settings
    people: dict[str, User]
    made: dict[str, Any] = field(default_factory=dict)


@dataclass
class ObjectRoute:
    owners: tuple[str, ...]
    make: Callable[[World, str], dict[str, str]]
    may: Callable[[str, str], bool]
    unchanged: Callable[[World, dict[str, str]], None] | None = None
    # Who may POST, where that is narrower than who may GET (None: the same as `may`).
    may_post: Callable[[str, str], bool] | None = None
    # Extra form fields for a POST, from the object's params.
    form: Callable[[dict[str, str]], dict[str, str]] | None = None
    # A bearer link (an invite): holding the token is the permission; the sweep checks instead
    # that tokens nobody was given are refused for everyone.
    bearer: bool = False


def _invite(world: World, owner: str) -> dict[str, str]:
    with world.db.write() as session:
        invite, token = invites.create_invite(session, world.people[owner], world.settings)
    return {"token": token, "invite_id": str(invite.id)}


def _invite_unrevoked(world: World, params: dict[str, str]) -> None:
    with world.db.read() as session:
        invite = session.get(Invite, int(params["invite_id"]))
        assert invite is not None and invite.revoked_at is None and invite.used_at is None


def _account(world: World, owner: str) -> dict[str, str]:
    return {"user_id": str(world.people[owner].id)}


def _account_unchanged(world: World, params: dict[str, str]) -> None:
    with world.db.read() as session:
        user = session.get(User, int(params["user_id"]))
        assert user is not None and user.oidc_sub is None


def _secretariat_team(viewer: str, owner: str) -> bool:
    return viewer.startswith("secretariat")


def _term(world: World, owner: str) -> dict[str, str]:
    from council.actions import terms

    member = world.people[owner]
    with world.db.write() as session:
        terms.start_term(
            session, world.people["secretariat"], world.settings, member.require_id, date.today()
        )
    return {"user_id": str(member.id)}


MEETING_READERS = ("member", "member2", "chair", "secretariat", "secretariat2")


def _meeting(world: World, owner: str) -> dict[str, str]:
    """A meeting that took place two days ago, with a meeting rate on the card, so that a
    missed check on the attendance screen would really create engagements."""
    from datetime import timedelta

    from council.actions import meetings
    from council.models import Meeting, utcnow

    secretary = world.people[owner]
    with world.db.write() as session:
        rates.set_rate(
            session, secretary, kind="meeting", unit="flat", currency="EUR", amount_minor=5000
        )
        meeting = meetings.schedule(
            session,
            secretary,
            meetings.MeetingInput(
                title="Plenary",
                day=date.today() + timedelta(days=3),
                start="10:00",
                timezone="UTC",
                duration_minutes=60,
                place="Room 4",
                interpretation="",
            ),
        )
        found = session.get(Meeting, meeting.id)
        assert found is not None
        found.starts_at = utcnow() - timedelta(days=2)
        session.add(found)
    return {"meeting_id": str(meeting.id), "member": str(world.people["member"].id)}


def _meeting_reader(viewer: str, owner: str) -> bool:
    return viewer in MEETING_READERS


def _meeting_unchanged(world: World, params: dict[str, str]) -> None:
    from council.models import AgendaItem, Attendance, Meeting, MeetingReply

    with world.db.read() as session:
        meeting_id = int(params["meeting_id"])
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None and meeting.minutes_published_at is None
        for table in (AgendaItem, Attendance, MeetingReply):
            assert (
                session.execute(select(table).where(table.meeting_id == meeting_id)).first() is None
            )


MEETING_CHECKS: dict[str, Any] = {
    "owners": ("secretariat",),
    "make": _meeting,
    "may": _meeting_reader,
    "unchanged": _meeting_unchanged,
}


def _term_unchanged(world: World, params: dict[str, str]) -> None:
    from council.models import Term

    with world.db.read() as session:
        term = session.get(Term, int(params["user_id"]))
        assert term is not None and term.renewals == 0 and term.ended_on is None


MEMBERS = ("member", "member2", "chair")
COMMENT_TEXT = "The referral came too late for me."


def role_of(owner: str) -> str:
    return owner.partition("@")[0]


def state_of(owner: str) -> str:
    return owner.partition("@")[2]


def _ministry_staff(viewer: str, owner: str) -> bool:
    """The secretariat, and officials of the ministry whose object it is."""
    return viewer.startswith("secretariat") or viewer == role_of(owner)


def _owner_only(viewer: str, owner: str) -> bool:
    return viewer == role_of(owner)


# --- drafts: owned by an official's ministry ---------------------------------------------------


def _draft(editing: bool) -> Callable[[World, str], dict[str, str]]:
    """A draft with version 1 published; `editing` starts an unpublished version 2 as well."""

    def make(world: World, owner: str) -> dict[str, str]:
        official = world.people[role_of(owner)]
        draft_id = make_draft(world.db, official)
        if editing:
            with world.db.write() as session:
                drafts.start_new_version(session, official, draft_id)
        return {"draft_id": str(draft_id), "number": "1", "versions": "2" if editing else "1"}

    return make


def _draft_unchanged(world: World, params: dict[str, str]) -> None:
    with world.db.read() as session:
        versions = list(
            session.execute(
                select(DraftVersion)
                .where(col(DraftVersion.draft_id) == int(params["draft_id"]))
                .order_by(col(DraftVersion.number))
            ).scalars()
        )
        consultations = session.execute(
            select(Consultation.id).where(col(Consultation.draft_id) == int(params["draft_id"]))
        ).all()
    assert len(versions) == int(params["versions"])
    assert all(v.title == "Referral of survivors" for v in versions)
    assert versions[0].published_at is not None
    if len(versions) == 2:
        assert versions[1].published_at is None
    assert consultations == []


def _draft_form(params: dict[str, str]) -> dict[str, str]:
    return {"title": "Taken over", "summary": "Taken over", "section_count": "0"}


# --- consultations: owned by an official's ministry, in the state after "@" ----------------------

NEXT_STEP = {"in_review": "open", "open": "closed", "closed": "answered"}


def _consultation(world: World, owner: str) -> dict[str, str]:
    status = Status(state_of(owner))
    setup = prepared_consultation(
        world.db,
        world.settings,
        {"official": world.people[role_of(owner)], "secretariat": world.people["secretariat"]},
        status=status,
    )
    with world.db.read() as session:
        consultation = session.get(Consultation, setup.consultation_id)
        assert consultation is not None
        deadline = consultation.deadline
    return {
        "consultation_id": str(setup.consultation_id),
        "target": f"section-{setup.sections[0].id}",
        "question_id": str(setup.questions[0].id),
        "status": status.value,
        "to": NEXT_STEP[status.value],
        "deadline": deadline.isoformat() if deadline else "",
    }


def _consultation_unchanged(world: World, params: dict[str, str]) -> None:
    cid = int(params["consultation_id"])
    with world.db.read() as session:
        consultation = session.get(Consultation, cid)
        assert consultation is not None
        assert consultation.status == params["status"]
        assert consultation.support_contact == "Hanna, +380 44 000 0000"
        deadline = consultation.deadline
        assert (deadline.isoformat() if deadline else "") == params["deadline"]
        questions = session.execute(
            select(Question.id).where(col(Question.consultation_id) == cid)
        ).all()
        assert len(questions) == 2
        comments = session.execute(
            select(Comment.id).where(col(Comment.consultation_id) == cid)
        ).all()
        assert comments == []


def _consultation_form(params: dict[str, str]) -> dict[str, str]:
    return {
        # settings
        "support_contact": "someone else",
        "languages_formats": "someone else",
        # questions
        "text": "Injected question?",
        "kind": "text",
        # status and extend
        "to": params["to"],
        "deadline": "2099-12-31",
        # a comment on a section
        "body": "Injected comment.",
        "visibility": Visibility.COUNCIL.value,
        "confirmed": "yes",
    }


def _reads_consultation(viewer: str, owner: str) -> bool:
    """Its ministry's officials and the secretariat always; members once it is open."""
    visible_to_members = state_of(owner) in ("open", "closed", "answered")
    return _ministry_staff(viewer, owner) or (viewer in MEMBERS and visible_to_members)


def _edits_consultation(viewer: str, owner: str) -> bool:
    """The ministry while it is a draft; the secretariat while in review; nobody once open."""
    if state_of(owner) == "draft":
        return _ministry_staff(viewer, owner)
    return viewer.startswith("secretariat") and state_of(owner) == "in_review"


def _moves_consultation(viewer: str, owner: str) -> bool:
    """The next step only: opening and closing are the secretariat's, answering the ministry's."""
    if state_of(owner) == "closed":
        return _ministry_staff(viewer, owner)
    return viewer.startswith("secretariat")


def _reads_results(viewer: str, owner: str) -> bool:
    return _ministry_staff(viewer, owner) and state_of(owner) in ("open", "closed", "answered")


# --- comments: owned by their author (anonymous, or named to the council) ------------------------


def _comment(world: World, owner: str) -> dict[str, str]:
    """A pending comment on an open consultation. A member's is anonymous, a chair's is
    council-visible: a comment is found as one's own by the tag or by the author id."""
    who = world.people[role_of(owner)]
    setup = prepared_consultation(world.db, world.settings, world.people)
    visibility = Visibility.COUNCIL if role_of(owner) == "chair" else Visibility.ANONYMOUS
    comment_id = post_comment(
        world.db,
        world.settings,
        author(world.settings, who),
        setup,
        COMMENT_TEXT,
        visibility=visibility.value,
    )
    return {"comment_id": comment_id, "what": state_of(owner) or "reject"}


def _comment_unchanged(world: World, params: dict[str, str]) -> None:
    with world.db.read() as session:
        comment = session.get(Comment, params["comment_id"])
        assert comment is not None
        assert comment.body == COMMENT_TEXT
        assert comment.status == CommentStatus.PENDING
        assert comment.reject_reason is None
        notes = session.execute(
            select(ModeratorNote.id).where(col(ModeratorNote.comment_id) == comment.id)
        ).all()
        assert notes == []


def _comment_form(params: dict[str, str]) -> dict[str, str]:
    return {
        "body": "Changed by someone else.",
        "confirmed": "yes",
        "reason": "Rejected by someone else.",
        "passage": "too late",
        "note": "A note from someone else.",
    }


# --- paid engagements: owned by their member --------------------------------------------------


def _engagement(world: World, owner: str) -> dict[str, str]:
    """A contribution the member recorded (completed); "@paid" approves and pays it too."""
    secretary = world.people["secretariat"]
    with world.db.write() as session:
        if "rate" not in world.made:
            world.made["rate"] = rates.set_rate(
                session,
                secretary,
                kind="consultation",
                unit="hour",
                currency="EUR",
                amount_minor=2500,
            ).id
        engagement = engagements.record_contribution(
            session,
            world.people[role_of(owner)],
            consultation_id=None,
            label="Read the referral draft",
            occurred_on=date.today(),
            quantity_milli=1000,
        )
        status = EngagementStatus.COMPLETED
        if state_of(owner) == "paid":
            engagements.approve(session, secretary, engagement.require_id)
            engagements.mark_paid(session, secretary, engagement.require_id)
            status = EngagementStatus.PAID
    return {"engagement_id": str(engagement.id), "status": status.value}


def _engagement_unchanged(world: World, params: dict[str, str]) -> None:
    with world.db.read() as session:
        engagement = session.get(Engagement, int(params["engagement_id"]))
        assert engagement is not None
        assert engagement.status == params["status"]
        assert not engagement.cancel_reason
        assert engagement.expenses_minor == 0


def _engagement_form(params: dict[str, str]) -> dict[str, str]:
    return {
        "to": "cancelled",
        "reason": "Cancelled by someone else.",
        "kind": "travel",
        "amount": "12.50",
    }


def _member_or_secretariat(viewer: str, owner: str) -> bool:
    return viewer == role_of(owner) or viewer.startswith("secretariat")


# --- consents: a topic, acted on by whoever asks, for themselves ---------------------------------


def _consent_topic(world: World, owner: str) -> dict[str, str]:
    with world.db.write() as session:
        safeguards.publish_consent_text(
            session, None, ConsentTopic.BEING_QUOTED.value, "You may quote me."
        )
    return {"topic": ConsentTopic.BEING_QUOTED.value}


def _no_consents(world: World, params: dict[str, str]) -> None:
    # Only refused (staff, visitor) requests were sent: none of them may leave a consent.
    with world.db.read() as session:
        assert session.execute(select(Consent.id)).all() == []


def _acts_on_own_consent(viewer: str, owner: str) -> bool:
    """The path names a topic, not a person: each member gives or withdraws only their own
    consent (the member comes from the session), so every member may; staff have no consents
    and the visitor none, so they must be refused."""
    return viewer in MEMBERS


def _consent_text(world: World, owner: str) -> dict[str, str]:
    with world.db.write() as session:
        text = safeguards.publish_consent_text(
            session, world.people[owner], ConsentTopic.EMAIL_CONTACT.value, "We may email you."
        )
    return {"text_id": str(text.id), "locale": "uk"}


def _consent_text_untranslated(world: World, params: dict[str, str]) -> None:
    with world.db.read() as session:
        assert session.execute(select(ConsentTextTranslation)).all() == []


# --- support contacts: the secretariat's ------------------------------------------------------


def _support_contact(world: World, owner: str) -> dict[str, str]:
    with world.db.write() as session:
        contact = safeguards.save_support_contact(
            session, world.people[owner], name="Hanna", how_to_reach="+380 44 000 0000"
        )
    return {"contact_id": str(contact.id)}


def _support_contact_kept(world: World, params: dict[str, str]) -> None:
    with world.db.read() as session:
        assert session.get(SupportContact, int(params["contact_id"])) is not None


# --- positions: the council's, addressed to a ministry --------------------------------------------
#
# The owner names the ministry the position addresses ("official@published": a published position
# to the official's ministry), and its state: draft, "endorsed" (a draft every member endorsed, so
# that adoption would succeed), adopted, published. The chair writes them all.

POSITION_TITLE = "Reflection period"
POSITION_COMMENT = "Please say who decides on the reflection period."
QUOTED = "The referral came too late"
WRITERS = ("chair", "secretariat", "secretariat2")


def _position(cited: bool = False) -> Callable[[World, str], dict[str, str]]:
    """`cited`: the position answers an open consultation with an approved, quotable comment,
    so that a missed check on citing or quoting would really add a citation or a quote."""

    def make(world: World, owner: str) -> dict[str, str]:
        people, state = world.people, state_of(owner)
        chair = people["chair"]
        ministry_id = people[role_of(owner)].ministry_id
        assert ministry_id is not None
        consultation_id = comment_id = None
        if cited:
            setup = prepared_consultation(world.db, world.settings, people)
            consultation_id = setup.consultation_id
            with world.db.write() as session:
                found = comments.post(
                    session,
                    world.settings,
                    author(world.settings, people["member"]),
                    setup.consultation_id,
                    Target(section_id=setup.sections[0].id),
                    body=f"{QUOTED} for me.",
                    may_quote=True,
                )
                moderation.approve(session, people["secretariat"], found.id)
                comment_id = found.id
        pid = new_position(world.db, chair, ministry_id, consultation_id=consultation_id)
        if state in ("endorsed", "adopted", "published"):
            for who in MEMBERS:
                vote(world.db, world.settings, people[who], pid, "endorse")
        with world.db.write() as session:
            if state in ("adopted", "published"):
                position_actions.adopt(session, world.settings, chair, pid)
            if state == "published":
                position_actions.publish(session, world.settings, people["secretariat"], pid)
            position = session.get(Position, pid)
            assert position is not None
            tally = f"{position.endorse_count}/{position.object_count}/{position.abstain_count}"
            recommendation = pq.recommendations_of(session, pid)[0]
        return {
            "position_id": str(pid),
            "recommendation_id": str(recommendation.id),
            "status": "draft" if state == "endorsed" else state,
            "tally": tally,
            "comment": comment_id or "",
        }

    return make


def _position_unchanged(world: World, params: dict[str, str]) -> None:
    pid = int(params["position_id"])
    with world.db.read() as session:
        position = session.get(Position, pid)
        assert position is not None
        assert position.title == POSITION_TITLE
        assert position.status == params["status"]
        assert position.withdrawn_reason is None
        tally = f"{position.endorse_count}/{position.object_count}/{position.abstain_count}"
        assert tally == params["tally"]
        recommendations = pq.recommendations_of(session, pid)
        assert [r.text for r in recommendations] == ["Recommendation 1", "Recommendation 2"]
        ids = [r.require_id for r in recommendations]
        for model, column in (
            (GovernmentResponse, GovernmentResponse.recommendation_id),
            (Citation, Citation.recommendation_id),
        ):
            assert session.execute(select(model).where(col(column).in_(ids))).all() == []
        for model, column in (
            (PositionQuote, PositionQuote.position_id),
            (PositionComment, PositionComment.position_id),
        ):
            assert session.execute(select(model).where(col(column) == pid)).all() == []


def _position_form(params: dict[str, str]) -> dict[str, str]:
    return {
        # edit
        "title": "Taken over",
        "body": "Taken over",
        "recommendations": "Taken over",
        "languages": "",
        # vote
        "choice": "object",
        # withdraw
        "reason": "Withdrawn by someone else.",
        # cite and quote
        "recommendation": params["recommendation_id"],
        "comment": params["comment"],
        "text": QUOTED,
        # respond
        "status": "rejected",
        "explanation": "Answered by someone else.",
    }


def _reads_position(viewer: str, owner: str) -> bool:
    """A published position is public; anything before is the council's and the secretariat's
    (members, the chair and the secretariat; no official, not even of the addressed ministry)."""
    return state_of(owner) == "published" or viewer in MEMBERS or viewer in WRITERS


def _drafters(viewer: str, owner: str) -> bool:
    return viewer in WRITERS


def _edits_position(viewer: str, owner: str) -> bool:
    return viewer in WRITERS and state_of(owner) in ("draft", "endorsed")


def _members_on_position(viewer: str, owner: str) -> bool:
    """Voting and commenting: members (the chair too) who can read it. On a position no longer
    a draft a member is told so (400: a state rule, not authorisation); staff never may."""
    return viewer in MEMBERS and _reads_position(viewer, owner)


def _responds(viewer: str, owner: str) -> bool:
    """Only officials of the addressed ministry, and only once it is published."""
    return viewer == role_of(owner) and state_of(owner) == "published"


def _position_comment(world: World, owner: str) -> dict[str, str]:
    """A member's anonymous comment on a draft position, made with the author's own key (the
    same one their signed-in session holds)."""
    params = _position()(world, "official@draft")
    who = author(world.settings, world.people[role_of(owner)])
    with world.db.write() as session:
        found = endorsements.comment(
            session, world.settings, who.user, who.key, int(params["position_id"]), POSITION_COMMENT
        )
        session.flush()
        comment_id = found.id
    return {**params, "comment_id": str(comment_id)}


def _position_comment_kept(world: World, params: dict[str, str]) -> None:
    with world.db.read() as session:
        found = session.get(PositionComment, params["comment_id"])
        assert found is not None and found.body == POSITION_COMMENT


POSITION_CHECKS: dict[str, Any] = {"unchanged": _position_unchanged, "form": _position_form}


# --- translations (issue 7): the ministry's officials translate drafts and questions; the
# secretariat translates positions. Others who may read the thing get 403, the rest 404.

TRANSLATION_TABLES = (
    DraftVersionTranslation,
    DraftSectionTranslation,
    QuestionTranslation,
    PositionTranslation,
    RecommendationTranslation,
)


def _into_ukrainian(
    make: Callable[[World, str], dict[str, str]],
) -> Callable[[World, str], dict[str, str]]:
    def made(world: World, owner: str) -> dict[str, str]:
        return {**make(world, owner), "locale": "uk"}

    return made


def _untranslated(
    unchanged: Callable[[World, dict[str, str]], None],
) -> Callable[[World, dict[str, str]], None]:
    def check(world: World, params: dict[str, str]) -> None:
        unchanged(world, params)
        with world.db.read() as session:
            for table in TRANSLATION_TABLES:
                assert session.execute(select(table)).all() == [], table

    return check


def _translation_form(params: dict[str, str]) -> dict[str, str]:
    """Every field a translation form could carry, filled in, so a missed check would save."""
    question, recommendation = params.get("question_id", "0"), params.get("recommendation_id", "0")
    return {
        "title": "Taken over",
        "summary": "Taken over",
        "body": "Taken over",
        f"q{question}-text": "Taken over?",
        f"q{question}-option-0": "Taken over A",
        f"q{question}-option-1": "Taken over B",
        f"r{recommendation}-text": "Taken over",
    }


DRAFT_OWNERS = ("official", "official_other")
DRAFT_CHECKS: dict[str, Any] = {"unchanged": _draft_unchanged, "form": _draft_form}
CONSULTATION_OWNERS = ("official@open", "official_other@in_review", "official@closed")
CONSULTATION_CHECKS: dict[str, Any] = {
    "unchanged": _consultation_unchanged,
    "form": _consultation_form,
}
COMMENT_CHECKS: dict[str, Any] = {"unchanged": _comment_unchanged, "form": _comment_form}
ENGAGEMENT_CHECKS: dict[str, Any] = {"unchanged": _engagement_unchanged, "form": _engagement_form}


# --- the annual report: an unpublished one is the secretariat's alone ---------------------------


def _draft_report(world: World, owner: str) -> dict[str, str]:
    with world.db.write() as session:
        annual_report.save_foreword(session, world.people[role_of(owner)], 2025, "Draft.")
    return {"year": "2025"}


def _report_unchanged(world: World, params: dict[str, str]) -> None:
    with world.db.read() as session:
        report = session.execute(
            select(AnnualReport).where(col(AnnualReport.year) == int(params["year"]))
        ).scalar_one()
        assert report.foreword == "Draft." and not report.is_published


REPORT_CHECKS: dict[str, Any] = {
    "owners": ("secretariat",),
    "make": _draft_report,
    "may": _secretariat_team,
    "unchanged": _report_unchanged,
    "form": lambda params: {"year": params["year"], "foreword": "Attacker."},
}

OBJECT_ROUTES: dict[str, ObjectRoute] = {
    "/reports/{year:id}": ObjectRoute(**REPORT_CHECKS),
    "/reports/{year:id}/print": ObjectRoute(**REPORT_CHECKS),
    "/reports/{year:id}/pdf": ObjectRoute(**REPORT_CHECKS),
    "/secretariat/reports/{year:id}": ObjectRoute(**REPORT_CHECKS),
    "/secretariat/reports/{year:id}/publish": ObjectRoute(**REPORT_CHECKS),
    "/join/{token}": ObjectRoute(
        owners=("secretariat",), make=_invite, may=lambda v, o: True, bearer=True
    ),
    "/secretariat/invites/{invite_id:id}/revoke": ObjectRoute(
        owners=("secretariat",),
        make=_invite,
        may=_secretariat_team,
        unchanged=_invite_unrevoked,
    ),
    "/secretariat/people/{user_id:id}/oidc": ObjectRoute(
        owners=("member", "chair", "official", "secretariat"),
        make=_account,
        may=_secretariat_team,
        unchanged=_account_unchanged,
    ),
    # Membership terms (issue 18): only the secretariat renews or ends one.
    "/secretariat/terms/{user_id:id}/renew": ObjectRoute(
        owners=("member",), make=_term, may=_secretariat_team, unchanged=_term_unchanged
    ),
    "/secretariat/terms/{user_id:id}/end": ObjectRoute(
        owners=("chair",), make=_term, may=_secretariat_team, unchanged=_term_unchanged
    ),
    # Meetings (issue 18): members and the secretariat read; only the secretariat changes them.
    "/meetings/{meeting_id:id}": ObjectRoute(**MEETING_CHECKS),
    "/meetings/{meeting_id:id}/meeting.ics": ObjectRoute(**MEETING_CHECKS),
    "/meetings/{meeting_id:id}/reply": ObjectRoute(
        # Members may reply (this meeting has started, so even theirs changes nothing).
        **{**MEETING_CHECKS, "may": lambda viewer, owner: viewer in ("member", "member2", "chair")},
        form=lambda params: {"answer": "yes"},
    ),
    "/meetings/{meeting_id:id}/agenda": ObjectRoute(
        **{**MEETING_CHECKS, "may": _secretariat_team},
        form=lambda params: {"item_title": "Injected"},
    ),
    "/meetings/{meeting_id:id}/attendance": ObjectRoute(
        **{**MEETING_CHECKS, "may": _secretariat_team},
        form=lambda params: {"attended": params["member"]},
    ),
    "/meetings/{meeting_id:id}/minutes": ObjectRoute(
        **{**MEETING_CHECKS, "may": _secretariat_team},
        form=lambda params: {"minutes": "Injected", "publish": "yes"},
    ),
    # Drafts: officials of the draft's ministry and the secretariat read; only the ministry writes.
    "/drafts/{draft_id:id}": ObjectRoute(
        owners=DRAFT_OWNERS, make=_draft(editing=False), may=_ministry_staff, **DRAFT_CHECKS
    ),
    "/drafts/{draft_id:id}/edit": ObjectRoute(
        owners=DRAFT_OWNERS, make=_draft(editing=True), may=_owner_only, **DRAFT_CHECKS
    ),
    "/drafts/{draft_id:id}/publish": ObjectRoute(
        owners=DRAFT_OWNERS, make=_draft(editing=True), may=_owner_only, **DRAFT_CHECKS
    ),
    "/drafts/{draft_id:id}/new-version": ObjectRoute(
        owners=DRAFT_OWNERS, make=_draft(editing=False), may=_owner_only, **DRAFT_CHECKS
    ),
    "/drafts/{draft_id:id}/v/{number:id}": ObjectRoute(
        owners=DRAFT_OWNERS, make=_draft(editing=False), may=_ministry_staff, **DRAFT_CHECKS
    ),
    "/drafts/{draft_id:id}/v/{number:id}/translations/{locale}": ObjectRoute(
        owners=DRAFT_OWNERS,
        make=_into_ukrainian(_draft(editing=False)),
        may=_owner_only,
        unchanged=_untranslated(_draft_unchanged),
        form=_translation_form,
    ),
    "/drafts/{draft_id:id}/compare": ObjectRoute(
        owners=DRAFT_OWNERS, make=_draft(editing=True), may=_ministry_staff, **DRAFT_CHECKS
    ),
    "/drafts/{draft_id:id}/consultations": ObjectRoute(
        owners=DRAFT_OWNERS, make=_draft(editing=False), may=_owner_only, **DRAFT_CHECKS
    ),
    # Consultations, in review (members may not see it yet), open and closed.
    "/consultations/{consultation_id:id}": ObjectRoute(
        owners=CONSULTATION_OWNERS,
        make=_consultation,
        may=_reads_consultation,
        **CONSULTATION_CHECKS,
    ),
    "/consultations/{consultation_id:id}/on/{target}": ObjectRoute(
        owners=CONSULTATION_OWNERS,
        make=_consultation,
        may=_reads_consultation,
        # Members who may read it may comment (on a closed one the deadline refuses them, which
        # is not an authorisation question); staff never comment.
        may_post=lambda v, o: v in MEMBERS and _reads_consultation(v, o),
        **CONSULTATION_CHECKS,
    ),
    "/consultations/{consultation_id:id}/settings": ObjectRoute(
        owners=CONSULTATION_OWNERS,
        make=_consultation,
        may=_ministry_staff,
        may_post=_edits_consultation,
        **CONSULTATION_CHECKS,
    ),
    "/consultations/{consultation_id:id}/questions": ObjectRoute(
        owners=CONSULTATION_OWNERS,
        make=_consultation,
        may=_edits_consultation,
        **CONSULTATION_CHECKS,
    ),
    "/consultations/{consultation_id:id}/questions/{question_id:id}/remove": ObjectRoute(
        owners=CONSULTATION_OWNERS,
        make=_consultation,
        may=_edits_consultation,
        **CONSULTATION_CHECKS,
    ),
    "/consultations/{consultation_id:id}/translations/{locale}": ObjectRoute(
        owners=CONSULTATION_OWNERS,
        make=_into_ukrainian(_consultation),
        may=_owner_only,
        unchanged=_untranslated(_consultation_unchanged),
        form=_translation_form,
    ),
    "/consultations/{consultation_id:id}/status": ObjectRoute(
        owners=CONSULTATION_OWNERS,
        make=_consultation,
        may=_moves_consultation,
        **CONSULTATION_CHECKS,
    ),
    "/consultations/{consultation_id:id}/close": ObjectRoute(
        owners=CONSULTATION_OWNERS,
        make=_consultation,
        may=lambda v, o: v.startswith("secretariat") and state_of(o) == "open",
        **CONSULTATION_CHECKS,
    ),
    "/consultations/{consultation_id:id}/extend": ObjectRoute(
        owners=CONSULTATION_OWNERS,
        make=_consultation,
        may=_secretariat_team,
        **CONSULTATION_CHECKS,
    ),
    "/consultations/{consultation_id:id}/results": ObjectRoute(
        owners=CONSULTATION_OWNERS, make=_consultation, may=_reads_results, **CONSULTATION_CHECKS
    ),
    "/consultations/{consultation_id:id}/results.csv": ObjectRoute(
        owners=CONSULTATION_OWNERS, make=_consultation, may=_reads_results, **CONSULTATION_CHECKS
    ),
    # A comment is its author's alone: someone else's looks like none (404).
    "/comments/{comment_id}/edit": ObjectRoute(
        owners=("member", "chair"), make=_comment, may=_owner_only, **COMMENT_CHECKS
    ),
    "/comments/{comment_id}/withdraw": ObjectRoute(
        owners=("member", "chair"), make=_comment, may=_owner_only, **COMMENT_CHECKS
    ),
    "/moderation/{comment_id}/{what}": ObjectRoute(
        owners=("member@approve", "member@reject", "member@redact", "chair@note"),
        make=_comment,
        may=_secretariat_team,
        **COMMENT_CHECKS,
    ),
    # Engagements: the member's own and the secretariat's; only the secretariat changes them.
    "/engagements/{engagement_id:id}": ObjectRoute(
        owners=("member", "chair@paid"),
        make=_engagement,
        may=_member_or_secretariat,
        **ENGAGEMENT_CHECKS,
    ),
    "/engagements/{engagement_id:id}/receipt": ObjectRoute(
        owners=("member@paid", "chair@paid"),
        make=_engagement,
        may=_member_or_secretariat,
        **ENGAGEMENT_CHECKS,
    ),
    "/engagements/{engagement_id:id}/status": ObjectRoute(
        owners=("member", "chair"), make=_engagement, may=_secretariat_team, **ENGAGEMENT_CHECKS
    ),
    "/engagements/{engagement_id:id}/withdraw": ObjectRoute(
        owners=("member", "chair"), make=_engagement, may=_owner_only, **ENGAGEMENT_CHECKS
    ),
    # Issue 15: members claim expenses on their own engagements; nobody else's.
    "/engagements/{engagement_id:id}/expenses": ObjectRoute(
        owners=("member", "chair"),
        make=_engagement,
        may=_member_or_secretariat,
        **ENGAGEMENT_CHECKS,
    ),
    # Consents: see _acts_on_own_consent.
    "/consents/{topic}/give": ObjectRoute(
        owners=("member",), make=_consent_topic, may=_acts_on_own_consent, unchanged=_no_consents
    ),
    "/consents/{topic}/withdraw": ObjectRoute(
        owners=("member",), make=_consent_topic, may=_acts_on_own_consent, unchanged=_no_consents
    ),
    # Consent texts are the secretariat's to write and to translate.
    "/secretariat/consents/{text_id:id}/translations/{locale}": ObjectRoute(
        owners=("secretariat",),
        make=_consent_text,
        may=_secretariat_team,
        unchanged=_consent_text_untranslated,
        form=lambda params: {"body": "Taken over"},
    ),
    "/secretariat/support/{contact_id:id}/delete": ObjectRoute(
        owners=("secretariat",),
        make=_support_contact,
        may=_secretariat_team,
        unchanged=_support_contact_kept,
    ),
    # Positions: see _position. Drafts are the council's; the addressed ministry only answers.
    "/positions/{position_id:id}": ObjectRoute(
        owners=("official@draft", "official@adopted", "official_other@published"),
        make=_position(),
        may=_reads_position,
        **POSITION_CHECKS,
    ),
    "/positions/{position_id:id}/edit": ObjectRoute(
        owners=("official@draft", "official@published"),
        make=_position(),
        may=_edits_position,
        **POSITION_CHECKS,
    ),
    "/positions/{position_id:id}/translations/{locale}": ObjectRoute(
        owners=("official@draft", "official_other@published"),
        make=_into_ukrainian(_position()),
        may=lambda v, o: v.startswith("secretariat"),
        unchanged=_untranslated(_position_unchanged),
        form=_translation_form,
    ),
    "/positions/{position_id:id}/cite": ObjectRoute(
        owners=("official@draft",), make=_position(cited=True), may=_drafters, **POSITION_CHECKS
    ),
    "/positions/{position_id:id}/quote": ObjectRoute(
        owners=("official@draft",), make=_position(cited=True), may=_drafters, **POSITION_CHECKS
    ),
    "/positions/{position_id:id}/adopt": ObjectRoute(
        owners=("official@endorsed",), make=_position(), may=_drafters, **POSITION_CHECKS
    ),
    "/positions/{position_id:id}/publish": ObjectRoute(
        owners=("official@adopted",), make=_position(), may=_drafters, **POSITION_CHECKS
    ),
    "/positions/{position_id:id}/withdraw": ObjectRoute(
        owners=("official@published",), make=_position(), may=_drafters, **POSITION_CHECKS
    ),
    "/positions/{position_id:id}/vote": ObjectRoute(
        owners=("official@draft", "official@adopted"),
        make=_position(),
        may=_members_on_position,
        **POSITION_CHECKS,
    ),
    "/positions/{position_id:id}/comments": ObjectRoute(
        owners=("official@draft", "official@adopted"),
        make=_position(),
        may=_members_on_position,
        **POSITION_CHECKS,
    ),
    "/positions/{position_id:id}/comments/{comment_id}/withdraw": ObjectRoute(
        owners=("member", "chair"),
        make=_position_comment,
        may=_owner_only,
        unchanged=_position_comment_kept,
        form=_position_form,
    ),
    "/positions/{position_id:id}/recommendations/{recommendation_id:id}/respond": ObjectRoute(
        owners=("official@published", "official_other@published", "official@adopted"),
        make=_position(),
        may=_responds,
        **POSITION_CHECKS,
    ),
}


def routes_with_ids() -> dict[str, Route]:
    found = {}
    for route in routes():
        if isinstance(route, Route) and "{" in route.path:
            found[route.path] = route
    return found


def test_every_route_with_an_id_is_in_the_sweep():
    assert set(routes_with_ids()) == set(OBJECT_ROUTES), (
        "add the new route to OBJECT_ROUTES in tests/test_idor.py"
    )


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Ministry sign-in on, so that a missed permission check would really change a link.
    return make_settings(
        database_url,
        oidc_issuer="https://idp.example",
        oidc_client_id="council",
        oidc_client_secret="not-used-here",
    )


@pytest.fixture
def world(db, settings, people) -> World:  # type: ignore[no-untyped-def]
    people = dict(people)
    people["secretariat2"] = make_user(db, settings, "secretary-two", Role.SECRETARIAT)
    return World(db=db, settings=settings, people=people)


@pytest.fixture
def clients(app, world):  # type: ignore[no-untyped-def]
    made = {}
    for viewer in VIEWERS:
        c = new_client(app)
        c.__enter__()
        if viewer != "visitor":
            assert sign_in(c, world.people[viewer].name, db=world.db).status_code == 303
        made[viewer] = c
    yield made
    for c in made.values():
        c.__exit__(None, None, None)


def fill(path: str, params: dict[str, str]) -> str:
    for name, value in params.items():
        path = path.replace(f"{{{name}:id}}", value).replace(f"{{{name}}}", value)
    assert "{" not in path, path
    return path


def ask(client, method: str, url: str, extra: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    page = client.get("/account")
    if page.status_code != 200:
        page = client.get("/signin")
    token = csrf_from(page.text)
    data = {"csrf_token": token, "sub": "attacker-sub", "note": "x", **(extra or {})}
    return client.post(url, data=data)


def refused(viewer: str, method: str, response) -> bool:  # type: ignore[no-untyped-def]
    if response.status_code in (403, 404):
        return True
    # Someone not signed in who opens a page is sent to sign in first.
    return (
        viewer == "visitor"
        and method == "GET"
        and response.status_code == 303
        and response.headers["location"].startswith("/signin")
    )


def allowed(spec: ObjectRoute, viewer: str, owner: str, method: str) -> bool:
    if method == "POST" and spec.may_post is not None:
        return spec.may_post(viewer, owner)
    return spec.may(viewer, owner)


@pytest.mark.parametrize("path", sorted(OBJECT_ROUTES))
def test_each_role_is_refused_other_roles_objects(path, world, clients):
    spec = OBJECT_ROUTES[path]
    route = routes_with_ids()[path]
    methods = sorted((route.methods or set()) - {"HEAD"})
    tried = 0
    for owner in spec.owners:
        params = spec.make(world, owner)
        if spec.bearer:
            # Nobody gets in with a token they were not given.
            forged = {k: secrets.token_urlsafe(24) for k in params}
            for viewer in VIEWERS:
                for method in methods:
                    response = ask(clients[viewer], method, fill(path, forged))
                    assert response.status_code == 404, (viewer, method, path)
                    tried += 1
            continue
        extra = spec.form(params) if spec.form else None
        for viewer in VIEWERS:
            for method in methods:
                if allowed(spec, viewer, owner, method):
                    continue
                response = ask(clients[viewer], method, fill(path, params), extra)
                assert refused(viewer, method, response), (
                    viewer,
                    owner,
                    method,
                    path,
                    response.status_code,
                )
                tried += 1
        if spec.unchanged:
            spec.unchanged(world, params)
    assert tried > 0
