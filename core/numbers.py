"""Ratios: one `share()` for every "part of a whole" the pages, reports and API show."""


def share(part, whole, digits=4):
    """part / whole, or None when the whole is nothing or the part unknown.

    Rounded to `digits` decimals (4 by default: the partners' report), or exact with
    digits=None (callers that round later, to their own precision)."""
    if part is None or not whole:
        return None
    value = part / whole
    return value if digits is None else round(value, digits)
