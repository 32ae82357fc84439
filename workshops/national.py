"""The national salon's workshops: 120 sessions over the three sites and ten days (four rooms a
site) with 6,000 registrations, written in bulk."""

import random
import secrets
from datetime import datetime, time, timedelta

from sqlalchemy import insert, select

from core.extensions import db
from core.timeutil import local_to_utc_naive
from workshops.demo import FAMILY_NAMES, FIRST_NAMES, PROGRAMME, ROOM_NAMES
from workshops.models import Registration, Room, Workshop
from workshops.services.attendance import phone_key

WORKSHOPS = 120
REGISTRATIONS = 6000
HOURS = ((10, 12), (12, 13), (15, 17), (17, 18))
EXTRA_ROOM = {
    "fr": "Espace coopératives",
    "ar": "فضاء التعاونيات",
    "en": "Cooperatives' corner",
    "es": "Espacio de cooperativas",
    "zgh": "ⴰⵙⵓⵔⵉⴼ ⵏ ⵜⵡⵉⵔⵉⵡⵉⵏ",
}


def site_rooms(site):
    """Four rooms of a site (the demo's three named rooms and one more)."""
    names = [*ROOM_NAMES.values(), EXTRA_ROOM]
    rows = [
        {"site_id": site.id, "code": f"salle-{number + 1}", "names": name, "position": number}
        for number, name in enumerate(names)
    ]
    db.session.execute(insert(Room), rows)
    return db.session.scalars(select(Room).where(Room.site_id == site.id).order_by(Room.id)).all()


def workshop_rows(edition, count):
    rows = []
    rooms = {site.id: site_rooms(site) for site in edition.sites}
    for number in range(count):
        site = edition.sites[number % len(edition.sites)]
        slot = number // len(edition.sites)  # the site's number-th session
        room = rooms[site.id][slot % len(rooms[site.id])]
        days = (site.closes_on - site.opens_on).days + 1
        day = site.opens_on + timedelta(days=(slot // len(rooms[site.id])) % days)
        start, end = HOURS[(slot // len(rooms[site.id]) // days) % len(HOURS)]
        entry = PROGRAMME[number % len(PROGRAMME)]
        topic, format_, audience, _room, _capacity, _hours, titles, descriptions, _ = entry
        rows.append(
            {
                "edition_id": edition.id,
                "site_id": site.id,
                "titles": titles,
                "descriptions": descriptions,
                "topic": topic,
                "format": format_,
                "audience": audience,
                "room_id": room.id,
                "capacity": 60,
                "starts_at": local_to_utc_naive(datetime.combine(day, time(start))),
                "ends_at": local_to_utc_naive(datetime.combine(day, time(end))),
            }
        )
    db.session.execute(insert(Workshop), rows)
    return db.session.scalars(
        select(Workshop).where(Workshop.edition_id == edition.id).order_by(Workshop.id)
    ).all()


def registration_rows(workshops, exhibitors, count, rng):
    rows = []
    for number in range(count):
        workshop = workshops[number % len(workshops)]
        member = workshop.audience == "cooperatives" or rng.random() < 0.4
        gender = rng.choices(["female", "male"], [62, 38])[0]
        first = rng.choice(FIRST_NAMES[:8] if gender == "female" else FIRST_NAMES[8:])
        phone = f"067{number:07d}"
        rows.append(
            {
                "workshop_id": workshop.id,
                "key": secrets.token_hex(16),
                "cooperative_id": rng.choice(exhibitors).id if member and exhibitors else None,
                "person_name": f"{first} {rng.choice(FAMILY_NAMES)}",
                "phone": phone,
                "phone_key": phone_key(phone),
                "gender": gender,
                "under_35": rng.random() < 0.45,
                "status": "registered",
                "created_at": workshop.starts_at - timedelta(days=rng.randint(1, 20)),
            }
        )
    db.session.execute(insert(Registration), rows)
    return len(rows)


def load(context):
    scale, edition = context["scale"], context["national"]
    rng = random.Random(120)
    workshops = workshop_rows(edition, max(3, round(WORKSHOPS * scale)))
    registered = registration_rows(
        workshops, context.get("exhibitors") or [], max(3, round(REGISTRATIONS * scale)), rng
    )
    context["summary"].append(f"{len(workshops)} workshops, {registered} registrations")
