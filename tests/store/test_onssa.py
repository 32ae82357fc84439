"""ONSSA numbers (issue 17, point 2): their shape, the refusal of pre-packed food without one at
a deposit (service, page and API, nothing written), the products API field and the product form."""

import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import RuleBroken
from core.extensions import db
from store import services
from store.models import Deposit, StockLevel, StockMovement
from store.services.onssa import check_onssa

GROUP = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=12)
NUMBERS = st.lists(GROUP, min_size=2, max_size=8).map(".".join)
JUNK = st.sampled_from(list("-/_,;:#*'\"+éçأ€"))
FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@FIXTURES
@given(number=NUMBERS, lower=st.booleans(), spaces=st.booleans())
def test_accepted_shapes_round_trip(app, number, lower, spaces):
    typed = number.replace(".", " . ") if spaces else number
    typed = f"  {typed.lower() if lower else typed} "
    with app.test_request_context():
        assert check_onssa(typed, "approval") == (number, "approval")
        assert check_onssa(number, "authorisation") == (number, "authorisation")


@FIXTURES
@given(number=NUMBERS, junk=JUNK, position=st.integers(0, 200))
def test_a_stray_character_is_refused_naming_the_field(app, number, junk, position):
    position %= len(number) + 1
    typed = number[:position] + junk + number[position:]
    with app.test_request_context(), pytest.raises(RuleBroken) as caught:
        check_onssa(typed, "approval")
    assert caught.value.code == "bad_onssa_number" and caught.value.field == "onssa_number"
    assert "ONSSA" in caught.value.message and junk.upper() in caught.value.message


@FIXTURES
@given(number=NUMBERS, cut=st.sampled_from(["start", "end", "double"]))
def test_a_dot_without_groups_on_both_sides_is_refused(app, number, cut):
    typed = {"start": "." + number, "end": number + ".", "double": number.replace(".", "..", 1)}
    with app.test_request_context(), pytest.raises(RuleBroken) as caught:
        check_onssa(typed[cut], "approval")
    assert caught.value.code == "bad_onssa_number"


@pytest.mark.parametrize(
    "typed",
    ["AUT2022", "AB 12.34", ".".join(["1"] * 9), "A" * 13 + ".12"],
)
def test_other_junk_is_refused(app, typed):
    with app.test_request_context(), pytest.raises(RuleBroken) as caught:
        check_onssa(typed, "approval")
    assert caught.value.field == "onssa_number"


def test_blank_is_no_number_and_a_number_needs_its_kind(app):
    with app.test_request_context():
        assert check_onssa("  ", "approval") == (None, None)
        assert check_onssa("١٢.٣٤.ab", "authorisation") == ("12.34.AB", "authorisation")
        with pytest.raises(RuleBroken) as caught:
            check_onssa("12.34", None)
    assert caught.value.field == "onssa_kind" and caught.value.code == "bad_onssa_kind"


# ---------------------------------------------------------------- deposits


def nothing_written():
    return (
        db.session.query(Deposit).count() == 0
        and db.session.query(StockMovement).count() == 0
        and db.session.query(StockLevel).filter(StockLevel.quantity != 0).count() == 0
    )


@pytest.fixture
def counter(store_edition, make_product, make_cooperative):
    cooperative = make_cooperative()
    return {
        "edition": store_edition,
        "site": store_edition.sites[0],
        "cooperative": cooperative,
        "numbered": make_product(cooperative),
        "unnumbered": make_product(cooperative, onssa_number=None, onssa_kind=None),
        "loose": make_product(cooperative, onssa_number="", prepacked=False, sector="argan"),
        "pottery": make_product(cooperative, onssa_number=None, sector="pottery"),
        "soap": make_product(cooperative, onssa_number=None, sector="olive_oil", food=False),
    }


def test_food_follows_the_sector_unless_said_otherwise(counter):
    assert counter["numbered"].food is True and counter["loose"].food is True
    assert counter["pottery"].food is False and counter["soap"].food is False
    assert [p.needs_onssa for p in (counter["numbered"], counter["loose"], counter["soap"])] == [
        True,
        False,
        False,
    ]


def test_a_deposit_with_prepacked_food_without_number_is_refused_whole(app, counter, organiser):
    items = [(counter["numbered"], 4), (counter["unnumbered"], 2)]
    with pytest.raises(RuleBroken) as caught:
        services.deposit_products(counter["cooperative"], counter["site"], items, "A", organiser)
    assert caught.value.code == "onssa_number_missing" and caught.value.status == 422
    assert counter["unnumbered"].sku in caught.value.message
    assert counter["numbered"].sku not in caught.value.message
    db.session.rollback()
    assert nothing_written()


def test_loose_food_and_crafts_need_no_number(app, counter, organiser):
    items = [(counter[name], 1) for name in ("numbered", "loose", "pottery", "soap")]
    note = services.deposit_products(counter["cooperative"], counter["site"], items, "A", organiser)
    assert len(note.movements) == 4


def test_the_handover_page_refuses_with_the_message(client, login, organiser, counter):
    login(organiser)
    edition, site = counter["edition"], counter["site"]
    response = client.post(
        f"/store/editions/{edition.slug}/sites/{site.slug}/handover"
        f"?cooperative={counter['cooperative'].id}&lang=fr",
        data={"kind": "deposit", "handed_by": "Aicha", f"qty-{counter['unnumbered'].id}": "3"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "numéro ONSSA" in page and counter["unnumbered"].sku in page
    assert nothing_written()


def deposit_body(counter, product, quantity=3, **values):
    return {
        "id": str(uuid.uuid4()),
        "edition": counter["edition"].slug,
        "site": counter["site"].slug,
        "cooperative": counter["cooperative"].id,
        "handed_by": "Khadija",
        "items": [{"product": product.sku, "quantity": quantity}],
        **values,
    }


def test_the_api_refuses_with_a_code_and_writes_nothing(client, api_headers, cashier, counter):
    body = deposit_body(counter, counter["unnumbered"])
    response = client.post("/api/v1/deposits", json=body, headers=api_headers(cashier))
    assert response.status_code == 422
    assert response.json["error"]["code"] == "onssa_number_missing"
    assert counter["unnumbered"].sku in response.json["error"]["message"]
    assert nothing_written()


def test_the_api_takes_a_deposit_once(client, api_headers, cashier, counter):
    headers, body = api_headers(cashier), deposit_body(counter, counter["numbered"], 6)
    first = client.post("/api/v1/deposits", json=body, headers=headers)
    assert first.status_code == 201 and first.json["replayed"] is False
    assert first.json["items"] == [{"product": counter["numbered"].sku, "quantity": 6}]
    again = client.post("/api/v1/deposits", json=body, headers=headers)
    assert again.status_code == 200 and again.json["replayed"] is True
    assert again.json["note"] == first.json["note"]
    assert db.session.query(Deposit).count() == 1
    level = db.session.get(StockLevel, (counter["numbered"].id, counter["site"].id))
    assert level.quantity == 6


def test_the_api_refuses_unknown_products_and_other_roles(client, api_headers, make_user, counter):
    body = deposit_body(counter, counter["numbered"])
    body["items"][0]["product"] = "NOPE"
    response = client.post("/api/v1/deposits", json=body, headers=api_headers(make_user("cashier")))
    assert response.status_code == 422 and response.json["error"]["code"] == "unknown_product"
    coop = make_user("cooperative", cooperative=counter["cooperative"])
    body = deposit_body(counter, counter["numbered"])
    assert client.post("/api/v1/deposits", json=body, headers=api_headers(coop)).status_code == 403
    assert nothing_written()


def test_the_products_api_serves_the_number(client, api_headers, cashier, counter, stock):
    stock(counter["numbered"], counter["site"], 2)
    stock(counter["pottery"], counter["site"], 2)
    edition, site = counter["edition"].slug, counter["site"].slug
    response = client.get(
        f"/api/v1/products?edition={edition}&site={site}", headers=api_headers(cashier)
    )
    served = {row["sku"]: row for row in response.json["products"]}
    numbered = served[counter["numbered"].sku]
    assert numbered["onssa_number"] == counter["numbered"].onssa_number
    assert numbered["onssa_kind"] == "approval" and numbered["prepacked"] is True
    assert numbered["food"] is True and served[counter["pottery"].sku]["food"] is False
    assert served[counter["pottery"].sku]["onssa_number"] is None


# ---------------------------------------------------------------- the product form


def test_the_form_names_the_field_and_what_is_wrong_in_french(
    client, login, organiser, make_cooperative
):
    login(organiser)
    form = {
        "cooperative_id": make_cooperative().id,
        "sku": "AMLOU-1",
        "barcode": "6111111111116",
        "name_fr": "Amlou 250 g",
        "unit": "jar",
        "price": "45",
        "sector": "argan",
        "low_stock_at": "3",
        "food": "",
        "prepacked": "y",
        "onssa_number": "AU..12",
        "onssa_kind": "authorisation",
    }
    response = client.post("/store/products/new?lang=fr", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Numéro ONSSA : chaque point doit se trouver entre deux groupes" in page
    response = client.post("/store/products/new", data={**form, "onssa_number": " au.12.3 "})
    assert response.status_code == 302
    product = services.list_products(search="AMLOU-1")[0]
    assert (product.onssa_number, product.onssa_kind, product.food, product.prepacked) == (
        "AU.12.3",
        "authorisation",
        True,
        True,
    )
    edit = f"/store/products/{product.id}/edit"
    assert re.search(r'<option selected value="yes">', client.get(edit).get_data(as_text=True))
    response = client.post(edit, data={**form, "sku": "AMLOU-1", "food": "no", "onssa_number": ""})
    assert response.status_code == 302
    db.session.refresh(product)
    assert (product.food, product.onssa_number, product.onssa_kind) == (False, None, None)
