"""Bidirectional text: dates, times, numbers, money, RIBs, phones, codes and Latin names kept whole
inside Arabic text, in pages and in PDFs alike.

One mechanism for both: Unicode isolates (LRI or RLI ... PDI, UAX #9). Browsers and WeasyPrint
(through Pango and FriBidi) honour them, they are valid inside attributes and translated sentences,
and they survive copying. A value is isolated left to right unless it holds Arabic letters (an
Arabic time "10:00 ص", a spelled-out date, an amount in "د.م."), which keep their own order inside a
right-to-left isolate. The marks CLDR puts inside numeric Arabic dates (RLM, ALM) are dropped from
left-to-right values, so that "5/11/2026" reads as one unit in the day/month/year order.
"""

import unicodedata

import flask_babel
from babel.lists import format_list
from markupsafe import Markup, escape

from core.i18n import is_rtl

LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"
DIRECTION_MARKS = str.maketrans(
    "", "", "\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e"
)
RIGHT_TO_LEFT = {"R", "AL"}


def holds_right_to_left(text):
    return any(unicodedata.bidirectional(char) in RIGHT_TO_LEFT for char in text)


def isolate(value):
    """The value as a string isolated from the text around it (Markup stays Markup)."""
    if value is None or value == "":
        return value
    text = str(value)
    if holds_right_to_left(text.translate(DIRECTION_MARKS)):
        opening = RLI
    else:
        opening = LRI
        text = text.translate(DIRECTION_MARKS)
    if isinstance(value, Markup):
        return Markup(opening) + Markup(text) + Markup(PDI)
    return opening + text + PDI


def strip_isolates(text):
    """The text without any bidirectional mark (to compare what people read, in tests and CSV)."""
    return str(text).translate(DIRECTION_MARKS)


def isolated(formatter):
    """A template filter that isolates its result when the page is right to left."""

    def filter_(value, *args, **kwargs):
        shown = formatter(value, *args, **kwargs)
        return isolate(shown) if is_rtl() else shown

    filter_.__name__ = getattr(formatter, "__name__", "isolated")
    filter_.__doc__ = formatter.__doc__
    return filter_


def bdi(value):
    """Template filter: `{{ code | bdi }}` wraps a value in <bdi dir=...> in every language (codes,
    RIBs, phones, Latin names in text); for text only, never inside an attribute."""
    if value is None or value == "":
        return ""
    text = str(value)
    direction = "rtl" if holds_right_to_left(text.translate(DIRECTION_MARKS)) else "ltr"
    if direction == "ltr":
        text = text.translate(DIRECTION_MARKS)
    inner = Markup(text) if isinstance(value, Markup) else escape(text)
    # The isolate characters inside too: WeasyPrint ignores <bdi>'s `unicode-bidi: isolate`.
    opening = LRI if direction == "ltr" else RLI
    return Markup(f'<bdi dir="{direction}">{opening}') + inner + Markup(f"{PDI}</bdi>")


def as_list(values):
    """Template filter: names joined as the page's language lists them (CLDR through Babel:
    "a, b et c", "أ و ب و ج"), each isolated, since a file name such as "03 Ventes.csv" or a Latin
    name inside an Arabic sentence is otherwise reordered with its neighbours."""
    items = [bdi(value) for value in values]
    if not items:
        return Markup("")
    # The pattern is formatted around placeholders, escaped, then the isolated names put back.
    placeholders = [f"\ufffc{index}\ufffc" for index in range(len(items))]
    joined = escape(format_list(placeholders, locale=flask_babel.get_locale() or "fr"))
    for placeholder, item in zip(placeholders, items, strict=True):
        joined = joined.replace(placeholder, item)
    return joined
