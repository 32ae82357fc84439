def test_health_endpoint_answers_without_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_checks_database(client):
    assert client.get("/readyz").get_json()["status"] == "ok"
