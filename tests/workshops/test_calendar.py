"""iCalendar feeds and the timetable: read back with the icalendar parser, Moroccan times."""

from datetime import datetime, timedelta

import icalendar
import pytest

from core.timeutil import LOCAL_ZONE
from tests.pdf_tools import pdf_page_count, pdf_text

CASABLANCA = LOCAL_ZONE  # the zone the app converts with (Africa/Casablanca)


@pytest.fixture
def programme(future_edition, make_workshop):
    day = future_edition.starts_on
    return [
        make_workshop(
            future_edition,
            titles={"fr": "Vendre en ligne", "ar": "البيع عبر الإنترنت"},
            speakers=[{"name": "Salma Idrissi", "organisation": "ODCo"}],
            start=(11, 0),
            end=(12, 30),
        ),
        make_workshop(
            future_edition,
            titles={"fr": "Gestion financière"},
            topic="management",
            site_slug="el-hajeb",
            start=(16, 0),
            end=(18, 0),
            day=day + timedelta(days=1),
        ),
    ]


def read_calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.data)


def test_edition_feed_reads_back_in_casablanca_time(client, future_edition, programme):
    calendar = read_calendar(client, f"/editions/{future_edition.slug}/workshops.ics?lang=fr")
    timezones = [tz["TZID"] for tz in calendar.walk("VTIMEZONE")]
    assert timezones == ["Africa/Casablanca"]
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == ["Vendre en ligne", "Gestion financière"]
    first = events[0]
    start, end = first.decoded("dtstart"), first.decoded("dtend")
    assert first["dtstart"].params["TZID"] == "Africa/Casablanca"
    day = future_edition.starts_on
    assert start == datetime(day.year, day.month, day.day, 11, 0, tzinfo=CASABLANCA)
    assert end - start == timedelta(minutes=90)
    assert start.utcoffset() == CASABLANCA.utcoffset(datetime(day.year, day.month, day.day, 11))
    assert "Salma Idrissi" in str(first["description"])
    assert str(first["uid"]) == f"workshop-{programme[0].id}@{future_edition.slug}.souk"
    assert "/workshops/" in str(first["url"])


def test_site_feed_has_only_that_site(client, future_edition, programme):
    calendar = read_calendar(
        client, f"/editions/{future_edition.slug}/sites/el-hajeb/workshops.ics"
    )
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Gestion financière"]
    assert "El Hajeb" in str(calendar.walk("VEVENT")[0]["location"])


def test_feed_in_arabic(client, future_edition, programme):
    calendar = read_calendar(client, f"/editions/{future_edition.slug}/workshops.ics?lang=ar")
    assert "البيع عبر الإنترنت" in [str(e["summary"]) for e in calendar.walk("VEVENT")]


def test_draft_edition_feed_is_hidden(client, make_edition):
    edition = make_edition(status="draft")
    assert client.get(f"/editions/{edition.slug}/workshops.ics").status_code == 404


def test_timetable_grid_page(client, future_edition, programme):
    day = future_edition.starts_on.isoformat()
    response = client.get(f"/editions/{future_edition.slug}/sites/meknes/timetable?day={day}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'rowspan="3"' in body  # 11:00-12:30 covers three half-hour rows
    assert "Vendre en ligne" in body and "Gestion financière" not in body


def test_timetable_in_arabic_is_right_to_left(client, future_edition, programme):
    response = client.get(f"/editions/{future_edition.slug}/sites/meknes/timetable?lang=ar")
    body = response.get_data(as_text=True)
    assert 'dir="rtl"' in body and "البيع عبر الإنترنت" in body


def test_timetable_pdf(client, future_edition, programme):
    response = client.get(f"/editions/{future_edition.slug}/sites/meknes/timetable.pdf")
    assert response.status_code == 200
    # One page per day with sessions at this site (the other four days would be empty pages).
    assert pdf_page_count(response.data) == 1
    assert "Vendre en ligne" in pdf_text(response.data)
    one_day = client.get(
        f"/editions/{future_edition.slug}/sites/meknes/timetable.pdf?day={future_edition.starts_on}"
    )
    assert pdf_page_count(one_day.data) == 1
