"""Issue 10: no input from a phone stops the gates (exact inputs of the issue, both databases)."""

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.extensions import db
from visitors.models import Scan, Tally

from .conftest import OPEN_TIME


def post_raw(client, headers, path, body):
    return client.post(path, data=body, headers={**headers, "Content-Type": "application/json"})


@pytest.mark.parametrize(
    "bad",
    [
        {"code": "ab\x00cd"},  # NUL in the QR text (500 on PostgreSQL before)
        {"code": "\ud800"},  # a lone surrogate
        {"edition": ["fes-meknes-2022"]},  # an edition that is a list
        {"site": {"a": 1}},
        {"checkpoint": ["gate-north"]},
        {"scanned_at": "0001-01-01T00:00:00+14:00"},  # OverflowError before
        {"scanned_at": "9999-12-31T23:59:59-14:00"},
        {"scanned_at": 12},
        {"direction": ["in"]},
    ],
)
def test_one_bad_scan_never_stops_the_batch(client, api_headers, volunteer, ticket, make_scan, bad):
    good = make_scan(ticket.code)
    broken = {**make_scan(ticket.code), **bad}
    body = json.dumps({"scans": [broken, good]})
    response = post_raw(client, api_headers(volunteer), "/api/v1/scans", body)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == 2
    assert results[0]["status"] == "rejected"
    assert set(results[0]["error"]) == {"code", "message"}
    assert results[1] == {
        "id": good["id"],
        "status": "accepted",
        "kind": "visitor",
        "replayed": False,
    }


def test_null_and_odd_items_are_rejected_one_by_one(
    client, api_headers, volunteer, ticket, make_scan
):
    good = make_scan(ticket.code)
    body = json.dumps({"scans": [None, 3, "x", [], good]})
    response = post_raw(client, api_headers(volunteer), "/api/v1/scans", body)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * 4 + ["accepted"]
    assert all(r["error"]["code"] == "not_an_object" for r in results[:4])


def test_a_nul_in_the_scan_id_is_rejected_without_an_id(
    client, api_headers, volunteer, ticket, make_scan
):
    broken = {**make_scan(ticket.code), "id": "abc\x00def"}
    body = json.dumps({"scans": [broken, make_scan(ticket.code)]})
    response = post_raw(client, api_headers(volunteer), "/api/v1/scans", body)
    assert response.status_code == 200
    first = response.get_json()["results"][0]
    assert (first["id"], first["status"], first["error"]["code"]) == (
        None,
        "rejected",
        "unstorable_text",
    )
    assert db.session.query(Scan).count() == 1


def test_a_rejected_unstorable_scan_is_stored_and_replayed(
    client, api_headers, volunteer, ticket, make_scan
):
    broken = make_scan("\ud800")
    body = json.dumps({"scans": [broken]})
    first = post_raw(client, api_headers(volunteer), "/api/v1/scans", body).get_json()
    again = post_raw(client, api_headers(volunteer), "/api/v1/scans", body).get_json()
    assert first["results"][0]["error"]["code"] == "unstorable_text"
    assert again["results"][0]["replayed"] is True
    assert again["results"][0]["status"] == "rejected"
    assert db.session.query(Scan).count() == 1


def test_unknown_workshop_door_carries_an_error(client, api_headers, volunteer, ticket, make_scan):
    scans = [
        make_scan(ticket.code, checkpoint="workshop:999999"),
        make_scan(ticket.code, checkpoint=f"workshop:{2**31}"),
        make_scan(ticket.code, checkpoint="workshop:999999999999"),
    ]
    response = client.post("/api/v1/scans", json={"scans": scans}, headers=api_headers(volunteer))
    assert response.status_code == 200
    for result in response.get_json()["results"]:
        assert result["status"] == "rejected"
        assert result["error"]["code"] == "unknown_workshop"
        assert result["error"]["message"]


@pytest.mark.parametrize(
    "bad",
    [
        {"checkpoint": "gate\x00"},
        {"edition": ["x"]},
        {"site": "\udfff"},
        {"counted_at": "0001-01-01T00:00:00+14:00"},
        {"count": 10**30},
    ],
)
def test_one_bad_tally_never_stops_the_batch(client, api_headers, volunteer, edition, bad):
    def tally(**values):
        return {
            "id": str(uuid.uuid4()),
            "edition": edition.slug,
            "site": "meknes",
            "checkpoint": "gate-north",
            "count": 2,
            "counted_at": OPEN_TIME,
            **values,
        }

    good = tally()
    body = json.dumps({"tallies": [tally(**bad), None, good]})
    response = post_raw(client, api_headers(volunteer), "/api/v1/tallies", body)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected", "accepted"]
    assert db.session.query(Tally).filter_by(status="accepted").count() == 1


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000, '{"scans": [' + "1" * 5000 + "]}", '{"scans": [1e999999]}', '{"scans": NaN}'],
)
def test_hostile_json_is_a_400(client, api_headers, volunteer, body):
    for path in ("/api/v1/scans", "/api/v1/tallies", "/api/v1/auth/token", "/api/v1/tickets"):
        response = post_raw(client, api_headers(volunteer), path, body)
        assert response.status_code == 400, path
        assert response.get_json()["error"]["code"] == "invalid_request"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
scan_fields = st.fixed_dictionaries(
    {},
    optional={
        name: json_values
        for name in ("id", "code", "edition", "site", "checkpoint", "direction", "scanned_at")
    },
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(junk=st.lists(json_values | scan_fields, min_size=1, max_size=6), where=st.integers(0, 6))
def test_batches_mixing_valid_scans_and_arbitrary_json(
    client, api_headers, volunteer, ticket, make_scan, junk, where
):
    good = make_scan(ticket.code, direction="out")
    scans = list(junk)
    scans.insert(min(where, len(scans)), good)
    response = client.post("/api/v1/scans", json={"scans": scans}, headers=api_headers(volunteer))
    assert response.status_code == 200, response.get_json()
    results = response.get_json()["results"]
    assert len(results) == len(scans)
    mine = results[scans.index(good)]
    assert mine["id"] == good["id"] and mine["status"] == "accepted"
    assert db.session.query(Scan).filter_by(client_id=good["id"]).count() == 1
    for result in results:
        if result["status"] == "rejected":
            assert result["error"]["code"]


def test_a_tally_batch_over_the_limit_speaks_of_tallies(client, api_headers, volunteer):
    body = {"tallies": [{"id": str(n)} for n in range(1001)]}
    response = client.post("/api/v1/tallies?lang=en", json=body, headers=api_headers(volunteer))
    assert response.status_code == 413
    message = response.get_json()["error"]["message"]
    assert "tallies" in message and "scans" not in message
