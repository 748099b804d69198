"""A consultation's rules: when it takes comments, and the safeguards gate it must pass to open
(docs/design.md, "Consultations on drafts"). The gate is checked by the action that opens a
consultation, so no form or route can skip it; here it is only computed, from the consultation
and its version's summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from council.i18n import gettext as _
from council.models import Consultation, RateUnit, Status, utcnow
from council.settings import Settings

# What a consultation's payment rate is paid for (its settings form).
PAYMENT_UNITS = ("hour", "consultation", "day")
MAX_ANSWER = 300
# The same, as a unit of the rate card.
RATE_CARD_UNITS = {
    "hour": RateUnit.HOUR.value,
    "day": RateUnit.DAY.value,
    "consultation": RateUnit.FLAT.value,
}


def accepting_comments(consultation: Consultation, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (
        consultation.status == Status.OPEN
        and consultation.deadline is not None
        and now < consultation.deadline
    )


@dataclass(frozen=True)
class GateItem:
    key: str
    label: str
    done: bool

    @property
    def by_secretariat(self) -> bool:
        """Only the secretariat can see to it (the ministry's officials cannot)."""
        return self.key in SECRETARIAT_ITEMS


# The checklist items the secretariat's review decides: officials cannot change them.
SECRETARIAT_ITEMS = frozenset({"warnings", "payment"})


def gate(
    consultation: Consultation, summary: str, settings: Settings, now: datetime | None = None
) -> list[GateItem]:
    """The safeguards checklist, each item done or not, in the order shown."""
    minimum = timedelta(days=settings.min_comment_days)
    deadline = consultation.deadline
    opens_at = consultation.opened_at or now or utcnow()
    return [
        GateItem(
            "warnings",
            _("Content warnings chosen for the sections that need them (or none needed)"),
            consultation.warnings_confirmed,
        ),
        GateItem("summary", _("A plain-language summary"), bool(summary.strip())),
        GateItem("support", _("A support contact"), bool(consultation.support_contact.strip())),
        GateItem(
            "period",
            _("A comment period of at least %(days)s days", days=settings.min_comment_days),
            deadline is not None and deadline - opens_at >= minimum,
        ),
        GateItem(
            "payment",
            _("A payment rate for taking part"),
            bool(
                consultation.payment_rate_minor
                and consultation.payment_rate_minor > 0
                and consultation.payment_currency
                and consultation.payment_unit
            ),
        ),
        GateItem(
            "languages",
            _("The languages and formats offered"),
            bool(consultation.languages_formats.strip()),
        ),
        GateItem(
            "response",
            _("The date by which the ministry will respond (after the deadline)"),
            consultation.response_due is not None
            and deadline is not None
            and consultation.response_due >= deadline,
        ),
    ]


def contribution_rate(consultation: Consultation) -> tuple[str, tuple[int, str]] | None:
    """(rate-card unit, (rate in minor units, currency)) its safeguards gate set, or None when
    it has no rate (then the rate card prices a contribution to it)."""
    unit = RATE_CARD_UNITS.get(consultation.payment_unit or "")
    if unit is None or not consultation.payment_rate_minor or not consultation.payment_currency:
        return None
    return unit, (consultation.payment_rate_minor, consultation.payment_currency)
