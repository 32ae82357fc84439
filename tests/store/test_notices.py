"""Messages and activity entries of the store: daily sales, payouts, voids, stock adjustments."""

from datetime import timedelta

from sqlalchemy import select

from accounts.models import ActivityEntry, OutboundMessage
from core.extensions import db
from core.timeutil import to_local, utc_now
from store import services
from store.services.notices import tell_daily_sales, tell_overdue_payouts
from tests.pdf_tools import pdf_text


def messages(event):
    return db.session.scalars(
        select(OutboundMessage).where(OutboundMessage.event == event).order_by(OutboundMessage.id)
    ).all()


def test_each_cooperative_that_sold_hears_its_day(
    app, store_edition, make_product, make_cooperative, stock, sell
):
    site = store_edition.sites[0]
    quiet = make_cooperative()  # sold nothing: hears nothing
    honey, oil = make_product(price=4500), make_product(price=12000)
    stock(honey, site, 10)
    stock(oil, site, 10)
    sell(store_edition, site, [(honey, 2), (oil, 1)])
    day = to_local(utc_now()).date()
    assert tell_daily_sales(day) == 2
    db.session.commit()
    summaries = messages("daily_sales")
    assert sorted(m.cooperative_id for m in summaries) == sorted(
        [honey.cooperative_id, oil.cooperative_id]
    )
    assert quiet.id not in {m.cooperative_id for m in summaries}
    honey_text = next(m for m in summaries if m.cooperative_id == honey.cooperative_id).body_text
    assert "2" in honey_text and "90,00" in honey_text


def test_paid_payout_is_logged_and_told_with_its_statement_and_overdue_ones_reach_organisers(
    app, store_edition, make_product, stock, sell, organiser
):
    organiser.email = "boss@example.ma"
    site = store_edition.sites[0]
    honey = make_product(price=4500)
    stock(honey, site, 10)
    sell(store_edition, site, [(honey, 2)], sold_at=utc_now() - timedelta(days=5))
    services.compute_payouts(store_edition)
    db.session.commit()
    [payout] = services.list_payouts(store_edition)
    assert tell_overdue_payouts() == 1
    [reminder] = messages("payout_overdue")
    assert reminder.address == "boss@example.ma"
    assert f"http://localhost/store/editions/{store_edition.slug}/payouts" in reminder.body_text

    services.mark_payout_paid(payout, utc_now(), "VIR-001", organiser)
    db.session.commit()
    [told] = messages("payout_paid")
    assert (told.attachment_type, told.attachment[:4]) == ("application/pdf", b"%PDF")
    assert f"http://localhost/store/payouts/{payout.id}/statement.pdf" in told.body_text
    [entry] = db.session.scalars(
        select(ActivityEntry).where(ActivityEntry.action == "payout.paid")
    ).all()
    assert (entry.actor_id, entry.cooperative_id, entry.subject_label) == (
        organiser.id,
        honey.cooperative_id,
        "VIR-001",
    )


def test_voids_refunds_and_adjustments_are_logged_with_their_author(
    app, store_edition, make_product, stock, sell, organiser, cashier
):
    site = store_edition.sites[0]
    honey = make_product()
    stock(honey, site, 10)
    sale = sell(store_edition, site, [(honey, 3)])
    line = sale.lines[0]
    services.refund_sale(sale, {line.id: 1}, "cassé", cashier)
    services.void_sale(sale, "erreur de caisse", organiser)
    services.adjust_stock(honey, site, -1, "breakage", "pot tombé", organiser)
    db.session.commit()
    logged = [
        (e.action, e.actor_id, e.reason)
        for e in db.session.scalars(
            select(ActivityEntry)
            .where(ActivityEntry.action.in_(("sale.refund", "sale.void", "stock.adjust")))
            .order_by(ActivityEntry.id)
        )
    ]
    assert logged == [
        ("sale.refund", cashier.id, "cassé"),
        ("sale.void", organiser.id, "erreur de caisse"),
        ("stock.adjust", organiser.id, "pot tombé"),
    ]


def test_the_payout_statement_is_in_the_cooperatives_language(
    app, store_edition, make_product, stock, sell, organiser, make_user
):
    site = store_edition.sites[0]
    honey = make_product(price=4500)
    member = make_user("cooperative", username="member", cooperative=honey.cooperative)
    member.email, member.language = "member@example.ma", "es"
    stock(honey, site, 10)
    sell(store_edition, site, [(honey, 2)], sold_at=utc_now() - timedelta(days=5))
    services.compute_payouts(store_edition)
    db.session.commit()
    [payout] = services.list_payouts(store_edition)
    services.mark_payout_paid(payout, utc_now(), "VIR-002", organiser)  # an organiser in French
    db.session.commit()
    [told] = messages("payout_paid")
    assert (told.address, told.language) == ("member@example.ma", "es")
    text = pdf_text(told.attachment)
    assert f"Extracto de liquidación n.º {payout.id}" in text
    assert "Relevé de versement" not in text
