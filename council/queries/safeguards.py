"""Reading the safeguards: consent state, who is stepping back, support contacts, conflicts.

`is_stepping_back` and `stepping_back_member_ids` are what notifications, requests and attendance
ask before counting or contacting a member (the consultations work wires them in).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from council.models import (
    ConflictDeclaration,
    Consent,
    ConsentText,
    ConsentTextTranslation,
    ConsentTopic,
    ParticipationPause,
    Quote,
    SupportContact,
    User,
)
from council.queries import translations
from council.queries.translations import Shown

TOPICS = tuple(ConsentTopic)


def is_stepping_back(session: Session, user_id: int) -> bool:
    return (
        session.execute(
            select(ParticipationPause.id).where(
                ParticipationPause.member_id == user_id,
                col(ParticipationPause.ended_at).is_(None),
            )
        ).first()
        is not None
    )


def stepping_back_member_ids(session: Session) -> set[int]:
    return set(
        session.execute(
            select(ParticipationPause.member_id).where(col(ParticipationPause.ended_at).is_(None))
        ).scalars()
    )


# --- consents ----------------------------------------------------------------------------------


def current_texts(session: Session) -> dict[str, ConsentText]:
    """The newest version of each topic's text."""
    texts: dict[str, ConsentText] = {}
    for text in session.execute(
        select(ConsentText).order_by(ConsentText.topic, col(ConsentText.version))
    ).scalars():
        texts[text.topic] = text
    return texts


def current_text(session: Session, topic: str) -> ConsentText | None:
    return session.execute(
        select(ConsentText)
        .where(ConsentText.topic == topic)
        .order_by(col(ConsentText.version).desc())
        .limit(1)
    ).scalar_one_or_none()


def consent_text(session: Session, text_id: int) -> ConsentText | None:
    """One version of a consent text (they are not secret: every member reads them)."""
    return session.get(ConsentText, text_id)


def translated_locales(session: Session, text_ids: list[int]) -> dict[int, set[str]]:
    """The languages each consent text has a translation in, for the secretariat's page."""
    found: dict[int, set[str]] = {text_id: set() for text_id in text_ids}
    if text_ids:
        for text_id, locale in session.execute(
            select(ConsentTextTranslation.consent_text_id, ConsentTextTranslation.locale).where(
                col(ConsentTextTranslation.consent_text_id).in_(text_ids)
            )
        ).all():
            found[text_id].add(locale)
    return found


def latest_answers(session: Session, member_id: int) -> dict[str, Consent]:
    """Each topic's newest answer of the member (given, or given and withdrawn)."""
    answers: dict[str, Consent] = {}
    for consent in session.execute(
        select(Consent).where(Consent.member_id == member_id).order_by(col(Consent.id))
    ).scalars():
        answers[consent.topic] = consent
    return answers


def has_consented(
    session: Session, member_id: int, topic: str, text: ConsentText | None = None
) -> bool:
    """Consent to the *current* version of the topic's text, not withdrawn."""
    text = text or current_text(session, topic)
    if text is None:
        return False
    answer = latest_answers(session, member_id).get(topic)
    return answer is not None and answer.withdrawn_at is None and answer.version == text.version


def needs_taking_part_consent(session: Session, member_id: int) -> bool:
    """True when a taking-part text exists and the member has not agreed to its current
    version. With no text written yet there is nothing to ask."""
    text = current_text(session, ConsentTopic.TAKING_PART)
    if text is None:
        return False
    return not has_consented(session, member_id, ConsentTopic.TAKING_PART, text)


@dataclass
class ConsentRow:
    topic: str
    text: ConsentText | None
    answer: Consent | None
    # The text as the member reads it: in their language where translated (queries/translations).
    shown: Shown | None = None

    @property
    def given(self) -> bool:
        return (
            self.text is not None
            and self.answer is not None
            and self.answer.withdrawn_at is None
            and self.answer.version == self.text.version
        )

    @property
    def notice(self) -> str:
        """'This text is only in English.' when the reader's language has no translation."""
        if self.shown is None or not self.shown.missing:
            return ""
        return translations.only_in("text", self.shown.lang)

    @property
    def optional(self) -> bool:
        """Only taking part is asked before anything else; a member may take part without
        agreeing to any of the others."""
        return self.topic != ConsentTopic.TAKING_PART

    @property
    def outdated(self) -> bool:
        """Agreed to an older version, not yet to the current one."""
        return (
            self.text is not None
            and self.answer is not None
            and self.answer.withdrawn_at is None
            and self.answer.version != self.text.version
        )


def consent_rows(session: Session, member_id: int, reader: str = "en") -> list[ConsentRow]:
    """Each topic's current text (in the reader's language where translated) and the member's
    answer."""
    texts = current_texts(session)
    answers = latest_answers(session, member_id)
    translated = translations.consent_text_rows(
        session, [t.id for t in texts.values() if t.id and t.language != reader], reader
    )
    return [
        ConsentRow(
            topic=t.value,
            text=texts.get(t),
            answer=answers.get(t),
            shown=translations.consent_shown(texts[t], translated, reader) if t in texts else None,
        )
        for t in TOPICS
    ]


# --- support and conflicts ---------------------------------------------------------------------


def support_contacts(session: Session) -> list[SupportContact]:
    return list(
        session.execute(
            select(SupportContact).order_by(col(SupportContact.position), col(SupportContact.id))
        ).scalars()
    )


@dataclass
class ConflictRow:
    declaration: ConflictDeclaration
    member_name: str


def conflicts(session: Session) -> list[ConflictRow]:
    rows = session.execute(
        select(ConflictDeclaration, User.name)
        .join(User, col(ConflictDeclaration.member_id) == col(User.id))
        .order_by(col(ConflictDeclaration.declared_at).desc())
    ).all()
    return [ConflictRow(declaration=d, member_name=n) for d, n in rows]


def own_conflicts(session: Session, member_id: int) -> list[ConflictDeclaration]:
    return list(
        session.execute(
            select(ConflictDeclaration)
            .where(ConflictDeclaration.member_id == member_id)
            .order_by(col(ConflictDeclaration.declared_at).desc())
        ).scalars()
    )


def text_version_counts(session: Session) -> dict[str, int]:
    """How many versions each topic's consent text has had."""
    found = dict(
        session.execute(
            select(ConsentText.topic, func.count()).group_by(col(ConsentText.topic))
        ).all()
    )
    return {topic.value: int(found.get(topic.value, 0)) for topic in TOPICS}


def stepping_back_names(session: Session) -> list[str]:
    """The pseudonyms of members stepping back (nothing more: no reason is ever stored)."""
    pausing = select(ParticipationPause.member_id).where(col(ParticipationPause.ended_at).is_(None))
    return list(
        session.execute(
            select(User.name).where(col(User.id).in_(pausing)).order_by(User.name_key)
        ).scalars()
    )


def flagged_quotes(session: Session) -> list[Quote]:
    return list(
        session.execute(
            select(Quote).where(col(Quote.flagged_at).is_not(None)).order_by(col(Quote.id))
        ).scalars()
    )
