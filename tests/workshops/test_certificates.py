"""Certificates: only for recorded attendance; the PDF's text and signed QR read back."""

from urllib.parse import parse_qs, urlparse

import pytest

from core import queue
from core.errors import Forbidden, RuleBroken
from core.extensions import db
from markets import tokens
from markets.models import RevokedToken
from tests.pdf_tools import pdf_page_count, pdf_qr_codes, pdf_text
from workshops import services


@pytest.fixture
def workshop(future_edition, make_workshop):
    return make_workshop(
        future_edition,
        titles={"fr": "Vendre en ligne", "ar": "البيع عبر الإنترنت"},
        start=(11, 0),
        end=(13, 30),
    )


@pytest.fixture
def attended(workshop, make_cooperative, make_user, person):
    cooperative = make_cooperative(name_latin="Coopérative Nahla", name_ar="تعاونية النحلة")
    user = make_user("cooperative", cooperative=cooperative)
    registration = services.register_member(
        workshop, cooperative, person(person_name="Fatima Zahra"), user
    )
    attendance = services.add_walk_in(workshop, {"registration": registration}, None)
    db.session.commit()
    return registration, attendance


def test_certificate_for_an_absent_person_is_refused(workshop, make_user, person):
    user = make_user("cooperative")
    registration = services.register_member(workshop, user.cooperative, person(), user)
    with pytest.raises(RuleBroken) as error:
        services.certificate_for_registration(registration)
    assert error.value.code == "not_attended"


def test_bulk_certificates_need_attendance(workshop):
    with pytest.raises(RuleBroken):
        services.certificates_for_workshop(workshop)


def test_certificate_is_issued_once(attended):
    _, attendance = attended
    first = services.certificate_for(attendance)
    assert services.certificate_for(attendance) is first
    token = tokens.verify_token(first.code)
    assert token.kind == "C" and token.token_id == first.token_id


def test_verify_certificate(attended, future_edition):
    _, attendance = attended
    certificate = services.certificate_for(attendance)
    assert services.verify_certificate(certificate.code) == (certificate, "genuine")
    assert services.verify_certificate(certificate.code[:-3] + "AAA")[1] == "invalid"
    _, badge_code = tokens.sign_token(future_edition, "E")
    assert services.verify_certificate(badge_code) == (None, "invalid")
    tokens.revoke_token(future_edition, certificate.token_id, "error")
    assert services.verify_certificate(certificate.code) == (certificate, "revoked")


def test_certificate_pdf_text_and_qr(client, login, organiser, attended, workshop):
    _, attendance = attended
    login(organiser)
    response = client.get(f"/workshops/attendance/{attendance.id}/certificate.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = pdf_text(response.data)
    for expected in (
        "Attestation de participation",
        "Fatima Zahra",
        "Nahla",
        "Vendre en ligne",
        "2.5 h",
    ):
        assert expected in text
    codes = pdf_qr_codes(response.data)
    assert len(codes) == 1
    url = urlparse(codes[0])
    assert url.path == "/certificates/verify"
    code = parse_qs(url.query)["code"][0]
    assert tokens.verify_token(code).kind == "C"
    page = client.get(f"{url.path}?{url.query}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Fatima Zahra" in body and 'id="verdict"' in body


def test_forged_certificate_page(client, attended):
    response = client.get("/certificates/verify?code=SK1.forged")
    assert response.status_code == 404


def test_bulk_pdf_has_one_page_per_attendee(client, login, organiser, attended, workshop):
    services.add_walk_in(workshop, {"person_name": "Walk In"}, organiser)
    db.session.commit()
    login(organiser)
    response = client.get(f"/workshops/{workshop.id}/certificates.pdf")
    assert response.status_code == 200
    assert pdf_page_count(response.data) == 2
    assert len(set(pdf_qr_codes(response.data))) == 2
    assert "Walk In" in pdf_text(response.data)


def test_the_certificates_job_gives_the_same_pdf_as_the_direct_one(
    client, login, organiser, attended, workshop
):
    services.add_walk_in(workshop, {"person_name": "Walk In"}, organiser)
    db.session.commit()
    login(organiser)
    direct = client.get(f"/workshops/{workshop.id}/certificates.pdf").data
    response = client.post(f"/workshops/{workshop.id}/certificates/print")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    queue.run_pending()
    job = client.get(response.headers["Location"] + ".json").get_json()["job"]
    assert job["status"] == "done", job["error"]
    made = client.get(job["result_url"]).data
    assert pdf_page_count(made) == pdf_page_count(direct) == 2
    assert sorted(pdf_qr_codes(made)) == sorted(pdf_qr_codes(direct))  # links to this server


def test_person_gets_their_certificate_only_when_present(
    client, attended, workshop, make_user, person
):
    registration, _ = attended
    assert client.get(f"/workshops/r/{registration.key}/certificate.pdf").status_code == 200
    user = make_user("cooperative")
    absent = services.register_member(workshop, user.cooperative, person(), user)
    db.session.commit()
    response = client.get(f"/workshops/r/{absent.key}/certificate.pdf")
    assert response.status_code == 422


def test_withdrawing_needs_an_organiser_and_a_reason(attended, organiser, make_user):
    _, attendance = attended
    with pytest.raises(Forbidden):
        services.withdraw_certificate(attendance, "wrong person", make_user("volunteer"))
    with pytest.raises(RuleBroken) as error:
        services.withdraw_certificate(attendance, "  ", organiser)
    assert error.value.field == "reason"
    assert db.session.query(RevokedToken).count() == 0


def test_a_withdrawn_certificate_checks_as_withdrawn_and_is_never_printed_again(
    attended, organiser
):
    registration, attendance = attended
    certificate = services.withdraw_certificate(attendance, "recorded by mistake", organiser)
    db.session.commit()
    assert services.verify_certificate(certificate.code) == (certificate, "revoked")
    for print_again in (
        lambda: services.issuable_certificate(attendance),
        lambda: services.certificate_for_registration(registration),
        lambda: services.withdraw_certificate(attendance, "again", organiser),
        lambda: services.certificates_for_workshop(attendance.workshop),
    ):
        with pytest.raises(RuleBroken) as error:
            print_again()
        assert error.value.code == "certificate_withdrawn"
    assert services.withdrawals_for_workshop(attendance.workshop)[attendance.id].reason == (
        "recorded by mistake"
    )


def test_withdrawing_from_the_attendance_page(client, login, organiser, attended, workshop):
    registration, attendance = attended
    services.add_walk_in(workshop, {"person_name": "Walk In"}, organiser)
    certificate = services.certificate_for(attendance)
    db.session.commit()
    login(organiser)
    url = f"/workshops/attendance/{attendance.id}/certificate/withdraw"
    assert client.post(url, data={"reason": ""}).status_code == 302
    assert db.session.query(RevokedToken).count() == 0
    response = client.post(url, data={"reason": "Absente, ajoutée par erreur"})
    assert response.status_code == 200 and 'name="confirmed"' in response.get_data(as_text=True)
    assert db.session.query(RevokedToken).count() == 0
    data = {"reason": "Absente, ajoutée par erreur", "confirmed": "1"}
    response = client.post(url, data=data)
    assert response.status_code == 302
    page = client.get(f"/workshops/{workshop.id}/attendance?lang=fr").get_data(as_text=True)
    assert "Absente, ajoutée par erreur" in page and "retirée" in page
    assert client.get(f"/workshops/attendance/{attendance.id}/certificate.pdf").status_code == 422
    assert client.get(f"/workshops/r/{registration.key}/certificate.pdf").status_code == 422
    bulk = client.get(f"/workshops/{workshop.id}/certificates.pdf")
    assert pdf_page_count(bulk.data) == 1 and "Walk In" in pdf_text(bulk.data)
    check = client.get(f"/certificates/verify?code={certificate.code}")
    assert check.status_code == 410


@pytest.mark.parametrize("role", ["volunteer", "cashier", "cooperative"])
def test_only_organisers_withdraw_from_a_page(client, login, make_user, attended, role):
    _, attendance = attended
    login(make_user(role))
    url = f"/workshops/attendance/{attendance.id}/certificate/withdraw"
    assert client.post(url, data={"reason": "no"}).status_code == 403
    assert db.session.query(RevokedToken).count() == 0
