"""Issue 10: input judged before the database (exact inputs of the issue, both databases)."""

import json
import re
from pathlib import Path

import pytest

from core.extensions import db
from core.inputs import INT32_MAX

ROOT = Path(__file__).resolve().parents[2]
HUGE_IDS = [2**31, 2**63, 10**30]


def int_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(type(c).__name__ == "RowId" for c in rule._converters.values())
    ]


def fill(rule, number):
    path = rule.rule
    for name, converter in rule._converters.items():
        value = str(number) if type(converter).__name__ == "RowId" else "x"
        path = re.sub(rf"<[^>]*\b{name}>", value, path)
    return path


def test_every_route_with_an_integer_id_is_a_404_out_of_range(app, client, make_user, login):
    rules = int_rules(app)
    assert len(rules) >= 40
    login(make_user("organiser"))
    for rule in rules:
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS"})[0]
        for number in HUGE_IDS:
            path = fill(rule, number)
            response = client.open(path, method=method)
            assert response.status_code == 404, (path, response.status_code)


def test_the_largest_id_is_still_judged(app, client, make_user, login):
    login(make_user("organiser"))
    assert client.get(f"/api/v1/workshops/{INT32_MAX}/registrations").status_code in (404, 405)


def test_path_and_query_nul(client, make_edition):
    make_edition()
    assert client.get("/api/v1/editions/a%00b").status_code == 404
    answer = client.get("/api/v1/editions?x=a%00b")
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == "unstorable_text"
    assert client.get("/editions?q=%00").status_code == 400


@pytest.mark.parametrize("username", ["a\x00b", "\ud800", "x\udfff"])
def test_anonymous_login_with_unstorable_text_is_a_400(client, username):
    body = json.dumps({"username": username, "password": "whatever-123"})
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "unstorable_text"


def test_web_login_with_a_nul_is_a_400(client):
    response = client.post("/login", data={"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body", ["[" * 100_000, '{"a": ' + "9" * 5000 + "}", '{"a": 1e999}', '{"a": -Infinity}']
)
def test_hostile_json_on_every_json_endpoint(app, client, make_user, api_headers, body):
    headers = api_headers(make_user("organiser"))
    posts = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and "POST" in rule.methods
    ]
    assert len(posts) >= 9
    for rule in posts:
        path = fill(rule, 1)
        for sent in (headers, {}):
            response = client.post(path, data=body, content_type="application/json", headers=sent)
            assert response.status_code in (400, 401, 403, 404), (path, response.status_code)
            if response.status_code == 400:
                assert response.get_json()["error"]["code"] == "invalid_request"


def test_anonymous_hostile_json_is_a_400(client):
    for path in ("/api/v1/auth/token", "/api/v1/tickets"):
        response = client.post(path, data="[" * 100_000, content_type="application/json")
        assert response.status_code == 400, path


@pytest.fixture
def open_store(make_edition, make_user, api_headers):
    from datetime import date

    edition = make_edition(
        status="open", starts_on=date(2022, 11, 5), ends_on=date(2030, 12, 31), hours=(0, 1440)
    )
    return edition, api_headers(make_user("cashier"))


def sale_body(edition, **values):
    body = {
        "id": "5d7f1f0e-2f4c-4b8e-9a4b-1c2d3e4f5a6b",
        "edition": edition.slug,
        "site": edition.sites[0].slug,
        "register": "till-1",
        "payment": "cash",
        "sold_at": "2024-02-01T10:00:00+01:00",
        "lines": [{"product": "SKU-1", "quantity": 1, "unit_price_centimes": 100}],
    }
    body.update(values)
    return body


@pytest.mark.parametrize(
    "values, code",
    [
        ({"cash_received_centimes": 10**30}, "out_of_range"),
        (
            {"lines": [{"product": "S", "quantity": 2**31, "unit_price_centimes": 1}]},
            "out_of_range",
        ),
        (
            {"lines": [{"product": "S", "quantity": 1, "unit_price_centimes": 2**40}]},
            "out_of_range",
        ),
        ({"sold_at": "0001-01-01T00:00:00+14:00"}, "bad_time"),
        ({"sold_at": "2101-01-01T00:00:00Z"}, "bad_time"),
        ({"sold_at": "1999-12-31T23:59:59Z"}, "bad_time"),
    ],
)
def test_sales_out_of_range_are_422(client, open_store, values, code):
    edition, headers = open_store
    response = client.post("/api/v1/sales", json=sale_body(edition, **values), headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == code


def test_cooperative_id_out_of_range_is_404(client, make_edition, make_user, api_headers):
    edition = make_edition(status="published")
    body = {
        "cooperative_id": 2**40,
        "products": "miel",
        "representatives": [{"name": "Fatima", "phone": "0611111111"}],
    }
    response = client.post(
        f"/api/v1/editions/{edition.slug}/sites/{edition.sites[0].slug}/applications",
        json=body,
        headers=api_headers(make_user("organiser")),
    )
    assert response.status_code == 404


def test_names_refuse_direction_overrides_in_the_api(client, make_edition):
    edition = make_edition(status="open")
    response = client.post("/api/v1/tickets", json={"edition": edition.slug, "name": "\u202eanimA"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "bidi_override"


def test_names_refuse_direction_overrides_in_forms(client):
    from booths.models import Cooperative

    response = client.post(
        "/cooperatives/register?lang=en",
        data={"name_latin": "Coop \u202eyenoh", "name_ar": "تعاونية"},
    )
    assert response.status_code in (200, 422)
    assert "direction-override" in response.get_data(as_text=True)
    assert db.session.query(Cooperative).count() == 0


def test_text_is_stored_in_nfc(client, make_edition):
    from visitors.models import Ticket

    edition = make_edition(status="open")
    response = client.post("/api/v1/tickets", json={"edition": edition.slug, "name": "Rabe\u0301a"})
    assert response.status_code == 201
    assert db.session.query(Ticket).one().name == "Rab\u00e9a"


def test_form_integers_out_of_range_are_form_errors(client, make_user, login):
    login(make_user("organiser"))
    response = client.post(
        "/editions/new?lang=en",
        data={"slug": "x-2030", "number": str(2**40), "name_fr": "X", "visitor_target": "1"},
    )
    assert response.status_code in (200, 422)
    assert "out of range" in response.get_data(as_text=True)


def test_templates_hold_no_inline_script_style_or_handler():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "pdf" in path.parts:
            continue
        text = path.read_text()
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1) and "application/json" not in match.group(1):
                offenders.append(f"{path.name}: inline script")
        if re.search(r"<style\b", text):
            offenders.append(f"{path.name}: <style>")
        if re.search(r"\son[a-z]+\s*=\s*\"", text):
            offenders.append(f"{path.name}: event handler")
    assert offenders == []
