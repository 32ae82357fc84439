"""Rules of store/services/payouts.py that a whole-module mutmut run found unpinned (issue 11):
a sheet or a filtered list judges every payout at one moment, the totals of a bucket whose
payouts owe nothing are zero, and the on-time condition is false, never unknown, for an
unpaid payout (so that its negation can be counted), a refund of a line not attached yet, and
the message and statement a cooperative gets when it is paid."""

from datetime import date, datetime, time, timedelta
from itertools import chain, repeat
from unittest.mock import patch

from flask_babel import force_locale
from sqlalchemy import not_, select, update

from accounts.models import OutboundMessage
from core.extensions import db
from core.money import format_mad
from core.timeutil import local_to_utc_naive, show_datetime, to_local, utc_now
from store import services
from store.models import Payout, SaleLine
from store.services import payouts as payout_service
from store.services.payouts import on_time_condition, payout_totals, transfer_rows
from tests.pdf_tools import pdf_text
from tests.store.test_payout_runs import market  # noqa: F401 (the fixture)

NOW = datetime(2024, 5, 4, 12, 0)  # after the 4 May payouts fell due, a day before 5 May's
LATER = datetime(2024, 6, 1, 12, 0)  # every payout of the market overdue


def a_clock_that_moves():
    """utc_now answering NOW once, then LATER: a second reading of the clock shows."""
    return patch.object(payout_service, "utc_now", side_effect=chain([NOW], repeat(LATER)))


def test_the_transfer_sheet_judges_every_row_at_the_moment_it_is_made(market):  # noqa: F811
    with a_clock_that_moves():
        statuses = [row[-1] for row in transfer_rows(market["edition"])]
    assert statuses == ["overdue", "overdue", "overdue", "due_soon", "due"]


def test_a_list_filtered_by_status_judges_every_payout_at_one_moment(market):  # noqa: F811
    with a_clock_that_moves():
        due = services.list_payouts(market["edition"], status="due")
    assert [(p.cooperative.name_latin, p.due_on) for p in due] == [
        ("Miel du Rif", date(2024, 5, 12))
    ]
    with a_clock_that_moves():
        soon = services.list_payouts(market["edition"], status="due_soon")
    assert [p.due_on for p in soon] == [date(2024, 5, 5)]


def add_payout(edition, cooperative, day, amount, due_at, paid_at=None):
    payout = Payout(
        edition_id=edition.id,
        cooperative_id=cooperative.id,
        due_on=date(2024, 1, day),
        due_at=due_at,
        amount_centimes=amount,
        lines_count=2,
        paid_at=paid_at,
        reference=None if paid_at is None else f"VIR-{day}",
    )
    db.session.add(payout)
    db.session.flush()
    return payout


def test_a_bucket_whose_payouts_owe_nothing_totals_zero(app, make_edition, make_cooperative):
    """A sale and its void net to nothing: the payout counts, its amount is 0.00."""
    edition = make_edition(status="open")
    cooperative = make_cooperative()
    add_payout(edition, cooperative, 1, 0, NOW + timedelta(days=5))
    add_payout(edition, cooperative, 2, 0, NOW - timedelta(days=1))
    add_payout(edition, cooperative, 3, 250, NOW - timedelta(days=2))
    with patch.object(payout_service, "utc_now", return_value=NOW):
        totals = payout_totals(edition)
    assert totals == {
        "due": {"count": 1, "amount": 0},
        "due_soon": {"count": 0, "amount": 0},
        "overdue": {"count": 2, "amount": 250},
        "paid": {"count": 0, "amount": 0},
    }


def test_an_unpaid_payout_is_not_on_time_and_its_negation_says_so(
    app, make_edition, make_cooperative
):
    """SQL's NULL would make `paid_at <= due_at` unknown for an unpaid payout: the condition
    names `paid_at IS NOT NULL` so that NOT on-time selects the late and the unpaid ones."""
    edition = make_edition(status="open")
    cooperative = make_cooperative()
    early = add_payout(edition, cooperative, 1, 100, NOW, paid_at=NOW - timedelta(hours=1))
    late = add_payout(edition, cooperative, 2, 100, NOW, paid_at=NOW + timedelta(hours=1))
    unpaid = add_payout(edition, cooperative, 3, 100, NOW - timedelta(days=3))

    def ids(condition):
        query = db.session.query(Payout.id).filter(Payout.edition_id == edition.id, condition)
        return {payout_id for (payout_id,) in query}

    assert ids(on_time_condition()) == {early.id}
    assert ids(not_(on_time_condition())) == {late.id, unpaid.id}


def test_a_refund_of_a_line_not_attached_yet_keeps_its_due_time(
    store_edition, make_product, stock, sell, cashier
):
    """Lines written by a bulk loader wait for the periodic task: a refund of one is due with
    it (no payout to look at yet), and computing puts both in the same payout."""
    site = store_edition.sites[0]
    product = make_product(price=4000)
    stock(product, site, 10)
    with patch("store.services.sales.keep_payouts_current", lambda lines: []):
        sale = sell(store_edition, site, [(product, 3)])
        [line] = sale.lines
        assert line.payout_id is None
        [refund] = services.refund_sale(sale, {line.id: 1}, "Pot fêlé", cashier)
        db.session.commit()
    assert (refund.due_at, refund.due_on, refund.payout_id) == (line.due_at, line.due_on, None)
    assert services.compute_payouts(store_edition) == 2
    db.session.commit()
    [payout] = db.session.query(Payout).all()
    assert (payout.lines_count, payout.amount_centimes) == (2, 2 * 3500)


def format_mad_en(centimes):
    with force_locale("en"):
        return format_mad(centimes)


def test_the_paid_message_names_the_amount_the_cooperative_and_the_edition(
    store_edition, make_product, stock, sell, organiser, make_user
):
    site = store_edition.sites[0]
    honey = make_product(price=4000)
    member = make_user("cooperative", username="member", cooperative=honey.cooperative)
    member.email, member.language = "member@example.ma", "en"
    stock(honey, site, 10)
    sell(store_edition, site, [(honey, 2)], sold_at=utc_now() - timedelta(days=5))
    [payout] = services.list_payouts(store_edition)
    moment = utc_now().replace(microsecond=0)
    with patch.object(payout_service, "utc_now", return_value=moment):
        services.mark_payout_paid(payout, moment, "VIR-7", organiser)
    db.session.commit()
    [told] = db.session.scalars(
        select(OutboundMessage).where(OutboundMessage.event == "payout_paid")
    ).all()
    with force_locale("en"):
        amount, generated = format_mad(2 * 3500), show_datetime(moment)
    assert told.subject == f"Payout paid: {amount}"
    name = honey.cooperative.name_latin
    assert f"A payout of {amount} was paid to {name}. The statement is attached." in told.body_text
    assert (told.edition_id, told.cooperative_id) == (store_edition.id, honey.cooperative_id)
    assert told.attachment_name == f"statement-{payout.id}.pdf"
    statement = " ".join(pdf_text(told.attachment).split())
    assert f"Payout statement no. {payout.id}" in statement
    assert "Status: paid" in statement
    # its one line, with the channel's name, and the moment it was made
    assert f"{honey.sku} Store 2 {format_mad_en(8000)}" in statement
    assert f"Generated {' '.join(generated.split())}" in statement  # its space is a no-break one


def test_a_payouts_lines_are_in_sale_order_then_line_order(
    store_edition, make_product, stock, sell
):
    """The statement's lines: oldest sale first, the lines of one sale in their order, whatever
    order the database keeps them in (an UPDATE moves a row to the end of PostgreSQL's heap)."""
    site = store_edition.sites[0]
    honey, argan = make_product(price=4000), make_product(price=8000)
    honey.cooperative_id = argan.cooperative_id  # one cooperative, one payout
    db.session.commit()
    for product in (honey, argan):
        stock(product, site, 10)
    # yesterday at ten, local: both sales fall on one local day whatever the hour of the run
    # (two hours before 01:45 is the day before, and then they are two payouts)
    yesterday = to_local(utc_now()).date() - timedelta(days=1)
    sold = local_to_utc_naive(datetime.combine(yesterday, time(10)))
    late = sell(store_edition, site, [(honey, 1)], sold_at=sold + timedelta(minutes=30))
    early = sell(store_edition, site, [(honey, 2), (argan, 1)], sold_at=sold)
    first, second = sorted(early.lines, key=lambda line: line.id)
    db.session.execute(
        update(SaleLine).where(SaleLine.id == first.id).values(quantity=SaleLine.quantity)
    )
    db.session.commit()
    [payout] = db.session.query(Payout).all()
    lines = payout_service.payout_lines(payout)
    assert [line.id for line in lines] == [first.id, second.id, late.lines[0].id]
