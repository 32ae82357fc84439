"""Sales figures: the edition's totals and breakdowns, a cooperative's own view. Set-based."""

from sqlalchemy import case, func
from sqlalchemy.orm import joinedload

from booths.models import Cooperative
from core.extensions import db
from core.numbers import share
from core.timeutil import utc_now
from markets.models import Edition, Site
from store.models import Payout, Product, Sale, SaleLine, StockLevel
from store.services.payments import split_totals, spread_split
from store.services.payouts import on_time_condition


def _sum(column):
    return func.coalesce(func.sum(column), 0)


def grouped(edition, key, cooperative=None, join=None):
    """{key value: amount} of an edition's lines (refunds included, negative)."""
    query = db.session.query(key, _sum(SaleLine.amount_centimes)).filter(
        SaleLine.edition_id == edition.id
    )
    if join is not None:
        query = query.join(*join)
    if cooperative is not None:
        query = query.filter(SaleLine.cooperative_id == cooperative.id)
    return {value: int(amount) for value, amount in query.group_by(key).all()}


def edition_sales_figures(edition):
    """The store's figures for the dashboard and the partners' report (cross-feature contract)."""
    now = utc_now()
    paid = Payout.paid_at.isnot(None)
    totals = (
        db.session.query(
            _sum(SaleLine.amount_centimes),
            _sum(SaleLine.owed_centimes),
            _sum(SaleLine.commission_centimes),
            _sum(case((paid, SaleLine.owed_centimes), else_=0)),
            _sum(
                case(
                    (~func.coalesce(paid, False) & (SaleLine.due_at < now), SaleLine.owed_centimes),
                    else_=0,
                )
            ),
            func.count(SaleLine.id),
        )
        .outerjoin(Payout, SaleLine.payout_id == Payout.id)
        .filter(SaleLine.edition_id == edition.id)
        .one()
    )
    sales, owed, commission, paid_amount, overdue, lines = (int(value) for value in totals)
    site_slugs = dict(db.session.query(Site.id, Site.slug).filter(Site.edition_id == edition.id))
    breakdown = sales_breakdown(edition)
    return {
        "sales_centimes": sales,
        "owed_centimes": owed,
        "commission_centimes": commission,
        "paid_centimes": paid_amount,
        "overdue_centimes": overdue,
        "paid_on_time_share": paid_on_time_share(edition, now),
        "by_cooperative": breakdown["cooperative"],
        "by_channel": breakdown["channel"],
        "by_payment": spread_split(
            breakdown["payment"], split_totals(Sale.edition_id == edition.id)
        ),
        "by_site": {
            site_slugs[site_id]: amount
            for site_id, amount in breakdown["site"].items()
            if site_id in site_slugs
        },
        "by_day": {day.isoformat(): amount for day, amount in sorted(breakdown["day"].items())},
        "lines": lines,
    }


def sales_breakdown(edition):
    """One grouped pass over the edition's lines, then summed per cooperative, channel, payment,
    site and local day (five GROUP BY scans of a large table cost five times as much)."""
    keys = (
        SaleLine.cooperative_id,
        SaleLine.channel,
        SaleLine.payment,
        SaleLine.site_id,
        SaleLine.local_day,
    )
    rows = (
        db.session.query(*keys, _sum(SaleLine.amount_centimes))
        .filter(SaleLine.edition_id == edition.id)
        .group_by(*keys)
    )
    names = ("cooperative", "channel", "payment", "site", "day")
    breakdown = {name: {} for name in names}
    for *values, amount in rows:
        for name, value in zip(names, values, strict=True):
            breakdown[name][value] = breakdown[name].get(value, 0) + int(amount)
    return breakdown


def paid_on_time_share(edition, now=None):
    """Of the payouts that fell due (or were paid), the share paid by their due time."""
    now = now or utc_now()
    fell_due, on_time = (
        db.session.query(
            func.count(Payout.id),
            _sum(case((on_time_condition(), 1), else_=0)),
        )
        .filter(Payout.edition_id == edition.id, Payout.amount_centimes > 0)
        .filter((Payout.paid_at.isnot(None)) | (Payout.due_at < now))
        .one()
    )
    return share(int(on_time or 0), fell_due, digits=None)


def sales_by_sector(edition):
    return grouped(edition, Product.sector, join=(Product, SaleLine.product_id == Product.id))


def sales_by_province(edition):
    return grouped(
        edition, Cooperative.province, join=(Cooperative, SaleLine.cooperative_id == Cooperative.id)
    )


def sales_by_cooperative_named(edition):
    """[(cooperative, amount)] largest first."""
    amounts = grouped(edition, SaleLine.cooperative_id)
    cooperatives = {
        c.id: c for c in db.session.query(Cooperative).filter(Cooperative.id.in_(list(amounts)))
    }
    return sorted(
        ((cooperatives[cid], amount) for cid, amount in amounts.items()), key=lambda item: -item[1]
    )


def cooperative_sales(cooperative, edition):
    """A cooperative's own sales of an edition, by product, day, site and channel."""
    products = {
        p.id: p for p in db.session.query(Product).filter(Product.cooperative_id == cooperative.id)
    }
    by_product_rows = (
        db.session.query(
            SaleLine.product_id,
            _sum(SaleLine.quantity),
            _sum(SaleLine.amount_centimes),
            _sum(SaleLine.owed_centimes),
        )
        .filter(SaleLine.edition_id == edition.id, SaleLine.cooperative_id == cooperative.id)
        .group_by(SaleLine.product_id)
        .all()
    )
    site_slugs = dict(db.session.query(Site.id, Site.slug).filter(Site.edition_id == edition.id))
    totals = (
        db.session.query(
            _sum(SaleLine.amount_centimes),
            _sum(SaleLine.owed_centimes),
            _sum(SaleLine.commission_centimes),
            func.count(SaleLine.id),
        )
        .filter(SaleLine.edition_id == edition.id, SaleLine.cooperative_id == cooperative.id)
        .one()
    )
    return {
        "edition": edition.slug,
        "sales_centimes": int(totals[0]),
        "owed_centimes": int(totals[1]),
        "commission_centimes": int(totals[2]),
        "lines": int(totals[3]),
        "by_product": [
            {
                "product": products[pid].sku,
                "product_id": pid,
                "names": products[pid].names,
                "quantity": int(qty),
                "amount_centimes": int(amount),
                "owed_centimes": int(owed),
            }
            for pid, qty, amount, owed in sorted(by_product_rows, key=lambda row: -row[2])
        ],
        "by_day": {
            day.isoformat(): amount
            for day, amount in sorted(grouped(edition, SaleLine.local_day, cooperative).items())
        },
        "by_site": {
            site_slugs.get(site_id, ""): amount
            for site_id, amount in grouped(edition, SaleLine.site_id, cooperative).items()
        },
        "by_channel": grouped(edition, SaleLine.channel, cooperative),
    }


def recent_cooperative_lines(cooperative, edition, limit=50):
    return (
        db.session.query(SaleLine)
        .options(joinedload(SaleLine.sale), joinedload(SaleLine.product))
        .filter(SaleLine.edition_id == edition.id, SaleLine.cooperative_id == cooperative.id)
        .order_by(SaleLine.occurred_at.desc(), SaleLine.id.desc())
        .limit(limit)
        .all()
    )


def cooperative_editions(cooperative):
    """Editions in which the cooperative sold or holds stock, newest first."""

    sold = db.session.query(SaleLine.edition_id).filter(SaleLine.cooperative_id == cooperative.id)
    stocked = (
        db.session.query(Site.edition_id)
        .join(StockLevel, StockLevel.site_id == Site.id)
        .join(Product, StockLevel.product_id == Product.id)
        .filter(Product.cooperative_id == cooperative.id)
    )
    ids = {row[0] for row in sold.distinct()} | {row[0] for row in stocked.distinct()}
    return (
        db.session.query(Edition)
        .filter(Edition.id.in_(ids))
        .order_by(Edition.starts_on.desc())
        .all()
    )
