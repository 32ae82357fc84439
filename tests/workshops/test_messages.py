"""People registered for a workshop hear of their seat, their promotion and a cancellation."""

from sqlalchemy import select

from accounts.models import OutboundMessage
from core.extensions import db
from workshops import services


def test_registration_waiting_list_promotion_and_cancellation_are_told_by_sms(
    app, future_edition, make_workshop, person, organiser
):
    workshop = make_workshop(future_edition, capacity=1)
    with app.test_request_context("/?lang=fr"):
        first = services.register_visitor(workshop, person(phone="0611111111"))
        services.register_visitor(workshop, person(phone="0622222222"))
        services.cancel_registration(first, organiser, by="organiser")
        db.session.commit()
    told = db.session.execute(
        select(OutboundMessage.event, OutboundMessage.address, OutboundMessage.channel).order_by(
            OutboundMessage.id
        )
    ).all()
    assert told == [
        ("workshop_registration", "0611111111", "sms"),
        ("workshop_registration", "0622222222", "sms"),
        ("workshop_cancellation", "0611111111", "sms"),
        ("workshop_promotion", "0622222222", "sms"),
    ]
    waiting = db.session.scalars(select(OutboundMessage.body_text)).all()[1]
    assert "liste d'attente" in waiting and "Atelier" in waiting
