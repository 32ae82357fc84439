"""Sales figures: the edition's totals and breakdowns, a cooperative's own view. Set-based."""

from datetime import date, datetime, time

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.orm import joinedload

from booths.models import Cooperative
from core.extensions import db
from core.numbers import share
from core.timeutil import local_to_utc_naive, to_local, utc_now
from markets.models import Edition, Site
from store.models import Payout, Product, SaleLine, SalesTally, StockLevel
from store.services.payments import spread_split
from store.services.payouts import on_time_condition
from store.services.tallies import (
    WHOLE_EDITION,
    cooperative_tallies,
    owed_due_before,
    owed_unpaid_due_between,
    tallies,
)

# The cooperatives a page lists by their sales: a national salon has 640 exhibitors; the CSV and
# the ZIP of figures have them all.
TOP_SELLERS = 20


def _sum(column):
    return func.coalesce(func.sum(column), 0)


def edition_sales_figures(edition):
    """The store's figures for the dashboard and the partners' report (cross-feature contract).

    Read from the sales tallies (store/services/tallies.py), not from every line: the same
    numbers as the lines' GROUP BY, in a time that does not grow with the edition's lines."""
    now = utc_now()
    whole = tallies(edition.id, "all").get("")
    site_slugs = dict(db.session.query(Site.id, Site.slug).filter(Site.edition_id == edition.id))
    breakdown = sales_breakdown(edition)
    split = {
        method: int(row.amount_centimes) for method, row in tallies(edition.id, "split").items()
    }
    paid = paid_owed(edition)
    return {
        "sales_centimes": int(whole.amount_centimes) if whole else 0,
        "owed_centimes": int(whole.owed_centimes) if whole else 0,
        "commission_centimes": int(whole.commission_centimes) if whole else 0,
        "paid_centimes": paid,
        "overdue_centimes": overdue_owed(edition, now),
        "paid_on_time_share": paid_on_time_share(edition, now),
        "by_cooperative": breakdown["cooperative"],
        "by_channel": breakdown["channel"],
        "by_payment": spread_split(breakdown["payment"], split),
        "by_site": {
            site_slugs[site_id]: amount
            for site_id, amount in breakdown["site"].items()
            if site_id in site_slugs
        },
        "by_day": {day.isoformat(): amount for day, amount in sorted(breakdown["day"].items())},
        "lines": int(whole.lines) if whole else 0,
    }


def amounts(rows, convert=str):
    """{converted key: amount} of {key: SalesTally}."""
    return {convert(key): int(row.amount_centimes) for key, row in rows.items()}


def site_id_of(key):
    return int(key) if key else None


def sales_breakdown(edition):
    """{cooperative, channel, payment, site, day: {value: amount}} of the edition's lines."""
    return {
        "cooperative": {
            row.cooperative_id: int(row.amount_centimes)
            for row in cooperative_tallies(edition.id, "all")
        },
        "channel": amounts(tallies(edition.id, "channel")),
        "payment": amounts(tallies(edition.id, "payment")),
        "site": amounts(tallies(edition.id, "site"), site_id_of),
        "day": amounts(tallies(edition.id, "day"), date.fromisoformat),
    }


def paid_owed(edition):
    """What the paid payouts hold: a payout is paid with every line it holds, and no line is
    attached to it afterwards, so its amount is the sum of its lines."""
    return int(
        db.session.query(_sum(Payout.amount_centimes))
        .filter(Payout.edition_id == edition.id, Payout.paid_at.isnot(None))
        .scalar()
    )


def overdue_owed(edition, now):
    """Owed on unpaid lines whose due time has passed. Whole local due days before today come
    from the tallies less the paid payouts of those days; today from the hourly tallies of its
    whole hours gone by and the lines due in this hour so far, less what today's paid payouts
    hold of them: no read grows with the edition's lines."""
    today = to_local(now).date()
    before = owed_due_before(edition.id, today)
    paid_before = db.session.query(_sum(Payout.amount_centimes)).filter(
        Payout.edition_id == edition.id, Payout.paid_at.isnot(None), Payout.due_on < today
    )
    return before - int(paid_before.scalar()) + overdue_owed_today(edition, today, now)


def overdue_owed_today(edition, today, now):
    day_start = local_to_utc_naive(datetime.combine(today, time()))
    this_hour = max(day_start, now.replace(minute=0, second=0, microsecond=0))
    hours_gone_by = owed_unpaid_due_between(edition.id, day_start, this_hour)
    this_hours_unpaid = (
        db.session.query(_sum(SaleLine.owed_centimes))
        .outerjoin(Payout, SaleLine.payout_id == Payout.id)
        .filter(SaleLine.edition_id == edition.id, SaleLine.due_on == today)
        .filter(SaleLine.due_at >= this_hour, SaleLine.due_at < now, Payout.paid_at.is_(None))
    )
    return hours_gone_by + int(this_hours_unpaid.scalar())


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
    """{sector: amount}, by each product's sector as the catalogue says now (the products'
    tallies joined to the catalogue and summed in the database)."""
    product_id = cast(SalesTally.key, Integer)
    rows = db.session.execute(
        select(Product.sector, func.sum(SalesTally.amount_centimes))
        .join(Product, Product.id == product_id)
        .where(
            SalesTally.edition_id == edition.id,
            SalesTally.cooperative_id != WHOLE_EDITION,
            SalesTally.dimension == "product",
        )
        .group_by(Product.sector)
    )
    return {sector: int(amount) for sector, amount in rows}


def cooperatives_sales(edition, *columns):
    """The edition's cooperatives' sales (their "all" tallies) joined to the registry's columns,
    in one query (no list of 640 ids sent back to the database)."""
    return (
        select(*columns)
        .select_from(SalesTally)
        .join(Cooperative, Cooperative.id == SalesTally.cooperative_id)
        .where(
            SalesTally.edition_id == edition.id,
            SalesTally.cooperative_id != WHOLE_EDITION,
            SalesTally.dimension == "all",
        )
    )


def sales_by_province(edition):
    amount = func.sum(SalesTally.amount_centimes)
    rows = db.session.execute(
        cooperatives_sales(edition, Cooperative.province, amount).group_by(Cooperative.province)
    )
    return {province: int(total) for province, total in rows}


def sales_by_cooperative_named(edition):
    """[(cooperative, amount)] largest first; each cooperative a plain row of its id and names
    (a national salon's 640 as ORM objects cost more than the rest of the store report)."""
    rows = db.session.execute(
        cooperatives_sales(
            edition,
            Cooperative.id,
            Cooperative.name_latin,
            Cooperative.name_ar,
            SalesTally.amount_centimes,
        ).order_by(SalesTally.amount_centimes.desc(), Cooperative.id)
    )
    return [(row, int(row.amount_centimes)) for row in rows]


def cooperative_sales(cooperative, edition):
    """A cooperative's own sales of an edition, by product, day, site and channel (tallies)."""
    whole = tallies(edition.id, "all", cooperative.id).get("")
    by_product = tallies(edition.id, "product", cooperative.id)
    products = {
        p.id: p
        for p in db.session.query(Product).filter(Product.id.in_({int(k) for k in by_product}))
    }
    site_slugs = dict(db.session.query(Site.id, Site.slug).filter(Site.edition_id == edition.id))
    rows = sorted(by_product.values(), key=lambda row: -row.amount_centimes)
    by_day = amounts(tallies(edition.id, "day", cooperative.id), date.fromisoformat)
    by_site = amounts(tallies(edition.id, "site", cooperative.id), site_id_of)
    return {
        "edition": edition.slug,
        "sales_centimes": int(whole.amount_centimes) if whole else 0,
        "owed_centimes": int(whole.owed_centimes) if whole else 0,
        "commission_centimes": int(whole.commission_centimes) if whole else 0,
        "lines": int(whole.lines) if whole else 0,
        "by_product": [
            {
                "product": products[int(row.key)].sku,
                "product_id": int(row.key),
                "names": products[int(row.key)].names,
                "quantity": int(row.quantity),
                "amount_centimes": int(row.amount_centimes),
                "owed_centimes": int(row.owed_centimes),
            }
            for row in rows
        ],
        "by_day": {day.isoformat(): amount for day, amount in sorted(by_day.items())},
        "by_site": {site_slugs.get(site_id, ""): amount for site_id, amount in by_site.items()},
        "by_channel": amounts(tallies(edition.id, "channel", cooperative.id)),
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

    sold = db.session.query(SalesTally.edition_id).filter(
        SalesTally.cooperative_id == cooperative.id, SalesTally.dimension == "all"
    )
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
