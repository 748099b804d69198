"""The benchmark's data sets, built through council's own actions (never raw SQL).

`large` is the size issue 8 names: 500 members, 40 drafts of 30 sections, 100 consultations,
50,000 comments (half anonymous), 5,000 engagements, 60 positions with 400 recommendations and
the government's responses to them. `small` is a tenth of each (drafts keep their 30 sections),
so that the growth of each page's cost with the council's work is visible.

The member consultation page measured is the largest: one open consultation of the Ministry of
Interior (official1's) with 30 sections, discussion on, and 2,000 comments (200 in `small`).

Everything goes through council/actions, as the site would do it. Two things are made cheap, for
bench-only accounts only, because they measure nothing and would take most of the build: the
argon2 passphrase hash (nobody signs in as a bench member) and the argon2 behind the wrap of each
bench member's anonymity key (the anonymous comments are still made by the comment action from a
real key, through the real HMAC tag scheme). The demo accounts the benchmark signs in as (member2,
official1, secretariat1) keep full-cost hashes and keys. Many actions share one transaction.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import create_engine, func, text
from sqlmodel import Session, col, select

from council.actions import (
    accounts,
    comments,
    consultations,
    drafts,
    endorsements,
    engagements,
    moderation,
    positions,
)
from council.actions import oidc as oidc_actions
from council.actions import responses as response_actions
from council.actions.signin import open_member_key
from council.auth import passwords, totp
from council.db import Database
from council.demo import DEMO_PASSPHRASE, DEMO_TOTP_SECRET, MINISTRY, SOCIAL_POLICY
from council.demo import load as load_demo
from council.models import (
    Comment,
    Consultation,
    DraftSection,
    Ministry,
    Question,
    Role,
    Status,
    User,
    Visibility,
    utcnow,
)
from council.queries import consultations as cq
from council.queries import positions as pq
from council.rules.authorship import Author
from council.rules.targets import Target
from council.settings import Settings
from tests.totp_steps import unused_step

# "tiny" checks the harness itself in seconds (`python -m bench.run --sizes tiny`).
SCALE = {"tiny": 0.01, "small": 0.1, "large": 1.0}
MEMBERS = 500
DRAFTS = 40
SECTIONS = 30
CONSULTATIONS = 100
COMMENTS = 50_000
BIG_CONSULTATION_COMMENTS = 2_000
ENGAGEMENTS = 5_000
POSITIONS = 60
RECOMMENDATIONS = 400
# The signed-in member's own comments on the big consultation ("your comments"): a busy member's
# share, the same in both data sets (a member's own work does not grow with the council's).
OWN_COMMENTS = 12
# And the signed-in member's own engagements ("member ledger"), likewise fixed.
OWN_ENGAGEMENTS = 40
# Comments per transaction while building.
BATCH = 2_500
# Raised for the build (and the bench server) only: the default is 30 an hour per member.
UNTHROTTLED = 10**9
CHEAP_KEY = {"time_cost": 1, "memory_kib": 8}

WORDS = [
    "support",
    "shelter",
    "police",
    "referral",
    "survivor",
    "time",
    "safe",
    "language",
    "interpreter",
    "court",
    "housing",
    "money",
    "work",
    "children",
    "travel",
    "permit",
    "document",
    "trust",
    "listen",
    "help",
    "reflection",
    "period",
    "region",
    "social",
    "worker",
    "doctor",
    "school",
    "family",
    "fear",
    "choice",
    "decide",
    "protect",
    "respect",
    "nothing",
    "about",
    "us",
]


def bench_settings(database_url: str) -> Settings:
    return Settings(env="local", database_url=database_url, comments_per_hour=UNTHROTTLED)


@dataclass
class Fixture:
    passphrase: str = DEMO_PASSPHRASE
    ids: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    _used_steps: dict[str, int] = field(default_factory=dict)

    def sign_in_for(self, who: str) -> tuple[str, Callable[[], str]]:
        """The account to sign in as, and a maker of a TOTP code it has not used yet."""
        name = {"member": "member2", "official": "official1", "secretariat": "secretariat1"}[who]

        def code() -> str:
            # A code good for a whole step: a loaded server may answer slowly.
            step = unused_step(self._used_steps.get(name), margin=30)
            self._used_steps[name] = step
            return totp.code_at(DEMO_TOTP_SECRET, step * 30)

        return name, code


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@contextmanager
def _cheap_passwords() -> Iterator[None]:
    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    try:
        yield
    finally:
        passwords._hasher = original


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _by_name(session: Session, name: str) -> User:
    return session.execute(select(User).where(col(User.name) == name)).scalar_one()


class Builder:
    """Builds a data set; `scale` (a fraction of the large set) and `settings` let the unit
    suite build tiny ones with its cheap argon2 settings (tests/queries/test_query_counts.py)."""

    def __init__(
        self,
        database_url: str,
        size: str = "large",
        *,
        scale: float | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.scale = SCALE[size] if scale is None else scale
        self.settings = settings or bench_settings(database_url)
        self._keys: dict[int, bytes] = {}
        self.db = Database(database_url)
        self.rng = random.Random(8)  # noqa: S311  (made-up data, not security)
        self.fixture = Fixture()

    def n(self, count: int) -> int:
        return max(1, round(count * self.scale))

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.fixture.timings[name] = time.monotonic() - started

    def build(self) -> Fixture:
        try:
            with self.step("demo accounts (full-cost argon2)"):
                load_demo(self.db, self.settings)
            with _cheap_passwords(), self.step("members and officials"):
                self.people()
            with self.step("drafts and consultations"):
                self.drafts_and_consultations()
            self.grow()
        finally:
            self.db.dispose()
        return self.fixture

    def grow(self) -> None:
        """Comments, engagements and positions at the current scale; called again after a
        larger `scale`, it adds to the same consultations (the unit suite's bigger set)."""
        with self.step("comments"):
            self.comments()
        with self.step("engagements"):
            self.engagements()
        with self.step("positions and responses"):
            self.positions()

    # --- people --------------------------------------------------------------------------------

    def people(self) -> None:
        with self.db.write() as session:
            secretary = _by_name(session, "secretariat1")
            for number in range(self.n(MEMBERS)):
                accounts.create_user(
                    session,
                    name=f"bench-member-{number}",
                    role=Role.MEMBER,
                    passphrase=DEMO_PASSPHRASE,
                    settings=self.cheap_settings,
                    check_passphrase=False,
                )
            for number in range(3):
                ministry = oidc_actions.find_or_create_ministry(
                    session, secretary, f"Bench ministry {number}"
                )
                accounts.create_user(
                    session,
                    name=f"bench-official-{number}",
                    role=Role.OFFICIAL,
                    passphrase=DEMO_PASSPHRASE,
                    settings=self.settings,
                    ministry_id=ministry.id,
                    totp_secret=DEMO_TOTP_SECRET,
                    check_passphrase=False,
                )

    def _officials(self, session: Session) -> list[User]:
        """One official per ministry, official1 (Interior) first."""
        by_ministry: dict[int, User] = {}
        for user in session.execute(
            select(User).where(col(User.role) == Role.OFFICIAL.value).order_by(col(User.id))
        ).scalars():
            assert user.ministry_id is not None
            by_ministry.setdefault(user.ministry_id, user)
        return list(by_ministry.values())

    def _members(self, session: Session) -> list[User]:
        return list(
            session.execute(
                select(User)
                .where(
                    col(User.role).in_([Role.MEMBER.value, Role.CHAIR.value]),
                    col(User.stepping_back_since).is_(None),
                )
                .order_by(col(User.id))
            ).scalars()
        )

    # --- drafts and consultations --------------------------------------------------------------

    def drafts_and_consultations(self) -> None:
        rng = self.rng
        now = utcnow()
        with self.db.write() as session:
            officials = self._officials(session)
            secretary = _by_name(session, "secretariat1")
            draft_ids: list[tuple[int, User]] = []
            for number in range(self.n(DRAFTS)):
                official = officials[number % len(officials)]
                draft = drafts.create_draft(
                    session,
                    official,
                    title=f"Bench draft {number}: " + _text(rng, 6),
                    summary=_text(rng, 40),
                    sections=[
                        drafts.SectionInput(
                            f"Section {s + 1}: " + _text(rng, 4),
                            "\n\n".join(_text(rng, 60) for _ in range(3)),
                            "violence" if s % 10 == 3 else "",
                        )
                        for s in range(SECTIONS)
                    ],
                )
                drafts.publish_version(session, official, draft.require_id)
                draft_ids.append((draft.require_id, official))
            opened: list[int] = []
            for number in range(self.n(CONSULTATIONS)):
                draft_id, official = draft_ids[number % len(draft_ids)]
                consultation = consultations.create(session, official, draft_id)
                cid = consultation.require_id
                values = consultations.ConsultationInput(
                    deadline=now + timedelta(days=28),
                    response_due=now + timedelta(days=70),
                    languages_formats="English, Ukrainian, Russian",
                    support_contact="The secretariat, +000 000 0000",
                    allow_discussion=number % 2 == 0,
                )
                consultations.update(session, official, cid, values)
                for q in range(2):
                    consultations.add_question(
                        session,
                        official,
                        cid,
                        text=f"Question {q + 1}: " + _text(rng, 8)[:-1] + "?",
                        kind="single" if q == 0 else "text",
                        options=["Yes", "No", "Not sure"] if q == 0 else [],
                    )
                consultations.transition(session, official, cid, Status.IN_REVIEW, self.settings)
                values.warnings_confirmed = True
                values.payment_rate_minor = 2500
                values.payment_currency = "EUR"
                values.payment_unit = "hour"
                consultations.update(session, secretary, cid, values)
                consultations.transition(session, secretary, cid, Status.OPEN, self.settings)
                opened.append(cid)
        # The first bench consultation is official1's (Interior): the big one, discussion on.
        self.consultation_ids = opened
        self.fixture.ids["consultation"] = opened[0]

    # --- comments ------------------------------------------------------------------------------

    @property
    def cheap_settings(self) -> Settings:
        """The settings bench-only members are made and opened with: a cheap argon2 for the
        key that wraps their anonymity key (nobody signs in as them)."""
        return self.settings.model_copy(
            update={
                "anonymity_time_cost": CHEAP_KEY["time_cost"],
                "anonymity_memory_kib": CHEAP_KEY["memory_kib"],
            }
        )

    def _key(self, member: User) -> bytes:
        """The member's anonymity key, opened as sign-in opens it: full cost for the demo
        accounts (the benchmark signs in as member2), cheap for bench-only ones."""
        cached = self._keys.get(member.require_id)
        if cached is None:
            cost = self.cheap_settings if member.name.startswith("bench-") else self.settings
            cached = open_member_key(cost, member, DEMO_PASSPHRASE)[0]
            self._keys[member.require_id] = cached
        return cached

    def _authors(self, members: list[User]) -> list[Author]:
        return [Author(member, self._key(member)) for member in members]

    def comments(self) -> None:
        rng = self.rng
        with self.db.read() as session:
            members = self._members(session)
            secretary = _by_name(session, "secretariat1")
            pages = {cid: cq.consultation_page(session, cid) for cid in self.consultation_ids}
        authors = self._authors([m for m in members if m.name != "member2"])
        me = self._authors([m for m in members if m.name == "member2"])[0]
        big = self.consultation_ids[0]
        total = self.n(COMMENTS)
        on_big = self.n(BIG_CONSULTATION_COMMENTS)
        others = self.consultation_ids[1:] or [big]
        # (author, consultation) for every comment: the big one first, the rest spread evenly.
        plan: list[tuple[Author, int]] = [(me, big)] * OWN_COMMENTS
        plan += [(rng.choice(authors), big) for _ in range(on_big - OWN_COMMENTS)]
        plan += [(rng.choice(authors), others[i % len(others)]) for i in range(total - on_big)]
        busiest = pages[big].sections[4].require_id  # type: ignore[union-attr]
        self.fixture.ids["section"] = busiest
        for start in range(0, len(plan), BATCH):
            with self.db.write() as session:
                # The session's identity map holds objects weakly: keeping the consultations,
                # sections, questions and new comments referenced saves a SELECT per action.
                keep: list[object] = [
                    *session.execute(select(Consultation)).scalars(),
                    *session.execute(select(Question)).scalars(),
                    *session.execute(
                        select(DraftSection).where(
                            col(DraftSection.version_id).in_(
                                [p.version.id for p in pages.values() if p]
                            )
                        )
                    ).scalars(),
                ]
                posted = []
                for index in range(start, min(start + BATCH, len(plan))):
                    who, cid = plan[index]
                    page = pages[cid]
                    assert page is not None
                    roll = rng.random()
                    question = None
                    if roll < 0.1:
                        target = Target()
                    elif roll < 0.2:
                        question = page.questions[index % 2]
                        target = Target(question_id=question.id)
                    elif roll < 0.35 and cid == big:
                        target = Target(section_id=busiest)
                    else:
                        target = Target(section_id=rng.choice(page.sections).id)
                    choice = question is not None and question.is_choice
                    comment = comments.post(
                        session,
                        self.settings,
                        who,
                        cid,
                        target,
                        body="" if choice else _text(rng, rng.randint(15, 80)),
                        choices=[rng.choice(question.options)] if choice and question else [],
                        visibility=Visibility.ANONYMOUS.value
                        if index % 2 == 0
                        else Visibility.COUNCIL.value,
                        may_quote=rng.random() < 0.5,
                    )
                    posted.append(comment)
                # Moderation after the batch's posts, so the updates flush together.
                for number, comment in enumerate(posted):
                    comment_id = comment.id
                    fate = (start + number) % 20
                    if fate < 16:
                        moderation.approve(session, secretary, comment_id)
                    elif fate == 16:
                        moderation.reject(session, secretary, comment_id, "Please leave out names.")
                    elif fate == 17:
                        moderation.add_note(session, secretary, comment_id, "Could you say more?")
                    # 18, 19: left pending for the moderation queue
                del keep

    # --- engagements ---------------------------------------------------------------------------

    def engagements(self) -> None:
        rng = self.rng
        today = utcnow()
        with self.db.write() as session:
            members = self._members(session)
            secretary = _by_name(session, "secretariat1")
            me = next(m for m in members if m.name == "member2")
            others = [m for m in members if m is not me]
            kinds = [("meeting", "flat"), ("training", "day"), ("review", "hour")]
            for number in range(self.n(ENGAGEMENTS)):
                # The signed-in member's ledger is a long-serving member's, the same in both sets.
                member = me if number < OWN_ENGAGEMENTS else others[number % len(others)]
                when = today - timedelta(days=rng.randint(1, 700))
                if number % 2 == 0:
                    engagement = engagements.record_contribution(
                        session,
                        member,
                        consultation_id=None,
                        label="Consultation work",
                        occurred_on=when.date(),
                        quantity_milli=rng.choice([1000, 2000, 3500]),
                        now=when,
                    )
                else:
                    kind, unit = kinds[number % len(kinds)]
                    engagement = engagements.create_engagement(
                        session,
                        secretary,
                        member_id=member.require_id,
                        kind=kind,
                        unit=unit,
                        quantity_milli=1000,
                        occurred_on=when.date(),
                        label="Plenary meeting",
                        completed=True,
                        now=when,
                    )
                    if number % 3 == 0:
                        engagements.add_expense(
                            session,
                            secretary,
                            engagement.require_id,
                            kind="travel",
                            amount_minor=1850,
                            note="Bus",
                        )
                fate = number % 10
                if fate < 7:
                    engagements.approve(
                        session, secretary, engagement.require_id, now=when + timedelta(days=2)
                    )
                if fate < 6:
                    engagements.mark_paid(
                        session, secretary, engagement.require_id, now=when + timedelta(days=9)
                    )

    # --- positions -----------------------------------------------------------------------------

    def positions(self) -> None:
        rng = self.rng
        now = utcnow()
        count = self.n(POSITIONS)
        recommendations = self.n(RECOMMENDATIONS)
        with self.db.write() as session:
            chair = _by_name(session, "member1")
            secretary = _by_name(session, "secretariat1")
            members = self._members(session)
            officials = {u.ministry_id: u for u in self._officials(session)}
            ministry_ids = list(officials)
            interior = session.execute(
                select(Ministry.id).where(col(Ministry.name) == MINISTRY)
            ).scalar_one()
            assert SOCIAL_POLICY  # the demo's second ministry answers too
            eligible = pq.eligible_voters(session)
            needed = int(eligible * self.settings.adoption_quorum) + 1
            published: list[int] = []
            for number in range(count):
                per = recommendations // count + (1 if number < recommendations % count else 0)
                ministry_id = interior if number == 0 else ministry_ids[number % len(ministry_ids)]
                position, _notify = positions.create(
                    session,
                    self.settings,
                    chair,
                    positions.PositionInput(
                        title=f"Bench position {number}: " + _text(rng, 5),
                        body="\n\n".join(_text(rng, 70) for _ in range(4)),
                        recommendations=[_text(rng, 25) for _ in range(per)],
                        ministry_id=ministry_id,
                        languages="English, Ukrainian",
                    ),
                )
                pid = position.require_id
                for voter in members[:needed]:
                    endorsements.vote(
                        session, self.settings, voter, pid, "endorse", key=self._key(voter)
                    )
                days_ago = rng.randint(5, 400)
                positions.adopt(
                    session, self.settings, chair, pid, now=now - timedelta(days=days_ago + 3)
                )
                positions.publish(
                    session, self.settings, secretary, pid, now=now - timedelta(days=days_ago)
                )
                published.append(pid)
                official = officials[ministry_id]
                statuses = ["accepted", "partly_accepted", "rejected", "under_consideration"]
                for rec in pq.recommendations_of(session, pid):
                    if rng.random() < 0.8:
                        response_actions.respond(
                            session,
                            self.settings,
                            official,
                            rec.require_id,
                            rng.choice(statuses),
                            _text(rng, 40),
                            now=now - timedelta(days=max(0, days_ago - rng.randint(1, 90))),
                        )
        # The position page measured: the first (Interior's), with its responses.
        self.fixture.ids["position"] = published[0]


def build(database_url: str, size: str) -> Fixture:
    return Builder(database_url, size).build()


@dataclass
class Page:
    label: str
    path: Callable[[Fixture], str]
    who: str | None = None  # "member", "official", "secretariat" or None for the public
    method: str = "GET"
    body: Callable[[Fixture, str], str] | None = None  # (fixture, CSRF token) -> form body
    read: bool = True  # a read page (p95 target 50 ms) or a write (100 ms)


def _page(label: str, path: str, who: str | None = None) -> Page:
    return Page(label, lambda fixture: path, who)


def _comment_body(fixture: Fixture, token: str) -> str:
    return (
        "body=A+benchmark+comment+about+the+reflection+period.&visibility=anonymous"
        f"&csrf_token={token}"
    )


PAGES = [
    _page("public home", "/"),
    Page("position page", lambda f: f"/positions/{f.ids['position']}"),
    _page("scorecard", "/scorecard"),
    _page("Atom feed", "/feed.atom"),
    Page(
        "consultation: sections and your comments",
        lambda f: f"/consultations/{f.ids['consultation']}",
        "member",
    ),
    Page(
        "consultation: a section's comments",
        lambda f: f"/consultations/{f.ids['consultation']}/on/section-{f.ids['section']}",
        "member",
    ),
    _page("member ledger", "/engagements", "member"),
    _page("moderation queue", "/moderation", "secretariat"),
    Page(
        "official results page",
        lambda f: f"/consultations/{f.ids['consultation']}/results",
        "official",
    ),
    Page(
        "comment POST",
        lambda f: f"/consultations/{f.ids['consultation']}/on/section-{f.ids['section']}",
        "member",
        method="POST",
        body=_comment_body,
        read=False,
    ),
]


def comment_count(session: Session, consultation_id: int) -> int:
    return int(
        session.execute(
            select(func.count())
            .select_from(Comment)
            .where(col(Comment.consultation_id) == consultation_id)
        ).scalar_one()
    )
