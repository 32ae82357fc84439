"""Four languages: negotiation, the remembered switcher, right-to-left Arabic, local formats."""

from datetime import datetime

import pytest

from core.money import format_mad, parse_mad, share_of
from core.timeutil import parse_iso, show_datetime


@pytest.mark.parametrize(
    ("header", "language", "direction"),
    [
        ("ar-MA,ar;q=0.9", "ar", "rtl"),
        ("fr-FR", "fr", "ltr"),
        ("es", "es", "ltr"),
        ("en-GB", "en", "ltr"),
        ("de", "fr", "ltr"),
    ],
)
def test_accept_language_negotiation(client, header, language, direction):
    page = client.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{language}" dir="{direction}">' in page


def test_switcher_choice_is_remembered(client):
    client.get("/login?lang=ar")
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "تسجيل الدخول" in page


def test_choice_survives_a_new_session_through_the_cookie(app):
    first = app.test_client()
    response = first.get("/login?lang=es")
    assert "lang=es" in response.headers.get("Set-Cookie", "")
    second = app.test_client()
    second.set_cookie("lang", "es")
    assert '<html lang="es"' in second.get("/login").get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "1\u202f234,50\xa0MAD"), ("en", "MAD1,234.50"), ("es", "1.234,50\xa0MAD")],
)
def test_money_is_formatted_per_locale(app, language, expected):
    with app.test_request_context(f"/?lang={language}"):
        assert format_mad(123450) == expected


def test_arabic_money_uses_the_arabic_locale(app):
    with app.test_request_context("/?lang=ar"):
        text = format_mad(123450)
    assert "1" in text or "١" in text
    assert "MAD" in text or "د.م." in text


def test_money_parsing_and_shares_are_exact():
    assert parse_mad("45,50") == 4550
    assert parse_mad("12") == 1200
    with pytest.raises(ValueError):
        parse_mad("1.234")
    with pytest.raises(ValueError):
        parse_mad("abc")
    assert share_of(10001, 250) == 250  # 250.025 rounds half up to 250
    assert share_of(10020, 250) == 251  # 250.5 rounds up


def test_times_are_shown_in_casablanca(app):
    moment = parse_iso("2022-11-06T09:15:00Z")
    assert moment == datetime(2022, 11, 6, 9, 15)
    with app.test_request_context("/?lang=en"):
        assert "10:15" in show_datetime(moment)


def test_times_without_offset_are_refused():
    with pytest.raises(ValueError):
        parse_iso("2022-11-06T09:15:00")


def test_conversion_and_display_use_the_same_zone_rules(app):
    """Morocco stays on UTC+0 from September 2026 (tzdata 2026): conversion and Babel agree."""
    from core.timeutil import to_local

    moment = parse_iso("2026-11-21T12:00:00Z")
    assert to_local(moment).utcoffset().total_seconds() == 0
    assert to_local(parse_iso("2022-11-06T12:00:00Z")).utcoffset().total_seconds() == 3600
    with app.test_request_context("/?lang=en"):
        assert "12:00" in show_datetime(moment)


def test_dates_show_per_locale_from_iso_strings_too(app):
    from core.timeutil import show_date

    with app.test_request_context("/?lang=fr"):
        assert show_date("2022-11-06") == "6 nov. 2022"
        assert show_date("") == ""
