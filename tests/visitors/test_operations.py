"""Live gate operations: entries today and in the last hour, exits and occupancy, per gate and phone."""

import uuid
from datetime import UTC, date, datetime, timedelta

from accounts.devices import create_device, provision_device
from core.extensions import db


def scan(edition, code, gate, minutes_ago=5, direction="in"):
    moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return {
        "id": str(uuid.uuid4()),
        "code": code,
        "edition": edition.slug,
        "site": "meknes",
        "checkpoint": gate,
        "direction": direction,
        "scanned_at": moment.isoformat(),
    }


def test_operations_count_per_gate_phone_and_site(
    client, login, make_user, make_edition, api_headers
):
    from visitors.services import create_ticket

    today = date.today()
    edition = make_edition(
        status="open",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
        hours=(0, 1440),
    )
    organiser = make_user("organiser")
    device, link = create_device(edition, {"name": "Phone A"}, organiser)
    _device, token, _expires = provision_device(link)
    one, two = create_ticket(edition, {}, None), create_ticket(edition, {}, None)
    db.session.commit()
    minutes = min(90, datetime.now().hour * 60 + datetime.now().minute - 5)  # still today
    scans = [
        scan(edition, one.code, "gate-north", minutes_ago=max(minutes, 1)),
        scan(edition, one.code, "gate-north", minutes_ago=1),
        scan(edition, two.code, "gate-north", minutes_ago=1),
        scan(edition, one.code, "gate-south", minutes_ago=0, direction="out"),
    ]
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [
        r["status"]
        for r in client.post("/api/v1/scans", json={"scans": scans}, headers=headers).get_json()[
            "results"
        ]
    ]
    assert statuses == ["accepted", "reentry", "accepted", "accepted"]
    tally = {
        "id": str(uuid.uuid4()),
        "edition": edition.slug,
        "site": "meknes",
        "checkpoint": "gate-south",
        "count": 3,
        "counted_at": datetime.now(UTC).isoformat(),
    }
    assert (
        client.post(
            "/api/v1/tallies", json={"tallies": [tally]}, headers=api_headers(organiser)
        ).status_code
        == 200
    )
    login(organiser)
    live = client.get(f"/editions/{edition.slug}/operations.json").get_json()
    gates = {gate["gate"]: gate for gate in live["gates"] if gate["site"] == "meknes"}
    assert gates["gate-north"]["entries_today"] == 3 and gates["gate-north"]["exits_today"] == 0
    assert gates["gate-north"]["entries_last_hour"] == (2 if minutes > 60 else 3)
    assert gates["gate-south"]["entries_today"] == 3 and gates["gate-south"]["exits_today"] == 1
    [meknes] = [site for site in live["sites"] if site["site"] == "meknes"]
    assert (meknes["entries_today"], meknes["exits_today"], meknes["occupancy"]) == (6, 1, 5)
    [phone] = live["devices"]
    assert (phone["name"], phone["entries_today"], phone["exits_today"]) == ("Phone A", 3, 1)
    page = client.get(f"/editions/{edition.slug}/operations").get_data(as_text=True)
    assert "Phone A" in page and 'data-live="site:meknes:occupancy"' in page
