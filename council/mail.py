"""Neutral email: it says only that something new is waiting, never what (docs/design.md).

A phone's lock screen, a shared inbox or a watching partner must learn nothing from it: no
consultation title, no topic, no link text that names the council's work. Sent with the standard
library's smtplib; when no SMTP host is set, nothing is sent.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from email.message import EmailMessage

from sqlmodel import Session

from council import i18n
from council.db import after_commit
from council.models import User
from council.settings import Settings

log = logging.getLogger("council.mail")


def neutral_message(settings: Settings, to: str, locale: str | None = None) -> EmailMessage:
    token = i18n.current_locale.set(locale if locale in i18n.LOCALES else i18n.DEFAULT_LOCALE)
    try:
        message = EmailMessage()
        message["From"] = settings.mail_from
        message["To"] = to
        message["Subject"] = i18n.gettext("Something new is waiting for you")
        # No link either: the address of the site could itself tell a reader what this is about.
        message.set_content(
            i18n.gettext("Something new is waiting for you on the council platform.") + "\n"
        )
    finally:
        i18n.current_locale.reset(token)
    return message


def send_neutral(settings: Settings, recipients: list[tuple[str, str | None]]) -> int:
    """Send one neutral message to each (address, locale). Returns how many were sent.

    One message per person, so no recipient sees another's address.
    """
    if not settings.smtp_host or not recipients:
        return 0
    sent = 0
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
            for address, locale in recipients:
                try:
                    smtp.send_message(neutral_message(settings, address, locale))
                    sent += 1
                except smtplib.SMTPException as error:
                    # Never log the address: it is personal data.
                    log.warning("a neutral notification was refused: %s", type(error).__name__)
    except (OSError, smtplib.SMTPException) as error:
        log.error("could not reach the SMTP server: %s", type(error).__name__)
    return sent


def notify(session: Session, settings: Settings, people: Iterable[User]) -> None:
    """Tell each person (who gave an address) that something is waiting, once the action's
    transaction commits. Called by actions only, so a change made from a page or from the
    command line notifies the same people."""
    recipients = [(person.email, person.locale) for person in people if person.email]
    if recipients:
        after_commit(session, lambda: send_neutral(settings, recipients))
