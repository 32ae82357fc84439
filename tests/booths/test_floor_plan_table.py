"""The floor plan's table of stalls at a national salon's size: found by a stall's code or its
cooperative's words, narrowed by zone and state, shown a page at a time, and a row's action
bringing the organiser back to the page it was taken on."""

import re

import pytest

from booths import services
from booths.models import Stall
from booths.views import floorplans as floorplan_views
from core.extensions import db


@pytest.fixture
def laid_out(future_edition, make_cooperative, make_application, make_plan, organiser):
    """Four food stalls and two craft stalls; Annahla on A-01 (pinned by hand), Argan Bois
    on B-01 (placed, then unpinned as if by the allocation), the rest free."""
    edition = future_edition()
    site = edition.sites[0]
    make_plan(site, standard=6, food_share=4 / 6)
    stalls = {stall.code: stall for stall in services.site_stalls(site)}
    annahla = make_application(
        make_cooperative(name_latin="Coopérative Annahla", name_ar="تعاونية النحلة"),
        site,
        status="approved",
    )
    argan = make_application(
        make_cooperative(
            name_latin="Coopérative Argan Bois",
            name_ar="تعاونية أركان",
            sectors=["carpentry_wood"],
            main_sector="carpentry_wood",
        ),
        site,
        status="approved",
    )
    services.allocation.assign_stall(stalls["A-01"], annahla, organiser)
    services.allocation.assign_stall(stalls["B-01"], argan, organiser)
    services.allocation.set_stall_pinned(stalls["B-01"], False, organiser)
    db.session.commit()
    return edition, site


def codes(client, edition, site, query=""):
    url = f"/editions/{edition.slug}/sites/{site.slug}/floor-plan?lang=fr&{query}"
    response = client.get(url)
    assert response.status_code == 200, query
    html = response.get_data(as_text=True)
    table = html[html.index('<h2 id="stalls">') :]
    return re.findall(r'<tr id="stall-([A-Z]-\d+)"', table), table


def test_the_stalls_are_laid_out_as_the_other_tests_expect(laid_out):
    _edition, site = laid_out
    rows = db.session.query(Stall).filter_by(site_id=site.id).order_by(Stall.code).all()
    assert [(s.code, s.zone, s.pinned) for s in rows] == [
        ("A-01", "food", True),
        ("A-02", "food", False),
        ("A-03", "food", False),
        ("A-04", "food", False),
        ("B-01", "crafts", False),
        ("B-02", "crafts", False),
    ]


def test_the_organiser_finds_stalls_by_code_cooperative_zone_and_state(
    client, login, organiser, laid_out
):
    edition, site = laid_out
    login(organiser)
    assert codes(client, edition, site)[0] == ["A-01", "A-02", "A-03", "A-04", "B-01", "B-02"]
    assert codes(client, edition, site, "q=b-0")[0] == ["B-01", "B-02"]
    assert codes(client, edition, site, "q=النحلة")[0] == ["A-01"]
    assert codes(client, edition, site, "q=argan")[0] == ["B-01"]
    assert codes(client, edition, site, "zone=crafts")[0] == ["B-01", "B-02"]
    assert codes(client, edition, site, "state=free")[0] == ["A-02", "A-03", "A-04", "B-02"]
    assert codes(client, edition, site, "state=allocated")[0] == ["A-01", "B-01"]
    assert codes(client, edition, site, "state=pinned")[0] == ["A-01"]
    assert codes(client, edition, site, "zone=food&state=allocated")[0] == ["A-01"]
    found, table = codes(client, edition, site, "q=safran")
    assert found == [] and "Aucun stand ne correspond." in table


@pytest.mark.parametrize("query", ["zone=kitchen", "state=sold", "zone=&state=", "page=x"])
def test_a_filter_value_the_page_does_not_know_filters_nothing(
    client, login, organiser, laid_out, query
):
    edition, site = laid_out
    login(organiser)
    assert len(codes(client, edition, site, query)[0]) == 6


def test_stalls_come_a_page_at_a_time_and_an_action_returns_to_its_page(
    client, login, organiser, laid_out, monkeypatch
):
    monkeypatch.setattr(floorplan_views, "PAGE_SIZE", 4)
    edition, site = laid_out
    login(organiser)
    first, table = codes(client, edition, site)
    assert first == ["A-01", "A-02", "A-03", "A-04"] and "Page 1 sur 2" in table
    base = f"/editions/{edition.slug}/sites/{site.slug}/floor-plan"
    assert f'href="{base}?lang=fr&amp;page=2#stalls"' in table
    second, table = codes(client, edition, site, "page=2")
    assert second == ["B-01", "B-02"]
    back = re.search(r'name="next_url" value="([^"]+)"', table).group(1)
    assert back == f"{base}?lang=fr&amp;page=2"
    b02 = db.session.query(Stall).filter_by(site_id=site.id, code="B-02").one()
    pin = client.post(
        f"/editions/{edition.slug}/sites/{site.slug}/stalls/{b02.id}/pin",
        data={"next_url": f"{base}?lang=fr&page=2"},
    )
    assert pin.status_code == 302 and pin.headers["Location"] == f"{base}?lang=fr&page=2"
    assert db.session.get(Stall, b02.id).pinned is True


@pytest.mark.parametrize(
    "next_url", ["//evil.example/floor-plan", "/editions/other/sites/x/floor-plan", "", None]
)
def test_an_action_returns_only_to_this_plan(client, login, organiser, laid_out, next_url):
    edition, site = laid_out
    login(organiser)
    stall = db.session.query(Stall).filter_by(site_id=site.id, code="A-02").one()
    data = {} if next_url is None else {"next_url": next_url}
    pin = client.post(
        f"/editions/{edition.slug}/sites/{site.slug}/stalls/{stall.id}/pin", data=data
    )
    assert pin.headers["Location"] == f"/editions/{edition.slug}/sites/{site.slug}/floor-plan"


def test_the_plan_page_has_each_id_once(client, login, organiser, laid_out):
    """The table's filters sit beside the form for a new stall (which has a zone too)."""
    edition, site = laid_out
    login(organiser)
    html = codes(client, edition, site)[1]
    page = client.get(f"/editions/{edition.slug}/sites/{site.slug}/floor-plan").get_data(
        as_text=True
    )
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert '<select id="stall-zone" name="zone">' in html
