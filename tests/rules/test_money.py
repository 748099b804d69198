"""Money is exact: integer minor units for every currency exponent, integer quantities."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from council.rules import money

CURRENCIES = {"JPY": 0, "EUR": 2, "KWD": 3}
rates = st.integers(min_value=0, max_value=10**9)
quantities = st.integers(min_value=1, max_value=money.MAX_QUANTITY_MILLI)
currencies = st.sampled_from(sorted(CURRENCIES))
# No per-example deadline: these are fast, but a loaded CI machine must not make them flaky.
relaxed = settings(deadline=None)


@pytest.mark.parametrize(("currency", "places"), CURRENCIES.items())
def test_exponent_comes_from_babel(currency, places):
    assert money.exponent(currency) == places


@relaxed
@given(rates, quantities)
def test_fee_is_the_exactly_rounded_product(rate, quantity):
    exact = Decimal(rate) * Decimal(quantity) / Decimal(1000)
    fee = money.fee(rate, quantity)
    assert isinstance(fee, int)
    # Half up, once: never more than half a minor unit away from the exact product.
    assert abs(Decimal(fee) - exact) <= Decimal("0.5")
    assert Decimal(fee) - exact != Decimal("-0.5")


@relaxed
@given(rates, st.integers(min_value=1, max_value=10_000))
def test_whole_units_are_never_rounded(rate, units):
    assert money.fee(rate, units * 1000) == rate * units


@relaxed
@given(currencies, st.lists(st.integers(min_value=0, max_value=10**10), max_size=50))
def test_totals_are_exact_sums_and_print_back(currency, amounts):
    total = money.total(amounts)
    assert total == sum(amounts)
    assert money.parse_amount(money.plain_amount(total, currency), currency) == total
    assert sum(money.to_decimal(a, currency) for a in amounts) == money.to_decimal(total, currency)


@relaxed
@given(currencies, st.integers(min_value=0, max_value=money.MAX_AMOUNT_MINOR))
def test_amounts_round_trip_through_text(currency, minor):
    text = money.plain_amount(minor, currency)
    places = CURRENCIES[currency]
    if places:
        assert len(text.split(".")[1]) == places
    else:
        assert "." not in text
    assert money.parse_amount(text, currency) == minor


@relaxed
@given(quantities)
def test_quantities_round_trip_through_text(milli):
    assert money.parse_quantity(money.format_quantity(milli)) == milli


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [("12.50", "EUR", 1250), ("12,5", "EUR", 1250), ("1200", "JPY", 1200), ("1.250", "KWD", 1250)],
)
def test_parse_amount(text, currency, minor):
    assert money.parse_amount(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("12.505", "EUR"),
        ("1.5", "JPY"),
        ("1.2345", "KWD"),
        ("-1", "EUR"),
        ("abc", "EUR"),
        ("", "EUR"),
        ("1e400", "EUR"),
        ("NaN", "EUR"),
        ("1.2.3", "EUR"),
    ],
)
def test_parse_amount_refuses(text, currency):
    with pytest.raises(money.MoneyError):
        money.parse_amount(text, currency)


def test_three_quarter_hours_at_an_odd_rate():
    # 0.75 h * 33.33 EUR = 24.9975 → 25.00 (half up); JPY 1,001 * 1.5 h = 1,501.5 → 1,502.
    assert money.fee(3333, money.parse_quantity("0.75")) == 2500
    assert money.fee(1001, 1500) == 1502
    assert money.fee(1, 500) == 1 and money.fee(1, 499) == 0


def test_formatting_per_locale():
    assert money.format_amount(1250, "EUR", "en") == "€12.50"
    assert money.format_amount(1200, "JPY", "en") == "¥1,200"
    assert money.format_amount(1250, "KWD", "en").endswith("1.250")
    assert money.format_amount(1250, "EUR", "uk").replace("\xa0", " ") == "12,50 EUR"
