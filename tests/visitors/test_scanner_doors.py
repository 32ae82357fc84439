"""The scanner offers the site's workshop doors beside its gates."""

from datetime import datetime

from core.extensions import db
from core.timeutil import local_to_utc_naive


def test_scanner_lists_workshop_doors(client, login, make_user, make_edition):
    from workshops.services import create_workshop

    edition = make_edition(status="open")
    organiser = make_user("organiser")
    site = edition.site("meknes")
    workshop = create_workshop(
        edition,
        {
            "site": site,
            "titles": {"fr": "Vendre en ligne"},
            "descriptions": {},
            "topic": "online_selling",
            "format": "workshop",
            "room": "Tente A",
            "capacity": 30,
            "audience": "public",
            "starts_at": local_to_utc_naive(datetime(2022, 11, 7, 11, 0)),
            "ends_at": local_to_utc_naive(datetime(2022, 11, 7, 12, 30)),
            "speakers": [{"name": "Samira", "organisation": "ODCO", "bio": ""}],
        },
        organiser,
    )
    db.session.commit()
    login(make_user("volunteer"))
    config = client.get("/scanner/session?lang=fr").get_json()
    [meknes] = [
        s
        for e in config["editions"]
        if e["slug"] == edition.slug
        for s in e["sites"]
        if s["slug"] == "meknes"
    ]
    assert [gate["code"] for gate in meknes["gates"]] == ["gate-north", "gate-south"]
    assert meknes["doors"][0]["checkpoint"] == f"workshop:{workshop.id}"
    labels = meknes["doors"][0]["labels"]
    assert "Vendre en ligne" in labels["fr"] and "Tente A" in labels["ar"]
