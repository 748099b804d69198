"""Words for the stored codes (enums) the pages show, translated when shown: one mapping per
code, used by every template (as a filter) and by the Python that writes text (the feed, mail).
A template never prints a stored code itself; an unknown code falls back to itself."""

from __future__ import annotations

import phonenumbers
from markupsafe import Markup, escape

from council.i18n import LOCALE_NAMES, current_locale
from council.i18n import gettext as _
from council.rules import identifying, ledger, money


def kind_name(code: str) -> str:
    return {
        "consultation": _("Consultation"),
        "meeting": _("Meeting"),
        "training": _("Training"),
        "review": _("Review"),
        "speaking": _("Speaking"),
        "other": _("Other work"),
    }.get(code, code)


def gender_name(code: str) -> str:
    return {
        "woman": _("woman"),
        "man": _("man"),
        "non_binary": _("non-binary"),
        "another": _("in another way"),
    }.get(code, code)


def reply_name(code: str) -> str:
    return {
        "yes": _("I will come"),
        "no": _("I cannot come"),
        "maybe": _("I do not know yet"),
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


def role_name(code: str) -> str:
    return {
        "member": _("member"),
        "chair": _("chair"),
        "official": _("official"),
        "secretariat": _("secretariat"),
    }.get(code, code)


def consultation_status_name(code: str) -> str:
    return {
        "draft": _("being prepared"),
        "in_review": _("in review"),
        "open": _("open"),
        "closed": _("closed"),
        "answered": _("answered"),
    }.get(code, code)


def comment_status_name(code: str) -> str:
    return {
        "pending": _("waiting for moderation"),
        "approved": _("published"),
        "rejected": _("not published"),
    }.get(code, code)


def question_kind_name(code: str) -> str:
    return {
        "text": _("free text"),
        "single": _("one choice"),
        "multiple": _("several choices"),
    }.get(code, code)


def position_status_name(code: str) -> str:
    return {
        "draft": _("draft, open for endorsement"),
        "adopted": _("adopted, not yet published"),
        "published": _("published"),
        "withdrawn": _("withdrawn"),
    }.get(code, code)


def response_name(code: str) -> str:
    return {
        "accepted": _("accepted"),
        "partly_accepted": _("partly accepted"),
        "rejected": _("rejected"),
        "under_consideration": _("under consideration"),
    }.get(code, code)


def choice_name(code: str) -> str:
    return {
        "endorse": _("endorse"),
        "object": _("object"),
        "abstain": _("abstain"),
    }.get(code, code)


def language_name(code: str) -> str:
    """A language, named in itself (as the switcher names it)."""
    return LOCALE_NAMES.get(code, code)


def activity_name(code: str) -> str:
    """What a member did, as the audit log records it, in words for their own data page."""
    return {
        "account.delete": _("You deleted your account"),
        "conflict.declare": _("You declared a conflict of interest"),
        "consent.give": _("You agreed to a consent"),
        "consent.withdraw": _("You withdrew a consent"),
        "engagement.cancelled": _("You withdrew a contribution you recorded"),
        "engagement.contribution": _("You recorded a contribution"),
        "engagement.expense": _("You claimed an expense"),
        "invite.accept": _("You joined with an invitation"),
        "participation.resume": _("You returned after stepping back"),
        "participation.step_back": _("You stepped back"),
        "passphrase.change": _("You changed your passphrase"),
        "passphrase.reset_with_recovery_code": _("You reset your passphrase with a recovery code"),
        "payment_profile.save": _("You saved how you want to be paid"),
        "position.adopt": _("You adopted a position"),
        "position.create": _("You drafted a position"),
        "position.update": _("You changed a draft position"),
        "recommendation.cite": _("You cited a comment in a recommendation"),
        "totp.enrol": _("You set up sign-in codes"),
    }.get(code, _("Another action on the platform"))


def masked(value: str | None) -> str:
    """Payment details as a page shows them: only the last four characters readable."""
    return ledger.mask(value) if value else "—"


def tel_links(text: str | None) -> Markup:
    """Text with each phone number in it a `tel:` link, so a phone dials it with one tap (the
    support contacts). Everything else is escaped."""
    text = text or ""
    found: list[tuple[int, int, str]] = []
    for region in identifying.PHONE_REGIONS:
        for match in phonenumbers.PhoneNumberMatcher(text, region):
            if any(match.start < end and start < match.end for start, end, _n in found):
                continue
            number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            found.append((match.start, match.end, number))
    out, last = [], 0
    for start, end, number in sorted(found):
        out.append(escape(text[last:start]))
        out.append(Markup('<a href="tel:{}">{}</a>').format(number, text[start:end]))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def format_money(amount_minor: int, currency: str) -> str:
    return money.format_amount(amount_minor, currency, current_locale.get())


FILTERS = {
    "tel_links": tel_links,
    "activity_name": activity_name,
    "masked": masked,
    "kind_name": kind_name,
    "gender_name": gender_name,
    "reply_name": reply_name,
    "unit_name": unit_name,
    "unit_plural": unit_plural,
    "status_name": status_name,
    "expense_name": expense_name,
    "method_name": method_name,
    "topic_name": topic_name,
    "role_name": role_name,
    "consultation_status_name": consultation_status_name,
    "comment_status_name": comment_status_name,
    "question_kind_name": question_kind_name,
    "position_status_name": position_status_name,
    "response_name": response_name,
    "choice_name": choice_name,
    "language_name": language_name,
    "money": format_money,
    "quantity": money.format_quantity,
}
