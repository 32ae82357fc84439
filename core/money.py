"""Money: integer centimes of MAD, formatted per locale."""

from decimal import ROUND_HALF_UP, Decimal, DecimalException

from flask_babel import format_currency

from core.i18n import current_language

# CLDR's Tamazight pattern "#,##0.00¤" glues the code to the digits ("12,50MAD") and Babel does
# not apply CLDR's currency spacing: add the no-break space that spacing would insert.
CURRENCY_PATTERNS = {"zgh": "#,##0.00\xa0¤"}


def format_mad(centimes):
    """12345 -> '123,45 MAD' (per locale)."""
    amount = Decimal(int(centimes or 0)) / 100
    return format_currency(amount, "MAD", format=CURRENCY_PATTERNS.get(current_language()))


def plain_amount(centimes):
    """12345 -> '123.45', -5 -> '-0.05': exact, locale-free (CSV files, form values)."""
    return str(Decimal(int(centimes or 0)).scaleb(-2))


def parse_mad(text):
    """'45', '45.5' or '45,50' MAD to centimes; raises ValueError on anything else (including
    'Infinity', 'NaN' and exponents too large to be an amount)."""
    cleaned = str(text).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
        if not amount.is_finite():
            raise ValueError("not a finite amount")
        centimes = (amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except DecimalException as error:  # unreadable, or an exponent no amount has (overflow)
        raise ValueError("not an amount") from error
    if centimes != amount * 100:
        raise ValueError("more than two decimals")
    return int(centimes)


def share_of(centimes, rate_basis_points):
    """A rate in basis points of an amount, rounded half up to the centime (exact integers)."""
    return (int(centimes) * int(rate_basis_points) + 5000) // 10000
