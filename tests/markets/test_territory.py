"""The territory: 12 regions and 75 prefectures and provinces (décret 2-15-40), the gazetteer's
provincial seats, the public territory endpoint, and every demo cooperative and site tied to one."""

from datetime import date

import pytest

from booths.models import Cooperative
from core.errors import RuleBroken
from core.extensions import db
from markets import gazetteer, services, territory
from markets.models import Site
from tests.booths.test_demo_and_figures import load_markets_and_booths
from tests.markets.test_planning import edition_values, site_values

# Prefectures and provinces per region in the décret.
PER_REGION = {
    "MA-01": 8, "MA-02": 8, "MA-03": 9, "MA-04": 7, "MA-05": 5, "MA-06": 9,
    "MA-07": 8, "MA-08": 5, "MA-09": 6, "MA-10": 4, "MA-11": 4, "MA-12": 2,
}  # fmt: skip


def test_twelve_regions_and_seventy_five_provinces_each_in_its_region():
    assert len(territory.regions()) == 12 and len(territory.provinces()) == 75
    assert {region.code: len(region.provinces) for region in territory.regions()} == PER_REGION
    assert territory.region_of("MA-HAJ").name_fr == "Fès-Meknès"
    assert territory.region_of("MA-CHT").code == "MA-09"  # pycountry says MA-06
    assert territory.region_of("MA-NOU").code == "MA-06"  # pycountry says MA-04
    assert len({item.code for item in territory.provinces()}) == 75


def test_every_name_is_present_in_arabic_and_french_without_annotations():
    for item in (*territory.regions(), *territory.provinces()):
        assert item.name_fr and item.name_ar, item.code
        assert any("\u0600" <= char <= "\u06ff" for char in item.name_ar), item.code
        assert "(EH" not in item.name_fr and "(EH" not in item.name_ar
    for item in territory.provinces():
        assert item.seat_fr and item.seat_ar and -17 < item.longitude < -1, item.code


def test_the_gazetteer_knows_every_provincial_seat():
    for item in territory.provinces():
        place = gazetteer.find_place(item.seat_fr)
        assert place is not None and place.province_code == item.code, item.code
    assert gazetteer.province_code_from_text("إفران", "") == "MA-IFR"
    assert gazetteer.province_code_from_text("Province inconnue", "Azrou") == "MA-IFR"
    assert gazetteer.province_code_from_text("", "Nowhere", 33.69, -5.37) == "MA-HAJ"
    assert gazetteer.province_code_from_text("", "Nowhere") is None


def test_the_territory_endpoint_answers_in_arabic_and_french(client):
    french = client.get("/api/v1/territory?lang=fr").get_json()
    arabic = client.get("/api/v1/territory?lang=ar").get_json()
    assert len(french["regions"]) == len(arabic["regions"]) == 12
    fes_fr, fes_ar = french["regions"][2], arabic["regions"][2]
    assert (fes_fr["code"], fes_fr["name"], fes_ar["name"]) == (
        "MA-03",
        "Fès-Meknès",
        "فاس - مكناس",
    )
    hajeb = {"code": "MA-HAJ", "name": "El Hajeb", "seat": "El Hajeb"}
    assert hajeb in fes_fr["provinces"]
    assert {"code": "MA-HAJ", "name": "الحاجب", "seat": "الحاجب"} in fes_ar["provinces"]
    # a province named after a town seated elsewhere: Boulemane's seat is Missour
    assert {"code": "MA-BOM", "name": "بولمان", "seat": "ميسور"} in fes_ar["provinces"]
    assert sum(len(region["provinces"]) for region in arabic["regions"]) == 75
    assert "(EH" not in str(french)


def test_every_demo_cooperative_and_site_has_a_known_province(app):
    load_markets_and_booths(date(2026, 11, 21))
    codes = {item.code for item in territory.provinces()}
    cooperatives = db.session.query(Cooperative.province_code, Cooperative.province).all()
    sites = db.session.query(Site.province_code, Site.province).all()
    assert cooperatives and sites
    for code, name in cooperatives + sites:
        assert code in codes and territory.find_province(code).name_fr == name


def test_a_site_is_tied_to_its_citys_province_and_a_chosen_one_must_agree(app, make_user):
    organiser = make_user("organiser")
    edition = services.create_edition(edition_values(), organiser)
    with pytest.raises(RuleBroken) as caught:
        services.create_site(
            edition, site_values(city="Azrou", chosen_province="MA-MEK"), organiser
        )
    assert caught.value.field == "province_code" and "Ifrane" in caught.value.message
    site = services.create_site(
        edition, site_values(city="Azrou", chosen_province="MA-IFR"), organiser
    )
    assert (site.province, site.province_code) == ("Ifrane", "MA-IFR")


def test_the_site_form_lists_provinces_grouped_by_region_by_name(app, client, login, make_user):
    organiser = make_user("organiser")
    login(organiser)
    edition = services.create_edition(edition_values(), organiser)
    db.session.commit()
    page = client.get(f"/editions/{edition.slug}/sites/new?lang=ar").get_data(as_text=True)
    assert '<optgroup label="فاس - مكناس">' in page
    assert '<option value="MA-HAJ">الحاجب</option>' in page
    assert page.count("<optgroup") == 13  # "from the city", then the 12 regions
