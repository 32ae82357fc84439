"""Field API: the public programme, member registration, attendance, and the door scan
through POST /api/v1/scans with the checkpoint workshop:<id>."""

import uuid

import pytest

from core.extensions import db
from workshops import services
from workshops.models import Registration


@pytest.fixture
def workshop(future_edition, make_workshop):
    return make_workshop(
        future_edition, capacity=1, speakers=[{"name": "Salma", "organisation": "ODCo"}]
    )


def test_programme_json(client, future_edition, workshop):
    response = client.get(f"/api/v1/editions/{future_edition.slug}/workshops")
    assert response.status_code == 200
    [item] = response.json["workshops"]
    for key in (
        "id",
        "title",
        "topic",
        "format",
        "site",
        "room",
        "starts_at",
        "ends_at",
        "capacity",
        "registered",
        "audience",
    ):
        assert key in item
    assert item["starts_at"].endswith("Z") and item["site"] == "meknes"
    assert item["checkpoint"] == f"workshop:{workshop.id}"
    assert item["speakers"][0]["organisation"] == "ODCo"


def test_programme_of_unknown_or_draft_edition(client, make_edition):
    assert client.get("/api/v1/editions/nope/workshops").status_code == 404
    draft = make_edition(status="draft")
    response = client.get(f"/api/v1/editions/{draft.slug}/workshops")
    assert response.status_code == 404 and response.json["error"]["code"] == "unknown_edition"


def test_cooperative_registers_a_member(client, api_headers, make_user, workshop):
    user = make_user("cooperative")
    body = {"person_name": "Khadija", "phone": "0633333333", "gender": "female", "under_35": True}
    response = client.post(
        f"/api/v1/workshops/{workshop.id}/registrations", json=body, headers=api_headers(user)
    )
    assert response.status_code == 201
    assert response.json["registration"]["status"] == "registered"
    second = client.post(
        f"/api/v1/workshops/{workshop.id}/registrations",
        json={**body, "phone": "0644444444"},
        headers=api_headers(user),
    )
    assert second.json["registration"]["status"] == "waitlisted"
    again = client.post(
        f"/api/v1/workshops/{workshop.id}/registrations", json=body, headers=api_headers(user)
    )
    assert again.status_code == 409 and again.json["error"]["code"] == "already_registered"
    bad = client.post(
        f"/api/v1/workshops/{workshop.id}/registrations",
        json={"person_name": "X"},
        headers=api_headers(user),
    )
    assert bad.status_code == 400
    assert db.session.query(Registration).count() == 2


@pytest.mark.parametrize(
    "role, status", [("organiser", 403), ("volunteer", 403), ("cashier", 403), (None, 401)]
)
def test_member_registration_is_for_cooperatives(
    client, api_headers, make_user, workshop, role, status
):
    headers = api_headers(make_user(role)) if role else {}
    body = {"person_name": "K", "phone": "0633333333", "gender": "female", "under_35": True}
    assert (
        client.post(
            f"/api/v1/workshops/{workshop.id}/registrations", json=body, headers=headers
        ).status_code
        == status
    )


@pytest.mark.parametrize(
    "role, status",
    [("organiser", 200), ("volunteer", 200), ("cashier", 403), ("cooperative", 403), (None, 401)],
)
def test_attendance_list_access(client, api_headers, make_user, workshop, role, status):
    headers = api_headers(make_user(role)) if role else {}
    assert (
        client.get(f"/api/v1/workshops/{workshop.id}/attendance", headers=headers).status_code
        == status
    )


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "/api/v1/editions/{slug}/workshops" in paths
    assert "/api/v1/workshops/{workshop_id}/registrations" in paths


def test_door_scan_through_the_scans_endpoint(
    client, api_headers, make_user, future_edition, workshop
):
    """End to end: a visitor ticket scanned at the workshop's door, then again."""
    from visitors.services import create_ticket  # the visitors feature's ticket service

    volunteer = make_user("volunteer")
    ticket = create_ticket(future_edition, {"name": "Amal", "phone": "0611111111"}, volunteer)
    db.session.commit()
    moment = workshop.starts_at.isoformat() + "Z"

    def scan():
        body = {
            "scans": [
                {
                    "id": str(uuid.uuid4()),
                    "code": ticket.code,
                    "edition": future_edition.slug,
                    "site": "meknes",
                    "checkpoint": f"workshop:{workshop.id}",
                    "scanned_at": moment,
                }
            ]
        }
        return client.post("/api/v1/scans", json=body, headers=api_headers(volunteer))

    assert scan().json["results"][0]["status"] == "accepted"
    assert scan().json["results"][0]["status"] == "reentry"
    listing = client.get(
        f"/api/v1/workshops/{workshop.id}/attendance", headers=api_headers(volunteer)
    ).json
    assert listing["attendance"] == 1 and listing["people"][0]["name"] == "Amal"
    assert listing["people"][0]["kind"] == "visitor"
    assert services.edition_workshop_figures(future_edition)["attendance"] == 1
