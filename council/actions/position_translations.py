"""Translations of a position and its recommendations, by the secretariat. Each part keeps the
digest of the original it translates, so a later change to the original shows it as stale."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from council.actions import ActionError, Forbidden
from council.actions.translations import (
    MAX_TITLE,
    PositionText,
    Saved,
    TranslationInvalid,
    audit,
    check_locale,
    empty,
    remove,
    store,
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
    outcome = Saved()
    if empty(head.title, head.body):
        remove(session, existing_head, outcome)
    else:
        values: dict[str, Any] = {
            "title": head.title.strip(),
            "body": head.body.strip(),
            "source_digest": digest(position.title, position.body),
        }
        store(
            session,
            actor,
            existing_head,
            PositionTranslation(
                position_id=position_id, locale=locale, translated_by_id=actor.id, **values
            ),
            values,
            outcome,
        )
    for recommendation_id, text in recommendations.items():
        original = originals.get(recommendation_id)
        if original is None:
            continue
        found = existing_recommendations.get(recommendation_id)
        if empty(text):
            remove(session, found, outcome)
            continue
        values = {"text": text.strip(), "source_digest": digest(original.text)}
        store(
            session,
            actor,
            found,
            RecommendationTranslation(
                recommendation_id=recommendation_id,
                locale=locale,
                translated_by_id=actor.id,
                **values,
            ),
            values,
            outcome,
        )
    audit(session, actor, "position", position_id, locale, outcome)
    return outcome
