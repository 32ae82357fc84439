"""Gates are named things: names in every language and a role; the code stays internal."""

import re

import pytest

from core.errors import RuleBroken
from core.extensions import db
from markets.services import parse_gates, update_gates


def shown(html):
    return re.sub(r"<[^>]+>", " ", html)


def test_organiser_names_gates_in_every_language_and_codes_stay(client, login, make_user, edition):
    login(make_user("organiser"))
    url = f"/editions/{edition.slug}/sites/meknes/gates"
    page = client.get(url)
    assert page.status_code == 200 and "gate-north" not in shown(page.get_data(as_text=True))
    form = {
        "count": "2",
        "gate-0-code": "gate-north",
        "gate-0-name-fr": "Porte de la médina",
        "gate-0-name-ar": "باب المدينة",
        "gate-0-role": "entry",
        "gate-1-code": "gate-south",
        "gate-1-name-fr": "Porte sud",
        "gate-1-role": "both",
        "gate-1-remove": "1",
        "gate-new-name-fr": "Porte du parking",
        "gate-new-name-es": "Puerta del aparcamiento",
        "gate-new-role": "exit",
    }
    assert client.post(url, data=form).status_code == 303
    db.session.expire_all()
    site = edition.site("meknes")
    assert site.gates == ["gate-north", "porte-du-parking"]
    north, parking = site.gate_list
    assert (
        north.names == {"fr": "Porte de la médina", "ar": "باب المدينة"} and north.role == "entry"
    )
    assert parking.role == "exit" and parking.names["es"] == "Puerta del aparcamiento"
    session = client.get("/scanner/session?lang=ar").get_json()
    [meknes] = [s for s in session["editions"][0]["sites"] if s["slug"] == "meknes"]
    assert meknes["gates"][0] == {"code": "gate-north", "names": north.names, "role": "entry"}
    edition_page = shown(client.get(f"/editions/{edition.slug}?lang=ar").get_data(as_text=True))
    assert "باب المدينة" in edition_page and "gate-north" not in edition_page


def test_a_gate_without_a_name_or_with_a_bad_role_is_refused(edition):
    site = edition.site("meknes")
    with pytest.raises(RuleBroken):
        update_gates(site, [{"code": "gate-north", "names": {}, "role": "both"}], None)
    with pytest.raises(RuleBroken):
        update_gates(site, [{"code": "gate-north", "names": {"fr": "A"}, "role": "sideways"}], None)
    with pytest.raises(RuleBroken):
        update_gates(site, [{"code": "gate-north", "names": {"fr": "A"}, "remove": True}], None)


def test_the_site_form_speaks_names_and_keeps_codes(app, edition):
    site = edition.site("meknes")
    site.gate_list[0].names = {"fr": "Porte nord", "ar": "الباب الشمالي"}
    db.session.flush()
    # The organiser retypes the names (in any language) and adds one in Arabic script.
    gates = parse_gates("الباب الشمالي\nGate 2\nالباب الجديد", site)
    assert [gate["code"] for gate in gates] == ["gate-north", "gate-south", "gate-3"]
    assert gates[2]["names"] == {"fr": "الباب الجديد"}
