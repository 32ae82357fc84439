"""GET /api/v1/editions/<edition>/report: API.md's fields, the raw rows' numbers, access."""

import pytest

from tests.report.test_report_data import build_report_world, expected_figures

CONTRACT_FIELDS = {
    "edition",
    "visitors",
    "entries",
    "target",
    "cooperatives",
    "stall_area_m2",
    "sales_centimes",
    "owed_centimes",
    "paid_on_time_share",
    "workshops",
    "workshop_attendance",
    "provinces",
    "women_members",
    "young_members",
}


@pytest.fixture
def world(app, make_edition, make_cooperative, make_user):
    return build_report_world(make_edition, make_cooperative, make_user)


def test_report_json_has_the_contract_fields_and_the_raw_numbers(
    world, client, make_user, api_headers
):
    edition = world["edition"]
    response = client.get(
        f"/api/v1/editions/{edition.slug}/report", headers=api_headers(make_user("organiser"))
    )
    assert response.status_code == 200
    body = response.get_json()
    assert CONTRACT_FIELDS <= set(body)
    expected = expected_figures(edition)
    assert body["edition"] == edition.slug
    for name in CONTRACT_FIELDS - {"edition", "provinces", "paid_on_time_share"}:
        assert body[name] == pytest.approx(expected[name]), name
    assert body["paid_on_time_share"] == pytest.approx(expected["paid_on_time_share"])
    provinces = {row["province"]: row for row in body["provinces"]}
    assert set(provinces) == set(expected["provinces"])
    for province, values in expected["provinces"].items():
        for field in ("applicants", "admitted", "stall_area_m2", "sales_centimes"):
            assert provinces[province][field] == pytest.approx(values[field]), (province, field)
        assert set(provinces[province]) >= {
            "province",
            "applicants",
            "admitted",
            "stall_area_m2",
            "sales_centimes",
        }


def test_report_json_is_the_same_twice(world, client, make_user, api_headers):
    headers = api_headers(make_user("organiser"))
    url = f"/api/v1/editions/{world['edition'].slug}/report"
    assert (
        client.get(url, headers=headers).get_json() == client.get(url, headers=headers).get_json()
    )


def test_report_json_without_token_is_401(app, client, make_edition):
    response = client.get(f"/api/v1/editions/{make_edition().slug}/report")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("role", ["volunteer", "cashier", "cooperative"])
def test_report_json_is_for_organisers_only(
    app, client, make_edition, make_user, api_headers, role
):
    response = client.get(
        f"/api/v1/editions/{make_edition().slug}/report", headers=api_headers(make_user(role))
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_report_json_of_an_unknown_edition_is_404(app, client, make_user, api_headers):
    response = client.get(
        "/api/v1/editions/nowhere/report", headers=api_headers(make_user("organiser"))
    )
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_edition"


def test_report_route_is_documented_for_the_openapi_description(app):
    rules = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
    endpoint = rules["/api/v1/editions/<slug>/report"]
    spec = app.view_functions[endpoint]._spec
    assert "partners' report" in spec["summary"]
    assert {200, 401, 403, 404} <= set(spec["responses"])


def test_report_route_is_in_the_openapi_description(app, client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"][
        "/api/v1/editions/{slug}/report"
    ]["get"]
    assert "partners' report" in operation["summary"]
    assert {"200", "401", "403", "404"} <= set(operation["responses"])
