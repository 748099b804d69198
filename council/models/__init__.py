"""All tables, imported here so that Alembic sees the whole metadata."""

from council.models._base import utcnow
from council.models.audit import AuditEvent
from council.models.invite import Invite
from council.models.ministry import Ministry
from council.models.throttle import Throttle
from council.models.user import MEMBER_ROLES, STAFF_ROLES, RecoveryCode, Role, User
from council.models.web_session import WebSession

__all__ = [
    "MEMBER_ROLES",
    "STAFF_ROLES",
    "AuditEvent",
    "Invite",
    "Ministry",
    "RecoveryCode",
    "Role",
    "Throttle",
    "User",
    "WebSession",
    "utcnow",
]
