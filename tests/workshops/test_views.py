"""Pages: public registration with the waiting list, the person's page, the organiser's pages,
the cooperative's pages, and who may see what."""

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.workshops.conftest import local
from workshops import services
from workshops.models import Attendance, Message, Registration, Workshop


@pytest.fixture
def workshop(future_edition, make_workshop):
    return make_workshop(future_edition, capacity=1, titles={"fr": "Vendre en ligne"})


def test_public_programme_and_workshop_page(client, future_edition, workshop):
    assert "Vendre en ligne" in client.get(f"/editions/{future_edition.slug}/workshops").get_data(
        as_text=True
    )
    page = client.get(f"/workshops/{workshop.id}")
    assert page.status_code == 200 and "Vendre en ligne" in page.get_data(as_text=True)


def test_public_registration_then_waiting_list_then_promotion(client, workshop):
    first = client.post(
        f"/workshops/{workshop.id}/register", data={"person_name": "Amal", "phone": "0611111111"}
    )
    assert first.status_code == 302
    second = client.post(
        f"/workshops/{workshop.id}/register", data={"person_name": "Badr", "phone": "0622222222"}
    )
    key_first = first.headers["Location"].rsplit("/", 1)[1]
    key_second = second.headers["Location"].rsplit("/", 1)[1]
    amal, badr = services.get_registration(key_first), services.get_registration(key_second)
    assert (amal.status, badr.status) == ("registered", "waitlisted")
    # Amal cancels from her page: Badr moves up and sees it on his next visit.
    assert client.post(f"/workshops/r/{key_first}/cancel").status_code == 302
    page = client.get(f"/workshops/r/{key_second}").get_data(as_text=True)
    assert 'id="promotion-news"' in page
    assert 'id="promotion-news"' not in client.get(f"/workshops/r/{key_second}").get_data(
        as_text=True
    )
    assert db.session.scalars(select(Message)).one().kind == "promotion"
    mine = client.get("/workshops/mine").get_data(as_text=True)
    assert "Vendre en ligne" in mine


def test_public_registration_errors(client, workshop):
    response = client.post(
        f"/workshops/{workshop.id}/register", data={"person_name": "Amal", "phone": "12"}
    )
    assert response.status_code == 422
    assert db.session.query(Registration).count() == 0


def test_cooperatives_only_workshop_refuses_the_public_form(client, future_edition, make_workshop):
    workshop = make_workshop(future_edition, audience="cooperatives")
    response = client.post(
        f"/workshops/{workshop.id}/register", data={"person_name": "Amal", "phone": "0611111111"}
    )
    assert response.status_code == 422
    assert db.session.query(Registration).count() == 0


def test_public_form_is_rate_limited(app, client, workshop):
    app.config["PUBLIC_FORM_LIMIT"] = "2 per hour"
    for index in range(2):
        client.post(
            f"/workshops/{workshop.id}/register",
            data={"person_name": "P", "phone": f"06{index:08d}"},
        )
    response = client.post(
        f"/workshops/{workshop.id}/register", data={"person_name": "P", "phone": "0699999999"}
    )
    assert response.status_code == 429
    assert db.session.query(Registration).count() == 2


def test_organiser_creates_a_workshop(client, login, organiser, future_edition):
    site = future_edition.site("meknes")
    services.update_rooms(
        site, [{"names": {"fr": "Salle 1"}}, {"names": {"fr": "Salle 2"}}], organiser
    )
    db.session.commit()
    salle_1, salle_2 = (str(room.id) for room in services.site_rooms(site))
    login(organiser)
    day = future_edition.starts_on.isoformat()
    data = {
        "site": "meknes",
        "title_fr": "Marketing digital",
        "title_ar": "التسويق الرقمي",
        "topic": "marketing",
        "format": "seminar",
        "audience": "public",
        "room": salle_1,
        "capacity": "40",
        "day": day,
        "start_time": "15:00",
        "end_time": "16:30",
        "speakers": "Salma Idrissi | ODCo | Formatrice\nKarim | INDH",
    }
    response = client.post(f"/editions/{future_edition.slug}/workshops/new", data=data)
    assert response.status_code == 302
    workshop = db.session.scalars(select(Workshop)).one()
    assert workshop.starts_at == local(future_edition.starts_on, 15, 0)
    assert [s.organisation for s in workshop.speakers] == ["ODCo", "INDH"]
    programme = client.get(f"/editions/{future_edition.slug}/workshops?lang=ar")
    assert (  # the speakers joined as Arabic lists names, each isolated
        '<bdi dir="ltr">\u2066Salma Idrissi\u2069</bdi> و<bdi dir="ltr">\u2066Karim\u2069</bdi>'
        in programme.get_data(as_text=True)
    )
    clash = client.post(
        f"/editions/{future_edition.slug}/workshops/new",
        data={**data, "start_time": "16:00", "end_time": "17:00"},
    )
    assert clash.status_code == 422
    assert 'class="field has-error"' in clash.get_data(as_text=True)
    late = client.post(
        f"/editions/{future_edition.slug}/workshops/new",
        data={**data, "room": salle_2, "start_time": "21:30", "end_time": "23:00"},
    )
    assert late.status_code == 422
    assert db.session.query(Workshop).count() == 1


def test_organiser_edits_and_sees_the_attendance_page(client, login, organiser, workshop):
    login(organiser)
    assert client.get(f"/workshops/{workshop.id}/edit").status_code == 200
    assert client.get(f"/workshops/{workshop.id}/attendance").status_code == 200
    response = client.post(
        f"/workshops/{workshop.id}/walk-ins",
        data={"person_name": "Hajar", "gender": "female", "under_35": "yes"},
    )
    assert response.status_code == 302
    attendance = db.session.scalars(select(Attendance)).one()
    assert (attendance.person_name, attendance.source, attendance.under_35) == (
        "Hajar",
        "walk_in",
        True,
    )
    empty = client.post(f"/workshops/{workshop.id}/walk-ins", data={"person_name": ""})
    assert empty.status_code == 422


def test_walk_in_of_a_registered_person_once(client, login, organiser, workshop):
    registration = services.register_visitor(
        workshop, {"person_name": "Amal", "phone": "0611111111"}
    )
    db.session.commit()
    login(organiser)
    data = {"registration": str(registration.id)}
    assert client.post(f"/workshops/{workshop.id}/walk-ins", data=data).status_code == 302
    assert client.post(f"/workshops/{workshop.id}/walk-ins", data=data).status_code == 422
    assert db.session.query(Attendance).count() == 1


def test_organiser_cancels_and_sends_the_message(client, login, organiser, workshop):
    amal = services.register_visitor(workshop, {"person_name": "Amal", "phone": "0611111111"})
    badr = services.register_visitor(workshop, {"person_name": "Badr", "phone": "0622222222"})
    db.session.commit()
    login(organiser)
    assert client.post(f"/workshops/registrations/{amal.id}/cancel").status_code == 302
    assert db.session.get(Registration, badr.id).status == "registered"
    outbox = client.get(f"/editions/{workshop.edition.slug}/workshops/outbox").get_data(
        as_text=True
    )
    assert "0622222222" in outbox and f"/workshops/r/{badr.key}" in outbox
    message = db.session.scalars(select(Message).where(Message.kind == "promotion")).one()
    assert client.post(f"/workshops/messages/{message.id}/sent").status_code == 302
    assert db.session.get(Message, message.id).sent_at is not None


def test_cooperative_registers_a_member(client, login, make_user, future_edition, workshop):
    user = make_user("cooperative")
    login(user)
    assert client.get(f"/editions/{future_edition.slug}/workshops/cooperative").status_code == 200
    data = {"person_name": "Khadija", "phone": "0633333333", "gender": "female", "under_35": "no"}
    assert client.post(f"/workshops/{workshop.id}/members/new", data=data).status_code == 302
    registration = db.session.scalars(select(Registration)).one()
    assert (registration.cooperative_id, registration.gender, registration.under_35) == (
        user.cooperative_id,
        "female",
        False,
    )
    missing = client.post(
        f"/workshops/{workshop.id}/members/new", data={"person_name": "X", "phone": "0644444444"}
    )
    assert missing.status_code == 422
    page = client.get(f"/editions/{future_edition.slug}/workshops/cooperative").get_data(
        as_text=True
    )
    assert "Khadija" in page


def test_cooperative_cannot_cancel_another_cooperatives_member(
    client, login, make_user, workshop, person
):
    owner, other = make_user("cooperative"), make_user("cooperative")
    registration = services.register_member(workshop, owner.cooperative, person(), owner)
    db.session.commit()
    login(other)
    assert client.post(f"/workshops/registrations/{registration.id}/cancel").status_code == 404
    assert db.session.get(Registration, registration.id).status == "registered"
    assert "Personne" not in client.get(
        f"/editions/{workshop.edition.slug}/workshops/cooperative"
    ).get_data(as_text=True)


ORGANISER_PAGES = [
    ("get", "/editions/{slug}/workshops/manage"),
    ("get", "/editions/{slug}/workshops/new"),
    ("get", "/workshops/{id}/edit"),
    ("post", "/workshops/{id}/delete"),
    ("get", "/workshops/{id}/attendance"),
    ("post", "/workshops/{id}/walk-ins"),
    ("get", "/workshops/{id}/certificates.pdf"),
    ("get", "/editions/{slug}/workshops/outbox"),
    ("get", "/editions/{slug}/workshops/report"),
    ("get", "/editions/{slug}/workshops/report.csv"),
]


@pytest.mark.parametrize("role", ["volunteer", "cashier", "cooperative"])
@pytest.mark.parametrize("method, path", ORGANISER_PAGES)
def test_organiser_pages_are_forbidden_to_other_roles(
    client, login, make_user, workshop, role, method, path
):
    login(make_user(role))
    url = path.format(slug=workshop.edition.slug, id=workshop.id)
    assert getattr(client, method)(url).status_code == 403
    assert db.session.query(Workshop).count() == 1


@pytest.mark.parametrize(
    "method, path",
    ORGANISER_PAGES
    + [("get", "/editions/{slug}/workshops/cooperative"), ("get", "/workshops/{id}/members/new")],
)
def test_pages_need_sign_in(client, workshop, method, path):
    response = getattr(client, method)(path.format(slug=workshop.edition.slug, id=workshop.id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["organiser", "volunteer", "cashier"])
def test_cooperative_pages_only_for_cooperatives(client, login, make_user, workshop, role):
    login(make_user(role))
    assert client.get(f"/workshops/{workshop.id}/members/new").status_code == 403
    assert client.get(f"/editions/{workshop.edition.slug}/workshops/cooperative").status_code == 403


def test_draft_edition_programme_is_hidden(client, make_edition, make_workshop):
    edition = make_edition(status="draft")
    workshop = make_workshop(edition)
    assert client.get(f"/editions/{edition.slug}/workshops").status_code == 404
    assert client.get(f"/workshops/{workshop.id}").status_code == 404


def test_unknown_registration_key(client):
    assert client.get("/workshops/r/nope").status_code == 404
    assert client.get("/workshops/survey/nope").status_code == 404


@pytest.mark.parametrize("language", ["ar", "fr", "en", "es"])
def test_pages_in_every_language(client, login, organiser, workshop, language):
    for url in (f"/workshops/{workshop.id}", f"/editions/{workshop.edition.slug}/workshops"):
        assert client.get(f"{url}?lang={language}").status_code == 200
    login(organiser)
    for url in (
        f"/workshops/{workshop.id}/attendance",
        f"/editions/{workshop.edition.slug}/workshops/report",
    ):
        assert client.get(f"{url}?lang={language}").status_code == 200


def test_cooperative_sees_who_moved_up_once(client, login, make_user, workshop, person):
    user = make_user("cooperative")
    first = services.register_member(workshop, user.cooperative, person(person_name="Samira"), user)
    services.register_member(workshop, user.cooperative, person(person_name="Houda"), user)
    services.cancel_registration(first, user, by="cooperative")
    db.session.commit()
    login(user)
    url = f"/editions/{workshop.edition.slug}/workshops/cooperative"
    assert 'class="promoted"' in client.get(url).get_data(as_text=True)
    assert 'class="promoted"' not in client.get(url).get_data(as_text=True)
