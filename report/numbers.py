"""Rounding rules shared by the report's figures (so that the same data gives the same numbers)."""


def share(part, whole):
    """part / whole rounded to 4 decimals, or None when the whole is nothing."""
    if part is None or not whole:
        return None
    return round(part / whole, 4)


def area(value):
    return round(float(value or 0), 2)


def rounded(value, digits=4):
    return None if value is None else round(float(value), digits)
