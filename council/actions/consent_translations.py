"""Translations of consent texts, by the secretariat. A consent text never changes (a new text
is a new version), so a translation belongs to one version and needs no digest; the original
stays the text that counts, and members are told so beside every translation."""

from __future__ import annotations

from sqlmodel import Session

from council.actions import ActionError, Forbidden
from council.actions.translations import Saved, Saving, TranslationInvalid, check_locale, empty
from council.i18n import gettext as _
from council.models import ConsentText, ConsentTextTranslation, User
from council.queries import translations as tq
from council.rules import permissions

MAX_BODY = 5000


def translate_consent_text(
    session: Session, actor: User, text_id: int, locale: str, body: str
) -> Saved:
    """Save (or, left empty, remove) one language of one version of a consent text."""
    text = session.get(ConsentText, text_id)
    if text is None:
        raise ActionError(_("No such text."))
    if not permissions.can_translate_consent_texts(actor):
        raise Forbidden
    check_locale(locale, text.language)
    if len(body.strip()) > MAX_BODY:
        raise TranslationInvalid({"body": _("A consent text can be at most 5,000 characters.")})
    existing = tq.consent_text_rows(session, [text_id], locale).get(text_id)
    saving = Saving(session, actor, locale)
    values = None if empty(body) else {"body": body.strip()}
    saving.put(existing, ConsentTextTranslation, values, consent_text_id=text_id)
    return saving.audit("consent_text", text_id, topic=text.topic, version=text.version)
