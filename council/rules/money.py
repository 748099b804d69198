"""Money as integers: amounts in a currency's minor units, quantities in thousandths.

Why integers everywhere: a float cannot hold 0.10 exactly, and a survivor's fee must come out the
same on the ledger, the receipt and the finance export. So

- an *amount* is an int of the currency's minor units (cents for EUR, yen for JPY, fils for KWD);
  the number of minor digits (the exponent) comes from Babel's CLDR currency data;
- a *quantity* (hours, days, …) is an int of thousandths of a unit (1.5 hours = 1500), which is
  exact for every quantity a person types with up to three decimals (a quarter hour is 250);
- a fee is `rate * quantity / 1000`, rounded half up to a whole minor unit — the only rounding,
  done once per engagement on integers; totals are plain sums of those integers.

Text in and out goes through `decimal.Decimal`, never float.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision, list_currencies

from council.i18n import babel_locale_for

QUANTITY_SCALE = 1000
# Common currencies first in pickers; any ISO 4217 code Babel knows is accepted.
COMMON_CURRENCIES = ("EUR", "UAH", "USD", "GBP", "CHF", "PLN", "MDL", "GEL", "JPY", "KWD")
# An upper bound that keeps every product and sum far inside a 64-bit column.
MAX_AMOUNT_MINOR = 10**12
MAX_QUANTITY_MILLI = 10_000 * QUANTITY_SCALE


class MoneyError(ValueError):
    """Text that is not a valid amount or quantity; the message is for the person typing."""


def is_currency(code: str) -> bool:
    return code in _currencies()


def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def exponent(currency: str) -> int:
    """Digits after the decimal point in the currency's minor unit (JPY 0, EUR 2, KWD 3)."""
    return int(get_currency_precision(currency))


def fee(rate_minor: int, quantity_milli: int) -> int:
    """rate (minor units per unit) * quantity (thousandths of a unit), rounded half up."""
    if rate_minor < 0 or quantity_milli < 0:
        raise MoneyError("negative rate or quantity")
    return (rate_minor * quantity_milli + QUANTITY_SCALE // 2) // QUANTITY_SCALE


def total(amounts: list[int] | tuple[int, ...]) -> int:
    return sum(amounts, 0)


def to_decimal(amount_minor: int, currency: str) -> Decimal:
    return Decimal(amount_minor).scaleb(-exponent(currency))


def format_amount(amount_minor: int, currency: str, locale: str = "en") -> str:
    """An amount for people, per locale: `€12.50`, `12,50 €`, `¥1,200`, `KWD1.250`."""
    return format_currency(
        to_decimal(amount_minor, currency), currency, locale=babel_locale_for(locale)
    )


def plain_amount(amount_minor: int, currency: str) -> str:
    """An amount for machines (CSV, JSON, form values): `12.50`, `1200`, `1.250`."""
    places = exponent(currency)
    value = to_decimal(amount_minor, currency)
    return f"{value:.{places}f}"


def _decimal(text: str) -> Decimal:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not cleaned or cleaned.count(".") > 1:
        raise MoneyError("not a number")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise MoneyError("not a number") from error
    if not value.is_finite() or value < 0:
        raise MoneyError("not a positive number")
    return value


def parse_amount(text: str, currency: str) -> int:
    """'12.50' EUR → 1250; refuses more decimals than the currency has (no silent rounding)."""
    value = _decimal(text)
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise MoneyError("too many decimals")
    minor = int(scaled)
    if minor > MAX_AMOUNT_MINOR:
        raise MoneyError("too large")
    return minor


def parse_quantity(text: str) -> int:
    """'1.5' → 1500 thousandths; at most three decimals, more than zero."""
    value = _decimal(text)
    scaled = value * QUANTITY_SCALE
    if scaled != scaled.to_integral_value():
        raise MoneyError("too many decimals")
    milli = int(scaled)
    if milli <= 0 or milli > MAX_QUANTITY_MILLI:
        raise MoneyError("out of range")
    return milli


def format_quantity(quantity_milli: int) -> str:
    """1500 → '1.5', 1000 → '1', 250 → '0.25'."""
    value = Decimal(quantity_milli).scaleb(-3).normalize()
    return f"{value:f}"
