"""Workshop fixtures: an edition whose sites open in the future, and a workshop factory."""

from datetime import datetime, time, timedelta

import pytest

from core.extensions import db
from core.timeutil import local_to_utc_naive, utc_now


def local(day, hour, minute=0):
    """A Moroccan wall-clock time on a date, as naive UTC."""
    return local_to_utc_naive(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def future_edition(make_edition):
    """An open edition from tomorrow for five days, sites open 10:00-22:00."""
    today = utc_now().date()
    return make_edition(
        status="open", starts_on=today + timedelta(days=1), ends_on=today + timedelta(days=5)
    )


@pytest.fixture
def first_day(future_edition):
    return future_edition.starts_on


@pytest.fixture
def organiser(make_user):
    return make_user("organiser")


@pytest.fixture
def make_workshop(app, organiser):
    from workshops.services import create_workshop

    counter = {"n": 0}

    def make(edition, site_slug="meknes", day=None, start=(11, 0), end=(12, 30), **values):
        counter["n"] += 1
        day = day or edition.starts_on
        record = {
            "site": edition.site(site_slug),
            "titles": {"fr": f"Atelier {counter['n']}", "ar": f"ورشة {counter['n']}"},
            "descriptions": {"fr": "Description"},
            "topic": "online_selling",
            "format": "workshop",
            "room": f"Tente {counter['n']}",
            "capacity": 20,
            "starts_at": local(day, *start),
            "ends_at": local(day, *end),
            "audience": "public",
            "speakers": [],
        }
        record.update(values)
        workshop = create_workshop(edition, record, organiser)
        db.session.commit()
        return workshop

    return make


@pytest.fixture
def person():
    counter = {"n": 0}

    def make(**values):
        counter["n"] += 1
        record = {
            "person_name": f"Personne {counter['n']}",
            "phone": f"06{counter['n']:08d}",
            "gender": "female",
            "under_35": True,
        }
        record.update(values)
        return record

    return make
