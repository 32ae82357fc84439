"""Consignment stock: a ledger of movements per product and site, and the levels it adds up to.

Every change goes through `move_stock`, which writes a ledger row and updates the level with a
guarded set-based statement (`quantity = quantity + n WHERE quantity + n >= 0`), so two tills
selling the last unit give exactly one sale and stock never goes below zero.
"""

from flask_babel import gettext as _
from sqlalchemy import case, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer, joinedload

from accounts.activity import record_activity
from booths.models import Cooperative
from booths.services.registry import cooperative_matches
from core.database import conflict_insert
from core.errors import Forbidden, NotFound, RuleBroken
from core.extensions import db
from markets.models import Site
from store.models import ADJUSTMENT_REASONS, Deposit, Product, StockLevel, StockMovement
from store.services.catalogue import product_matches
from store.services.onssa import refuse_without_onssa


def ensure_stock_row(product_id, site_id):
    """Create the (product, site) level row if missing, race-safely (ON CONFLICT DO NOTHING)."""
    statement = (
        conflict_insert(StockLevel)
        .values(product_id=product_id, site_id=site_id, quantity=0)
        .on_conflict_do_nothing(index_elements=["product_id", "site_id"])
    )
    db.session.execute(statement)


def change_level(product_id, site_id, delta):
    """Add delta to a level; False (and nothing changed) when it would go below zero."""
    if delta > 0:
        ensure_stock_row(product_id, site_id)
    result = db.session.execute(
        update(StockLevel)
        .where(
            StockLevel.product_id == product_id,
            StockLevel.site_id == site_id,
            StockLevel.quantity + delta >= 0,
        )
        .values(quantity=StockLevel.quantity + delta)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def out_of_stock(product):
    return RuleBroken(
        _("Not enough %(sku)s in stock at this site.", sku=product.sku),
        code="out_of_stock",
        field="quantity",
    )


def move_stock(product, site_id, kind, delta, actor=None, reason=None, comment="", **links):
    """Write one ledger row and update the level; raises out_of_stock when it cannot."""
    if not isinstance(delta, int) or delta == 0:
        raise RuleBroken(
            _("The quantity must be a whole number other than zero."),
            code="bad_quantity",
            field="quantity",
        )
    if not change_level(product.id, site_id, delta):
        raise out_of_stock(product)
    movement = StockMovement(
        product_id=product.id,
        site_id=site_id,
        kind=kind,
        quantity=delta,
        reason=reason,
        comment=comment or "",
        actor_id=actor.id if actor is not None else None,
        **links,
    )
    db.session.add(movement)
    return movement


def handover_refusal(site):
    """Why no deposit or return can be recorded at the site (the DomainError), or None."""
    if site.edition.status == "closed":
        return RuleBroken(_("This edition is closed."), code="edition_closed")
    return None


def check_handover(cooperative, site, actor):
    if actor.role not in ("organiser", "cashier"):
        raise Forbidden(_("Only the store's staff record what is handed over."))
    if site.edition.is_closed:
        raise RuleBroken(_("This edition is closed."), code="edition_closed")


def clean_items(cooperative, items):
    """[(product, quantity)] merged per product; every product must be the cooperative's."""
    merged = {}
    for product, quantity in items:
        if product.cooperative_id != cooperative.id:
            raise RuleBroken(
                _("%(sku)s belongs to another cooperative.", sku=product.sku),
                code="wrong_cooperative",
            )
        if not isinstance(quantity, int) or quantity <= 0:
            raise RuleBroken(
                _("Quantities must be whole numbers above zero."),
                code="bad_quantity",
                field="quantity",
            )
        merged[product] = merged.get(product, 0) + quantity
    if not merged:
        raise RuleBroken(_("List at least one product."), code="empty")
    return sorted(merged.items(), key=lambda item: item[0].id)


def deposit_products(cooperative, site, items, handed_by, actor, notes="", client_id=None):
    """A cooperative hands products over to a site's store; returns the delivery note.

    Pre-packed food without its packer's ONSSA number is refused before anything is written.
    """
    return record_handover(
        "deposit", cooperative, site, items, handed_by, actor, notes, client_id=client_id
    )


def deposit_products_once(cooperative, site, items, handed_by, actor, notes, client_id):
    """deposit_products for a request that may be retried: (note, replayed).

    The same client id answers the first note; two retries racing meet the unique client id,
    and the loser reads the winner's note.
    """
    replay = deposit_by_client_id(client_id)
    if replay is not None:
        return replay, True
    try:
        with db.session.begin_nested():
            note = deposit_products(
                cooperative, site, items, handed_by, actor, notes, client_id=client_id
            )
    except IntegrityError:
        replay = deposit_by_client_id(client_id)
        if replay is None:
            raise
        return replay, True
    return note, False


def deposit_by_client_id(client_id):
    return db.session.query(Deposit).filter(Deposit.client_id == client_id).one_or_none()


def return_products(cooperative, site, items, handed_by, actor, notes=""):
    """The store gives unsold products back to the cooperative; a return note."""
    return record_handover("return", cooperative, site, items, handed_by, actor, notes)


def record_handover(kind, cooperative, site, items, handed_by, actor, notes, client_id=None):
    """A note of products changing hands, and one ledger row per product (out for a return)."""
    check_handover(cooperative, site, actor)
    items = clean_items(cooperative, items)
    if kind == "deposit":
        refuse_without_onssa([product for product, _quantity in items])
    note = Deposit(
        cooperative_id=cooperative.id,
        site_id=site.id,
        kind=kind,
        client_id=client_id,
        handed_by=(handed_by or "").strip(),
        notes=notes or "",
        recorded_by_id=actor.id,
    )
    db.session.add(note)
    db.session.flush()
    sign = 1 if kind == "deposit" else -1
    for product, quantity in items:
        move_stock(product, site.id, kind, sign * quantity, actor, deposit_id=note.id)
    db.session.flush()
    return note


def adjust_stock(product, site, delta, reason, comment, actor):
    """A correction after a count or a breakage, with its reason."""
    if actor.role != "organiser":
        raise Forbidden(_("Only organisers adjust stock."))
    if reason not in ADJUSTMENT_REASONS:
        raise RuleBroken(_("Choose a reason."), field="reason", code="bad_reason")
    if reason == "other" and not (comment or "").strip():
        raise RuleBroken(_("Explain the adjustment."), field="comment")
    movement = move_stock(
        product, site.id, "adjustment", delta, actor, reason=reason, comment=comment
    )
    db.session.flush()
    record_activity(
        actor,
        "stock.adjust",
        product,
        label=product.sku,
        reason=(comment or "").strip(),
        edition_id=site.edition_id,
        cooperative_id=product.cooperative_id,
        site=site.slug,
        delta=delta,
        kind=reason,
    )
    return movement


def get_deposit(deposit_id, user):
    deposit = db.session.get(Deposit, deposit_id)
    if deposit is None or (
        user.role == "cooperative" and deposit.cooperative_id != user.cooperative_id
    ):
        raise NotFound(_("No such delivery note."))
    return deposit


def is_low_stock():
    """A stock level at or under its product's low-stock mark (out of stock included)."""
    return StockLevel.quantity <= Product.low_stock_at


def site_stock_query(site, cooperative_id=None, state=None, search=None):
    """The stock page's rows, (product, quantity) at a site, filtered and in the page's order
    (a national salon's site holds thousands of products: the page shows them a page at a
    time)."""
    query = (
        db.session.query(Product, StockLevel.quantity)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .filter(StockLevel.site_id == site.id)
        .options(defer(Product.photo), joinedload(Product.cooperative))
        .order_by(Product.cooperative_id, Product.sku)
    )
    if cooperative_id:
        query = query.filter(Product.cooperative_id == cooperative_id)
    if state == "low":  # out of stock included: it is the lowest
        query = query.filter(is_low_stock())
    elif state == "out":
        query = query.filter(StockLevel.quantity <= 0)
    elif state == "blocked":
        query = query.filter(Product.blocked.is_(True))
    if search and search.strip():
        query = query.filter(product_matches(search))
    return query


def food_on_sale_query(site, search=None, missing_only=False):
    """The food in stock at a site, by cooperative: the list an ONSSA inspector reads. `search`,
    words of a product or of its cooperative; `missing_only`, the pre-packed food still without
    its packer's number (what the organiser chases before the visit)."""
    query = site_stock_query(site).filter(
        StockLevel.quantity > 0, Product.active.is_(True), Product.food.is_(True)
    )
    if search and search.strip():
        query = query.join(Cooperative, Product.cooperative_id == Cooperative.id).filter(
            or_(product_matches(search), cooperative_matches(search))
        )
    if missing_only:
        query = query.filter(Product.prepacked.is_(True), Product.onssa_number.is_(None))
    return query


def food_on_sale(site):
    """[(product, quantity)]: the whole list, as it is printed."""
    return food_on_sale_query(site).all()


def site_stock_counts(site):
    """(products, low) at a site, counted in the database."""
    low = func.sum(case((is_low_stock(), 1), else_=0))
    products, low_count = (
        db.session.query(func.count(), low)
        .select_from(StockLevel)
        .join(Product, StockLevel.product_id == Product.id)
        .filter(StockLevel.site_id == site.id)
        .one()
    )
    return products, int(low_count or 0)


def site_stock(site, cooperative=None):
    """[(product, quantity)] at a site (a cooperative's only, when given), in one query."""
    return site_stock_query(site, cooperative_id=cooperative.id if cooperative else None).all()


def cooperative_stock(cooperative, edition):
    """{site_id: [(product, quantity)]} for a cooperative across an edition's sites."""
    rows = (
        db.session.query(StockLevel.site_id, Product, StockLevel.quantity)
        .join(Product, StockLevel.product_id == Product.id)
        .filter(
            Product.cooperative_id == cooperative.id,
            StockLevel.site_id.in_([site.id for site in edition.sites]),
        )
        .order_by(Product.sku)
        .all()
    )
    stock = {site.id: [] for site in edition.sites}
    for site_id, product, quantity in rows:
        stock[site_id].append((product, quantity))
    return stock


def ledger_balance(product_id, site_id):
    """The sum of the ledger rows (what the level must equal)."""
    total = (
        db.session.query(func.coalesce(func.sum(StockMovement.quantity), 0))
        .filter(StockMovement.product_id == product_id, StockMovement.site_id == site_id)
        .scalar()
    )
    return int(total)


def recent_movements(site, limit=100, cooperative=None):
    query = (
        db.session.query(StockMovement)
        .filter(StockMovement.site_id == site.id)
        .order_by(StockMovement.id.desc())
        .limit(limit)
    )
    if cooperative is not None:
        query = query.join(Product).filter(Product.cooperative_id == cooperative.id)
    return query.all()


def product_stock(product):
    """[(site, quantity)] of a product across all sites."""

    return (
        db.session.query(Site, StockLevel.quantity)
        .join(StockLevel, StockLevel.site_id == Site.id)
        .filter(StockLevel.product_id == product.id)
        .order_by(Site.edition_id.desc(), Site.slug)
        .all()
    )
