"""Phones provisioned by QR: one-time links, device tokens scoped to an edition, reports, revocation."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts.devices import create_device, new_device_link, provision_device, revoke_device
from accounts.models import ActivityEntry, Device
from core.extensions import db
from core.timeutil import utc_now

LINK = re.compile(r"/devices/provision/([A-Za-z0-9_-]+)")


@pytest.fixture
def organiser(make_user):
    return make_user("organiser")


@pytest.fixture
def device_and_link(edition, organiser):
    device, link = create_device(
        edition,
        {
            "name": "Phone 3",
            "lent_to": "Youssef",
            "site": edition.site("meknes"),
            "gate": "gate-north",
        },
        organiser,
    )
    db.session.commit()
    return device, link


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def provisioned(device_and_link):
    device, link = device_and_link
    device, token, _expires = provision_device(link)
    db.session.commit()
    return device, token


def test_organiser_creates_a_phone_and_its_one_time_qr_link(client, login, organiser, edition):
    login(organiser)
    response = client.post(
        f"/editions/{edition.slug}/devices",
        data={
            "name": "Phone 1",
            "lent_to": "Amina",
            "role": "volunteer",
            "place": "meknes/gate-north",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<svg" in html and LINK.search(html)
    device = db.session.query(Device).one()
    assert (device.name, device.lent_to, device.gate_code, device.status) == (
        "Phone 1",
        "Amina",
        "gate-north",
        "waiting",
    )
    assert (
        device.user.role == "volunteer"
        and device.link_hash
        and LINK.search(html).group(1) not in device.link_hash
    )
    listing = client.get(f"/editions/{edition.slug}/devices").get_data(as_text=True)
    shown = re.sub(r"<[^>]+>", " ", listing)  # what a person reads (not option values)
    assert "Phone 1" in shown and "Porte 1" in shown and "gate-north" not in shown


def test_the_link_installs_a_device_token_once(client, device_and_link):
    device, link = device_and_link
    page = client.get(f"/devices/provision/{link}")
    assert page.status_code == 200 and "Phone 3" in page.get_data(as_text=True)
    done = client.post(f"/devices/provision/{link}")
    assert done.status_code == 200 and done.headers["Cache-Control"].startswith("no-store")
    token = re.search(r'data-token="([^"]+)"', done.get_data(as_text=True)).group(1)
    session = client.get("/api/v1/field/session", headers=bearer(token))
    assert session.status_code == 200
    answer = session.get_json()
    assert answer["device"]["name"] == "Phone 3" and answer["device"]["gate"] == "gate-north"
    assert [edition["slug"] for edition in answer["editions"]] == [device.edition.slug]
    again = client.post(f"/devices/provision/{link}")
    assert again.status_code == 410
    assert "a déjà servi" in again.get_data(as_text=True)  # the default language is French


def test_an_expired_link_gets_a_clear_page(client, device_and_link):
    device, link = device_and_link
    device.link_expires_at = utc_now() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(f"/devices/provision/{link}")
    assert response.status_code == 410
    assert "a expiré" in response.get_data(as_text=True)
    assert client.post("/devices/provision/not-a-link").status_code == 410


def test_a_revoked_phone_gets_401_with_a_plain_message(
    client, device_and_link, organiser, make_scan, ticket
):
    device, token = provisioned(device_and_link)
    ok = client.post(
        "/api/v1/scans", json={"scans": [make_scan(ticket.code)]}, headers=bearer(token)
    )
    assert ok.status_code == 200 and ok.get_json()["results"][0]["status"] == "accepted"
    revoke_device(device, organiser)
    db.session.commit()
    refused = client.post(
        "/api/v1/scans", json={"scans": [make_scan(ticket.code)]}, headers=bearer(token)
    )
    assert refused.status_code == 401
    error = refused.get_json()["error"]
    assert error["code"] == "device_revoked" and "non envoyés restent" in error["message"]
    assert client.get("/api/v1/field/session", headers=bearer(token)).status_code == 401


def test_a_device_token_of_another_edition_gets_403(
    client, device_and_link, make_edition, make_scan, ticket
):
    _device, token = provisioned(device_and_link)
    other = make_edition(status="open")
    scan = make_scan(ticket.code, edition=other.slug)
    response = client.post("/api/v1/scans", json={"scans": [scan]}, headers=bearer(token))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "wrong_edition_device"
    assert (
        client.get(f"/api/v1/editions/{other.slug}/keys", headers=bearer(token)).status_code == 403
    )
    tally = {
        "id": "t-1",
        "edition": other.slug,
        "site": "meknes",
        "checkpoint": "gate-north",
        "count": 1,
        "counted_at": "2022-11-06T11:15:00+01:00",
    }
    assert (
        client.post("/api/v1/tallies", json={"tallies": [tally]}, headers=bearer(token)).status_code
        == 403
    )


def test_the_phone_reports_its_queue_and_the_organiser_sees_it(
    client, login, organiser, device_and_link, make_scan, ticket
):
    device, token = provisioned(device_and_link)
    client.post("/api/v1/scans", json={"scans": [make_scan(ticket.code)]}, headers=bearer(token))
    report = {"app_version": "abc123", "queue_size": 7, "oldest_unsent_at": "2022-11-06T10:00:00Z"}
    assert client.post(
        "/api/v1/field/heartbeat", json=report, headers=bearer(token)
    ).get_json() == {"recorded": True}
    bad = client.post("/api/v1/field/heartbeat", json={"queue_size": -1}, headers=bearer(token))
    assert bad.status_code == 422
    login(organiser)
    rows = client.get(f"/editions/{device.edition.slug}/devices.json").get_json()["devices"]
    [row] = rows
    assert row["status"] == "active" and row["queue_size"] == 7 and row["app_version"] == "abc123"
    assert row["oldest_unsent_at"] == "2022-11-06T10:00:00Z"
    assert row["last_scan_at"] == "2022-11-06T10:15:00Z" and row["last_seen_at"]


def test_handover_keeps_scans_made_before_the_revocation(
    client, device_and_link, organiser, api_headers, make_scan, ticket, edition
):
    from visitors.services import create_ticket

    device, _token = provisioned(device_and_link)
    later_ticket = create_ticket(edition, {}, None)
    revoke_device(device, organiser)
    device.revoked_at = utc_now().replace(year=2022, month=11, day=6, hour=10, minute=30)
    db.session.commit()
    before = make_scan(ticket.code, device=device.id)  # 10:15 UTC
    after = make_scan(later_ticket.code, device=device.id, scanned_at="2022-11-06T12:00:00+01:00")
    response = client.post(
        "/api/v1/scans", json={"scans": [after, before]}, headers=api_headers(organiser)
    )
    results = response.get_json()["results"]
    assert [result["id"] for result in results] == [after["id"], before["id"]]
    assert [result["status"] for result in results] == ["rejected", "accepted"]
    # The same shape as every rejection: a code for the program, a message for the person.
    assert results[0]["error"]["code"] == "after_device_revoked"
    assert "après le retrait" in results[0]["error"]["message"]


def test_revoking_from_the_page_is_one_step(client, login, organiser, device_and_link):
    device, token = provisioned(device_and_link)
    login(organiser)
    response = client.post(f"/editions/{device.edition.slug}/devices/{device.id}/revoke")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Device, device.id).status == "revoked"
    assert client.post("/api/v1/field/heartbeat", json={}, headers=bearer(token)).status_code == 401


def test_a_gate_of_another_site_is_refused(edition, organiser):
    from core.errors import RuleBroken

    with pytest.raises(RuleBroken) as caught:
        create_device(
            edition, {"name": "X", "site": edition.site("meknes"), "gate": "gate-west"}, organiser
        )
    assert caught.value.field == "gate"


def test_device_changes_are_in_the_activity_log(device_and_link, organiser):
    device, _link = provisioned(device_and_link)
    new_device_link(device, organiser)
    revoke_device(device, organiser)
    db.session.commit()
    entries = db.session.scalars(
        select(ActivityEntry).filter_by(action="device.change").order_by(ActivityEntry.id)
    ).all()
    assert [
        (e.action, e.details["change"], e.actor_id, e.subject_id, e.edition_id) for e in entries
    ] == [
        ("device.change", "create", organiser.id, device.id, device.edition_id),
        ("device.change", "provision", device.user_id, device.id, device.edition_id),
        ("device.change", "new_link", organiser.id, device.id, device.edition_id),
        ("device.change", "revoke", organiser.id, device.id, device.edition_id),
    ]
    assert {e.subject_label for e in entries} == {"Phone 3"}
