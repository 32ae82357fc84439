"""Market planning pages and the editions API."""

import pytest
from sqlalchemy import select

from accounts.models import ActivityEntry
from core.extensions import db
from markets.models import Edition, Site


@pytest.fixture
def organiser_client(client, make_user, login):
    login(make_user("organiser"))
    return client


EDITION_FORM = {
    "slug": "taza-2031",
    "number": "1",
    "name_fr": "Marché de Taza",
    "name_ar": "سوق تازة",
    "visitor_target": "3000",
    "commission_percent": "2.5",
    "starts_on": "2031-04-01",
    "ends_on": "2031-04-08",
}
SITE_FORM = {
    "slug": "taza",
    "city": "Taza",
    "name_fr": "Taza",
    "venue": "Place centrale",
    "area_m2": "600",
    "opens_on": "2031-04-01",
    "closes_on": "2031-04-07",
    "opens_at": "09:00",
    "closes_at": "21:00",
    "visitor_target": "3000",
    "gates": "gate-east, gate-west",
}


def test_create_edition_and_site_through_the_pages(organiser_client):
    response = organiser_client.post("/editions/new", data=EDITION_FORM)
    assert response.status_code == 302
    edition = db.session.query(Edition).filter_by(slug="taza-2031").one()
    assert edition.commission_basis_points == 250
    response = organiser_client.post("/editions/taza-2031/sites/new", data=SITE_FORM)
    assert response.status_code == 302
    site = db.session.query(Site).filter_by(slug="taza").one()
    assert (site.opens_minute, site.closes_minute) == (540, 1260)
    assert site.gates == ["gate-east", "gate-west"]
    page = organiser_client.get("/editions/taza-2031").get_data(as_text=True)
    assert "Marché de Taza" in page and "gate-east" in page and "<svg" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"closes_on": "2031-03-30"}, "The site cannot close before it opens."),
        (
            {"closes_on": "2031-04-20"},
            "The site&#39;s dates must lie within the edition&#39;s dates.",
        ),
        ({"city": "Gotham"}, "Unknown city: choose one from the list."),
        ({"area_m2": "0"}, "The stall area must be a positive number of m²."),
        ({"visitor_target": "0"}, "The visitor target must be a positive number."),
        ({"opens_at": "9h"}, "Write times as HH:MM, for example 09:30."),
    ],
)
def test_site_form_shows_clear_errors(organiser_client, change, message):
    organiser_client.post("/editions/new", data=EDITION_FORM)
    response = organiser_client.post(
        "/editions/taza-2031/sites/new?lang=en", data={**SITE_FORM, **change}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(Site).count() == 0


def test_edition_form_errors_keep_nothing(organiser_client):
    response = organiser_client.post(
        "/editions/new?lang=en", data={**EDITION_FORM, "ends_on": "2031-03-01"}
    )
    assert response.status_code == 422
    assert "The edition cannot end before it starts." in response.get_data(as_text=True)
    organiser_client.post("/editions/new", data=EDITION_FORM)
    duplicate = organiser_client.post("/editions/new?lang=en", data=EDITION_FORM)
    assert "This slug is already used by another edition." in duplicate.get_data(as_text=True)
    assert db.session.query(Edition).count() == 1


def test_missing_field_error_is_translated(organiser_client):
    response = organiser_client.post("/editions/new?lang=fr", data={**EDITION_FORM, "slug": ""})
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in response.get_data(as_text=True)


def test_status_change_page(organiser_client, make_edition):
    edition = make_edition(status="published")
    url = f"/editions/{edition.slug}/status"
    # Without the confirmation nothing happens: the page says what will happen and asks why.
    page = organiser_client.post(url, data={"status": "open"})
    assert page.status_code == 200 and 'name="reason"' in page.get_data(as_text=True)
    assert db.session.get(Edition, edition.id).status == "published"
    no_reason = organiser_client.post(url, data={"status": "open", "confirmed": "1"})
    assert no_reason.status_code == 422
    assert db.session.get(Edition, edition.id).status == "published"
    organiser_client.post(url, data={"status": "open", "confirmed": "1", "reason": "Jour J"})
    assert db.session.get(Edition, edition.id).status == "open"
    organiser_client.post(url, data={"status": "draft", "confirmed": "1", "reason": "oops"})
    assert db.session.get(Edition, edition.id).status == "open"
    entry = db.session.scalars(select(ActivityEntry).order_by(ActivityEntry.id.desc())).first()
    assert (entry.action, entry.reason, entry.details) == (
        "edition.status",
        "Jour J",
        {"old": "published", "new": "open"},
    )


def test_calendar_hides_drafts_from_the_public(client, make_edition):
    public = make_edition(status="published")
    draft = make_edition(status="draft")
    page = client.get("/").get_data(as_text=True)
    assert public.slug in page and draft.slug not in page
    assert client.get(f"/editions/{draft.slug}").status_code == 404
    assert client.get(f"/editions/{public.slug}.json").get_json()["slug"] == public.slug


@pytest.mark.parametrize("role", ["volunteer", "cashier", "cooperative"])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/editions/new"),
        ("post", "/editions/new"),
        ("get", "/editions/{slug}/edit"),
        ("post", "/editions/{slug}/status"),
        ("get", "/editions/{slug}/sites/new"),
        ("get", "/editions/{slug}/sites/meknes/edit"),
    ],
)
def test_planning_pages_are_for_organisers(
    client, make_user, login, make_edition, role, method, url
):
    edition = make_edition()
    login(make_user(role))
    assert getattr(client, method)(url.format(slug=edition.slug)).status_code == 403


def test_api_lists_published_editions_in_the_requested_language(client, make_edition):
    edition = make_edition(status="open")
    make_edition(status="draft")
    body = client.get("/api/v1/editions", headers={"Accept-Language": "ar"}).get_json()
    assert [item["slug"] for item in body["editions"]] == [edition.slug]
    item = body["editions"][0]
    assert item["name"] == edition.names["ar"]
    for key in ("slug", "number", "name", "status", "starts_on", "ends_on", "target", "sites"):
        assert key in item
    site = item["sites"][0]
    for key in (
        "slug",
        "city",
        "name",
        "opens_on",
        "closes_on",
        "latitude",
        "longitude",
        "area_m2",
        "target",
        "gates",
    ):
        assert key in site


def test_api_one_edition_and_unknown_slug(client, make_edition):
    edition = make_edition()
    assert client.get(f"/api/v1/editions/{edition.slug}").get_json()["slug"] == edition.slug
    missing = client.get("/api/v1/editions/nowhere", headers={"Accept-Language": "en"})
    assert missing.status_code == 404
    assert missing.get_json() == {
        "error": {"code": "unknown_edition", "message": "No edition called nowhere."}
    }


def test_status_form_offers_only_the_allowed_moves(organiser_client, make_edition):
    edition = make_edition(status="published")
    page = organiser_client.get(f"/editions/{edition.slug}?lang=en").get_data(as_text=True)
    assert '<option value="open">' in page and '<option value="draft">' in page
    assert '<option value="closed">' not in page
    closed = make_edition(status="closed")
    assert 'id="status"' not in organiser_client.get(f"/editions/{closed.slug}").get_data(
        as_text=True
    )


def test_organisers_see_draft_editions(organiser_client, make_edition):
    draft = make_edition(status="draft")
    assert organiser_client.get(f"/editions/{draft.slug}").status_code == 200
    assert organiser_client.get(f"/editions/{draft.slug}.json").status_code == 404
