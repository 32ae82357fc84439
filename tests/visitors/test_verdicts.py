"""Richer verdicts: the answer of a scan says who an exhibitor is and when a ticket first entered."""

from core.extensions import db


def test_exhibitor_badge_answers_cooperative_and_site(
    client, api_headers, volunteer, make_badge, make_scan
):
    badge = make_badge("meknes")
    elsewhere = make_badge("el-hajeb")
    scans = [make_scan(badge.code), make_scan(elsewhere.code)]
    results = client.post(
        "/api/v1/scans", json={"scans": scans}, headers=api_headers(volunteer)
    ).get_json()["results"]
    here, there = results
    assert here["status"] == "exhibitor" and there["status"] == "wrong_site"
    cooperative = db.session.get(type(badge), badge.id).cooperative
    assert here["exhibitor"]["cooperative_names"]["ar"] == cooperative.name_ar
    assert here["exhibitor"]["cooperative"] in (cooperative.name_latin, cooperative.name_ar)
    assert here["exhibitor"]["site"] == "meknes" and here["exhibitor"]["stall"] is None
    assert there["exhibitor"]["site"] == "el-hajeb" and there["exhibitor"]["site_names"]


def test_reentry_answers_the_first_entry_time(client, api_headers, volunteer, ticket, make_scan):
    first = make_scan(ticket.code)
    again = make_scan(ticket.code, scanned_at="2022-11-06T13:40:00+01:00")
    headers = api_headers(volunteer)
    assert (
        client.post("/api/v1/scans", json={"scans": [first]}, headers=headers).get_json()[
            "results"
        ][0]["status"]
        == "accepted"
    )
    [result] = client.post("/api/v1/scans", json={"scans": [again]}, headers=headers).get_json()[
        "results"
    ]
    assert result["status"] == "reentry" and result["first_entry_at"] == "2022-11-06T10:15:00Z"
    [replayed] = client.post("/api/v1/scans", json={"scans": [again]}, headers=headers).get_json()[
        "results"
    ]
    assert replayed["replayed"] is True and replayed["first_entry_at"] == "2022-11-06T10:15:00Z"
