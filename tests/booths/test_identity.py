"""A cooperative's identity: ICE, ODCO register number and court, checked in one place, on the
forms, in the CSV import and export (translated errors naming the column)."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booths import services
from booths.identifiers import (
    check_ice,
    check_odco_number,
    clean_digits,
    courts,
    find_court,
)
from booths.labels import COLUMN_LABELS
from booths.models import COOPERATIVE_FILE_COLUMNS, Cooperative
from booths.services.registry import cooperative_export_rows
from core.errors import RuleBroken
from core.extensions import db

digits = st.text(alphabet="0123456789", min_size=1, max_size=30)


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_every_15_digit_ice_is_accepted(ice):
    assert check_ice(ice) is None


@given(digits.filter(lambda text: len(text) != 15))
def test_an_ice_of_another_length_is_refused_with_the_count(ice):
    with pytest.raises(RuleBroken) as caught:
        check_ice(ice)
    assert caught.value.field == "ice" and caught.value.code == "bad_ice"
    assert str(len(ice)) in caught.value.message


@given(
    st.text(alphabet="0123456789", min_size=15, max_size=15),
    st.integers(0, 14),
    st.sampled_from("AOl ,٣"),
)
def test_an_ice_with_any_character_other_than_a_digit_is_refused(ice, position, wrong):
    with pytest.raises(RuleBroken):
        check_ice(ice[:position] + wrong + ice[position + 1 :])


@given(st.text(alphabet="0123456789 .-", max_size=30))
def test_separators_copied_from_a_certificate_are_dropped(text):
    assert clean_digits(text) == "".join(char for char in text if char.isdigit())


odco_part = st.text(alphabet="0123456789ABCDEFXYZ", min_size=1, max_size=6)


@given(st.lists(odco_part, min_size=1, max_size=4), st.sampled_from("/-."))
def test_odco_numbers_of_letters_and_digits_with_separators_are_accepted(parts, separator):
    check_odco_number(separator.join(parts))


@given(st.sampled_from(["", "/12", "12/", "12//3", "A B", "12#3", "x" * 31, "٣٤/١"]))
def test_malformed_odco_numbers_are_refused(number):
    with pytest.raises(RuleBroken) as caught:
        check_odco_number(number)
    assert caught.value.field == "odco_number"


def test_the_courts_are_shipped_with_unique_codes_and_both_names():
    assert len(courts()) >= 80
    assert len({court.code for court in courts()}) == len(courts())
    assert all(court.name_fr and court.name_ar for court in courts())
    assert find_court("meknes").name("ar") == "مكناس"


def identity_values(**changes):
    values = {
        "name_latin": "Coopérative Tifawin",
        "registration_number": "TIF-1",
        "city": "Azrou",
        "sectors": ["honey"],
        "members": 12,
        "women_members": 6,
        "young_members": 2,
        "contact_name": "Itto",
        "phone": "0611223344",
        "ice": "001 525 369 000 042",
        "odco_number": "2019/4521",
        "registration_court": "azrou",
        "legal_form": "cooperative_union",
    }
    return values | changes


def test_registration_keeps_the_identity_and_the_province(app):
    cooperative = services.register_cooperative(identity_values())
    assert (cooperative.ice, cooperative.odco_number, cooperative.registration_court) == (
        "001525369000042",
        "2019/4521",
        "azrou",
    )
    assert (cooperative.province, cooperative.province_code) == ("Ifrane", "MA-IFR")
    assert cooperative.legal_form == "cooperative_union"


def test_identity_is_optional_at_self_registration(app):
    values = identity_values(ice="", odco_number="", registration_court="")
    cooperative = services.register_cooperative(values)
    assert (cooperative.ice, cooperative.odco_number, cooperative.registration_court) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("ice", "12345678901234"), ("odco_number", "12//3"), ("registration_court", "gotham")],
)
def test_a_bad_identifier_is_refused_naming_its_field(app, field, value):
    with pytest.raises(RuleBroken) as caught:
        services.register_cooperative(identity_values(**{field: value}))
    assert caught.value.field == field


def test_a_chosen_province_must_be_the_citys(app):
    with pytest.raises(RuleBroken) as caught:
        services.register_cooperative(identity_values(chosen_province="MA-FES"))
    assert caught.value.field == "province_code"
    cooperative = services.register_cooperative(identity_values(chosen_province="MA-IFR"))
    assert cooperative.province_code == "MA-IFR"


def test_export_then_import_gives_back_the_identity(app, make_user):
    services.register_cooperative(identity_values())
    db.session.commit()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COOPERATIVE_FILE_COLUMNS)
    cooperative = db.session.query(Cooperative).one()
    for row in cooperative_export_rows([cooperative]):
        assert row[COOPERATIVE_FILE_COLUMNS.index("registration_court")] == "Azrou"
        writer.writerow(["TIF-2" if value == "TIF-1" else value for value in row])
    imported = services.import_cooperatives(buffer.getvalue().encode(), make_user("organiser"))
    copy = imported[0]
    assert (copy.ice, copy.odco_number, copy.registration_court, copy.province_code) == (
        "001525369000042",
        "2019/4521",
        "azrou",
        "MA-IFR",
    )


def test_a_bad_ice_in_a_file_names_the_column_and_the_count(app):
    header = "name_latin;registration_number;city;sectors;ice;odco_number;registration_court"
    raw = "\n".join(
        (
            header,
            "Coop A;A-1;Fès;honey;12345678901234;;",
            "Coop B;B-1;Fès;honey;;12##;",
            "Coop C;C-1;Fès;honey;;;Atlantis",
            "Coop D;D-1;Fès;honey;123456789012345;2020/77;Tribunal inconnu",
            "Coop E;E-1;Fès;honey;123456789012345;2020/78;fès",
        )
    ).encode()
    preview = services.preview_import(raw)
    errors = {row.line: " ".join(row.errors) for row in preview.rejected}
    assert errors[2].startswith(f"{COLUMN_LABELS['ice']}: ")
    assert "15" in errors[2] and "14" in errors[2]
    assert errors[3].startswith(f"{COLUMN_LABELS['odco_number']}: ")
    assert errors[4].startswith(f"{COLUMN_LABELS['registration_court']}: ")
    assert errors[5].startswith(f"{COLUMN_LABELS['registration_court']}: ")
    assert [row.line for row in preview.accepted] == [6]


def test_the_review_page_shows_the_identity_by_name(app, client, make_user, login):
    cooperative = services.register_cooperative(identity_values())
    db.session.commit()
    login(make_user("organiser"))
    page = client.get(f"/cooperatives/{cooperative.id}?lang=ar").get_data(as_text=True)
    assert "001525369000042" in page and "2019/4521" in page
    assert "أزرو" in page and "إفران" in page and "فاس - مكناس" in page
    assert "MA-IFR" not in page and ">azrou<" not in page
