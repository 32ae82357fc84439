"""The organiser's applications page at a national salon's size: found by a cooperative's
words, shown a page at a time, a decision bringing the organiser back to the same page."""

import re

import pytest

from booths.views import applications as application_views


@pytest.fixture
def applied(future_edition, make_cooperative, make_application):
    edition = future_edition()
    site = edition.sites[0]
    names = [
        ("Coopérative Annahla", "تعاونية النحلة"),
        ("Coopérative Tafyoucht", "تعاونية تافيوشت"),
    ]
    names += [("Coopérative Argan", "تعاونية أركان")]
    applications = [
        make_application(make_cooperative(name_latin=latin, name_ar=arabic), site, status="pending")
        for latin, arabic in names
    ]
    return edition, applications


def rows(client, edition, query=""):
    response = client.get(f"/editions/{edition.slug}/applications?lang=fr&{query}")
    assert response.status_code == 200, query
    html = response.get_data(as_text=True)
    return [int(n) for n in re.findall(r'<tr id="application-(\d+)"', html)], html


def test_the_organiser_finds_applications_by_the_cooperatives_words(
    client, login, organiser, applied
):
    edition, (annahla, tafyoucht, argan) = applied
    login(organiser)
    assert rows(client, edition)[0] == [annahla.id, tafyoucht.id, argan.id]
    assert rows(client, edition, "q=النحلة")[0] == [annahla.id]
    assert rows(client, edition, "q=tafyou")[0] == [tafyoucht.id]
    found, html = rows(client, edition, "q=safran")
    assert found == [] and "Aucune candidature ne correspond." in html
    assert "Aucune candidature pour le moment." not in html


def test_applications_come_a_page_at_a_time_and_a_decision_returns_to_its_page(
    client, login, organiser, applied, monkeypatch
):
    monkeypatch.setattr(application_views, "PAGE_SIZE", 2)
    edition, (annahla, tafyoucht, argan) = applied
    login(organiser)
    first, html = rows(client, edition)
    assert first == [annahla.id, tafyoucht.id] and "Page 1 sur 2" in html
    second, html = rows(client, edition, "page=2")
    assert second == [argan.id]
    back = re.search(r'name="next_url" value="([^"]+)"', html).group(1)
    assert back == f"/editions/{edition.slug}/applications?lang=fr&amp;page=2"
