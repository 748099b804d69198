"""Sign-in codes (TOTP) for staff: the secret being enrolled, and confirming it with a code."""

from __future__ import annotations

from sqlmodel import Session

from council.actions import ActionError
from council.actions.audit import record
from council.auth import crypto, totp
from council.i18n import gettext as _
from council.models import User, utcnow
from council.settings import Settings

TOTP_PURPOSE = "totp-secret"


def totp_secret(settings: Settings, user: User) -> str | None:
    if user.totp_secret_enc is None:
        return None
    return crypto.decrypt(settings.secret_key, TOTP_PURPOSE, user.totp_secret_enc).decode()


def pending_totp_secret(session: Session, settings: Settings, user: User) -> str:
    """The secret being enrolled: kept across reloads of the set-up page until confirmed."""
    if user.totp_enrolled_at is not None:
        raise ActionError(_("Your sign-in codes are already set up."))
    secret = totp_secret(settings, user)
    if secret is None:
        secret = totp.new_secret()
        user.totp_secret_enc = crypto.encrypt(settings.secret_key, TOTP_PURPOSE, secret.encode())
        session.add(user)
    return secret


def confirm_totp_enrolment(session: Session, settings: Settings, user: User, code: str) -> None:
    secret = totp_secret(settings, user)
    step = totp.matching_step(secret, code, None) if secret else None
    if step is None:
        raise ActionError(
            _("That code is not right. Check the time on your phone and try the newest code."),
            "code",
        )
    user.totp_enrolled_at = utcnow()
    user.totp_last_step = step
    session.add(user)
    record(session, user, "totp.enrol", "user", user.id)
