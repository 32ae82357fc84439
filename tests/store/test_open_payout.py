"""The open payout a new line joins is the one of its cooperative, due day, edition and still
unpaid (mutants 6 and 9 of lock_open_payout, which a short check could not kill)."""

from datetime import date

from core.extensions import db
from core.timeutil import utc_now
from store import services
from store.models import Payout, SaleLine


def payouts_of(cooperative):
    return (
        db.session.query(Payout)
        .filter(Payout.cooperative_id == cooperative.id)
        .order_by(Payout.edition_id, Payout.id)
        .all()
    )


def test_a_cooperative_selling_the_same_day_at_two_editions_has_one_payout_in_each(
    store_edition, make_edition, make_product, stock, sell
):
    other = make_edition(
        status="open",
        commission_basis_points=0,
        starts_on=date(2022, 11, 5),
        ends_on=date(2030, 12, 31),
        hours=(0, 1440),
    )
    product = make_product(price=3000)
    here, there = store_edition.sites[0], other.sites[0]
    stock(product, here, 5)
    stock(product, there, 5)
    now = utc_now()
    first = sell(store_edition, here, [(product, 1)], sold_at=now)
    second = sell(other, there, [(product, 2)], sold_at=now)
    payouts = payouts_of(product.cooperative)
    assert [(p.edition_id, p.lines_count) for p in payouts] == [
        (store_edition.id, 1),
        (other.id, 1),
    ]
    assert payouts[1].amount_centimes == 6000  # no commission at the other edition
    lines = {line.sale_id: line.payout_id for line in db.session.query(SaleLine)}
    assert lines == {first.id: payouts[0].id, second.id: payouts[1].id}


def test_a_sale_after_the_days_payout_was_paid_opens_a_new_payout(
    store_edition, make_product, stock, sell, organiser
):
    product = make_product(price=2000)
    site = store_edition.sites[0]
    stock(product, site, 5)
    now = utc_now()
    sell(store_edition, site, [(product, 1)], sold_at=now)
    [paid] = payouts_of(product.cooperative)
    paid_amount = paid.amount_centimes
    services.mark_payout_paid(paid, now, "VIR-1", organiser)
    db.session.commit()
    sell(store_edition, site, [(product, 2)], sold_at=now)
    paid_again, new = payouts_of(product.cooperative)
    assert paid_again.id == paid.id
    assert (paid_again.amount_centimes, paid_again.lines_count) == (paid_amount, 1)
    assert (new.paid_at, new.lines_count, new.due_on) == (None, 1, paid.due_on)
    assert new.amount_centimes == 2 * paid_amount
