"""Translations of a position and its recommendations, by the secretariat. Each part keeps the
digest of the original it translates, so a later change to the original shows it as stale."""

from __future__ import annotations

from sqlmodel import Session, col, select

from council.actions import ActionError, Forbidden
from council.actions.translations import (
    MAX_TITLE,
    PositionText,
    Saved,
    Saving,
    TranslationInvalid,
    check_locale,
    empty,
    too_long,
)
from council.i18n import gettext as _
from council.models import (
    Position,
    PositionTranslation,
    Recommendation,
    RecommendationTranslation,
    User,
)
from council.models.translation import digest
from council.queries import translations as tq
from council.rules import permissions


def translate_position(
    session: Session,
    actor: User,
    position_id: int,
    locale: str,
    *,
    head: PositionText,
    recommendations: dict[int, str],
) -> Saved:
    """Save one language of a position. Each translation keeps a digest of the original it
    was made from; saving again after the original changed marks it current again."""
    position = session.get(Position, position_id)
    if position is None:
        raise ActionError(_("No such position."))
    if not permissions.can_translate_position(actor):
        raise Forbidden
    check_locale(locale, position.language)
    originals = {
        r.require_id: r
        for r in session.execute(
            select(Recommendation).where(col(Recommendation.position_id) == position_id)
        ).scalars()
    }
    problems: dict[str, str] = {}
    if not empty(head.title, head.body):
        if empty(head.title):
            problems["title"] = _(
                "Translate the title too, or leave both the title and the text empty."
            )
        if empty(head.body) and position.body.strip():
            problems["body"] = _(
                "Translate the text too, or leave both the title and the text empty."
            )
        too_long(
            problems, "title", head.title, MAX_TITLE, _("A title can be at most 200 characters.")
        )
    if problems:
        raise TranslationInvalid(problems)

    existing_head, existing_recommendations = tq.position_rows(session, position_id, locale)
    saving = Saving(session, actor, locale)
    head_values = {
        "title": head.title.strip(),
        "body": head.body.strip(),
        "source_digest": digest(position.title, position.body),
    }
    filled = not empty(head.title, head.body)
    saving.put(
        existing_head, PositionTranslation, head_values if filled else None, position_id=position_id
    )
    for recommendation_id, text in recommendations.items():
        original = originals.get(recommendation_id)
        if original is None:
            continue
        values = {"text": text.strip(), "source_digest": digest(original.text)}
        found = existing_recommendations.get(recommendation_id)
        saving.put(
            found,
            RecommendationTranslation,
            values if not empty(text) else None,
            recommendation_id=recommendation_id,
        )
    return saving.audit("position", position_id)
