"""Rooms are named things of a site: names per language, an internal code never shown, the
double-booking rule on the room itself, and organisers naming them from the workshops pages."""

import pytest
from sqlalchemy import select

from core.errors import RuleBroken
from core.extensions import db
from workshops import services
from workshops.models import Room


def test_a_typed_room_becomes_a_room_of_the_site_and_is_found_again(future_edition, make_workshop):
    first = make_workshop(future_edition, room="Tente A")
    second = make_workshop(future_edition, room="  tente   a ", start=(14, 0), end=(15, 0))
    rooms = db.session.scalars(select(Room)).all()
    assert [(room.code, room.names) for room in rooms] == [("tente-a", {"fr": "Tente A"})]
    assert first.place is second.place is rooms[0]


def test_the_same_room_by_its_arabic_name_is_double_booked(app, future_edition, make_workshop):
    workshop = make_workshop(future_edition, room="Tente A")
    services.update_rooms(
        workshop.site,
        [{"code": "tente-a", "names": {"fr": "Tente A", "ar": "الخيمة أ"}}],
        None,
    )
    db.session.commit()
    with pytest.raises(RuleBroken) as caught:
        make_workshop(future_edition, room="الخيمة أ")
    assert caught.value.code == "room_booked"


def test_rooms_page_names_rooms_and_pages_and_api_show_the_name(
    client, login, organiser, future_edition, make_workshop
):
    workshop = make_workshop(future_edition, room="Tente A")
    site = workshop.site
    login(organiser)
    page = client.get(f"/editions/{future_edition.slug}/workshops/rooms?lang=fr")
    assert page.status_code == 200 and "Tente A" in page.get_data(as_text=True)
    data = {
        f"count-{site.id}": "1",
        f"room-{site.id}-0-code": "tente-a",
        f"room-{site.id}-0-fr": "Tente A",
        f"room-{site.id}-0-ar": "الخيمة الكبرى",
        f"room-{site.id}-1-fr": "Salle B",
    }
    response = client.post(f"/editions/{future_edition.slug}/workshops/rooms", data=data)
    assert response.status_code == 302
    rooms = services.site_rooms(site)
    assert [(room.code, room.names) for room in rooms] == [
        ("tente-a", {"fr": "Tente A", "ar": "الخيمة الكبرى"}),
        ("salle-b", {"fr": "Salle B"}),
    ]
    api = client.get(f"/api/v1/editions/{future_edition.slug}/workshops?lang=ar").get_json()
    assert [item["room"] for item in api["workshops"] if item["id"] == workshop.id] == [
        "الخيمة الكبرى"
    ]
    arabic = client.get(f"/workshops/{workshop.id}?lang=ar").get_data(as_text=True)
    assert "الخيمة الكبرى" in arabic and "tente-a" not in arabic
    manage = client.get(f"/editions/{future_edition.slug}/workshops?lang=fr")
    # A room workshops are in cannot be removed.
    data[f"room-{site.id}-0-remove"] = "1"
    refused = client.post(f"/editions/{future_edition.slug}/workshops/rooms", data=data)
    assert refused.status_code == 422 and len(services.site_rooms(site)) == 2
    assert manage.status_code in (200, 302)
