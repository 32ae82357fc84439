"""The territory migration ties cooperatives and sites holding a province as free text to a
province's code (by its name, else its city, else the nearest seat), on SQLite and PostgreSQL."""

from flask_migrate import upgrade
from sqlalchemy import text

from core.extensions import db
from tests.core.test_data_layer import empty_database_uri  # noqa: F401 (fixture)

BEFORE = "7c3e9a1f5d20"
COOPERATIVE = (
    "INSERT INTO cooperatives (name_ar, name_latin, legal_form, registration_number, province, "
    "city, latitude, longitude, sectors, main_sector, products, members, women_members, "
    "young_members, contact_name, phone, agreement_status, created_at) VALUES ('', :name, "
    "'cooperative', :name, :province, :city, :latitude, :longitude, '[]', 'honey', '', 0, 0, 0, "
    "'', '', 'signed', '2026-01-01')"
)

EDITION = (
    "INSERT INTO editions (slug, number, names, slogans, organiser, partners, visitor_target, "
    "commission_basis_points, starts_on, ends_on, status, created_at) VALUES ('old', 1, '{}', "
    "'{}', '{}', '{}', 100, 0, '2026-01-01', '2026-01-02', 'draft', '2026-01-01')"
)
SITE = (
    "INSERT INTO sites (edition_id, slug, city, province, names, venue, address, latitude, "
    "longitude, area_m2, opens_on, closes_on, opens_minute, closes_minute, visitor_target) "
    "SELECT id, :slug, :city, :province, '{}', '{}', '', 33.89, -5.55, 100, '2026-01-01', "
    "'2026-01-02', 600, 1320, 100 FROM editions WHERE slug = 'old'"
)


def test_the_migration_ties_free_text_provinces_to_codes(app_config, empty_database_uri):  # noqa: F811
    from app import create_app

    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": empty_database_uri})
    with app.app_context():
        upgrade(revision=BEFORE)
        rows = [
            ("by-name", "El Hajeb", "Agourai", 33.63, -5.58),
            ("by-arabic-name", "إفران", "?", None, None),
            ("by-city", "Prov. de Sefrou", "Bhalil", None, None),
            ("by-coordinates", "", "Douar inconnu", 34.22, -3.99),
        ]
        with db.engine.begin() as connection:
            for name, province, city, latitude, longitude in rows:
                connection.execute(
                    text(COOPERATIVE),
                    {
                        "name": name,
                        "province": province,
                        "city": city,
                        "latitude": latitude,
                        "longitude": longitude,
                    },
                )
            connection.execute(text(EDITION))
            connection.execute(text(SITE), {"slug": "a", "city": "Meknès", "province": "Meknès"})
            connection.execute(text(SITE), {"slug": "b", "city": "El Hajeb", "province": ""})
        upgrade()
        with db.engine.connect() as connection:
            codes = dict(
                connection.execute(
                    text("SELECT registration_number, province_code FROM cooperatives")
                ).all()
            )
            site_codes = dict(
                connection.execute(text("SELECT slug, province_code FROM sites")).all()
            )
        db.engine.dispose()
    assert codes == {
        "by-name": "MA-HAJ",
        "by-arabic-name": "MA-IFR",
        "by-city": "MA-SEF",
        "by-coordinates": "MA-TAZ",
    }
    assert site_codes == {"a": "MA-MEK", "b": "MA-HAJ"}
