"""Issue 10: what a phone could not deliver is reported to the organiser."""

from accounts.models import FieldReport
from core.extensions import db


def report(entry_id, **values):
    return {
        "id": entry_id,
        "url": "/api/v1/sales",
        "body": {"id": entry_id, "lines": []},
        "http_status": 422,
        "error": {"code": "price_changed", "message": "Le prix a changé."},
        "attempts": 1,
        **values,
    }


def test_phones_report_and_the_organiser_sees(client, make_user, api_headers, login):
    cashier = make_user("cashier")
    answer = client.post(
        "/api/v1/field-attention",
        json={
            "reports": [
                report("sale-1"),
                None,
                report("a\x00b"),
                report("sale-1", attempts=2),
                report("scan-9", url="/api/v1/scans", body={"id": "scan-9", "code": "x\x00\ud800"}),
            ]
        },
        headers=api_headers(cashier),
    )
    assert answer.status_code == 200
    assert answer.get_json() == {"recorded": 3}
    scan = db.session.query(FieldReport).filter_by(client_id="scan-9").one()
    assert scan.kind == "scan" and "\\u0000" in scan.body
    row = db.session.query(FieldReport).filter_by(client_id="sale-1").one()
    assert (row.kind, row.http_status, row.error_code, row.attempts) == (
        "sale",
        422,
        "price_changed",
        2,
    )
    login(make_user("organiser"))
    page = client.get("/field-attention")
    assert page.status_code == 200
    assert "Le prix a changé." in page.get_data(as_text=True)


def test_only_field_roles_report_and_only_organisers_read(client, make_user, api_headers, login):
    coop = make_user("cooperative")
    answer = client.post("/api/v1/field-attention", json={"reports": []}, headers=api_headers(coop))
    assert answer.status_code == 403
    assert client.post("/api/v1/field-attention", json={"reports": []}).status_code == 401
    login(make_user("volunteer"))
    assert client.get("/field-attention").status_code == 403


def test_another_person_cannot_overwrite_a_report(client, make_user, api_headers):
    first, second = make_user("volunteer"), make_user("volunteer")
    client.post(
        "/api/v1/field-attention", json={"reports": [report("x1")]}, headers=api_headers(first)
    )
    client.post(
        "/api/v1/field-attention",
        json={"reports": [report("x1", attempts=9)]},
        headers=api_headers(second),
    )
    row = db.session.query(FieldReport).one()
    assert (row.user_id, row.attempts) == (first.id, 1)
