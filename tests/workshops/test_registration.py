"""Registration: capacity, waiting list, automatic promotion, cancellation, duplicates."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.errors import Conflict, RuleBroken
from core.extensions import db
from core.timeutil import utc_now
from workshops import services
from workshops.models import Message, Registration


@pytest.fixture
def workshop(future_edition, make_workshop):
    return make_workshop(future_edition, capacity=2)


@pytest.fixture
def cooperative_user(make_user):
    return make_user("cooperative")


def register(workshop, cooperative_user, values):
    registration = services.register_member(
        workshop, cooperative_user.cooperative, values, cooperative_user
    )
    db.session.commit()
    return registration


def test_seats_then_waiting_list(workshop, cooperative_user, person):
    statuses = [register(workshop, cooperative_user, person()).status for _ in range(4)]
    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]


def test_cancellation_promotes_the_first_in_line(workshop, cooperative_user, person):
    first, _second, third, fourth = (
        register(workshop, cooperative_user, person()) for _ in range(4)
    )
    promoted = services.cancel_registration(first, cooperative_user, by="cooperative")
    db.session.commit()
    assert promoted == [third]
    assert (third.status, fourth.status) == ("registered", "waitlisted")
    assert third.promoted_at is not None and third.promotion_unseen
    message = db.session.scalars(select(Message)).one()
    assert (message.kind, message.registration_id, message.sent_at) == ("promotion", third.id, None)
    assert first.cancelled_by == "cooperative"


def test_cancelling_a_waiting_place_promotes_nobody(workshop, cooperative_user, person):
    regs = [register(workshop, cooperative_user, person()) for _ in range(3)]
    assert services.cancel_registration(regs[2], None, by="person") == []
    assert db.session.scalars(select(Message)).all() == []


def test_cancelling_twice_is_a_conflict(workshop, cooperative_user, person):
    registration = register(workshop, cooperative_user, person())
    services.cancel_registration(registration, None)
    with pytest.raises(Conflict) as error:
        services.cancel_registration(registration, None)
    assert error.value.code == "already_cancelled"


def test_organiser_cancellation_queues_a_message(workshop, cooperative_user, person, organiser):
    registration = register(workshop, cooperative_user, person())
    services.cancel_registration(registration, organiser, by="organiser")
    kinds = [m.kind for m in db.session.scalars(select(Message))]
    assert kinds == ["cancellation"]


def test_seen_promotion(workshop, cooperative_user, person):
    first, _, third = (register(workshop, cooperative_user, person()) for _ in range(3))
    services.cancel_registration(first, None)
    services.seen_promotion(third)
    assert not third.promotion_unseen


def test_more_capacity_promotes_the_waiting_list(workshop, cooperative_user, person, organiser):
    regs = [register(workshop, cooperative_user, person()) for _ in range(4)]
    services.update_workshop(workshop, {"capacity": 3}, organiser)
    assert [r.status for r in regs] == ["registered", "registered", "registered", "waitlisted"]


def test_capacity_below_registered_is_refused(workshop, cooperative_user, person, organiser):
    for _ in range(2):
        register(workshop, cooperative_user, person())
    with pytest.raises(RuleBroken) as error:
        services.update_workshop(workshop, {"capacity": 1}, organiser)
    assert error.value.code == "capacity_below_registered"


def test_same_phone_twice_is_refused(workshop, cooperative_user, person):
    register(workshop, cooperative_user, person(phone="0611223344"))
    with pytest.raises(Conflict) as error:
        register(workshop, cooperative_user, person(phone="+212 611 22 33 44"))
    assert error.value.code == "already_registered"


def test_same_phone_again_after_cancelling(workshop, cooperative_user, person):
    first = register(workshop, cooperative_user, person(phone="0611223344"))
    services.cancel_registration(first, None)
    assert register(workshop, cooperative_user, person(phone="0611223344")).status == "registered"


@pytest.mark.parametrize(
    "values, field",
    [
        ({"person_name": " "}, "person_name"),
        ({"phone": "12 34"}, "phone"),
        ({"gender": None}, "gender"),
        ({"under_35": None}, "gender"),
        ({"gender": "other"}, "gender"),
    ],
)
def test_member_details_are_required(workshop, cooperative_user, person, values, field):
    with pytest.raises(RuleBroken) as error:
        register(workshop, cooperative_user, person(**values))
    assert error.value.field == field
    db.session.rollback()
    assert db.session.query(Registration).count() == 0


def test_visitors_only_for_public_workshops(future_edition, make_workshop):
    workshop = make_workshop(future_edition, audience="cooperatives")
    with pytest.raises(RuleBroken) as error:
        services.register_visitor(workshop, {"person_name": "Amal", "phone": "0600000001"})
    assert error.value.code == "cooperatives_only"


def test_visitor_registration_needs_no_gender(workshop):
    registration = services.register_visitor(
        workshop, {"person_name": "Amal", "phone": "0600000001"}
    )
    assert (registration.status, registration.gender, registration.cooperative_id) == (
        "registered",
        None,
        None,
    )


def test_registration_closes_when_the_workshop_starts(workshop):
    with pytest.raises(RuleBroken) as error:
        services.register_visitor(
            workshop,
            {"person_name": "Amal", "phone": "0600000001"},
            now=workshop.starts_at + timedelta(minutes=1),
        )
    assert error.value.code == "registration_closed"


def test_registration_needs_a_published_edition(make_edition, make_workshop):
    edition = make_edition(
        status="draft",
        starts_on=utc_now().date() + timedelta(days=2),
        ends_on=utc_now().date() + timedelta(days=4),
    )
    workshop = make_workshop(edition)
    with pytest.raises(RuleBroken):
        services.register_visitor(workshop, {"person_name": "Amal", "phone": "0600000001"})


def test_no_promotion_after_the_workshop_ended(workshop, cooperative_user, person):
    first, _, third = (register(workshop, cooperative_user, person()) for _ in range(3))
    promoted = services.cancel_registration(first, None, now=workshop.ends_at + timedelta(hours=1))
    assert promoted == [] and third.status == "waitlisted"


def test_mark_message_sent(workshop, cooperative_user, person, organiser):
    first, _, _ = (register(workshop, cooperative_user, person()) for _ in range(3))
    services.cancel_registration(first, None)
    message = db.session.scalars(select(Message)).one()
    services.mark_message_sent(message, organiser)
    assert message.sent_at is not None and message.sent_by_id == organiser.id
