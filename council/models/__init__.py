"""All tables, imported here so that Alembic sees the whole metadata."""

from council.models._base import utcnow
from council.models.audit import AuditEvent
from council.models.comment import (
    REDACTED,
    Comment,
    CommentStatus,
    ModeratorNote,
    Visibility,
)
from council.models.consultation import Consultation, Question, QuestionKind, Status
from council.models.draft import Draft, DraftSection, DraftVersion
from council.models.invite import Invite
from council.models.ministry import Ministry
from council.models.position import (
    PUBLIC_STATUSES,
    Ballot,
    Choice,
    Citation,
    GovernmentResponse,
    Position,
    PositionComment,
    PositionQuote,
    PositionStatus,
    Recommendation,
    ResponseStatus,
)
from council.models.throttle import Throttle
from council.models.user import MEMBER_ROLES, STAFF_ROLES, RecoveryCode, Role, User
from council.models.web_session import WebSession

__all__ = [
    "MEMBER_ROLES",
    "PUBLIC_STATUSES",
    "REDACTED",
    "STAFF_ROLES",
    "AuditEvent",
    "Ballot",
    "Choice",
    "Citation",
    "Comment",
    "CommentStatus",
    "Consultation",
    "Draft",
    "DraftSection",
    "DraftVersion",
    "GovernmentResponse",
    "Invite",
    "Ministry",
    "ModeratorNote",
    "Position",
    "PositionComment",
    "PositionQuote",
    "PositionStatus",
    "Question",
    "QuestionKind",
    "Recommendation",
    "RecoveryCode",
    "ResponseStatus",
    "Role",
    "Status",
    "Throttle",
    "User",
    "Visibility",
    "WebSession",
    "utcnow",
]
