"""Payouts pinned by exact values, written to kill the mutants mutmut left alive in
store/services/payouts.py: the grouping of compute_payouts across cooperatives and editions,
every refusal of mark_payout_paid at its boundary, and the on-time condition of the reports."""

from datetime import date, datetime, timedelta
from unittest.mock import patch

import pytest

from accounts.models import ActivityEntry
from core.errors import DomainError
from core.extensions import db
from core.timeutil import local_to_utc_naive
from store import services
from store.models import Payout, SaleLine
from store.services import payouts as payout_service
from store.services.payouts import on_time_condition

NOW = datetime(2024, 5, 10, 12, 0)
TICK = timedelta(microseconds=1)


def local(text):
    return local_to_utc_naive(datetime.fromisoformat(text))


def error_of(call, *args):
    with pytest.raises(DomainError) as caught:
        call(*args)
    db.session.rollback()
    return caught.value.code, caught.value.field


# The refusals people read (the tests run in French, the default language): exact sentences.
FORBIDDEN = "Seuls les organisateurs peuvent marquer les versements comme payés."
NO_REFERENCE = "Indiquez la référence du virement."
FUTURE = "La date de paiement ne peut pas être dans le futur."
NOTHING_OWED = "Rien n’est dû sur ce versement."
ALREADY_PAID = "Ce versement est déjà marqué comme payé."


def message_of(call, *args):
    with pytest.raises(DomainError) as caught:
        call(*args)
    db.session.rollback()
    return caught.value.message


def open_edition(make_edition):
    return make_edition(
        status="open",
        commission_basis_points=1250,
        starts_on=date(2022, 11, 5),
        ends_on=date(2030, 12, 31),
        hours=(0, 1440),
    )


def payout_rows(edition):
    rows = (
        db.session.query(Payout)
        .filter(Payout.edition_id == edition.id)
        .order_by(Payout.cooperative_id, Payout.due_on)
        .all()
    )
    return [(p.cooperative_id, p.due_on, p.lines_count, p.amount_centimes) for p in rows]


@pytest.fixture
def bulk_written():
    """Sale lines written past the write path (a bulk loader): compute_payouts attaches them."""
    with patch("store.services.sales.keep_payouts_current", lambda lines: []):
        yield


def test_compute_payouts_groups_by_cooperative_and_day_within_one_edition_only(
    make_edition, make_product, stock, sell, bulk_written
):
    first, second = open_edition(make_edition), open_edition(make_edition)
    honey, argan = make_product(price=4000), make_product(price=8000)
    one, two = first.sites[0], second.sites[0]
    for site in (one, two):
        for product in (honey, argan):
            stock(product, site, 50)
    day_one, day_two = local("2024-05-01T10:00"), local("2024-05-02T10:00")
    # first edition: honey on two days (twice on the first), argan once
    sell(first, one, [(honey, 1)], sold_at=day_one)
    sell(first, one, [(honey, 2)], sold_at=day_one + timedelta(hours=2))
    sell(first, one, [(honey, 1)], sold_at=day_two)
    sell(first, one, [(argan, 1)], sold_at=day_one + timedelta(hours=1))
    # second edition: the same cooperatives and days, not computed yet
    sell(second, two, [(honey, 3)], sold_at=day_one)
    sell(second, two, [(argan, 2)], sold_at=day_two)

    assert services.compute_payouts(first) == 4
    db.session.commit()
    honey_id, argan_id = honey.cooperative_id, argan.cooperative_id
    # 40.00 MAD less 12.5 % = 35.00 owed per jar of honey, 80.00 less 12.5 % = 70.00 per argan
    assert payout_rows(first) == sorted(
        [
            (honey_id, date(2024, 5, 4), 2, 3 * 3500),
            (honey_id, date(2024, 5, 5), 1, 3500),
            (argan_id, date(2024, 5, 4), 1, 7000),
        ]
    )
    first_day = (
        db.session.query(Payout)
        .filter_by(edition_id=first.id, cooperative_id=honey_id, due_on=date(2024, 5, 4))
        .one()
    )
    assert first_day.due_at == day_one + timedelta(hours=72)  # the earliest of its two lines
    assert first_day.paid_at is None and first_day.created_at is not None
    assert payout_rows(second) == []
    unattached = db.session.query(SaleLine).filter(SaleLine.payout_id.is_(None)).all()
    assert sorted(line.edition_id for line in unattached) == [second.id, second.id]

    assert services.compute_payouts(second) == 2
    db.session.commit()
    assert payout_rows(second) == sorted(
        [(honey_id, date(2024, 5, 4), 1, 3 * 3500), (argan_id, date(2024, 5, 5), 1, 2 * 7000)]
    )
    assert payout_rows(first)[0][3] == 3 * 3500  # untouched by the second edition's computing
    for payout in db.session.query(Payout):
        lines = db.session.query(SaleLine).filter_by(payout_id=payout.id).all()
        assert {(line.edition_id, line.cooperative_id, line.due_on) for line in lines} == {
            (payout.edition_id, payout.cooperative_id, payout.due_on)
        }
        assert payout.amount_centimes == sum(line.owed_centimes for line in lines)
        assert payout.due_at == min(line.due_at for line in lines)
    assert services.compute_payouts(first) == 0
    assert services.compute_payouts(second) == 0


def test_a_paid_payout_takes_no_new_line_of_its_day(
    make_edition, make_product, stock, sell, organiser, bulk_written
):
    edition = open_edition(make_edition)
    product = make_product(price=4000)
    site = edition.sites[0]
    stock(product, site, 10)
    sold_at = local("2024-05-01T10:00")
    sell(edition, site, [(product, 1)], sold_at=sold_at)
    services.compute_payouts(edition)
    paid = db.session.query(Payout).one()
    services.mark_payout_paid(paid, sold_at + timedelta(days=4), "VIR-1", organiser)
    db.session.commit()
    sell(edition, site, [(product, 2)], sold_at=sold_at - timedelta(hours=1))
    assert services.compute_payouts(edition) == 1
    db.session.commit()
    db.session.expire_all()
    paid = db.session.get(Payout, paid.id)
    assert (paid.lines_count, paid.amount_centimes, paid.due_at) == (
        1,
        3500,
        sold_at + timedelta(hours=72),
    )
    fresh = db.session.query(Payout).filter(Payout.id != paid.id).one()
    assert (fresh.due_on, fresh.lines_count, fresh.amount_centimes, fresh.paid_at) == (
        paid.due_on,
        1,
        7000,
        None,
    )
    assert fresh.due_at == sold_at - timedelta(hours=1) + timedelta(hours=72)


DAYS = iter(range(1000))


def make_payout(edition, cooperative, amount, due_at=NOW + timedelta(days=2), paid_at=None):
    payout = Payout(
        edition_id=edition.id,
        cooperative_id=cooperative.id,
        due_on=date(2024, 1, 1) + timedelta(days=next(DAYS)),
        due_at=due_at,
        amount_centimes=amount,
        lines_count=1,
        paid_at=paid_at,
        reference=None if paid_at is None else "VIR-0",
    )
    db.session.add(payout)
    db.session.commit()
    return payout


def test_mark_payout_paid_refusals_at_their_boundaries(
    make_edition, make_cooperative, make_user, organiser, cashier
):
    edition = open_edition(make_edition)
    cooperative = make_cooperative()
    payout = make_payout(edition, cooperative, 1)
    mark = services.mark_payout_paid
    with patch.object(payout_service, "utc_now", return_value=NOW):
        assert error_of(mark, payout, NOW, "VIR", cashier)[0] == "forbidden"
        assert (
            error_of(mark, payout, NOW, "VIR", make_user("cooperative", cooperative=cooperative))[0]
            == "forbidden"
        )
        assert error_of(mark, payout, NOW, "   ", organiser) == ("reference_required", "reference")
        assert error_of(mark, payout, NOW, None, organiser) == ("reference_required", "reference")
        assert error_of(mark, payout, None, "VIR", organiser) == ("bad_time", "paid_on")
        too_late = NOW + timedelta(minutes=5) + TICK
        assert error_of(mark, payout, too_late, "VIR", organiser) == ("bad_time", "paid_on")
        empty = make_payout(edition, cooperative, 0, due_at=NOW + timedelta(days=3))
        assert error_of(mark, empty, NOW, "VIR", organiser) == ("nothing_owed", None)
        # five minutes of clock drift are tolerated; one centime is worth a transfer
        marked = mark(payout, NOW + timedelta(minutes=5), "  VIR-" + "9" * 200 + "  ", organiser)
        db.session.commit()
        assert marked.paid_at == NOW + timedelta(minutes=5)
        assert marked.reference == "VIR-" + "9" * 116
        assert (marked.paid_by_id, marked.marked_at) == (organiser.id, NOW)
        entry = db.session.query(ActivityEntry).filter_by(action="payout.paid").one()
        assert (entry.actor_id, entry.subject_type, entry.subject_id) == (
            organiser.id,
            "store_payouts",
            payout.id,
        )
        assert (entry.subject_label, entry.details) == ("VIR-" + "9" * 200, {"amount_centimes": 1})
        assert error_of(mark, marked, NOW, "VIR-2", organiser) == ("already_paid", None)
        assert message_of(mark, marked, NOW, "VIR-2", organiser) == ALREADY_PAID
        assert message_of(mark, empty, NOW, "VIR", cashier) == FORBIDDEN
        assert message_of(mark, empty, NOW, " ", organiser) == NO_REFERENCE
        assert message_of(mark, empty, too_late, "VIR", organiser) == FUTURE
        assert message_of(mark, empty, NOW, "VIR", organiser) == NOTHING_OWED
    db.session.expire_all()
    again = db.session.get(Payout, payout.id)
    assert (again.reference, again.paid_at) == ("VIR-" + "9" * 116, NOW + timedelta(minutes=5))
    assert db.session.get(Payout, empty.id).paid_at is None


def test_on_time_means_paid_no_later_than_due(make_edition, make_cooperative):
    edition = open_edition(make_edition)
    cooperative = make_cooperative()
    due = NOW
    cases = {
        "early": make_payout(edition, cooperative, 100, due, paid_at=due - timedelta(days=1)),
        "on_the_dot": make_payout(edition, cooperative, 100, due + TICK, paid_at=due + TICK),
        "late": make_payout(edition, cooperative, 100, due + 2 * TICK, paid_at=due + 3 * TICK),
        "unpaid": make_payout(edition, cooperative, 100, due - timedelta(days=9)),
    }
    on_time = {
        payout_id
        for (payout_id,) in db.session.query(Payout.id).filter(
            Payout.edition_id == edition.id, on_time_condition()
        )
    }
    assert on_time == {cases["early"].id, cases["on_the_dot"].id}
