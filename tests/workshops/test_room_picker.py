"""The workshop form's room is picked from a list of the site's rooms, named in the reader's
language; a room of another site or edition, or no room at all, is refused with the form."""

import re

import pytest
from sqlalchemy import select

from core.extensions import db
from workshops import services
from workshops.models import Workshop


@pytest.fixture
def rooms(future_edition, organiser):
    """Two rooms at Meknès and one at El Hajeb, named in French and Arabic."""
    meknes, hajeb = future_edition.site("meknes"), future_edition.site("el-hajeb")
    services.update_rooms(
        meknes,
        [{"names": {"fr": "Tente verte", "ar": "الخيمة الخضراء"}}, {"names": {"fr": "Salle 2"}}],
        organiser,
    )
    services.update_rooms(
        hajeb, [{"names": {"fr": "Grande tente", "ar": "الخيمة الكبرى"}}], organiser
    )
    db.session.commit()
    return {
        room.names["fr"]: room for site in (meknes, hajeb) for room in services.site_rooms(site)
    }


def form_data(edition, room):
    return {
        "site": "meknes",
        "title_fr": "Emballage",
        "topic": "marketing",
        "format": "workshop",
        "audience": "public",
        "room": str(room) if not hasattr(room, "id") else str(room.id),
        "capacity": "30",
        "day": edition.starts_on.isoformat(),
        "start_time": "11:00",
        "end_time": "12:00",
    }


def options(page):
    """{site group label: [(value, room name)]} of the room select."""
    select_html = re.search(r'<select[^>]*name="room".*?</select>', page, re.S).group(0)
    groups = {}
    for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select_html, re.S):
        groups[label] = re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]*)</option>', body)
    return groups


def test_the_room_is_a_list_of_each_site_rooms_in_the_reader_language(
    client, login, organiser, future_edition, rooms
):
    login(organiser)
    url = f"/editions/{future_edition.slug}/workshops/new"
    french = client.get(f"{url}?lang=fr").get_data(as_text=True)
    assert 'type="text" name="room"' not in french and 'name="room"' in french
    green, salle, big = rooms["Tente verte"], rooms["Salle 2"], rooms["Grande tente"]
    meknes, hajeb = (future_edition.site(slug).names["fr"] for slug in ("meknes", "el-hajeb"))
    assert options(french) == {
        meknes: [(str(green.id), "Tente verte"), (str(salle.id), "Salle 2")],
        hajeb: [(str(big.id), "Grande tente")],
    }
    arabic = options(client.get(f"{url}?lang=ar").get_data(as_text=True))
    # Arabic names where the room has one, the French one otherwise (the usual fallback).
    assert [name for group in arabic.values() for _, name in group] == [
        "الخيمة الخضراء",
        "Salle 2",
        "الخيمة الكبرى",
    ]
    assert "/workshops/rooms" in french  # where rooms are named or added


def test_the_picked_room_is_stored_and_shown_again_on_the_edit_page(
    client, login, organiser, future_edition, rooms
):
    login(organiser)
    response = client.post(
        f"/editions/{future_edition.slug}/workshops/new",
        data=form_data(future_edition, rooms["Salle 2"]),
    )
    assert response.status_code == 302
    workshop = db.session.scalars(select(Workshop)).one()
    assert workshop.room_id == rooms["Salle 2"].id
    page = client.get(f"/workshops/{workshop.id}/edit?lang=fr").get_data(as_text=True)
    assert f'<option selected value="{rooms["Salle 2"].id}">Salle 2</option>' in page


@pytest.mark.parametrize("pick", ["other_site", "other_edition", "unknown", "not_a_number", ""])
def test_a_room_not_of_the_chosen_site_is_refused_with_the_form(
    client, login, organiser, future_edition, rooms, make_edition, pick
):
    other_edition = make_edition(status="open")
    services.update_rooms(other_edition.site("meknes"), [{"names": {"fr": "Ailleurs"}}], organiser)
    db.session.commit()
    room = {
        "other_site": rooms["Grande tente"].id,  # El Hajeb's, for a workshop at Meknès
        "other_edition": services.site_rooms(other_edition.site("meknes"))[0].id,
        "unknown": 999999,
        "not_a_number": "Tente verte",
        "": "",
    }[pick]
    login(organiser)
    response = client.post(
        f"/editions/{future_edition.slug}/workshops/new?lang=fr",
        data=form_data(future_edition, room),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    expected = "Ce champ est obligatoire." if pick == "" else "Choisissez une salle de ce site."
    field = re.search(r'<div class="field has-error">\s*<label for="room".*?</div>', page, re.S)
    assert field and expected in field.group(0)
    assert db.session.query(Workshop).count() == 0


def test_the_browser_shows_only_the_chosen_site_rooms(
    live_server, page, organiser, future_edition, rooms
):
    from tests.conftest import PASSWORD

    slug, username = future_edition.slug, organiser.username
    hajeb = future_edition.site("el-hajeb").names["fr"]
    green, big = str(rooms["Tente verte"].id), str(rooms["Grande tente"].id)
    day = future_edition.starts_on.isoformat()
    db.session.rollback()
    base = live_server.url()
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.goto(f"{base}/editions/{slug}/workshops/new?lang=fr")
    page.select_option("#site", "meknes")
    assert page.input_value("#room") == green
    page.select_option("#site", "el-hajeb")
    assert page.input_value("#room") == big  # the first room of the newly chosen site
    shown = page.eval_on_selector_all(
        "#room optgroup:not([disabled])", "(groups) => groups.map((group) => group.label)"
    )
    assert shown == [hajeb]
    page.fill("#title_fr", "Emballage")
    page.fill("#capacity", "30")
    page.fill("#day", day)
    page.fill("#start_time", "11:00")
    page.fill("#end_time", "12:00")
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    workshop = db.session.scalars(select(Workshop)).one()
    assert (workshop.room_id, workshop.site.slug) == (int(big), "el-hajeb")
