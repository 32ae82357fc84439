"""A seat freed up for someone reading Tamazight: the message keeps the three-letter code."""

from sqlalchemy import select

from core.extensions import db
from workshops import services
from workshops.models import Message


def test_promotion_message_in_tamazight(app, future_edition, make_workshop, make_user, person):
    workshop = make_workshop(future_edition, capacity=1)
    cooperative_user = make_user("cooperative")
    with app.test_request_context("/?lang=zgh"):
        first, second = (
            services.register_member(
                workshop, cooperative_user.cooperative, person(), cooperative_user
            )
            for _ in range(2)
        )
        db.session.commit()
        assert services.cancel_registration(first, cooperative_user, by="cooperative") == [second]
        db.session.commit()
    message = db.session.scalars(select(Message)).one()
    assert (message.kind, message.language) == ("promotion", "zgh")
