"""The users' list at a national salon's size (each cooperative of the registry has an account):
found by a username or a full name, narrowed by role, a page at a time, and deactivating one
brings the organiser back to the page it was done on."""

import re

import pytest

from accounts import views as account_views
from accounts.models import User
from core.extensions import db


@pytest.fixture
def people(make_user):
    organiser = make_user("organiser", username="salma")
    others = [
        make_user("cashier", username="caisse-agadir"),
        make_user("cooperative", username="coop-annahla"),
        make_user("cooperative", username="coop-tafyoucht"),
        make_user("volunteer", username="porte-nord"),
    ]
    others[0].full_name = "Khadija Amrani"
    db.session.commit()
    return organiser, others


def usernames(client, query=""):
    response = client.get(f"/users?lang=fr&{query}")
    assert response.status_code == 200, query
    html = response.get_data(as_text=True)
    table = html[html.index("<table") : html.index("</table>")]
    return re.findall(
        r'<td role="cell" data-label="Nom d’utilisateur"><div class="cell-value">([^<]+)<', table
    ), html


def test_the_organiser_finds_accounts_by_name_and_role(client, login, people):
    organiser, _others = people
    login(organiser)
    assert usernames(client)[0] == [
        "caisse-agadir",
        "coop-annahla",
        "coop-tafyoucht",
        "salma",
        "porte-nord",
    ]  # by role, then username
    assert usernames(client, "q=COOP-")[0] == ["coop-annahla", "coop-tafyoucht"]
    assert usernames(client, "q=amrani")[0] == ["caisse-agadir"]  # the full name
    found, html = usernames(client, "role=volunteer")
    assert found == ["porte-nord"]
    assert re.findall(r'<option value="(\w+)" selected>', html) == ["volunteer"]
    assert re.findall(r'<option value="(\w+)" selected>', usernames(client)[1]) == []
    assert usernames(client, "role=kitchen")[0][0] == "caisse-agadir"  # filters nothing
    found, html = usernames(client, "q=safran")
    assert found == [] and "Aucun utilisateur ne correspond." in html


def test_users_come_a_page_at_a_time_and_a_change_returns_to_its_page(
    client, login, people, monkeypatch
):
    monkeypatch.setattr(account_views, "PAGE_SIZE", 2)
    organiser, others = people
    login(organiser)
    first, html = usernames(client)
    assert first == ["caisse-agadir", "coop-annahla"] and "Page 1 sur 3" in html
    third, html = usernames(client, "page=3")
    assert third == ["porte-nord"]
    assert (
        re.search(r'name="next_url" value="([^"]+)"', html).group(1) == "/users?lang=fr&amp;page=3"
    )
    volunteer = others[3]
    response = client.post(
        f"/users/{volunteer.id}/active", data={"active": "0", "next_url": "/users?lang=fr&page=3"}
    )
    assert response.headers["Location"] == "/users?lang=fr&page=3"
    assert db.session.get(User, volunteer.id).active is False
    elsewhere = client.post(
        f"/users/{volunteer.id}/active", data={"active": "1", "next_url": "//evil.example/users"}
    )
    assert elsewhere.headers["Location"] == "/users"
