"""The live demo edition and its venues are marked as a demonstration in each language's words."""

import re

from markets.demo import demo_venue, edition_names

NUMBERS = {"ar": "الثالثة", "fr": "3e", "en": "3rd", "es": "3.ª", "zgh": "3"}
LATIN = re.compile(r"[A-Za-zÀ-ÿ]")


def test_the_live_editions_names_are_marked_in_their_own_language():
    names = edition_names(NUMBERS, demo=True)
    assert names["ar"].endswith(" (تجريبي)") and not LATIN.search(names["ar"])
    assert names["zgh"].endswith(" (ⴰⵙⵎⴰⵍ)") and not LATIN.search(names["zgh"])
    assert names["fr"].endswith(" (démo)")
    assert names["en"].endswith(" (demo)") and names["es"].endswith(" (demo)")
    assert edition_names(NUMBERS) == {
        language: name.rsplit(" (", 1)[0] for language, name in names.items()
    }


def test_a_demo_venue_is_marked_in_arabic_and_french():
    assert demo_venue("Place Lahdim (démo)") == {
        "ar": "ساحة الهديم (تجريبي)",
        "fr": "Place Lahdim (démo)",
    }
    assert demo_venue("Place Lahdim") == {"ar": "ساحة الهديم", "fr": "Place Lahdim"}
