"""Plain amounts (CSV files, form values) are exact and read back to the same centimes."""

from hypothesis import given
from hypothesis import strategies as st

from core.money import parse_mad, plain_amount


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_plain_amount_reads_back_exactly(centimes):
    text = plain_amount(centimes)
    assert parse_mad(text) == centimes
    assert len(text.split(".")[1]) == 2


def test_plain_amount_examples():
    assert [plain_amount(c) for c in (12345, 7, -5, 0)] == ["123.45", "0.07", "-0.05", "0.00"]
