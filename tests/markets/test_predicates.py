"""The rules of an edition's lifecycle and of a site's opening window, each written once
(markets/models.py) and read the same way in Python and in SQL."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booths.views.space import open_sites
from core.extensions import db
from core.timeutil import local_to_utc_naive, utc_now
from markets.models import EDITION_STATUSES, Edition, Site

PREDICATES = (
    "is_public",
    "takes_applications",
    "takes_registrations",
    "takes_field_work",
    "has_opened",
)
EXPECTED = {
    "draft": (False, False, False, False, False),
    "published": (True, True, True, False, False),
    "open": (True, True, True, True, True),
    "closed": (True, False, False, False, True),
}


@pytest.mark.parametrize("status", EDITION_STATUSES)
def test_each_status_allows_exactly_this(status):
    edition = Edition(status=status)
    assert tuple(getattr(edition, name) for name in PREDICATES) == EXPECTED[status]
    assert edition.is_closed == (status == "closed")


def test_sql_and_python_read_the_predicates_alike(app, make_edition):
    editions = {status: make_edition(status=status) for status in EDITION_STATUSES}
    for name in PREDICATES:
        in_sql = {
            edition.status for edition in db.session.query(Edition).filter(getattr(Edition, name))
        }
        in_python = {status for status, edition in editions.items() if getattr(edition, name)}
        assert (
            in_sql
            == in_python
            == {s for s in EDITION_STATUSES if EXPECTED[s][PREDICATES.index(name)]}
        )


def a_site(opens_on=date(2022, 11, 5), closes_on=date(2022, 11, 7), hours=(600, 1320)):
    return Site(
        opens_on=opens_on, closes_on=closes_on, opens_minute=hours[0], closes_minute=hours[1]
    )


def test_a_site_days_and_window():
    site = a_site()
    assert site.days == [date(2022, 11, 5), date(2022, 11, 6), date(2022, 11, 7)]
    # Morocco was on UTC+1 in November 2022: 10:00 local is 09:00 UTC.
    assert site.opens_at(date(2022, 11, 6)) == datetime(2022, 11, 6, 9, 0)
    assert site.closes_at(date(2022, 11, 6)) == datetime(2022, 11, 6, 21, 0)
    assert site.first_opening == datetime(2022, 11, 5, 9, 0)
    assert site.last_closing == datetime(2022, 11, 7, 21, 0)
    assert a_site(closes_on=date(2022, 11, 5)).days == [date(2022, 11, 5)]


@pytest.mark.parametrize(
    ("local", "is_open"),
    [
        (datetime(2022, 11, 5, 10, 0), True),  # the first minute
        (datetime(2022, 11, 5, 9, 59), False),
        (datetime(2022, 11, 7, 21, 59), True),  # the last minute
        (datetime(2022, 11, 7, 22, 0), False),  # closing time is already closed
        (datetime(2022, 11, 4, 12, 0), False),  # the day before
        (datetime(2022, 11, 8, 12, 0), False),  # the day after
    ],
)
def test_is_open_at_the_edges(local, is_open):
    assert a_site().is_open_at(local_to_utc_naive(local)) is is_open


@given(
    day=st.integers(-2, 4),
    minute=st.integers(0, 1439),
    hours=st.tuples(st.integers(0, 1439), st.integers(1, 1440)).filter(lambda h: h[0] < h[1]),
)
def test_is_open_at_agrees_with_the_window_of_its_day(day, minute, hours):
    site = a_site(hours=hours)
    local_day = date(2022, 11, 5) + timedelta(days=day)
    moment = local_to_utc_naive(
        datetime.combine(local_day, datetime.min.time()) + timedelta(minutes=minute)
    )
    in_window = local_day in site.days and site.opens_at(local_day) <= moment < site.closes_at(
        local_day
    )
    assert site.is_open_at(moment) is in_window


def test_the_apply_page_lists_only_sites_whose_form_accepts(app, make_edition, make_cooperative):
    today = utc_now().date()
    upcoming = make_edition(
        status="published", starts_on=today + timedelta(days=10), ends_on=today + timedelta(days=12)
    )
    running = make_edition(
        status="open", starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1)
    )
    make_edition(
        status="draft", starts_on=today + timedelta(days=10), ends_on=today + timedelta(days=12)
    )
    listed = open_sites(make_cooperative())
    assert {(site.edition.slug, site.slug) for site in listed} == {
        (upcoming.slug, "meknes"),
        (upcoming.slug, "el-hajeb"),
    }
    assert all(site.takes_applications_at(utc_now()) for site in listed)
    assert not any(site.takes_applications_at(utc_now()) for site in running.sites)
