"""Field API of the booths: a cooperative's badges and applications, plans, decisions."""

import pytest

from booths.models import Application, Badge
from core.extensions import db
from markets import tokens


@pytest.fixture
def world(app, future_edition, organiser, make_plan, make_application, make_cooperative):
    from booths import services

    edition = future_edition()
    site = edition.sites[0]
    make_plan(site, standard=4, food_share=1.0)
    mine = make_cooperative(name_latin="Coopérative Mine")
    other = make_cooperative(name_latin="Coopérative Autre")
    make_application(mine, site, people=2)
    make_application(other, site)
    services.allocate_stalls(site, organiser)
    db.session.commit()
    return {"edition": edition, "site": site, "mine": mine, "other": other}


def test_me_badges_lists_only_the_callers_badges(app, client, world, make_user, api_headers):
    user = make_user("cooperative", cooperative=world["mine"])
    response = client.get("/api/v1/me/badges", headers=api_headers(user))
    assert response.status_code == 200
    badges = response.json["badges"]
    assert len(badges) == 2
    for badge in badges:
        assert set(badge) >= {
            "id",
            "edition",
            "site",
            "person",
            "stall",
            "code",
            "pdf_url",
            "revoked",
        }
        assert badge["edition"] == world["edition"].slug and badge["site"] == world["site"].slug
        assert tokens.verify_token(badge["code"]).kind == "E"
        assert badge["revoked"] is False and badge["stall"]
    other_ids = {b.id for b in db.session.query(Badge).filter_by(cooperative_id=world["other"].id)}
    assert not other_ids & {badge["id"] for badge in badges}
    pdf = client.get(badges[0]["pdf_url"], headers=api_headers(user))
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    foreign = client.get(f"/api/v1/me/badges/{min(other_ids)}.pdf", headers=api_headers(user))
    assert foreign.status_code == 403
    assert client.get("/api/v1/me/badges/999999.pdf", headers=api_headers(user)).status_code == 404
    assert client.get(badges[0]["pdf_url"]).status_code == 401


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/api/v1/me/badges"), ("get", "/api/v1/me/applications")],
)
@pytest.mark.parametrize("role", ["organiser", "volunteer", "cashier"])
def test_me_endpoints_are_for_cooperatives(
    app, client, world, make_user, api_headers, method, url, role
):
    assert getattr(client, method)(url).status_code == 401
    response = getattr(client, method)(url, headers=api_headers(make_user(role)))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


def test_apply_through_the_api(app, client, world, make_user, api_headers):
    user = make_user("cooperative", cooperative=world["mine"])
    other_site = next(site for site in world["edition"].sites if site.id != world["site"].id)
    url = f"/api/v1/editions/{world['edition'].slug}/sites/{other_site.slug}/applications"
    body = {
        "stall_type": "standard",
        "needs": ["water"],
        "products": "miel",
        "representatives": [{"name": "Aicha", "phone": "0612345678"}],
    }
    response = client.post(url, json=body, headers=api_headers(user))
    assert response.status_code == 201, response.json
    assert response.json["application"]["status"] == "pending"
    again = client.post(url, json=body, headers=api_headers(user))
    assert again.status_code == 409 and again.json["error"]["code"] == "already_applied"
    foreign = client.post(
        url, json={**body, "cooperative_id": world["other"].id}, headers=api_headers(user)
    )
    assert foreign.status_code == 403
    bad = client.post(url, json={**body, "representatives": []}, headers=api_headers(user))
    assert bad.status_code == 400
    mine = client.get("/api/v1/me/applications", headers=api_headers(user)).json["applications"]
    assert {a["site"] for a in mine} == {world["site"].slug, other_site.slug}


def test_organiser_applies_for_a_cooperative_and_decides(
    app, client, world, organiser, api_headers, make_cooperative
):
    cooperative = make_cooperative()
    other_site = next(site for site in world["edition"].sites if site.id != world["site"].id)
    url = f"/api/v1/editions/{world['edition'].slug}/sites/{other_site.slug}/applications"
    body = {
        "products": "tapis",
        "representatives": [{"name": "Itto", "phone": "0612345678"}],
    }
    missing = client.post(url, json=body, headers=api_headers(organiser))
    assert missing.status_code == 403
    created = client.post(
        url, json={**body, "cooperative_id": cooperative.id}, headers=api_headers(organiser)
    )
    assert created.status_code == 201
    application_id = created.json["application"]["id"]
    no_reason = client.post(
        f"/api/v1/applications/{application_id}/decision",
        json={"decision": "rejected"},
        headers=api_headers(organiser),
    )
    assert no_reason.status_code == 422
    approved = client.post(
        f"/api/v1/applications/{application_id}/decision",
        json={"decision": "approved"},
        headers=api_headers(organiser),
    )
    assert approved.status_code == 200 and approved.json["application"]["status"] == "approved"
    assert db.session.query(Badge).filter_by(application_id=application_id).count() == 1
    unknown = client.post(
        "/api/v1/applications/999999/decision",
        json={"decision": "approved"},
        headers=api_headers(organiser),
    )
    assert unknown.status_code == 404


def test_stalls_allocation_and_figures(app, client, world, organiser, make_user, api_headers):
    base = f"/api/v1/editions/{world['edition'].slug}/sites/{world['site'].slug}"
    stalls = client.get(f"{base}/stalls", headers=api_headers(make_user("volunteer")))
    assert stalls.status_code == 200
    assert len(stalls.json["stalls"]) == 4 and stalls.json["ground"]["width_m"] > 0
    assert {s["cooperative"] for s in stalls.json["stalls"]} >= {"Coopérative Mine"}
    assert (
        client.get(f"{base}/stalls", headers=api_headers(make_user("cashier"))).status_code == 403
    )
    allocation = client.post(f"{base}/allocation", headers=api_headers(organiser))
    assert allocation.status_code == 200 and allocation.json["placed"] == 2
    volunteer = api_headers(make_user("volunteer"))
    assert client.post(f"{base}/allocation", headers=volunteer).status_code == 403
    figures = client.get(
        f"/api/v1/editions/{world['edition'].slug}/booths", headers=api_headers(organiser)
    ).json
    assert figures["admitted"] == 2 and figures["stalls"] == 4 and figures["stalls_empty"] == 2


def test_openapi_documents_the_booth_endpoints(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert "/api/v1/me/badges" in spec["paths"]
    assert "/api/v1/editions/{slug}/sites/{site_slug}/applications" in spec["paths"]
    assert db.session.query(Application).count() == 0
