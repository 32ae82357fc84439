"""Without ?day, the timetable opens on a day that has workshops (or today during the market)."""

from datetime import datetime

from core.extensions import db
from core.timeutil import local_to_utc_naive


def test_timetable_opens_on_the_first_day_with_workshops(client, make_user, make_edition):
    from workshops.services import create_workshop

    edition = make_edition(status="open")
    site = edition.site("meknes")
    create_workshop(
        edition,
        {
            "site": site,
            "titles": {"fr": "Gestion financière"},
            "descriptions": {},
            "topic": "management",
            "format": "seminar",
            "room": "Salle 1",
            "capacity": 20,
            "audience": "public",
            "starts_at": local_to_utc_naive(datetime(2022, 11, 9, 15, 0)),
            "ends_at": local_to_utc_naive(datetime(2022, 11, 9, 16, 0)),
            "speakers": [{"name": "Karim", "organisation": "", "bio": ""}],
        },
        make_user("organiser"),
    )
    db.session.commit()
    page = client.get(f"/editions/{edition.slug}/sites/meknes/timetable?lang=fr").get_data(
        as_text=True
    )
    assert "Gestion financière" in page
