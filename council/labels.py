"""Words for the stored codes of engagements, payments and consents, translated when shown."""

from __future__ import annotations

from council import money
from council.i18n import current_locale
from council.i18n import gettext as _


def kind_name(code: str) -> str:
    return {
        "consultation": _("Consultation"),
        "meeting": _("Meeting"),
        "training": _("Training"),
        "review": _("Review"),
        "speaking": _("Speaking"),
        "other": _("Other work"),
    }.get(code, code)


def unit_name(code: str) -> str:
    return {
        "hour": _("per hour"),
        "half_day": _("per half-day"),
        "day": _("per day"),
        "flat": _("flat fee"),
    }.get(code, code)


def unit_plural(code: str) -> str:
    return {
        "hour": _("hours"),
        "half_day": _("half-days"),
        "day": _("days"),
        "flat": _("times"),
    }.get(code, code)


def status_name(code: str) -> str:
    return {
        "planned": _("Planned"),
        "completed": _("Done, waiting for approval"),
        "approved": _("Approved, waiting for payment"),
        "paid": _("Paid"),
        "cancelled": _("Cancelled"),
    }.get(code, code)


def expense_name(code: str) -> str:
    return {
        "travel": _("Travel"),
        "childcare": _("Childcare"),
        "interpretation": _("Interpretation"),
        "phone_data": _("Phone and data credit"),
        "other": _("Other expense"),
    }.get(code, code)


def method_name(code: str) -> str:
    return {
        "bank_transfer": _("Bank transfer"),
        "cash_voucher": _("Cash voucher"),
        "mobile_money": _("Mobile money"),
        "prepaid_card": _("Prepaid card"),
        "cash": _("Cash"),
    }.get(code, code)


def topic_name(code: str) -> str:
    return {
        "taking_part": _("Taking part in the council"),
        "data_processing": _("How we keep and use your data"),
        "being_quoted": _("Being quoted (anonymously) in what the council publishes"),
        "email_contact": _("Being contacted by email"),
    }.get(code, code)


def format_money(amount_minor: int, currency: str) -> str:
    return money.format_amount(amount_minor, currency, current_locale.get())


FILTERS = {
    "kind_name": kind_name,
    "unit_name": unit_name,
    "unit_plural": unit_plural,
    "status_name": status_name,
    "expense_name": expense_name,
    "method_name": method_name,
    "topic_name": topic_name,
    "money": format_money,
    "quantity": money.format_quantity,
}
