"""record_door_scan: the contract the visitors feature's POST /api/v1/scans relies on."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from core.extensions import db
from markets import tokens
from workshops.models import Attendance
from workshops.services import DOOR_OPENS_BEFORE, record_door_scan, register_member


def token_of(edition, kind="E"):
    _, code = tokens.sign_token(edition, kind)
    return tokens.verify_token(code)


def attendance_count():
    return db.session.scalar(select(func.count()).select_from(Attendance))


@pytest.fixture
def workshop(future_edition, make_workshop):
    return make_workshop(future_edition)


def test_first_scan_is_accepted_then_reentry(future_edition, workshop):
    token = token_of(future_edition)
    site = future_edition.site("meknes")
    assert record_door_scan(workshop.id, site, token, None, workshop.starts_at) == "accepted"
    assert record_door_scan(workshop.id, site, token, None, workshop.starts_at) == "reentry"
    assert attendance_count() == 1


def test_checkpoint_id_may_come_as_text(future_edition, workshop):
    site = future_edition.site("meknes")
    token = token_of(future_edition, "V")
    assert record_door_scan(str(workshop.id), site, token, None, workshop.starts_at) == "accepted"


@pytest.mark.parametrize("workshop_id", [999999, "abc", None, ""])
def test_unknown_workshop_is_rejected(future_edition, workshop, workshop_id):
    site = future_edition.site("meknes")
    result = record_door_scan(workshop_id, site, token_of(future_edition), None, workshop.starts_at)
    assert result == "rejected"
    assert attendance_count() == 0


def test_certificate_token_is_rejected_at_the_door(future_edition, workshop):
    site = future_edition.site("meknes")
    token = token_of(future_edition, "C")
    assert record_door_scan(workshop.id, site, token, None, workshop.starts_at) == "rejected"


def test_other_site_is_wrong_site(future_edition, workshop):
    other_site = future_edition.site("el-hajeb")
    token = token_of(future_edition)
    assert (
        record_door_scan(workshop.id, other_site, token, None, workshop.starts_at) == "wrong_site"
    )
    assert attendance_count() == 0


def test_token_of_another_edition_is_wrong_site(future_edition, workshop, make_edition):
    other = make_edition(status="open")
    token = token_of(other)
    site = future_edition.site("meknes")
    assert record_door_scan(workshop.id, site, token, None, workshop.starts_at) == "wrong_site"


@pytest.mark.parametrize(
    "offset, expected",
    [
        (-DOOR_OPENS_BEFORE - timedelta(minutes=1), "not_open"),
        (-DOOR_OPENS_BEFORE, "accepted"),
        (timedelta(minutes=45), "accepted"),
    ],
)
def test_door_window_before_start(future_edition, workshop, offset, expected):
    site = future_edition.site("meknes")
    token = token_of(future_edition)
    assert record_door_scan(workshop.id, site, token, None, workshop.starts_at + offset) == expected


def test_after_the_end_is_not_open(future_edition, workshop):
    site = future_edition.site("meknes")
    moment = workshop.ends_at + timedelta(minutes=1)
    assert record_door_scan(workshop.id, site, token_of(future_edition), None, moment) == "not_open"
    assert (
        record_door_scan(workshop.id, site, token_of(future_edition), None, workshop.ends_at)
        == "accepted"
    )


def test_badge_holder_is_matched_to_their_registration(
    future_edition, workshop, make_cooperative, make_user, person
):
    cooperative = make_cooperative()
    user = make_user("cooperative", cooperative=cooperative)
    registration = register_member(
        workshop, cooperative, person(phone="+212 6 11 22 33 44", gender="female"), user
    )
    db.session.commit()
    badge = SimpleNamespace(
        person_name="Fatima", person_phone="0611223344", cooperative_id=cooperative.id
    )
    site = future_edition.site("meknes")
    assert (
        record_door_scan(workshop.id, site, token_of(future_edition), badge, workshop.starts_at)
        == "accepted"
    )
    attendance = db.session.scalars(select(Attendance)).one()
    assert attendance.registration_id == registration.id
    assert attendance.cooperative_id == cooperative.id
    assert attendance.gender == "female" and attendance.under_35 is True
    assert attendance.person_name == "Fatima"
    assert attendance.token_kind == "E"


def test_ticket_holder_without_registration(future_edition, workshop):
    ticket = SimpleNamespace(name="Karim", phone="0700000000")
    site = future_edition.site("meknes")
    token = token_of(future_edition, "V")
    assert record_door_scan(workshop.id, site, token, ticket, workshop.starts_at) == "accepted"
    attendance = db.session.scalars(select(Attendance)).one()
    assert (attendance.person_name, attendance.cooperative_id, attendance.registration_id) == (
        "Karim",
        None,
        None,
    )
