"""Lists of names in a sentence: joined as each language lists them, each name isolated."""

import html
import re

import pytest
from babel.lists import format_list
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.bidi import LRI, PDI, RLI, as_list, strip_isolates

NAMES = ["01 Chiffres clés.csv", "02 <Ventes>.csv", "03 الجهات.csv"]


@pytest.mark.parametrize(
    "language, expected",
    [
        ("fr", "01 Chiffres clés.csv, 02 <Ventes>.csv et 03 الجهات.csv"),
        ("en", "01 Chiffres clés.csv, 02 <Ventes>.csv, and 03 الجهات.csv"),
        ("es", "01 Chiffres clés.csv, 02 <Ventes>.csv y 03 الجهات.csv"),
        ("ar", "01 Chiffres clés.csv و02 <Ventes>.csv و03 الجهات.csv"),
        ("zgh", "01 Chiffres clés.csv, 02 <Ventes>.csv, 03 الجهات.csv"),
    ],
)
def test_names_are_joined_as_the_language_lists_them(app, language, expected):
    with app.test_request_context(), force_locale(language):
        shown = as_list(NAMES)
    text = strip_isolates(str(shown).replace('<bdi dir="ltr">', "").replace('<bdi dir="rtl">', ""))
    assert text.replace("</bdi>", "").replace("&lt;", "<").replace("&gt;", ">") == expected


def test_each_name_is_isolated_in_its_own_direction_and_escaped(app):
    with app.test_request_context(), force_locale("ar"):
        shown = str(as_list(NAMES))
    assert shown.count("<bdi") == 3
    assert f'<bdi dir="ltr">{LRI}02 &lt;Ventes&gt;.csv{PDI}</bdi>' in shown
    assert f'<bdi dir="rtl">{RLI}03 الجهات.csv{PDI}</bdi>' in shown
    assert "<Ventes>" not in shown


NAME = st.text(
    st.characters(blacklist_categories=("Cs", "Cf", "Cc"), blacklist_characters="\ufffc"),
    min_size=1,
    max_size=12,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the app is only read
@given(st.lists(NAME, max_size=6))
def test_the_list_reads_as_the_plain_list_of_the_names_whatever_they_hold(app, names):
    with app.test_request_context(), force_locale("ar"):
        shown = str(as_list(names))
    assert shown.count("<bdi") == len(names)
    plain = re.sub(r"</?bdi[^>]*>", "", shown)
    assert "<" not in plain  # every name escaped
    assert strip_isolates(html.unescape(plain)) == (
        format_list(names, locale="ar") if names else ""
    )
