"""All tables, imported here so that Alembic sees the whole metadata."""

from council.models._base import utcnow
from council.models.annual_report import AnnualReport, ReportStatus
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
from council.models.meeting import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingReply,
    ReplyAnswer,
)
from council.models.ministry import Ministry
from council.models.payment import PaymentMethod, PaymentMethodKind, PaymentProfile
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
from council.models.safeguards import (
    ConflictDeclaration,
    ParticipationPause,
    Quote,
    SupportContact,
)
from council.models.term import Gender, SelfDescription, Term
from council.models.throttle import Throttle
from council.models.translation import (
    ConsentTextTranslation,
    DraftSectionTranslation,
    DraftVersionTranslation,
    PositionTranslation,
    QuestionTranslation,
    RecommendationTranslation,
)
from council.models.user import MEMBER_ROLES, STAFF_ROLES, RecoveryCode, Role, User
from council.models.web_session import WebSession

__all__ = [
    "MEMBER_ROLES",
    "PUBLIC_STATUSES",
    "REDACTED",
    "STAFF_ROLES",
    "AgendaItem",
    "AnnualReport",
    "Attendance",
    "AuditEvent",
    "Ballot",
    "Choice",
    "Citation",
    "Comment",
    "CommentStatus",
    "ConflictDeclaration",
    "Consent",
    "ConsentText",
    "ConsentTextTranslation",
    "ConsentTopic",
    "Consultation",
    "Decision",
    "Draft",
    "DraftSection",
    "DraftSectionTranslation",
    "DraftVersion",
    "DraftVersionTranslation",
    "Engagement",
    "EngagementKind",
    "EngagementStatus",
    "Expense",
    "ExpenseKind",
    "Gender",
    "GovernmentResponse",
    "Invite",
    "Meeting",
    "MeetingReply",
    "Ministry",
    "ModeratorNote",
    "ParticipationPause",
    "PaymentMethod",
    "PaymentMethodKind",
    "PaymentProfile",
    "Position",
    "PositionComment",
    "PositionQuote",
    "PositionStatus",
    "PositionTranslation",
    "Question",
    "QuestionKind",
    "QuestionTranslation",
    "Quote",
    "Rate",
    "RateUnit",
    "Recommendation",
    "RecommendationTranslation",
    "RecoveryCode",
    "ReplyAnswer",
    "ReportStatus",
    "ResponseStatus",
    "Role",
    "SelfDescription",
    "Status",
    "SupportContact",
    "Term",
    "Throttle",
    "User",
    "Visibility",
    "WebSession",
    "utcnow",
]
