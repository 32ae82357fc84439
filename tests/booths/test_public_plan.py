"""The public 'who is where' page of a site: the plan and the cooperatives by sector, for
anyone, with nothing private and nothing of a draft edition."""

import pytest

from booths import services
from core.extensions import db


@pytest.fixture
def allocated(future_edition, organiser, make_plan, make_application, make_cooperative):
    edition = future_edition()
    site = edition.sites[0]
    make_plan(site, standard=6, food_share=1.0)
    mine = make_cooperative(name_latin="Coopérative Mine", name_ar="تعاونية الخير")
    other = make_cooperative(name_latin="Coopérative Autre", phone="0677123456")
    applications = [make_application(mine, site), make_application(other, site)]
    services.allocate_stalls(site, organiser)
    db.session.commit()
    return {"edition": edition, "site": site, "mine": mine, "applications": applications}


def test_anyone_sees_who_is_where(client, allocated):
    world = allocated
    edition, site = world["edition"], world["site"]
    response = client.get(f"/editions/{edition.slug}/sites/{site.slug}/plan?lang=fr")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    table = page[page.index('id="who-is-where"') :]
    for application in world["applications"]:
        cooperative = application.cooperative
        assert cooperative.name_latin in table
        assert f'id="stall-{application.stall.code}"' in table
        assert cooperative.phone not in page  # contact details stay private
    assert "<svg" in page and "Qui est où" in page


def test_arabic_page_is_right_to_left(client, allocated):
    edition, site = allocated["edition"], allocated["site"]
    page = client.get(f"/editions/{edition.slug}/sites/{site.slug}/plan?lang=ar")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'dir="rtl"' in text
    assert allocated["mine"].name_ar in text


def test_the_edition_page_links_to_it(client, allocated):
    edition, site = allocated["edition"], allocated["site"]
    page = client.get(f"/editions/{edition.slug}").get_data(as_text=True)
    assert f"/editions/{edition.slug}/sites/{site.slug}/plan" in page


def test_before_allocation_it_says_so(client, allocated, organiser):
    edition, site = allocated["edition"], allocated["site"]
    services.clear_allocation(site, organiser)
    db.session.commit()
    page = client.get(f"/editions/{edition.slug}/sites/{site.slug}/plan?lang=fr")
    assert page.status_code == 200 and 'id="who-is-where"' not in page.get_data(as_text=True)


def test_a_draft_edition_has_no_public_plan(client, make_edition):
    draft = make_edition(status="draft")
    response = client.get(f"/editions/{draft.slug}/sites/meknes/plan")
    assert response.status_code == 404
