"""A site's badges page at a national salon's size: the badge to reprint found by a person's
name or phone, a stall's code or a cooperative's words, a page at a time."""

import re

import pytest

from booths import services
from booths.views import badges as badge_views
from core.extensions import db


@pytest.fixture
def badged_site(future_edition, organiser, make_plan, make_application, make_cooperative):
    edition = future_edition()
    site = edition.sites[0]
    make_plan(site, standard=4, food_share=1.0)
    people = [("Fatima Zahra", "تعاونية النحلة"), ("Itto Ouali", "تعاونية تافيوشت")]
    for contact, arabic in people:
        cooperative = make_cooperative(contact_name=contact, name_ar=arabic)
        make_application(cooperative, site, people=2)
    services.allocate_stalls(site, organiser)
    db.session.commit()
    return site


def listed(client, site, query=""):
    url = f"/editions/{site.edition.slug}/sites/{site.slug}/badges?lang=fr&{query}"
    response = client.get(url)
    assert response.status_code == 200, query
    html = response.get_data(as_text=True)
    names = re.findall(
        r'<tr id="badge-\d+"[^>]*>\s*<td[^>]*>(?:<div class="cell-value">)?([^<]+)<br>', html
    )
    return names, html


def test_the_badge_to_reprint_is_found_by_person_stall_or_cooperative(
    client, login, organiser, badged_site
):
    login(organiser)
    everyone, _html = listed(client, badged_site)
    assert sorted(everyone) == ["Fatima Zahra 0", "Fatima Zahra 1", "Itto Ouali 0", "Itto Ouali 1"]
    assert listed(client, badged_site, "q=itto")[0] == ["Itto Ouali 0", "Itto Ouali 1"]
    assert listed(client, badged_site, "q=النحلة")[0] == ["Fatima Zahra 0", "Fatima Zahra 1"]
    stall = services.site_badges(badged_site)[0].stall.code
    by_stall = listed(client, badged_site, f"q={stall}")[0]
    assert len(by_stall) == 2 and by_stall == everyone[:2]  # one stall's two people
    found, html = listed(client, badged_site, "q=nobody")
    assert found == [] and "Aucun badge ne correspond." in html


def test_badges_come_a_page_at_a_time_in_print_order(
    client, login, organiser, badged_site, monkeypatch
):
    monkeypatch.setattr(badge_views, "PAGE_SIZE", 3)
    login(organiser)
    first, html = listed(client, badged_site)
    second, _html = listed(client, badged_site, "page=2")
    printed = [badge.person_name for badge in services.site_badges(badged_site)]
    assert (first, second) == (printed[:3], printed[3:])
    assert "Page 1 sur 2" in html
