"""Field API of the store's stock: deposits taken in at a site (API.md, *Deposits*)."""

from apiflask import Schema
from apiflask.fields import Integer, List, Nested, String
from apiflask.validators import Length
from flask import url_for
from flask_babel import gettext as _

from booths.services.registry import get_cooperative
from core.access import api_roles, bearer_user
from core.apidoc import answers
from core.errors import RuleBroken
from core.inputs import check_amount
from markets.services import get_edition, get_site
from store import api_bp as api
from store.services.catalogue import products_by_sku
from store.services.stock import deposit_products_once


class DepositItemIn(Schema):
    product = String(required=True, validate=Length(1, 40))
    quantity = Integer(required=True, strict=True)


class DepositIn(Schema):
    id = String(required=True, validate=Length(1, 64))
    edition = String(required=True, validate=Length(1, 80))
    site = String(required=True, validate=Length(1, 80))
    cooperative = Integer(required=True, strict=True)
    handed_by = String(load_default="", validate=Length(0, 200))
    notes = String(load_default="", validate=Length(0, 2000))
    items = List(Nested(DepositItemIn), required=True)


DEPOSIT = {
    "id": "string",
    "note": "integer",
    "note_url": "string",
    "items": [{"product": "string", "quantity": "integer"}],
    "replayed": "boolean",
}


def deposit_items(items):
    """[(product, quantity)] from the body's SKUs; an unknown SKU is a 422."""
    for item in items:
        check_amount(item["quantity"], "quantity")
    products = products_by_sku({item["product"] for item in items})
    for item in items:
        if item["product"] not in products:
            raise RuleBroken(
                _("Unknown product %(sku)s.", sku=item["product"]), code="unknown_product"
            )
    return [(products[item["product"]], item["quantity"]) for item in items]


@api.post("/deposits")
@api_roles("cashier", "organiser")
@api.input(DepositIn, arg_name="deposit")
@api.doc(
    summary="Take a cooperative's products into a site's stock once (client id); "
    "pre-packed food without an ONSSA number is refused (422 onssa_number_missing)",
    responses=answers(201, DEPOSIT, (200, DEPOSIT), 400, 401, 403, 404, 422),
)
def record_deposit(deposit):
    site = get_site(get_edition(deposit["edition"]), deposit["site"])
    cooperative = get_cooperative(check_amount(deposit["cooperative"], "cooperative"))
    note, replayed = deposit_products_once(
        cooperative,
        site,
        deposit_items(deposit["items"]),
        deposit["handed_by"],
        bearer_user(),
        deposit["notes"],
        deposit["id"],
    )
    body = {
        "id": note.client_id,
        "note": note.id,
        "note_url": url_for("store.deposit_note", deposit_id=note.id),
        "items": [
            {"product": movement.product.sku, "quantity": movement.quantity}
            for movement in note.movements
        ],
        "replayed": replayed,
    }
    return body, 200 if replayed else 201
