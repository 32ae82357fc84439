"""Sales tallies: the running sums the reports read instead of every sale line.

Each write of sale lines (a sale, a refund, a void) adds its lines here with one
INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n, in the write's own transaction, so the
tallies are exactly the GROUP BY of the lines at every commit. `rebuild_tallies` recomputes them
from the lines (the bulk loaders, which insert lines without the services, call it).
"""

from sqlalchemy import String, case, cast, delete, func, insert, literal_column, select

from core.database import add_to_counter_rows, hour_key_column
from core.extensions import db
from core.timeutil import hour_key
from store.models import Payout, Sale, SaleLine, SalePayment, SalesTally

WHOLE_EDITION = 0
SUMS = ("quantity", "amount_centimes", "owed_centimes", "commission_centimes", "lines")
# (scope, dimension, the line's key): scope "edition" is cooperative 0, "cooperative" its own.
# "due_hour": the UTC hour the lines fall due; "paid_hour": the same of the lines whose payout
# is paid (written when it is marked paid): the overdue figure reads today's hours from both.
DUE_HOUR, PAID_HOUR = "due_hour", "paid_hour"
EDITION_KEYS = ("all", "channel", "payment", "site", "day", DUE_HOUR)
COOPERATIVE_KEYS = ("all", "product", "day", "site", "channel", "due")


def line_key(line, dimension):
    """The tally key of a line (an object or a mapping) for one dimension, as stored."""
    value = line.get if isinstance(line, dict) else lambda name: getattr(line, name)
    if dimension == "all":
        return ""
    if dimension in ("channel", "payment"):
        return value(dimension)
    if dimension == "site":
        return "" if value("site_id") is None else str(value("site_id"))
    if dimension == "product":
        return str(value("product_id"))
    if dimension == "day":
        return value("local_day").isoformat()
    if dimension == DUE_HOUR:
        return hour_key(value("due_at"))
    return value("due_on").isoformat()  # due


def line_sums(line):
    value = line.get if isinstance(line, dict) else lambda name: getattr(line, name)
    return (
        value("quantity"),
        value("amount_centimes"),
        value("owed_centimes"),
        value("commission_centimes"),
        1,
    )


def add(increments, key, sums):
    old = increments.get(key, (0, 0, 0, 0, 0))
    increments[key] = tuple(a + b for a, b in zip(old, sums, strict=True))


def tally_sale_lines(lines, split_parts=()):
    """Add new sale lines (and, for a split payment, its parts [(method, amount, ...)]) to the
    tallies of their edition. The one call each write of lines makes."""
    increments = {}
    edition_id = None
    for line in lines:
        value = line.get if isinstance(line, dict) else lambda name, line=line: getattr(line, name)
        edition_id, cooperative_id = value("edition_id"), value("cooperative_id")
        sums = line_sums(line)
        for dimension in EDITION_KEYS:
            add(increments, (edition_id, WHOLE_EDITION, dimension, line_key(line, dimension)), sums)
        for dimension in COOPERATIVE_KEYS:
            add(
                increments, (edition_id, cooperative_id, dimension, line_key(line, dimension)), sums
            )
    for method, amount, *_rest in split_parts:
        add(increments, (edition_id, WHOLE_EDITION, "split", method), (0, amount, 0, 0, 0))
    write_increments(increments)


def paid_lines_by_hour(*conditions):
    """The "paid_hour" tallies of the lines of the paid payouts the conditions choose."""
    hour = hour_key_column(SaleLine.due_at)
    return (
        select(
            SaleLine.edition_id,
            literal_column(str(WHOLE_EDITION)),
            literal_column(f"'{PAID_HOUR}'"),
            hour,
            *line_sum_columns(),
        )
        .join(Payout, Payout.id == SaleLine.payout_id)
        .where(Payout.paid_at.isnot(None), *conditions)
        .group_by(SaleLine.edition_id, hour)
    )


def tally_paid_payouts(*conditions):
    """Add the lines of payouts just marked paid (chosen by `conditions` on Payout) to the
    "paid_hour" tallies, in the marking's own transaction. A paid payout is closed for good:
    its lines never change and no line joins it afterwards, so each is added once."""
    increments = {}
    for edition_id, _scope, dimension, key, *sums in db.session.execute(
        paid_lines_by_hour(*conditions)
    ):
        add(increments, (edition_id, WHOLE_EDITION, dimension, key), tuple(int(n) for n in sums))
    write_increments(increments)


def line_sum_columns():
    return (
        func.sum(SaleLine.quantity),
        func.sum(SaleLine.amount_centimes),
        func.sum(SaleLine.owed_centimes),
        func.sum(SaleLine.commission_centimes),
        func.count(SaleLine.id),
    )


def write_increments(increments):
    """One upsert (the counters' shared helper: keys sorted, n = n + excluded.n)."""
    rows = [
        {
            "edition_id": edition_id,
            "cooperative_id": cooperative_id,
            "dimension": dimension,
            "key": key,
            **dict(zip(SUMS, sums, strict=True)),
        }
        for (edition_id, cooperative_id, dimension, key), sums in increments.items()
    ]
    add_to_counter_rows(
        SalesTally.__table__, ("edition_id", "cooperative_id", "dimension", "key"), SUMS, rows
    )


def key_column(dimension):
    """The SQL expression of a line's key (line_key in SQL, for the rebuild)."""
    if dimension == "all":
        return None
    if dimension in ("channel", "payment"):
        return getattr(SaleLine, dimension)
    if dimension == "site":
        return func.coalesce(cast(SaleLine.site_id, String), "")
    if dimension == "product":
        return cast(SaleLine.product_id, String)
    if dimension == DUE_HOUR:
        return hour_key_column(SaleLine.due_at)
    return cast(SaleLine.local_day if dimension == "day" else SaleLine.due_on, String)


def rebuild_tallies(edition_id):
    """Recompute an edition's tallies from its lines and payments (set-based, a few statements)."""
    db.session.execute(delete(SalesTally).where(SalesTally.edition_id == edition_id))
    sums = line_sum_columns()
    columns = ["edition_id", "cooperative_id", "dimension", "key", *SUMS]
    scopes = [(None, name) for name in EDITION_KEYS] + [
        (SaleLine.cooperative_id, name) for name in COOPERATIVE_KEYS
    ]
    for scope, dimension in scopes:
        key = key_column(dimension)
        # constants inlined (never grouped by: PostgreSQL reads GROUP BY 0 as a position)
        groups = [column for column in (SaleLine.edition_id, scope, key) if column is not None]
        query = (
            select(
                SaleLine.edition_id,
                literal_column(str(WHOLE_EDITION)) if scope is None else scope,
                literal_column(f"'{dimension}'"),
                literal_column("''") if key is None else key,
                *sums,
            )
            .where(SaleLine.edition_id == edition_id)
            .group_by(*groups)
        )
        db.session.execute(insert(SalesTally).from_select(columns, query))
    split = (
        select(
            Sale.edition_id,
            literal_column(str(WHOLE_EDITION)),
            literal_column("'split'"),
            SalePayment.method,
            literal_column("0"),
            func.sum(SalePayment.amount_centimes),
            literal_column("0"),
            literal_column("0"),
            literal_column("0"),
        )
        .join(Sale, Sale.id == SalePayment.sale_id)
        .where(Sale.edition_id == edition_id, Sale.payment == "split")
        .group_by(Sale.edition_id, SalePayment.method)
    )
    db.session.execute(insert(SalesTally).from_select(columns, split))
    paid = paid_lines_by_hour(SaleLine.edition_id == edition_id)
    db.session.execute(insert(SalesTally).from_select(columns, paid))


def tally_rows(*conditions):
    """The tallies' columns as plain rows (attribute access, like the model): reports read
    thousands of them at a national salon, and ORM objects cost ten times as much to make."""
    columns = [SalesTally.cooperative_id, SalesTally.key] + [
        SalesTally.__table__.c[n] for n in SUMS
    ]
    return db.session.execute(select(*columns).where(*conditions)).all()


def tallies(edition_id, dimension, cooperative_id=WHOLE_EDITION):
    """{key: row} of one dimension of an edition (or of one cooperative in it)."""
    rows = tally_rows(
        SalesTally.edition_id == edition_id,
        SalesTally.cooperative_id == cooperative_id,
        SalesTally.dimension == dimension,
    )
    return {row.key: row for row in rows}


def cooperative_tallies(edition_id, dimension):
    """[row] of one dimension for every cooperative of an edition."""
    return tally_rows(
        SalesTally.edition_id == edition_id,
        SalesTally.cooperative_id != WHOLE_EDITION,
        SalesTally.dimension == dimension,
    )


def owed_unpaid_due_between(edition_id, start, end):
    """Owed on the edition's lines due in the whole UTC hours from `start` to before `end` whose
    payout is not paid: what fell due ("due_hour") less what paid payouts hold ("paid_hour")."""
    unpaid = case(
        (SalesTally.dimension == PAID_HOUR, -SalesTally.owed_centimes),
        else_=SalesTally.owed_centimes,
    )
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(unpaid), 0)).where(
                SalesTally.edition_id == edition_id,
                SalesTally.cooperative_id == WHOLE_EDITION,
                SalesTally.dimension.in_((DUE_HOUR, PAID_HOUR)),
                SalesTally.key >= hour_key(start),
                SalesTally.key < hour_key(end),
            )
        )
    )


def owed_due_before(edition_id, day):
    """Owed on the edition's lines due on local days before `day` (ISO keys sort as dates)."""
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(SalesTally.owed_centimes), 0)).where(
                SalesTally.edition_id == edition_id,
                SalesTally.cooperative_id != WHOLE_EDITION,
                SalesTally.dimension == "due",
                SalesTally.key < day.isoformat(),
            )
        )
    )
