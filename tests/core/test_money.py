"""Plain amounts (CSV files, form values) are exact and read back to the same centimes."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st

from core.money import format_mad, parse_mad, plain_amount, share_of


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_plain_amount_reads_back_exactly(centimes):
    text = plain_amount(centimes)
    assert parse_mad(text) == centimes
    assert len(text.split(".")[1]) == 2


def test_plain_amount_examples():
    assert [plain_amount(c) for c in (12345, 7, -5, 0)] == ["123.45", "0.07", "-0.05", "0.00"]


def half_up(centimes, rate_basis_points):
    """The oracle: the exact share rounded half up (away from zero on a tie of a positive)."""
    exact = Decimal(centimes) * Decimal(rate_basis_points) / Decimal(10000)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10000))
def test_share_of_rounds_half_up_to_the_centime(centimes, rate_basis_points):
    assert share_of(centimes, rate_basis_points) == half_up(centimes, rate_basis_points)


def test_share_of_ties_and_near_ties():
    # 1 % of 0.50 MAD is exactly half a centime: the tie goes up; just under it goes down.
    assert share_of(50, 100) == 1
    assert share_of(150, 100) == 2
    assert share_of(149, 100) == 1
    assert share_of(4999, 1) == 0
    assert share_of(5000, 1) == 1
    assert share_of(5001, 1) == 1
    assert share_of(14999, 1) == 1
    assert share_of(15000, 1) == 2
    assert share_of(0, 10000) == 0
    assert share_of(12345, 10000) == 12345
    assert share_of(12345, 0) == 0
    # A refund (negative amount) rounds its tie toward zero, mirroring the sale it cancels.
    assert share_of(-50, 100) == 0
    assert share_of(-150, 100) == -1


@pytest.mark.parametrize(
    "text",
    [
        "Infinity",
        "-Infinity",
        "inf",
        "NaN",
        "-nan",
        "sNaN",
        "1e999999999",
        "",
        "abc",
        "1.005",
        "1,2,3",
    ],
)
def test_parse_mad_refuses_anything_but_a_finite_amount(text):
    with pytest.raises(ValueError):
        parse_mad(text)


@pytest.mark.parametrize(
    ("text", "centimes"),
    [
        ("45", 4500),
        ("45.5", 4550),
        ("45,50", 4550),
        (" 1 234,05 ", 123405),
        ("-0.05", -5),
        ("1e2", 10000),
        ("0", 0),
    ],
)
def test_parse_mad_examples(text, centimes):
    assert parse_mad(text) == centimes


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ("123,45\xa0MAD", "-0,05\xa0MAD", "0,00\xa0MAD", "1,00\xa0MAD")),
        ("en", ("MAD123.45", "-MAD0.05", "MAD0.00", "MAD1.00")),
        ("es", ("123,45\xa0MAD", "-0,05\xa0MAD", "0,00\xa0MAD", "1,00\xa0MAD")),
        ("zgh", ("123,45\xa0MAD", "-0,05\xa0MAD", "0,00\xa0MAD", "1,00\xa0MAD")),
        (
            "ar",
            tuple(f"\u200f{n}\xa0د.م.\u200f" for n in ("123.45", "-0.05", "0.00", "1.00")),
        ),
    ],
)
def test_format_mad_per_language(app, language, expected):
    with app.test_request_context("/"), force_locale(language):
        assert tuple(format_mad(c) for c in (12345, -5, None, 100)) == expected


def test_parse_mad_reads_no_break_spaces_as_group_separators():
    assert parse_mad("1\u00a0234,05") == 123405
    assert parse_mad("\u00a012\u00a0") == 1200


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Infinity", "not a finite amount"),
        ("NaN", "not a finite amount"),
        ("abc", "not an amount"),
        ("1e999999999", "not an amount"),
        ("1.005", "more than two decimals"),
    ],
)
def test_parse_mad_says_why_it_refuses(text, reason):
    with pytest.raises(ValueError, match=f"^{reason}$"):
        parse_mad(text)
