"""Rooms are named things of a site: names per language, an internal code never shown, the
double-booking rule on the room itself, and organisers naming them from the workshops pages."""

import json

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


def test_the_migration_turns_room_texts_into_rooms(app_config, tmp_path):
    """Upgrade a database holding workshops with free-text rooms: every workshop keeps its
    room, one Room per distinct text of a site, named in the language it was typed in."""
    from datetime import date, datetime

    from flask_migrate import upgrade
    from sqlalchemy import JSON, MetaData, insert, text

    from app import create_app

    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}"})
    overrides = {
        "status": "open",
        "topic": "marketing",
        "format": "workshop",
        "audience": "public",
        "opens_minute": 600,
        "closes_minute": 1200,
        "ends_at": datetime(2026, 5, 1, 12),
        "starts_at": datetime(2026, 5, 1, 10),
    }

    def filler(column):
        if column.name in overrides:
            return overrides[column.name]
        if isinstance(column.type, JSON):
            return {}
        kind = column.type.python_type
        if kind.__name__ == "Decimal":
            return 1
        values = {
            int: 1,
            float: 1.0,
            str: "x",
            date: date(2026, 5, 1),
            datetime: datetime(2026, 5, 1),
        }
        return values.get(kind, {} if kind is dict else False if kind is bool else b"")

    def row(table, **given):
        values = {
            column.name: filler(column)
            for column in table.columns
            if not column.nullable and not column.primary_key and column.server_default is None
        }
        return {**values, **given}

    with app.app_context():
        upgrade(revision="040a2c08eabe")
        with db.engine.begin() as connection:
            tables = MetaData()
            tables.reflect(connection)
            editions, sites, workshops = (
                tables.tables[n] for n in ("editions", "sites", "workshops")
            )
            connection.execute(insert(editions).values(row(editions, id=1, slug="e")))
            connection.execute(insert(sites).values(row(sites, id=1, edition_id=1, slug="a")))
            connection.execute(insert(sites).values(row(sites, id=2, edition_id=1, slug="b")))
            for number, (site, room) in enumerate(
                [(1, "Tente A"), (1, " tente  a"), (1, "القاعة الكبرى"), (2, "Tente A")], 1
            ):
                connection.execute(
                    insert(workshops).values(
                        row(workshops, id=number, edition_id=1, site_id=site, room=room)
                    )
                )
        upgrade()
        with db.engine.connect() as connection:
            rooms = connection.execute(
                text("SELECT id, site_id, code, names FROM rooms ORDER BY id")
            ).all()
            placed = connection.execute(text("SELECT id, room_id FROM workshops ORDER BY id")).all()
        db.engine.dispose()
    assert [(site, code, json.loads(names)) for _, site, code, names in rooms] == [
        (1, "tente-a", {"fr": "Tente A"}),
        (1, "room-2", {"ar": "القاعة الكبرى"}),
        (2, "tente-a", {"fr": "Tente A"}),
    ]
    first, arabic, other = (room_id for room_id, *_ in rooms)
    assert placed == [(1, first), (2, first), (3, arabic), (4, other)]
