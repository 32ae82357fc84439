"""Rounding rules shared by the report's figures (so that the same data gives the same numbers)."""

from core.numbers import share  # noqa: F401 (the report's shares: 4 decimals)


def area(value):
    return round(float(value or 0), 2)


def rounded(value, digits=4):
    return None if value is None else round(float(value), digits)
