"""Consultations: prepare, check the safeguards gate, open, close, answer.

The gate is checked here, in the action that opens a consultation, so no form or route can skip
it (the checklist itself is in council/rules/consultations.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from council import mail
from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.actions.drafts import writable_draft
from council.i18n import gettext as _
from council.models import (
    Consultation,
    DraftVersion,
    Question,
    QuestionKind,
    Role,
    Status,
    User,
    utcnow,
)
from council.queries.accounts import members_to_notify
from council.queries.drafts import latest_published_version
from council.rules import consultations as rules
from council.rules import money, permissions, transitions
from council.rules.consultations import GateItem
from council.settings import Settings


def gate(session: Session, consultation: Consultation, settings: Settings) -> list[GateItem]:
    """The safeguards checklist of a stored consultation (see council/rules/consultations.py)."""
    version = session.get(DraftVersion, consultation.version_id)
    return rules.gate(consultation, version.summary if version else "", settings)


def gate_problems(session: Session, consultation: Consultation, settings: Settings) -> list[str]:
    return [item.label for item in gate(session, consultation, settings) if not item.done]


def create(session: Session, actor: User, draft_id: int) -> Consultation:
    """Ask for a consultation on the latest published version of a draft."""
    draft = writable_draft(session, actor, draft_id)
    version = latest_published_version(session, draft_id)
    if version is None:
        raise ActionError(_("Publish a version of the draft before asking for a consultation."))
    consultation = Consultation(
        draft_id=draft_id,
        version_id=version.require_id,
        ministry_id=draft.ministry_id,
        created_by_id=actor.id,
    )
    session.add(consultation)
    session.flush()
    record(session, actor, "consultation.create", "consultation", consultation.id)
    return consultation


@dataclass
class ConsultationInput:
    deadline: datetime | None
    response_due: datetime | None
    languages_formats: str
    support_contact: str
    allow_discussion: bool
    # The secretariat's part of the checklist; None leaves it unchanged.
    warnings_confirmed: bool | None = None
    payment_rate_minor: int | None = None
    payment_currency: str | None = None
    payment_unit: str | None = None


def _for_edit(session: Session, actor: User, consultation_id: int) -> Consultation:
    consultation = session.get(Consultation, consultation_id)
    if consultation is None:
        raise ActionError(_("No such consultation."))
    if not permissions.can_edit_consultation(actor, consultation):
        raise Forbidden
    return consultation


def update(
    session: Session, actor: User, consultation_id: int, values: ConsultationInput
) -> Consultation:
    consultation = _for_edit(session, actor, consultation_id)
    if (
        len(values.languages_formats) > rules.MAX_ANSWER
        or len(values.support_contact) > rules.MAX_ANSWER
    ):
        raise ActionError(_("Keep each answer under 300 characters."))
    consultation.deadline = values.deadline
    consultation.response_due = values.response_due
    consultation.languages_formats = values.languages_formats.strip()
    consultation.support_contact = values.support_contact.strip()
    consultation.allow_discussion = values.allow_discussion
    if actor.role == Role.SECRETARIAT:
        if values.payment_rate_minor is not None and values.payment_rate_minor < 0:
            raise ActionError(_("The payment rate cannot be negative."), "payment_rate")
        if values.payment_currency and values.payment_currency not in money.COMMON_CURRENCIES:
            raise ActionError(_("Choose a currency from the list."), "payment_currency")
        if values.payment_unit and values.payment_unit not in rules.PAYMENT_UNITS:
            raise ActionError(_("Choose what the rate is paid for."), "payment_unit")
        if values.warnings_confirmed is not None:
            consultation.warnings_confirmed = values.warnings_confirmed
        consultation.payment_rate_minor = values.payment_rate_minor
        consultation.payment_currency = values.payment_currency or None
        consultation.payment_unit = values.payment_unit or None
    session.add(consultation)
    record(session, actor, "consultation.edit", "consultation", consultation.id)
    return consultation


def add_question(
    session: Session, actor: User, consultation_id: int, *, text: str, kind: str, options: list[str]
) -> Question:
    consultation = _for_edit(session, actor, consultation_id)
    text = text.strip()
    if not text or len(text) > 500:
        raise ActionError(_("Write the question (at most 500 characters)."), "question")
    if kind not in {k.value for k in QuestionKind}:
        raise ActionError(_("Choose the kind of answer."), "kind")
    cleaned = [o.strip()[:200] for o in options if o.strip()]
    if kind != QuestionKind.TEXT and len(cleaned) < 2:
        raise ActionError(
            _("A choice question needs at least two options, one per line."), "options"
        )
    if len(set(cleaned)) != len(cleaned):
        raise ActionError(_("Each option must be different."), "options")
    count = len(
        session.execute(
            select(Question.id).where(col(Question.consultation_id) == consultation.id)
        ).all()
    )
    question = Question(
        consultation_id=consultation.require_id,
        position=count,
        text=text,
        kind=kind,
        options=cleaned if kind != QuestionKind.TEXT else [],
    )
    session.add(question)
    session.flush()
    record(session, actor, "question.add", "consultation", consultation.id, question=question.id)
    return question


def remove_question(session: Session, actor: User, consultation_id: int, question_id: int) -> None:
    consultation = _for_edit(session, actor, consultation_id)
    question = session.get(Question, question_id)
    if question is None or question.consultation_id != consultation.id:
        raise ActionError(_("No such question."))
    session.delete(question)
    record(session, actor, "question.remove", "consultation", consultation.id, question=question_id)


def closes_early(consultation: Consultation, now: datetime | None = None) -> bool:
    """Closing now would cut an open consultation's comment period short."""
    return (
        consultation.status == Status.OPEN
        and consultation.deadline is not None
        and (now or utcnow()) < consultation.deadline
    )


def transition(
    session: Session,
    actor: User,
    consultation_id: int,
    to: str,
    settings: Settings,
    reason: str = "",
) -> list[User]:
    """Move a consultation one step. When it opens, the members who asked for email are told
    (neutrally) once the change commits; returns who they are. Closing before the deadline
    needs a reason, which members read on the consultation and the audit log keeps."""
    consultation = session.get(Consultation, consultation_id)
    if consultation is None:
        raise ActionError(_("No such consultation."))
    if to not in {s.value for s in Status}:
        raise ActionError(_("No such step."))
    if not permissions.can_transition(actor, consultation, to):
        if (consultation.status, to) in transitions.CONSULTATION:
            raise Forbidden
        raise ActionError(_("This consultation cannot make that step now."))
    if to == Status.OPEN:
        problems = gate_problems(session, consultation, settings)
        if problems:
            raise ActionError(
                _(
                    "The consultation cannot open until the safeguards checklist is complete. "
                    "Missing: %(items)s.",
                    items="; ".join(problems),
                ),
                "gate",
            )
        consultation.opened_at = utcnow()
    details: dict[str, object] = {}
    if to == Status.CLOSED:
        if closes_early(consultation):
            reason = reason.strip()[:1000]
            if not reason:
                raise ActionError(
                    _(
                        "Say why it closes before its deadline: members read the reason on "
                        "the consultation."
                    ),
                    "reason",
                )
            consultation.closed_reason = reason
            details = {"early": True, "reason": reason}
        consultation.closed_at = utcnow()
    before = consultation.status
    consultation.status = to
    session.add(consultation)
    record(
        session,
        actor,
        "consultation.status",
        "consultation",
        consultation.id,
        before=before,
        to=to,
        **details,
    )
    if to != Status.OPEN:
        return []
    told = members_to_notify(session)
    mail.notify(session, settings, told)
    return told


def extend_deadline(
    session: Session, actor: User, consultation_id: int, new_deadline: datetime
) -> Consultation:
    """The secretariat can extend an open consultation, never shorten it."""
    consultation = session.get(Consultation, consultation_id)
    if consultation is None:
        raise ActionError(_("No such consultation."))
    if not permissions.is_secretariat(actor):
        raise Forbidden
    if consultation.status != Status.OPEN or consultation.deadline is None:
        raise ActionError(_("Only an open consultation's deadline can be extended."))
    if new_deadline <= consultation.deadline:
        raise ActionError(_("The new deadline must be later than the current one."), "deadline")
    consultation.deadline = new_deadline
    session.add(consultation)
    record(session, actor, "consultation.extend", "consultation", consultation.id)
    return consultation


def check_member_can_cite(session: Session, member: User, consultation_id: int | None) -> None:
    """A contribution or a conflict of interest may name a consultation only if it exists and
    the member can see it."""
    if consultation_id is None:
        return
    consultation = session.get(Consultation, consultation_id)
    if consultation is None or not permissions.can_read_consultation(member, consultation):
        raise ActionError(_("There is no such consultation."), "consultation_id")


def record_export(session: Session, actor: User, consultation_id: int, *, lines: int) -> None:
    """The results export is a privileged read: the audit log says who took it and when."""
    consultation = session.get(Consultation, consultation_id)
    if consultation is None or not permissions.can_read_results(actor, consultation):
        raise Forbidden
    record(session, actor, "consultation.export", "consultation", consultation_id, lines=lines)
