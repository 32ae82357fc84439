"""The field API of the visitors feature: tickets, scans, tallies, keys, attendance."""

import json
import uuid

import pytest

from core.extensions import db
from markets.tokens import revoke_token
from tests.visitors.conftest import OPEN_TIME

ROLES = ("organiser", "volunteer", "cashier", "cooperative")


def test_public_ticket_then_scan_through_the_api(
    client, edition, make_user, api_headers, make_scan
):
    response = client.post(
        "/api/v1/tickets", json={"edition": edition.slug, "name": "Said", "consent": True}
    )
    assert response.status_code == 201, response.json
    ticket = response.json["ticket"]
    assert ticket["code"].startswith("SK1.")
    assert ticket["png_url"].endswith(f"/tickets/{ticket['id']}.png")
    assert ticket["pdf_url"].endswith(f"/tickets/{ticket['id']}.pdf")
    headers = api_headers(make_user("volunteer"))
    scan = make_scan(ticket["code"])
    first = client.post("/api/v1/scans", json={"scans": [scan]}, headers=headers)
    assert first.status_code == 200
    assert first.json["results"] == [
        {"id": scan["id"], "status": "accepted", "kind": "visitor", "replayed": False}
    ]
    again = client.post("/api/v1/scans", json={"scans": [scan]}, headers=headers)
    assert again.json["results"][0]["replayed"] is True
    attendance = client.get(f"/api/v1/editions/{edition.slug}/attendance", headers=headers)
    assert attendance.status_code == 200
    body = attendance.json
    assert (body["edition"], body["target"], body["visitors"], body["entries"]) == (
        edition.slug,
        10000,
        1,
        1,
    )
    meknes = next(site for site in body["sites"] if site["site"] == "meknes")
    day = next(day for day in meknes["days"] if day["date"] == "2022-11-06")
    assert (day["visitors"], day["entries"], day["tallied"]) == (1, 1, 0)
    assert set(body["projection"]) >= {"expected_total", "on_track"}


def test_ticket_fields_are_validated(client, edition):
    response = client.post("/api/v1/tickets", json={"edition": edition.slug, "phone": "call me"})
    assert response.status_code == 422
    assert response.json["error"]["code"] == "bad_phone"
    assert client.post("/api/v1/tickets", json={"edition": "nope"}).status_code == 404
    assert client.post("/api/v1/tickets", json={}).status_code == 400
    assert (
        client.post("/api/v1/tickets", data="{", content_type="application/json").status_code == 400
    )


def test_ticket_for_a_draft_edition_is_refused(client, make_edition):
    draft = make_edition(status="draft")
    response = client.post("/api/v1/tickets", json={"edition": draft.slug})
    assert response.status_code == 422
    assert response.json["error"]["code"] == "edition_not_open"


def test_public_tickets_are_rate_limited_but_not_for_volunteers(
    app, client, edition, make_user, api_headers
):
    app.config["PUBLIC_FORM_LIMIT"] = "3 per hour"
    for _ in range(3):
        assert client.post("/api/v1/tickets", json={"edition": edition.slug}).status_code == 201
    throttled = client.post("/api/v1/tickets", json={"edition": edition.slug})
    assert throttled.status_code == 429
    assert throttled.json["error"]["code"] == "throttled"
    headers = api_headers(make_user("volunteer"))
    for _ in range(5):
        response = client.post("/api/v1/tickets", json={"edition": edition.slug}, headers=headers)
        assert response.status_code == 201
    from visitors.models import Ticket

    assert db.session.query(Ticket).filter_by(source="gate").count() == 5


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/scans", {"scans": []}),
        ("post", "/api/v1/tallies", {"tallies": []}),
        ("get", "/api/v1/editions/{slug}/keys", None),
        ("get", "/api/v1/editions/{slug}/attendance", None),
    ],
)
@pytest.mark.parametrize("role", [None, *ROLES])
def test_access(client, edition, make_user, api_headers, method, path, body, role):
    headers = api_headers(make_user(role)) if role else {}
    response = getattr(client, method)(path.format(slug=edition.slug), json=body, headers=headers)
    expected = {None: 401, "organiser": 200, "volunteer": 200, "cashier": 403, "cooperative": 403}
    assert response.status_code == expected[role]
    if response.status_code != 200:
        assert response.json["error"]["code"] in ("unauthorized", "forbidden")


def test_bad_token_is_401(client, edition):
    response = client.post(
        "/api/v1/scans", json={"scans": []}, headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401


def test_keys_give_public_keys_and_revocations(client, edition, ticket, make_user, api_headers):
    revoke_token(edition, ticket.token_id, "test")
    db.session.commit()
    response = client.get(
        f"/api/v1/editions/{edition.slug}/keys", headers=api_headers(make_user("volunteer"))
    )
    keys = response.json["keys"]
    assert keys and keys[0]["alg"] == "Ed25519" and len(keys[0]["public_key"]) == 43
    assert response.json["revoked"] == [ticket.token_id]


def test_batch_over_1000_scans_is_413(client, edition, ticket, make_user, api_headers, make_scan):
    headers = api_headers(make_user("volunteer"))
    scans = [make_scan(ticket.code) for _ in range(1001)]
    response = client.post("/api/v1/scans", json={"scans": scans}, headers=headers)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    from visitors.models import Scan

    assert db.session.query(Scan).count() == 0


def test_batch_over_one_mebibyte_is_413(client, edition, make_user, api_headers, make_scan):
    headers = api_headers(make_user("volunteer"))
    scans = [make_scan("x" * 1500) for _ in range(800)]
    body = json.dumps({"scans": scans})
    assert len(body) > 1024 * 1024
    response = client.post(
        "/api/v1/scans", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 413
    tallies = client.post(
        "/api/v1/tallies",
        data=json.dumps({"tallies": [{"id": "x" * 2000}] * 600}),
        content_type="application/json",
        headers=headers,
    )
    assert tallies.status_code == 413


def test_scans_must_be_a_list(client, edition, make_user, api_headers):
    headers = api_headers(make_user("volunteer"))
    response = client.post("/api/v1/scans", json={"scans": "nope"}, headers=headers)
    assert response.status_code == 400
    assert client.post("/api/v1/scans", json=[1, 2], headers=headers).status_code == 400


def test_malformed_scans_do_not_stop_the_batch(client, ticket, make_user, api_headers, make_scan):
    headers = api_headers(make_user("volunteer"))
    scans = [7, {"code": ticket.code}, make_scan(ticket.code), make_scan("junk")]
    response = client.post("/api/v1/scans", json={"scans": scans}, headers=headers)
    assert response.status_code == 200
    statuses = [result["status"] for result in response.json["results"]]
    assert statuses == ["rejected", "rejected", "accepted", "invalid"]
    assert response.json["results"][1]["error"]["code"] == "missing_id"


def tally(for_edition, count=3, **values):
    body = {
        "id": str(uuid.uuid4()),
        "edition": for_edition.slug,
        "site": "meknes",
        "checkpoint": "gate-north",
        "count": count,
        "counted_at": OPEN_TIME,
    }
    body.update(values)
    return body


def test_tallies_are_idempotent_and_counted(client, edition, make_user, api_headers):
    headers = api_headers(make_user("volunteer"))
    first, second = tally(edition, 3), tally(edition, 2, site="el-hajeb")
    response = client.post("/api/v1/tallies", json={"tallies": [first, second]}, headers=headers)
    assert [r["status"] for r in response.json["results"]] == ["accepted", "accepted"]
    again = client.post("/api/v1/tallies", json={"tallies": [first, first]}, headers=headers)
    assert again.json["results"] == [
        {"id": first["id"], "status": "accepted", "replayed": True},
        {"id": first["id"], "status": "accepted", "replayed": True},
    ]
    body = client.get(f"/api/v1/editions/{edition.slug}/attendance", headers=headers).json
    assert (body["visitors"], body["entries"], body["tallied"]) == (5, 5, 5)
    meknes = next(site for site in body["sites"] if site["site"] == "meknes")
    assert (meknes["visitors"], meknes["tallied"]) == (3, 3)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"count": 0}, "bad_count"),
        ({"count": 501}, "bad_count"),
        ({"count": "3"}, "bad_count"),
        ({"count": True}, "bad_count"),
        ({"counted_at": "soon"}, "bad_time"),
        ({"edition": "nope"}, "unknown_edition"),
        ({"site": "rabat"}, "unknown_site"),
        ({"checkpoint": "door"}, "unknown_checkpoint"),
        ({"counted_at": "2022-11-06T03:00:00+01:00"}, "not_open"),
    ],
)
def test_bad_tallies_are_rejected(client, edition, make_user, api_headers, change, error):
    headers = api_headers(make_user("volunteer"))
    good = tally(edition, 1)
    response = client.post(
        "/api/v1/tallies", json={"tallies": [tally(edition, **change), good, "x"]}, headers=headers
    )
    results = response.json["results"]
    assert results[0]["status"] == "rejected" and results[0]["error"]["code"] == error
    assert results[1]["status"] == "accepted"
    assert results[2]["status"] == "rejected" and results[2]["id"] is None


def test_attendance_of_unknown_edition_is_404(client, make_user, api_headers):
    response = client.get(
        "/api/v1/editions/nope/attendance", headers=api_headers(make_user("organiser"))
    )
    assert response.status_code == 404


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/tickets",
        "/api/v1/scans",
        "/api/v1/tallies",
        "/api/v1/editions/{slug}/keys",
        "/api/v1/editions/{slug}/attendance",
    ):
        assert path in paths, path
