"""CSV import of cooperative lists: row-by-row preview, all-or-nothing, bad files."""

import pytest

from booths import services
from booths.labels import COLUMN_LABELS
from booths.models import Cooperative
from core.errors import RuleBroken
from core.extensions import db

HEADER = "name_ar;name_latin;registration_number;city;province;sectors;members;women_members"


def csv_bytes(*lines, header=HEADER, bom=True):
    text = "\n".join((header, *lines)) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


GOOD = [
    "تعاونية الخير;Coopérative Al Khair;REG-1;Meknès;Meknès;honey|olive_oil;10;6",
    "تعاونية النور;Coopérative Annour;REG-2;Sefrou;Sefrou;sewing_textiles;8;8",
]


def test_preview_of_a_good_semicolon_file_with_arabic_names(app):
    preview = services.preview_import(csv_bytes(*GOOD))
    assert preview.importable
    assert [row.line for row in preview.accepted] == [2, 3]
    assert preview.rows[0].values["name_ar"] == "تعاونية الخير"
    assert db.session.query(Cooperative).count() == 0  # a preview writes nothing


def test_import_writes_every_row(app, make_user):
    cooperatives = services.import_cooperatives(csv_bytes(*GOOD), make_user("organiser"))
    db.session.commit()
    assert [c.registration_number for c in cooperatives] == ["REG-1", "REG-2"]
    stored = db.session.query(Cooperative).order_by(Cooperative.id).all()
    assert stored[0].sectors == ["honey", "olive_oil"] and stored[0].women_members == 6
    assert stored[1].province == "Sefrou" and stored[1].agreement_status == "applicant"
    assert stored[0].agreement_history[0].to_status == "applicant"


def test_comma_separated_file_without_bom(app):
    header = HEADER.replace(";", ",")
    lines = [line.replace(";", ",") for line in GOOD]
    preview = services.preview_import(csv_bytes(*lines, header=header, bom=False))
    assert preview.importable and len(preview.rows) == 2


def test_rejected_rows_are_reported_and_nothing_is_imported(app, make_cooperative, make_user):
    make_cooperative(registration_number="REG-TAKEN")
    raw = csv_bytes(
        GOOD[0],
        ";Sans Province;REG-3;Meknès;Atlantide;honey;5;1",
        ";Mauvaise Province;REG-4;Meknès;Sefrou;honey;5;1",
        ";Doublon;REG-1;Fès;;honey;5;1",
        ";Déjà là;reg-taken;Fès;;honey;5;1",
        ";Ville inconnue;REG-5;Gotham;;honey;5;1",
        ";Chiffres;REG-6;Fès;;honey;dix;1",
        ";Secteur;REG-7;Fès;;fusées;5;1",
        ";Femmes;REG-8;Fès;;honey;5;9",
    )
    preview = services.preview_import(raw)
    assert not preview.importable
    assert [row.line for row in preview.accepted] == [2]
    errors = {row.line: " ".join(row.errors) for row in preview.rejected}
    assert "Atlantide" in errors[3]
    assert "province" in errors[4]
    assert "line 2" in errors[5] or "ligne 2" in errors[5]
    # Each error names the column as people read it, not its code.
    for line, column in (
        (6, "registration_number"),
        (7, "city"),
        (8, "members"),
        (9, "sectors"),
        (10, "women_members"),
    ):
        assert errors[line].startswith(f"{COLUMN_LABELS[column]}: "), line
    with pytest.raises(RuleBroken) as caught:
        services.import_cooperatives(raw, make_user("organiser"))
    assert caught.value.code == "rows_rejected"
    db.session.rollback()
    assert db.session.query(Cooperative).count() == 1


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"name_latin;city\nA;Fes\n", "missing_columns"),
        (
            "name_latin;registration_number;city;sectors\nTaâwoniya;R1;Fès;honey\n".encode(
                "cp1252"
            ),
            "bad_encoding",
        ),
        (b"", "empty_file"),
        (HEADER.encode() + b"\n", "empty_file"),
    ],
)
def test_unusable_files_are_refused_whole(app, raw, code):
    with pytest.raises(RuleBroken) as caught:
        services.preview_import(raw)
    assert caught.value.code == code


def test_export_rows_round_trip_through_the_import(app, make_cooperative, make_user):
    make_cooperative(registration_number="EXP-1", sectors=["honey", "dairy"])
    from booths.models import COOPERATIVE_FILE_COLUMNS
    from booths.services.registry import cooperative_export_rows

    rows = list(cooperative_export_rows(services.search_cooperatives()))
    text = ",".join(COOPERATIVE_FILE_COLUMNS) + "\n"
    text += "\n".join(",".join(str(value or "") for value in row) for row in rows) + "\n"
    db.session.query(Cooperative).delete()
    db.session.commit()
    preview = services.preview_import(text.encode())
    assert preview.importable, [row.errors for row in preview.rows]
    assert preview.rows[0].values["sectors"] == "honey|dairy"


def test_the_cooperative_columns_are_listed_once_for_form_import_and_export():
    from booths.forms import CooperativeForm
    from booths.models import (
        COOPERATIVE_FILE_COLUMNS,
        COOPERATIVE_FORM_FIELDS,
        COOPERATIVE_NUMBER_COLUMNS,
        COOPERATIVE_REQUIRED_COLUMNS,
    )

    assert COOPERATIVE_FILE_COLUMNS[0] == "registration_number"
    assert set(COOPERATIVE_FILE_COLUMNS) - set(COOPERATIVE_FORM_FIELDS) == {
        "province",
        "agreement_status",
    }
    assert COOPERATIVE_REQUIRED_COLUMNS == ("registration_number", "name_latin", "city", "sectors")
    assert COOPERATIVE_NUMBER_COLUMNS == ("members", "women_members", "young_members")
    for name in COOPERATIVE_FORM_FIELDS:
        assert hasattr(CooperativeForm, name), name
