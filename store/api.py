"""Field API of the store (API.md, *Sales*, *Products*, *A cooperative's own data*)."""

from apiflask import Schema
from apiflask.fields import Boolean, Dict, Integer, List, Nested, String
from apiflask.validators import Length
from flask import url_for
from flask_babel import gettext as _

from core.access import api_roles, bearer_user, cooperative_of
from core.apidoc import answers
from core.errors import NotFound, RuleBroken
from core.i18n import localized
from core.inputs import check_amount
from core.timeutil import iso_utc, parse_iso
from markets.services import get_edition, get_site
from store import api_bp as api
from store import services
from store.services.catalogue import products_by_sku
from store.services.payouts import api_status, payout_status
from store.services.reports import cooperative_editions
from store.services.shifts import favourites_of
from store.services.shifts import pin_favourite as pin_favourite_for_site
from store.services.stock import site_stock


class SaleLineIn(Schema):
    product = String(required=True, validate=Length(1, 40))
    quantity = Integer(required=True, strict=True)
    unit_price_centimes = Integer(required=True, strict=True)


class PaymentIn(Schema):
    method = String(required=True, validate=Length(1, 10))
    amount_centimes = Integer(required=True, strict=True)
    reference = String(load_default=None, allow_none=True, validate=Length(0, 80))
    phone = String(load_default=None, allow_none=True, validate=Length(0, 30))


class SaleIn(Schema):
    id = String(required=True, validate=Length(1, 64))
    edition = String(required=True, validate=Length(1, 80))
    site = String(load_default=None, allow_none=True, validate=Length(1, 80))
    register = String(load_default="", validate=Length(0, 40))
    channel = String(load_default="store")
    payment = String(load_default=None, allow_none=True, validate=Length(1, 10))
    payments = List(Nested(PaymentIn), load_default=None, allow_none=True)
    sold_at = String(required=True)
    cash_received_centimes = Integer(load_default=None, allow_none=True, strict=True)
    lines = List(Nested(SaleLineIn), required=True)


class PaymentOut(Schema):
    method = String()
    amount_centimes = Integer()
    reference = String(allow_none=True)
    phone = String(allow_none=True)


class SaleOut(Schema):
    id = String()
    total_centimes = Integer()
    replayed = Boolean()
    receipt_url = String()
    payment = String()
    payments = List(Nested(PaymentOut))


class RefundIn(Schema):
    id = String(load_default=None, allow_none=True, validate=Length(1, 64))
    reason = String(required=True, validate=Length(1, 300))
    lines = Dict(keys=String(), values=Integer(strict=True), required=True)
    restock = Boolean(load_default=True)


class FavouriteIn(Schema):
    edition = String(required=True, validate=Length(1, 80))
    site = String(required=True, validate=Length(1, 80))
    product = String(required=True, validate=Length(1, 40))
    pinned = Boolean(load_default=True)


class ProductsQuery(Schema):
    edition = String(required=True)
    site = String(required=True)


class MeSalesQuery(Schema):
    edition = String(load_default=None)


PRODUCT = {
    "sku": "string",
    "barcode": "string?",
    "name": "string?",
    "names": "object",
    "cooperative": "string?",
    "cooperative_ar": "string?",
    "unit": "string?",
    "price_centimes": "integer",
    "stock": "integer",
    "blocked": "boolean",
    "onssa_number": "string?",
    "onssa_kind": "string?",
    "food": "boolean",
    "prepacked": "boolean",
}
PAYOUT = {
    "id": "integer",
    "edition": "string",
    "amount_centimes": "integer",
    "lines": "integer",
    "due_at": "string?",
    "due_on": "string",
    "status": "string",
    "due_soon": "boolean",
    "paid_at": "string?",
    "reference": "string?",
    "statement_url": "string",
}
SALE_LINE = {
    "sale": "string",
    "kind": "string",
    "product": "string",
    "quantity": "integer",
    "amount_centimes": "integer",
    "owed_centimes": "integer",
    "channel": "string?",
    "site": "string?",
    "edition": "string",
    "sold_at": "string?",
    "due_at": "string?",
}


def sale_time(text):
    try:
        return parse_iso(text)
    except (ValueError, TypeError, OverflowError):
        raise RuleBroken(
            _("The sale time must be ISO 8601 with an offset."), code="bad_time", field="sold_at"
        ) from None


@api.post("/sales")
@api_roles("cashier", "organiser")
@api.input(SaleIn, arg_name="sale")
@api.output(SaleOut, status_code=201)
@api.doc(
    summary="Record a sale once (client UUID); a retry answers 200 with replayed true",
    responses=answers(
        201,
        {"id": "string", "total_centimes": "integer", "replayed": "boolean"},
        (200, {"id": "string", "total_centimes": "integer", "replayed": "boolean"}),
        400,
        401,
        403,
        404,
        422,
    ),
)
def record_sale(sale):
    # What no column can hold is out of range (422); the sale's own rules judge the rest.
    check_amount(sale["cash_received_centimes"], "cash_received_centimes")
    for line in sale["lines"]:
        check_amount(line["quantity"], "quantity")
        check_amount(line["unit_price_centimes"], "unit_price_centimes")
    edition = get_edition(sale["edition"])
    site = get_site(edition, sale["site"]) if sale["site"] else None
    recorded, replayed = services.record_sale(
        edition,
        site,
        sale["id"],
        sale["register"],
        sale["channel"],
        sale["payment"],
        sale_time(sale["sold_at"]),
        [
            (line["product"], line["quantity"], line["unit_price_centimes"])
            for line in sale["lines"]
        ],
        bearer_user(),
        cash_received=sale["cash_received_centimes"],
        payments=sale["payments"],
    )
    body = {
        "id": recorded.client_id,
        "total_centimes": recorded.total_centimes,
        "replayed": replayed,
        "receipt_url": url_for("store.receipt", client_id=recorded.client_id),
        "payment": recorded.payment,
        "payments": [
            {
                "method": part.method,
                "amount_centimes": part.amount_centimes,
                "reference": part.reference,
                "phone": part.payer_phone,
            }
            for part in recorded.payments
        ],
    }
    return body, 200 if replayed else 201


@api.post("/sales/<client_id>/refunds")
@api_roles("cashier", "organiser")
@api.input(RefundIn, arg_name="refund")
@api.doc(
    summary="Refund lines of a sale (new negative lines; never an edit)",
    responses=answers(
        201,
        {"id": "string", "refunded_centimes": "integer", "replayed": "boolean"},
        (200, {"id": "string", "refunded_centimes": "integer", "replayed": "boolean"}),
        400,
        401,
        403,
        404,
        422,
    ),
)
def refund_sale(client_id, refund):
    sale = services.sales_by_client_id(client_id)
    try:
        quantities = {int(key): value for key, value in refund["lines"].items()}
    except ValueError:
        raise RuleBroken(_("This line is not part of the sale."), code="unknown_line") from None
    lines, replayed = services.refund_sale_once(
        sale,
        quantities,
        refund["reason"],
        bearer_user(),
        restock=refund["restock"],
        client_id=refund["id"],
    )
    return {
        "id": sale.client_id,
        "refunded_centimes": -sum(line.amount_centimes for line in lines),
        "replayed": replayed,
    }, 200 if replayed else 201


@api.get("/products")
@api_roles("cashier", "organiser")
@api.input(ProductsQuery, location="query", arg_name="query")
@api.doc(
    summary="The catalogue with stock at a site, for the point of sale's offline copy",
    responses=answers(200, {"products": [PRODUCT]}, 400, 401, 403, 404),
)
def list_products(query):
    site = get_site(get_edition(query["edition"]), query["site"])
    favourites = favourites_of(site)
    return {
        "products": [
            {
                "sku": product.sku,
                "barcode": product.barcode,
                "name": localized(product.names),
                "names": product.names,
                "cooperative": product.cooperative.name_latin,
                "cooperative_ar": product.cooperative.name_ar,
                "unit": product.unit,
                "price_centimes": product.price_centimes,
                "stock": quantity,
                "blocked": product.blocked,
                "onssa_number": product.onssa_number,
                "onssa_kind": product.onssa_kind,
                "food": product.food,
                "prepacked": product.prepacked,
                "cooperative_id": product.cooperative_id,
                "sector": product.sector,
                "photo_url": url_for("store.product_photo", product_id=product.id)
                if product.photo_type
                else None,
                "favourite": favourites.get(product.id),
            }
            for product, quantity in site_stock(site)
            if product.active
        ]
    }


@api.post("/favourites")
@api_roles("organiser")
@api.input(FavouriteIn, arg_name="favourite")
@api.doc(
    summary="Pin a product first on a site's points of sale (or unpin it)",
    responses=answers(200, {"product": "string", "favourite": "integer?"}, 400, 401, 403, 404, 422),
)
def pin_favourite(favourite):
    site = get_site(get_edition(favourite["edition"]), favourite["site"])
    product = products_by_sku({favourite["product"]}).get(favourite["product"])
    if product is None:
        raise NotFound(_("No such product."), code="unknown_product")
    position = pin_favourite_for_site(site, product, favourite["pinned"], bearer_user())
    return {"product": product.sku, "favourite": position}


@api.get("/me/sales")
@api_roles("cooperative")
@api.input(MeSalesQuery, location="query", arg_name="query")
@api.doc(
    summary="The calling cooperative's sales (one edition, or every edition)",
    responses=answers(
        200,
        {"cooperative": "string?", "editions": ["object"], "sales": [SALE_LINE]},
        401,
        403,
        404,
    ),
)
def my_sales(query):
    cooperative = cooperative_of(bearer_user())
    if query["edition"]:
        editions = [get_edition(query["edition"])]
    else:
        editions = cooperative_editions(cooperative)
    site_slugs = {site.id: site.slug for edition in editions for site in edition.sites}
    return {
        "cooperative": cooperative.name_latin,
        "editions": [services.cooperative_sales(cooperative, edition) for edition in editions],
        "sales": [
            {
                "sale": line.sale.client_id,
                "kind": line.kind,
                "product": line.product.sku,
                "quantity": line.quantity,
                "amount_centimes": line.amount_centimes,
                "owed_centimes": line.owed_centimes,
                "channel": line.channel,
                "site": site_slugs.get(line.site_id),
                "edition": edition.slug,
                "sold_at": iso_utc(line.occurred_at),
                "due_at": iso_utc(line.due_at),
            }
            for edition in editions
            for line in services.recent_cooperative_lines(cooperative, edition, limit=500)
        ],
    }


@api.get("/me/payouts")
@api_roles("cooperative")
@api.doc(
    summary="The calling cooperative's payouts",
    responses=answers(200, {"payouts": [PAYOUT]}, 401, 403),
)
def my_payouts():
    cooperative = cooperative_of(bearer_user())
    return {
        "payouts": [payout_json(payout) for payout in services.cooperative_payouts(cooperative)]
    }


def payout_json(payout):
    return {
        "id": payout.id,
        "edition": payout.edition.slug,
        "amount_centimes": payout.amount_centimes,
        "lines": payout.lines_count,
        "due_at": iso_utc(payout.due_at),
        "due_on": payout.due_on.isoformat(),
        "status": api_status(payout),
        "due_soon": payout_status(payout) == "due_soon",
        "paid_at": iso_utc(payout.paid_at),
        "reference": payout.reference,
        "statement_url": f"/store/payouts/{payout.id}/statement.pdf",
    }
