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
from council.models.consent import Consent, ConsentText, ConsentTopic
from council.models.consultation import Consultation, Question, QuestionKind, Status
from council.models.draft import Draft, DraftSection, DraftVersion
from council.models.engagement import (
    Engagement,
    EngagementKind,
    EngagementStatus,
    Expense,
    ExpenseKind,
    Rate,
    RateUnit,
)
from council.models.invite import Invite
from council.models.ministry import Ministry
from council.models.payment import PaymentMethod, PaymentMethodKind, PaymentProfile
from council.models.safeguards import (
    ConflictDeclaration,
    ParticipationPause,
    Quote,
    SupportContact,
)
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
    "ConflictDeclaration",
    "Consent",
    "ConsentText",
    "ConsentTopic",
    "Consultation",
    "Draft",
    "DraftSection",
    "DraftVersion",
    "Engagement",
    "EngagementKind",
    "EngagementStatus",
    "Expense",
    "ExpenseKind",
    "Invite",
    "Ministry",
    "ModeratorNote",
    "ParticipationPause",
    "PaymentMethod",
    "PaymentMethodKind",
    "PaymentProfile",
    "Question",
    "QuestionKind",
    "Quote",
    "Rate",
    "RateUnit",
    "RecoveryCode",
    "Role",
    "Status",
    "SupportContact",
    "Throttle",
    "User",
    "Visibility",
    "WebSession",
    "utcnow",
]
