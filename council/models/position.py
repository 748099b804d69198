"""Council positions, their recommendations, the secret endorsement ballot and government responses.

Lifecycle of a position: draft (members endorse, object or abstain) -> adopted (the council's
rule was met) -> published (public, with its date) -> withdrawn (still public, marked, with a
reason). A position addresses one ministry: the ministry of the consultation it answers, or one
chosen when it is written. Only that ministry's officials answer its recommendations.

The ballot keeps no member id. The tally lives on the position; a `Ballot` row exists only so a
member can change their choice, keyed by `voter_tag = HMAC(key from the app secret,
"position:member")`. Be honest about the limit: someone holding both the database and the app
secret can recompute the tag for each member and read their choice. What the design promises
(docs/design.md) is that no page, export or log ever shows it to anyone else, which the code
keeps.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from council.i18n import DEFAULT_LOCALE
from council.models._base import UTCDateTime, new_uuid, utcnow


class PositionStatus(StrEnum):
    DRAFT = "draft"
    ADOPTED = "adopted"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


PUBLIC_STATUSES = frozenset({PositionStatus.PUBLISHED.value, PositionStatus.WITHDRAWN.value})


class Choice(StrEnum):
    ENDORSE = "endorse"
    OBJECT = "object"
    ABSTAIN = "abstain"


class ResponseStatus(StrEnum):
    ACCEPTED = "accepted"
    PARTLY = "partly_accepted"
    REJECTED = "rejected"
    CONSIDERING = "under_consideration"


class Position(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_type=Text)
    ministry_id: int = Field(foreign_key="ministry.id", index=True)
    consultation_id: int | None = Field(
        default=None, foreign_key="consultation.id", index=True, ondelete="SET NULL"
    )
    languages: str = Field(default="", max_length=300)
    # The language the title, body and recommendations are written in (see models/translation).
    language: str = Field(
        default=DEFAULT_LOCALE, max_length=8, sa_column_kwargs={"server_default": DEFAULT_LOCALE}
    )
    status: str = Field(default=PositionStatus.DRAFT.value, max_length=20, index=True)
    # The tally of the secret ballot: counts only.
    endorse_count: int = 0
    object_count: int = 0
    abstain_count: int = 0
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    adopted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    # When the ministry must have answered every recommendation; set at publication.
    response_due: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_reason: str | None = Field(default=None, max_length=1000)

    @property
    def require_id(self) -> int:
        assert self.id is not None
        return self.id

    @property
    def votes_cast(self) -> int:
        return self.endorse_count + self.object_count + self.abstain_count

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class Recommendation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    position_id: int = Field(foreign_key="position.id", index=True, ondelete="CASCADE")
    number: int
    text: str = Field(sa_type=Text)

    @property
    def require_id(self) -> int:
        assert self.id is not None
        return self.id


class Ballot(SQLModel, table=True):
    """One member's current choice on one draft position, under a tag, never a member id."""

    position_id: int = Field(foreign_key="position.id", primary_key=True, ondelete="CASCADE")
    voter_tag: str = Field(primary_key=True, max_length=64)
    choice: str = Field(max_length=10)


class GovernmentResponse(SQLModel, table=True):
    """One dated entry of the ministry's answer to a recommendation; the latest is current."""

    __tablename__ = "government_response"

    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True, ondelete="CASCADE")
    status: str = Field(max_length=30)
    explanation: str = Field(default="", sa_type=Text)
    responded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    official_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class Citation(SQLModel, table=True):
    """A recommendation was informed by an approved consultation comment (a link, no author)."""

    __tablename__ = "recommendation_citation"

    recommendation_id: int = Field(
        foreign_key="recommendation.id", primary_key=True, ondelete="CASCADE"
    )
    comment_id: str = Field(
        foreign_key="comment.id", primary_key=True, max_length=36, ondelete="CASCADE"
    )


class PositionQuote(SQLModel, table=True):
    """A passage of a comment quoted (anonymously) in a position. Flagged for the secretariat
    when its author withdraws consent to being quoted after publication."""

    __tablename__ = "position_quote"

    id: int | None = Field(default=None, primary_key=True)
    position_id: int = Field(foreign_key="position.id", index=True, ondelete="CASCADE")
    comment_id: str = Field(foreign_key="comment.id", index=True, max_length=36, ondelete="CASCADE")
    text: str = Field(sa_type=Text)
    flagged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PositionComment(SQLModel, table=True):
    """A member's comment on a draft position, for the drafters (chair and secretariat).

    Always anonymous, like the consultation scheme: `author_tag = HMAC(anonymity key,
    "position:<id>")`, a random id and the day only. The author finds it again with their key.
    """

    __tablename__ = "position_comment"

    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    position_id: int = Field(foreign_key="position.id", index=True, ondelete="CASCADE")
    author_tag: str = Field(max_length=64, index=True)
    body: str = Field(sa_type=Text)
    created_on: datetime = Field(sa_type=UTCDateTime)
