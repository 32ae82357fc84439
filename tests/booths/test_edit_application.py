"""A pending application can be changed by its cooperative or an organiser, and by nobody else."""

import pytest

from booths.models import Application
from core.extensions import db

FORM = {
    "stall_type": "double",
    "needs": ["electricity", "water"],
    "products": "miel et pollen",
    "representative_1_name": "Khadija Amrani",
    "representative_1_phone": "0611111111",
    "representative_2_name": "Youssef Amrani",
    "representative_2_phone": "0622222222",
}


@pytest.fixture
def pending(future_edition, make_cooperative, make_application):
    edition = future_edition()
    cooperative = make_cooperative()
    return make_application(cooperative, edition.site("meknes"), status="pending")


def test_cooperative_changes_its_pending_application(client, coop_login, pending):
    coop_login(pending.cooperative)
    form = client.get(f"/applications/{pending.id}/edit?lang=en").get_data(as_text=True)
    assert "Change the application" in form and "miel" in form
    response = client.post(f"/applications/{pending.id}/edit", data=FORM)
    assert response.status_code == 302
    saved = db.session.get(Application, pending.id)
    assert saved.stall_type == "double"
    assert saved.needs == ["electricity", "water"]
    assert [person["name"] for person in saved.representatives] == [
        "Khadija Amrani",
        "Youssef Amrani",
    ]


def test_organiser_changes_it_on_the_cooperatives_behalf(client, login, organiser, pending):
    login(organiser)
    assert client.post(f"/applications/{pending.id}/edit", data=FORM).status_code == 302
    assert db.session.get(Application, pending.id).products == "miel et pollen"


def test_another_cooperative_cannot(client, coop_login, make_cooperative, pending):
    coop_login(make_cooperative())
    assert client.get(f"/applications/{pending.id}/edit").status_code == 403
    assert client.post(f"/applications/{pending.id}/edit", data=FORM).status_code == 403
    assert db.session.get(Application, pending.id).stall_type == "standard"


@pytest.mark.parametrize("role", ["volunteer", "cashier"])
def test_other_roles_cannot(client, login, make_user, pending, role):
    login(make_user(role))
    assert client.get(f"/applications/{pending.id}/edit").status_code == 403


def test_a_decided_application_stays_as_it_was(
    client, coop_login, future_edition, make_cooperative, make_application
):
    approved = make_application(
        make_cooperative(), future_edition().site("meknes"), status="approved"
    )
    coop_login(approved.cooperative)
    response = client.post(f"/applications/{approved.id}/edit?lang=en", data=FORM)
    assert response.status_code == 422
    assert "Only a pending application can be changed." in response.get_data(as_text=True)
    assert db.session.get(Application, approved.id).stall_type == "standard"
