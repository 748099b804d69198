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
from council.models.throttle import Throttle
from council.models.user import MEMBER_ROLES, STAFF_ROLES, RecoveryCode, Role, User
from council.models.web_session import WebSession

__all__ = [
    "MEMBER_ROLES",
    "REDACTED",
    "STAFF_ROLES",
    "AuditEvent",
    "Comment",
    "CommentStatus",
    "Consultation",
    "Draft",
    "DraftSection",
    "DraftVersion",
    "Invite",
    "Ministry",
    "ModeratorNote",
    "Question",
    "QuestionKind",
    "RecoveryCode",
    "Role",
    "Status",
    "Throttle",
    "User",
    "Visibility",
    "WebSession",
    "utcnow",
]
