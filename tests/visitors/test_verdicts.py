"""Richer verdicts: the answer of a scan says who an exhibitor is and when a ticket first entered."""

from sqlalchemy import event

from core.extensions import db
from markets.tokens import sign_token
from visitors.services import record_scans
from visitors.services.field import describe_results


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


def test_a_batch_of_reentries_reads_first_entries_once_and_answers_each_its_own(
    app, edition, volunteer, make_scan
):
    codes = [sign_token(edition, "V")[1] for _ in range(3)]
    db.session.commit()
    firsts = [
        make_scan(code, scanned_at=f"2022-11-06T1{n}:15:00+01:00") for n, code in enumerate(codes)
    ]
    record_scans(firsts, volunteer)
    again = [make_scan(code, scanned_at="2022-11-06T15:40:00+01:00") for code in codes]
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()).lower())

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        results = describe_results(record_scans(again, volunteer))
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert [r["status"] for r in results] == ["reentry"] * 3
    assert [r["first_entry_at"] for r in results] == [
        "2022-11-06T09:15:00Z",
        "2022-11-06T10:15:00Z",
        "2022-11-06T11:15:00Z",
    ]
    reads = [s for s in seen if s.startswith("select") and "from first_entries" in s]
    assert len(reads) == 1
