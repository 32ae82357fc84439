"""Cooperatives' bank accounts (Moroccan RIB): checked when typed, imported, shown to the
cooperative itself and to organisers, never to another cooperative."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booths import services
from booths.identifiers import check_bank_account, rib_key
from booths.models import Cooperative
from core.errors import RuleBroken
from core.extensions import db
from tests.booths.test_registry import values

# The example RIB of the IBAN registry's entry for Morocco (MA64 0115 1900 0001 2050 0053 4921).
REGISTRY_EXAMPLE = "011519000001205000534921"
prefixes = st.text(alphabet="0123456789", min_size=22, max_size=22)


def test_the_registry_example_is_a_valid_rib():
    assert rib_key(REGISTRY_EXAMPLE[:22]) == "21"
    assert check_bank_account(REGISTRY_EXAMPLE) is None


@given(prefix=prefixes)
def test_any_account_with_its_key_is_accepted(prefix):
    key = rib_key(prefix)
    assert len(key) == 2 and key.isdigit()
    assert int(prefix + key) % 97 == 0  # the key makes the whole RIB a multiple of 97
    assert check_bank_account(prefix + key) is None


@given(prefix=prefixes, position=st.integers(0, 23), shift=st.integers(1, 9))
def test_one_mistyped_digit_is_always_caught(prefix, position, shift):
    rib = prefix + rib_key(prefix)
    wrong = rib[:position] + str((int(rib[position]) + shift) % 10) + rib[position + 1 :]
    with pytest.raises(RuleBroken) as caught:
        check_bank_account(wrong)
    assert caught.value.field == "bank_account" and caught.value.code == "bad_rib"


@pytest.mark.parametrize("typed", ["01151900000120500053492", "0115190000012050005349211", "RIB"])
def test_a_rib_has_24_digits(app, typed):
    with pytest.raises(RuleBroken) as caught:
        services.register_cooperative(values(bank_account=typed), actor=None)
    assert caught.value.field == "bank_account"


def test_spaces_and_dashes_of_a_slip_are_dropped(app):
    typed = "011 519 0000012050005349-21"
    cooperative = services.register_cooperative(values(bank_account=typed), actor=None)
    assert cooperative.bank_account == REGISTRY_EXAMPLE
    services.update_cooperative(cooperative, {"bank_account": ""}, None)
    assert cooperative.bank_account is None


def test_the_form_shows_a_translated_error_and_keeps_nothing(app, client, make_user, login):
    login(make_user("organiser"))
    form = {
        "name_latin": "Coopérative Al Baraka",
        "legal_form": "cooperative",
        "registration_number": "BARAKA-1",
        "city": "Meknès",
        "sectors": ["honey"],
        "members": "5",
        "women_members": "3",
        "young_members": "1",
        "contact_name": "Fatima",
        "phone": "0611223344",
        "bank_account": REGISTRY_EXAMPLE[:-1] + "2",
    }
    response = client.post("/cooperatives/new?lang=fr", data=form)
    assert response.status_code == 422
    assert "La clé de ce RIB est fausse" in response.get_data(as_text=True)
    assert db.session.query(Cooperative).count() == 0
    response = client.post("/cooperatives/new", data=dict(form, bank_account=REGISTRY_EXAMPLE))
    assert response.status_code == 302
    assert db.session.query(Cooperative).one().bank_account == REGISTRY_EXAMPLE


def test_a_cooperative_sees_its_own_rib_and_not_another(
    app, client, make_cooperative, make_user, login
):
    mine = make_cooperative(bank_account=REGISTRY_EXAMPLE)
    other_rib = "1907802111100000000000"
    other = make_cooperative(bank_account=other_rib + rib_key(other_rib))
    login(make_user("cooperative", cooperative=mine))
    page = client.get("/my/cooperative").get_data(as_text=True)
    assert "011 519 0000012050005349 21" in page
    assert other.bank_account[6:22] not in page
    assert client.get(f"/cooperatives/{other.id}").status_code == 403


def test_import_reports_a_bad_rib_and_takes_a_good_one(app, make_user):
    header = "name_latin;registration_number;city;sectors;bank_account"
    good = f"Coopérative Tilila;REG-R1;Azrou;honey;{REGISTRY_EXAMPLE}"
    bad = "Coopérative Tiwizi;REG-R2;Azrou;honey;011519000001205000534922"
    raw = ("\n".join((header, good, bad)) + "\n").encode()
    preview = services.preview_import(raw)
    assert [row.line for row in preview.rejected] == [3]
    assert any("RIB" in error for error in preview.rejected[0].errors)
    services.import_cooperatives(f"{header}\n{good}\n".encode(), make_user("organiser"))
    assert db.session.query(Cooperative).one().bank_account == REGISTRY_EXAMPLE
