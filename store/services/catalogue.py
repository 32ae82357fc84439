"""Catalogue rules: products of cooperatives and the quality checks that can block them."""

import re

from flask_babel import gettext as _
from sqlalchemy import func, or_
from sqlalchemy.orm import defer, joinedload

from booths.models import FOOD_SECTORS, SECTORS
from core.errors import Conflict, Forbidden, NotFound, RuleBroken
from core.extensions import db
from core.i18n import clean_translations
from store.models import QUALITY_RESULTS, UNITS, Product, QualityCheck
from store.services.onssa import check_onssa

CODE_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
MAX_PHOTO_BYTES = 2 * 1024 * 1024
PRODUCT_FIELDS = (
    "sku",
    "barcode",
    "names",
    "unit",
    "price_centimes",
    "sector",
    "low_stock_at",
    "food",
    "prepacked",
    "onssa_number",
    "onssa_kind",
)


def get_product(product_id):
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(_("No such product."), code="unknown_product")
    return product


def product_for_cooperative_user(product_id, user):
    """A product the user may see: organisers and cashiers any, a cooperative only its own."""
    product = get_product(product_id)
    if user.role == "cooperative" and product.cooperative_id != user.cooperative_id:
        raise NotFound(_("No such product."), code="unknown_product")
    return product


def products_by_sku(skus):
    if not skus:
        return {}
    rows = db.session.query(Product).filter(Product.sku.in_(list(skus))).all()
    return {product.sku: product for product in rows}


def products_query(cooperative=None, search=None):
    """The catalogue in code order, a cooperative's only when given, narrowed by a search (a
    national salon's catalogue holds thousands: the page shows it a page at a time)."""
    query = (
        db.session.query(Product)
        .options(defer(Product.photo), joinedload(Product.cooperative))
        .order_by(Product.sku)
    )
    if cooperative is not None:
        query = query.filter(Product.cooperative_id == cooperative.id)
    if search and search.strip():
        query = query.filter(product_matches(search))
    return query


def list_products(cooperative=None, search=None):
    return products_query(cooperative, search).all()


def product_matches(search):
    """The condition a product meets when a person looks for it: part of its code or of a name
    in any language (names are stored with their letters, core.database.json_text), or its
    barcode exactly."""
    text = search.strip()
    pattern = f"%{text}%"
    return or_(
        Product.sku.ilike(pattern),
        Product.barcode == text,
        func.cast(Product.names, db.String).ilike(pattern),
    )


def check_product_values(values, product=None):
    for field in ("sku", "barcode"):
        if not CODE_PATTERN.match(values.get(field) or ""):
            raise RuleBroken(
                _("Use up to 40 letters, digits, dots, dashes or underscores."), field=field
            )
        duplicate = db.session.query(Product.id).filter(getattr(Product, field) == values[field])
        if product is not None:
            duplicate = duplicate.filter(Product.id != product.id)
        if duplicate.first():
            raise Conflict(
                _("Another product already uses this code."), field=field, code=f"duplicate_{field}"
            )
    if not values["names"]:
        raise RuleBroken(_("Give the product a name in at least one language."), field="names")
    if values["unit"] not in UNITS:
        raise RuleBroken(_("Unknown unit."), field="unit")
    if values["sector"] not in SECTORS:
        raise RuleBroken(_("Unknown sector."), field="sector")
    price = values.get("price_centimes")
    if not isinstance(price, int) or price <= 0:
        raise RuleBroken(
            _("The price must be more than zero."), field="price_centimes", code="bad_price"
        )
    if not isinstance(values.get("low_stock_at"), int) or values["low_stock_at"] < 0:
        raise RuleBroken(_("The low-stock mark cannot be negative."), field="low_stock_at")
    values["onssa_number"], values["onssa_kind"] = check_onssa(
        values["onssa_number"], values["onssa_kind"]
    )


def clean_product_values(values):
    values = {field: values.get(field) for field in PRODUCT_FIELDS}
    values["sku"] = (values["sku"] or "").strip().upper()
    values["barcode"] = (values["barcode"] or "").strip()
    values["names"] = clean_translations(values["names"])
    if values["low_stock_at"] is None:
        values["low_stock_at"] = 5
    if values["food"] is None:  # said by the sector unless the form says otherwise
        values["food"] = values["sector"] in FOOD_SECTORS
    values["prepacked"] = values["prepacked"] is not False
    return values


def check_may_edit(cooperative_id, actor):
    if actor.role == "organiser":
        return
    if actor.role == "cooperative" and actor.cooperative_id == cooperative_id:
        return
    raise Forbidden(_("You may not change this cooperative's catalogue."))


def create_product(cooperative, values, actor, photo=None):
    check_may_edit(cooperative.id, actor)
    values = clean_product_values(values)
    check_product_values(values)
    product = Product(cooperative_id=cooperative.id, **values)
    if photo is not None:
        set_photo(product, *photo)
    db.session.add(product)
    db.session.flush()
    return product


def update_product(product, values, actor, photo=None):
    check_may_edit(product.cooperative_id, actor)
    values = clean_product_values(values)
    check_product_values(values, product)
    for field, value in values.items():
        setattr(product, field, value)
    if photo is not None:
        set_photo(product, *photo)
    db.session.flush()
    return product


def set_photo(product, content, content_type):
    if content_type not in PHOTO_TYPES:
        raise RuleBroken(_("The photo must be a JPEG, PNG or WebP image."), field="photo")
    if len(content) > MAX_PHOTO_BYTES:
        raise RuleBroken(_("The photo is larger than 2 MB."), field="photo")
    product.photo = content
    product.photo_type = content_type


def record_quality_check(product, checked_on, inspector, result, notes, actor):
    """Record an inspection; the product is blocked while its latest check is a failure."""
    if actor.role != "organiser":
        raise Forbidden(_("Only organisers record quality checks."))
    if result not in QUALITY_RESULTS:
        raise RuleBroken(_("The result is pass or fail."), field="result")
    if not (inspector or "").strip():
        raise RuleBroken(_("Name the inspector."), field="inspector")
    if result == "fail" and not (notes or "").strip():
        raise RuleBroken(
            _("Say why the product failed: the cooperative will read it."), field="notes"
        )
    check = QualityCheck(
        product_id=product.id,
        checked_on=checked_on,
        inspector=inspector.strip(),
        result=result,
        notes=(notes or "").strip(),
        recorded_by_id=actor.id,
    )
    db.session.add(check)
    db.session.flush()
    latest = (
        db.session.query(QualityCheck.result)
        .filter(QualityCheck.product_id == product.id)
        .order_by(QualityCheck.checked_on.desc(), QualityCheck.id.desc())
        .first()
    )
    product.blocked = latest.result == "fail"
    db.session.flush()
    return check


def block_reason(product):
    """The failed check that blocks the product, or None."""
    if not product.blocked:
        return None
    return next((check for check in product.checks if check.result == "fail"), None)
